/**
 * The widget's link to the kefu server: one Socket.IO socket, the session id
 * offered on every (re)connect, and an outbox that delivers each user message
 * exactly once. A message sent while offline waits in the outbox; one whose
 * ack is lost to a disconnect goes back into it and is re-sent with the same
 * `clientMessageId`, which the server uses to never process it twice.
 *
 * Socket.IO reconnects by itself after a lost connection, but not after a
 * handshake the server refused (the socket is left inactive): a refusal such as
 * RATE_LIMITED, which a crowd behind one carrier NAT can meet when everyone
 * reconnects after a server restart, would leave the widget offline until a
 * reload. Such a handshake is tried again here, after a growing, jittered
 * back-off, so the crowd does not come back all at once.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  AgentTyping,
  BotMessage,
  ClientToServerEvents,
  ProtocolError,
  ServerToClientEvents,
  TranscriptEntry,
  UserMessage,
} from '../../server/protocol.js';
import { parseStatus, type ConversationStatus } from './conversationStatus.js';
import type { Locale } from './i18n.js';
import type { SessionIdStore } from './sessionStore.js';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** Back-off before trying a refused handshake again: 2 s, doubling up to 30 s, each between half and all of that. */
const RETRY_BASE_MS = 2_000;
const RETRY_MAX_MS = 30_000;

/** The wait before retry number `attempt` (0-based); `random` in [0, 1). */
export function retryDelay(attempt: number, random: number = Math.random()): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random / 2));
}

type Failure = { ok: false; error: ProtocolError | { code: 'TIMEOUT' | 'RESTARTED'; message: string } };

/**
 * What a send ended with: the bot's replies, or none and where the message
 * went (`routedTo`) while a person owns the conversation or it waits for one;
 * `TIMEOUT` when connected but no ack came in time, `RESTARTED` when the
 * conversation was reset before delivery.
 */
export type SendResult = { ok: true; replies: BotMessage[]; routedTo?: 'queue' | 'agent' } | Failure;

/** What leaving the queue ended with (the bot's answer arrives as messages of its own). */
export type LeaveResult = { ok: true } | Failure;

export interface ConnectionOptions {
  server: string;
  /** The language a new session should start in, read at each handshake (the conversation's, once it has one). */
  locale(): Locale;
  store: SessionIdStore;
  ackTimeoutMs?: number;
  /** The wait before retry number `attempt` of a refused handshake; `retryDelay` by default. */
  retryDelay?(attempt: number): number;
  /** Called when the state changes; `refused` while offline because the server turned the handshake down. */
  onState(state: ConnectionState, refused: boolean): void;
  /**
   * A session was established on a new connection. `resumed` means the server
   * accepted the id we offered. The outbox is flushed once the returned
   * promise settles, so the caller can redraw history first.
   */
  onSession(e: { sessionId: string; resumed: boolean; offered: string | undefined }): Promise<void> | void;
  onBotMessage(m: BotMessage): void;
  /** Who serves the conversation: on every connect and on every change. */
  onStatus?(s: ConversationStatus): void;
  /** The agent serving the conversation is (or stopped) typing. */
  onAgentTyping?(t: AgentTyping): void;
}

interface Outgoing {
  message: Required<Pick<UserMessage, 'clientMessageId'>> & UserMessage;
  resolve(result: SendResult): void;
}

const RESTARTED: SendResult = { ok: false, error: { code: 'RESTARTED', message: 'conversation restarted' } };

type KefuSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class Connection {
  private socket: KefuSocket | undefined;
  private outbox: Outgoing[] = [];
  /** True between a `session` event (plus its onSession) and the next disconnect. */
  private ready = false;
  private offered: string | undefined;
  /** The session this connection last had; a different one on the same socket means the server replaced it. */
  private current: string | undefined;
  /** Refused handshakes in a row, and the timer of the next try. */
  private refusals = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private shown: { state: ConnectionState; refused: boolean } | undefined;

  constructor(private readonly opts: ConnectionOptions) {}

  /** Connect (again), offering the stored session id if there is one. */
  start(): void {
    this.setState('connecting');
    const socket: KefuSocket = io(this.opts.server, {
      // A function, so every reconnect offers the id current at that moment.
      auth: (cb) => {
        this.offered = this.opts.store.get();
        cb({ ...(this.offered ? { sessionId: this.offered } : {}), locale: this.opts.locale() });
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
    });
    this.socket = socket;
    socket.on('session', ({ sessionId }) => void this.handleSession(socket, sessionId));
    socket.on('bot_message', (m) => this.opts.onBotMessage(m));
    socket.on('status', (raw) => {
      const status = parseStatus(raw);
      if (status) this.opts.onStatus?.(status);
    });
    socket.on('typing', (t) => {
      if (typeof t?.typing === 'boolean') this.opts.onAgentTyping?.({ typing: t.typing, agentName: typeof t.agentName === 'string' ? t.agentName : '' });
    });
    socket.on('connect', () => {
      this.refusals = 0;
    });
    socket.on('disconnect', () => {
      this.ready = false;
      if (this.socket === socket) this.setState('offline');
    });
    socket.io.on('reconnect_attempt', () => {
      if (this.socket === socket && !socket.connected) this.setState('offline');
    });
    socket.on('connect_error', () => {
      if (this.socket !== socket) return;
      // Still active: a transport failure, which socket.io retries itself. Inactive: the server refused us.
      const refused = !socket.active;
      this.setState('offline', refused);
      if (refused) this.retryLater(socket);
    });
  }

  /** Forget the session and connect afresh: the server opens a new conversation. Pending sends are dropped. */
  restart(): void {
    this.stop();
    this.opts.store.clear();
    this.current = undefined;
    this.start();
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.refusals = 0;
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
    this.ready = false;
    for (const pending of this.outbox.splice(0)) {
      pending.resolve(RESTARTED);
    }
  }

  /** Queue a message for delivery; resolves with the server's ack (or an error to retry). */
  send(message: Outgoing['message']): Promise<SendResult> {
    return new Promise((resolve) => {
      const pending = { message, resolve };
      if (this.ready) this.deliver(pending);
      else this.outbox.push(pending);
    });
  }

  /** Tell the agent whether the user is typing (dropped while offline: it is only a hint). */
  typing(typing: boolean): void {
    if (this.ready && this.socket?.connected) this.socket.emit('typing', { typing });
  }

  /** Stop waiting for an agent; the bot's answer and the new status arrive as events. */
  leaveQueue(timeoutMs = this.opts.ackTimeoutMs ?? 15_000): Promise<LeaveResult> {
    const socket = this.socket;
    if (!socket || !this.ready) return Promise.resolve({ ok: false, error: { code: 'TIMEOUT', message: 'not connected' } });
    return new Promise((resolve) => {
      socket.timeout(timeoutMs).emit('leave_queue', (err: Error | null, res) => {
        if (err) resolve({ ok: false, error: { code: 'TIMEOUT', message: err.message } });
        else resolve(res.ok ? { ok: true } : { ok: false, error: res.error });
      });
    });
  }

  /** The transcript of the current session, for redrawing after a reload. */
  history(): Promise<TranscriptEntry[]> {
    const socket = this.socket;
    if (!socket) return Promise.resolve([]);
    return new Promise((resolve) => {
      socket.timeout(this.opts.ackTimeoutMs ?? 15_000).emit('history', (err: Error | null, res) => {
        resolve(!err && res?.ok ? res.entries : []);
      });
    });
  }

  private async handleSession(socket: KefuSocket, sessionId: string): Promise<void> {
    // On a (re)connect the id offered in the handshake; when the server replaces a
    // closed session on a live socket, the one we had.
    const offered = this.current ?? this.offered;
    this.current = sessionId;
    this.opts.store.set(sessionId);
    try {
      await this.opts.onSession({ sessionId, resumed: offered === sessionId, offered });
    } finally {
      if (this.socket === socket && socket.connected) {
        this.ready = true;
        this.setState('online');
        for (const pending of this.outbox.splice(0)) this.deliver(pending);
      }
    }
  }

  private deliver(pending: Outgoing): void {
    const socket = this.socket;
    if (!socket) return pending.resolve(RESTARTED);
    socket.timeout(this.opts.ackTimeoutMs ?? 15_000).emit('user_message', pending.message, (err: Error | null, res) => {
      if (err) {
        if (this.socket !== socket) return pending.resolve(RESTARTED);
        // Lost to a disconnect: back into the outbox, same clientMessageId.
        if (!socket.connected) return void this.outbox.push(pending);
        return pending.resolve({ ok: false, error: { code: 'TIMEOUT', message: err.message } });
      }
      pending.resolve(res.ok ? { ok: true, replies: res.replies, ...(res.routedTo ? { routedTo: res.routedTo } : {}) } : { ok: false, error: res.error });
    });
  }

  private retryLater(socket: KefuSocket): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.socket === socket && !socket.active) socket.connect();
    }, (this.opts.retryDelay ?? retryDelay)(this.refusals++));
  }

  private setState(state: ConnectionState, refused = false): void {
    // Unchanged states are not passed on: the banner is a live region, read out on every change.
    if (this.shown?.state === state && this.shown.refused === refused) return;
    this.shown = { state, refused };
    this.opts.onState(state, refused);
  }
}
