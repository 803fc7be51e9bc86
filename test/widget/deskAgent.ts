/**
 * A real agent for the widget's tests: an account added on the test server,
 * signed in through POST /api/desk/login, and a socket.io-client on `/desk`
 * with the login cookie — what the agents' desk page does, without its UI.
 * Every desk event it receives is kept, so a test can check what reached the
 * agent (and what did not).
 */
import { io, type Socket } from 'socket.io-client';
import type { DeskAck, DeskClientToServerEvents, DeskServerToClientEvents } from '../../server/protocol.js';
import type { TestServer } from '../helpers/startServer.js';

type DeskSocket = Socket<DeskServerToClientEvents, DeskClientToServerEvents>;

export interface DeskAgent {
  socket: DeskSocket;
  /** Every event received, in order: name and payload. */
  received: { event: string; payload: unknown }[];
  /** The payloads of `event` received so far. */
  of<E extends keyof DeskServerToClientEvents>(event: E): Parameters<DeskServerToClientEvents[E]>[0][];
  claim(sessionId: string): Promise<DeskAck>;
  send(sessionId: string, text: string): Promise<DeskAck>;
  typing(sessionId: string, typing: boolean): void;
  close(sessionId: string, resolution: 'resolved' | 'unresolved'): Promise<DeskAck>;
  disconnect(): void;
}

/** Adds agent `login` (display name `name`), signs in and connects the desk; resolves once the desk says who it is. */
export async function deskAgent(server: TestServer, login: string, name: string): Promise<DeskAgent> {
  const password = 'a-password-1';
  await server.desk.agents.add(login, name, 'agent', password);
  const res = await fetch(server.url + '/api/desk/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`desk login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('desk login set no cookie');

  const socket: DeskSocket = io(server.url + '/desk', { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
  const received: DeskAgent['received'] = [];
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('me', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (p: Promise<unknown>) => p as Promise<DeskAck>;
  return {
    socket,
    received,
    of: (event) => received.filter((r) => r.event === event).map((r) => r.payload) as never,
    claim: (sessionId) => ack(socket.timeout(10_000).emitWithAck('claim', { sessionId })),
    send: (sessionId, text) => ack(socket.timeout(10_000).emitWithAck('send', { sessionId, text })),
    typing: (sessionId, typing) => void socket.emit('typing', { sessionId, typing }),
    close: (sessionId, resolution) => ack(socket.timeout(10_000).emitWithAck('close', { sessionId, resolution })),
    disconnect: () => void socket.close(),
  };
}
