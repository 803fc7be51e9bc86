/**
 * socket.io-client helpers for server tests: connect and wait for the
 * `session` event, collect `bot_message`s, emit with an ack as a promise.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  BotMessage,
  ClientToServerEvents,
  HandshakeAuth,
  HistoryAck,
  ServerToClientEvents,
  UserMessageAck,
} from '../../server/protocol.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Connected {
  socket: ClientSocket;
  sessionId: string;
  /** Every `bot_message` received so far (welcome, follow-ups), in order. */
  botMessages: BotMessage[];
  /** Every `session` event so far. */
  sessions: string[];
  /** Resolves with the next `bot_message` (or one already waiting beyond `after`). */
  nextBotMessage(after?: number, timeoutMs?: number): Promise<BotMessage>;
  send(text: string, extra?: Record<string, unknown>): Promise<UserMessageAck>;
  history(): Promise<HistoryAck>;
  close(): void;
}

export interface ConnectOptions {
  auth?: HandshakeAuth | Record<string, unknown>;
  extraHeaders?: Record<string, string>;
  transports?: ('websocket' | 'polling')[];
}

/** Connects a fresh client (no reconnection) and waits for its `session` event. */
export function connect(url: string, opts: ConnectOptions = {}): Promise<Connected> {
  const socket: ClientSocket = io(url, {
    auth: opts.auth ?? {},
    transports: opts.transports ?? ['websocket'],
    extraHeaders: opts.extraHeaders,
    reconnection: false,
    forceNew: true,
    timeout: 5000,
  });
  const botMessages: BotMessage[] = [];
  const sessions: string[] = [];
  const waiters: (() => void)[] = [];
  socket.on('bot_message', (m) => {
    botMessages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
    socket.on('session', ({ sessionId }) => {
      sessions.push(sessionId);
      if (sessions.length > 1) return;
      resolve({
        socket,
        get sessionId() {
          return sessions.at(-1)!;
        },
        botMessages,
        sessions,
        nextBotMessage(after = botMessages.length, timeoutMs = 5000) {
          return new Promise((res, rej) => {
            const check = () => {
              const m = botMessages[after];
              if (m) {
                clearTimeout(timer);
                res(m);
              } else waiters.push(check);
            };
            const timer = setTimeout(() => rej(new Error('no bot_message in time')), timeoutMs);
            check();
          });
        },
        send: (text, extra = {}) => socket.timeout(10_000).emitWithAck('user_message', { text, ...extra }),
        history: () => socket.timeout(10_000).emitWithAck('history'),
        close: () => socket.close(),
      });
    });
  });
}

/** Emits an arbitrary event with arbitrary arguments and an ack: for bad-input tests. */
export function emitRaw(socket: ClientSocket, event: string, ...args: unknown[]): Promise<unknown> {
  const raw = socket as unknown as { timeout(ms: number): { emitWithAck(ev: string, ...a: unknown[]): Promise<unknown> } };
  return raw.timeout(10_000).emitWithAck(event, ...args);
}
