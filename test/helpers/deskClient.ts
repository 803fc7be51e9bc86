/**
 * An agent at the desk, for server tests: an account, a login over REST
 * (cookie + CSRF token), a socket.io-client on `/desk` that records every
 * event, and the desk's events as promises with acks.
 */
import { io, type Socket } from 'socket.io-client';
import type { DeskClientToServerEvents, DeskServerToClientEvents } from '../../server/protocol.js';
import type { TestServer } from './startServer.js';

export type DeskSocket = Socket<DeskServerToClientEvents, DeskClientToServerEvents>;

export interface AgentAtDesk {
  login: string;
  cookie: string;
  csrf: string;
  socket: DeskSocket;
  /** Every event received, in order: [name, payload]. */
  events: [string, unknown][];
  /** The latest payload of `event`, waiting for one if none came yet. */
  latest<T = unknown>(event: keyof DeskServerToClientEvents, match?: (p: T) => boolean, timeoutMs?: number): Promise<T>;
  emit(event: keyof DeskClientToServerEvents, payload?: unknown): Promise<Record<string, unknown> & { ok: boolean }>;
  close(): void;
}

/** Logs in over REST and returns the cookie and CSRF token. */
export async function deskLogin(url: string, login: string, password: string): Promise<{ status: number; cookie: string; csrf: string; body: unknown }> {
  const res = await fetch(`${url}/api/desk/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  const body = (await res.json()) as { csrf?: string };
  return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: body.csrf ?? '', body };
}

/** Creates the agent (unless `create: false`), logs in and connects to `/desk`. */
export async function agentAtDesk(srv: TestServer, login: string, name: string, o: { role?: 'agent' | 'admin'; create?: boolean } = {}): Promise<AgentAtDesk> {
  const password = `pw-${login}-123`;
  if (o.create !== false) await srv.desk.agents.add(login, name, o.role ?? 'agent', password);
  const { cookie, csrf } = await deskLogin(srv.url, login, password);
  const socket: DeskSocket = io(`${srv.url}/desk`, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: [string, unknown][] = [];
  const waiters: (() => void)[] = [];
  socket.onAny((event: string, payload: unknown) => {
    events.push([event, payload]);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('me', () => resolve());
  });
  const latest = async <T,>(event: string, match: (p: T) => boolean = () => true, timeoutMs = 5000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = [...events].reverse().find(([e, p]) => e === event && match(p as T));
      if (found) return found[1] as T;
      if (Date.now() > deadline) throw new Error(`no ${event} event for ${login} within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  return {
    login,
    cookie,
    csrf,
    socket,
    events,
    latest: latest as AgentAtDesk['latest'],
    emit: (event, payload) => (socket.timeout(5000) as unknown as { emitWithAck(e: string, p?: unknown): Promise<Record<string, unknown> & { ok: boolean }> }).emitWithAck(event, payload),
    close: () => socket.close(),
  };
}
