/**
 * The widget's Socket.IO channel (the default namespace). A handshake resumes
 * the session it offers (when it is open) or gets a new one, announced with
 * `session`; each socket joins a room per session so that messages the server
 * sends on its own (follow-ups, agents' messages, queue positions) reach every
 * tab of that conversation, on whichever process it is connected. Every
 * event's arguments are checked at runtime: the event map types only what a
 * well-behaved client sends.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Conversations, Locale } from '../conversation/index.js';
import type { UserChannel } from '../conversation/ports.js';
import { toProtocolError } from '../core/errors.js';
import { clientIp } from '../http/clientIp.js';
import type { PerAddressCap } from '../http/connectionLimits.js';
import { originAllowedFor, type OwnOrigins } from '../http/origins.js';
import type { Logger } from '../log.js';
import {
  handshakeAuthSchema,
  typingSchema,
  type BotMessage,
  type ClientToServerEvents,
  type LeaveQueueAck,
  type ServerToClientEvents,
} from '../protocol.js';

interface SocketData {
  sessionId: string;
  ip: string;
  /** The handshake's locale: a session that replaces a vanished one is opened in it too. */
  locale: Locale | undefined;
  /** Opening messages of a session created by this handshake, sent right after `session`. */
  welcome: BotMessage[];
}

type KefuIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type KefuSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketOptions {
  conversations: Conversations;
  logger: Logger;
  allowedOrigins: readonly string[];
  /** kefu's own origins (PUBLIC_URL or the listening address), never the Host header. */
  ownOrigins: OwnOrigins;
  /** Open Engine.IO sessions per client address; a handshake past the cap is refused below Socket.IO. */
  engineSessions?: PerAddressCap;
  /** An engine.io connection that has not joined a namespace within this time is closed. */
  connectTimeoutMs?: number;
  trustProxyHops: number;
  /** False once shutdown has begun: new handshakes are refused. */
  isAccepting(): boolean;
  /** The user stops waiting for an agent (the desk implements it). */
  leaveQueue?(sessionId: string): Promise<void>;
}

/** The room of a session's sockets. */
export const roomOf = (sessionId: string): string => `session:${sessionId}`;

/** Engine.IO drops a connection whose single packet exceeds this: far above any valid payload. */
const MAX_PACKET_BYTES = 64 * 1024;

/** The events this namespace answers; anything else with an ack gets NOT_FOUND. */
const KNOWN_EVENTS = new Set<string>(['user_message', 'history', 'typing', 'leave_queue'] satisfies (keyof ClientToServerEvents)[]);

/** Typing notices from one socket reach the agent at most this often. */
const TYPING_INTERVAL_MS = 400;

/** The acknowledgement callback, when the client asked for one: socket.io appends it as the last argument. */
function takeAck(args: unknown[]): ((res: unknown) => void) | undefined {
  const last = args.at(-1);
  if (typeof last !== 'function') return undefined;
  args.pop();
  return last as (res: unknown) => void;
}

/** The Socket.IO server, with the HTTP server's Origin checks; the namespaces are attached to it separately. */
export function createIo(
  httpServer: HttpServer,
  o: Pick<SocketOptions, 'allowedOrigins' | 'ownOrigins' | 'isAccepting' | 'engineSessions' | 'connectTimeoutMs' | 'trustProxyHops'>,
): KefuIo {
  // A handshake's place under the cap, from allowRequest until its Engine.IO session closes (or the handshake fails).
  const held = new Map<IncomingMessage, () => void>();
  const hold = (req: IncomingMessage): boolean => {
    if (!o.engineSessions) return true;
    const release = o.engineSessions.take(clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], o.trustProxyHops));
    if (!release) return false;
    held.set(req, release);
    // An upgrade that the WebSocket library turns down never reaches 'connection' nor 'connection_error'.
    req.socket.once('close', () => unhold(req)?.());
    return true;
  };
  const unhold = (req: IncomingMessage): (() => void) | undefined => {
    const release = held.get(req);
    held.delete(req);
    return release;
  };
  const io: KefuIo = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    ...(o.connectTimeoutMs ? { connectTimeout: o.connectTimeoutMs } : {}),
    // Browsers do not apply CORS to WebSockets: the handshake's Origin is checked here for both transports.
    allowRequest: (req, callback) => {
      if (!o.isAccepting()) callback('UNAVAILABLE', false);
      else if (!originAllowedFor(req.headers.origin, o.ownOrigins, o.allowedOrigins)) callback('FORBIDDEN_ORIGIN', false);
      else if (!hold(req)) callback('RATE_LIMITED', false);
      else callback(null, true);
    },
    cors: { origin: [...o.allowedOrigins], methods: ['GET', 'POST'] },
  });
  io.engine.on('connection', (conn: { request: IncomingMessage; once(event: 'close', fn: () => void): void }) => {
    const release = unhold(conn.request);
    if (release) conn.once('close', release);
  });
  io.engine.on('connection_error', (err: { req?: IncomingMessage }) => {
    if (err.req) unhold(err.req)?.();
  });
  return io;
}

/** Pushes to every tab of a session, through the rooms (and the adapter, across processes). */
export function userChannel(io: KefuIo): UserChannel {
  return {
    toSession: (sessionId, event, ...args) => {
      io.to(roomOf(sessionId)).emit(event, ...args);
    },
  };
}

export function attachWidgetNamespace(io: KefuIo, o: SocketOptions): void {
  const { sessions, turns, inFlight, deps } = o.conversations;

  io.use((socket, next) => {
    // Each field on its own: an odd locale must not cost the client the session it offers.
    const raw: Record<string, unknown> = typeof socket.handshake.auth === 'object' && socket.handshake.auth !== null ? socket.handshake.auth : {};
    const offered = handshakeAuthSchema.shape.sessionId.safeParse(raw.sessionId);
    const lang = handshakeAuthSchema.shape.locale.safeParse(raw.locale);
    const offeredId = offered.success ? offered.data : undefined;
    const locale = lang.success ? lang.data : undefined;
    const ip = clientIp(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], o.trustProxyHops);
    inFlight.track(() => sessions.open({ offeredId, locale, peer: { ip, channel: 'socket' } })).then(
      (opened) => {
        socket.data = { sessionId: opened.sessionId, ip, locale, welcome: opened.welcome };
        next();
      },
      (e: unknown) => {
        const failure = toProtocolError(e);
        if (failure.code === 'INTERNAL') o.logger.error({ err: e }, 'opening a session failed');
        next(Object.assign(new Error(failure.code), { data: failure.toWire() }));
      },
    );
  });

  io.on('connection', (socket: KefuSocket) => {
    const announce = (welcome: BotMessage[]) => {
      void socket.join(roomOf(socket.data.sessionId));
      socket.emit('session', { sessionId: socket.data.sessionId });
      for (const m of welcome) socket.emit('bot_message', m);
    };
    // Said on every connect, `bot` too: a tab coming back after a blip must drop a queue or agent line gone meanwhile.
    const sendStatus = () => {
      const id = socket.data.sessionId;
      if (deps.cache.get(id)?.mode === 'bot') return void socket.emit('status', { mode: 'bot' }); // the common case: nothing to read
      sessions.status(id).then(
        (s) => socket.data.sessionId === id && socket.emit('status', s),
        (err: unknown) => o.logger.warn({ err }, 'reading the conversation status failed'),
      );
    };
    announce(socket.data.welcome);
    socket.data.welcome = [];
    sendStatus();

    const switchTo = (sessionId: string, welcome: BotMessage[]) => {
      void socket.leave(roomOf(socket.data.sessionId));
      socket.data.sessionId = sessionId;
      announce(welcome);
    };

    // A vanished session (a database reset) is replaced once, however many messages failed on it.
    let replacing = false;
    const replaceVanished = (oldId: string) => {
      if (replacing || socket.data.sessionId !== oldId) return;
      replacing = true;
      const opened = sessions.fresh(socket.data.locale === 'en' ? 'en' : socket.data.locale === 'zh-CN' ? 'zh' : undefined);
      switchTo(opened.sessionId, opened.welcome);
      replacing = false;
    };

    // An event this server does not know is still answered, when the client asked for an answer.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
      takeAck(args)?.({ ok: false, error: { code: 'NOT_FOUND', message: 'no such event' } });
    });

    socket.on('user_message', (...args: unknown[]) => {
      const ack = takeAck(args);
      if (!ack) return; // without an ack there is nowhere to put the replies or the error
      const sessionId = socket.data.sessionId;
      inFlight.track(() => turns.socketTurn(sessionId, args[0], { ip: socket.data.ip, channel: 'socket' })).then(
        (outcome) => {
          // A message for a session that had ended was answered in a new one: this socket follows it.
          if (outcome.opened?.replaced && socket.data.sessionId === sessionId) switchTo(outcome.sessionId, []);
          ack({ ok: true, sessionId: outcome.sessionId, replies: outcome.replies, ...(outcome.routedTo ? { routedTo: outcome.routedTo } : {}) });
          if (outcome.routedTo === 'queue') sendStatus();
        },
        (e: unknown) => {
          const failure = toProtocolError(e);
          if (failure.code === 'INTERNAL') o.logger.error({ err: e, sessionId }, 'turn failed');
          ack({ ok: false, error: failure.toWire() });
          if (failure.code === 'UNKNOWN_SESSION') replaceVanished(sessionId);
        },
      );
    });

    socket.on('history', (...args: unknown[]) => {
      const ack = takeAck(args);
      if (!ack) return;
      inFlight.track(() => sessions.history(socket.data.sessionId, { ip: socket.data.ip, channel: 'socket' })).then(
        ({ sessionId, entries }) => ack({ ok: true, sessionId, entries }),
        (e: unknown) => {
          const failure = toProtocolError(e);
          if (failure.code === 'INTERNAL') o.logger.error({ err: e }, 'history failed');
          ack({ ok: false, error: failure.toWire() });
        },
      );
    });

    let lastTyping = 0;
    socket.on('typing', (...args: unknown[]) => {
      takeAck(args);
      const parsed = typingSchema.safeParse(args[0]);
      if (!parsed.success) return;
      const now = Date.now();
      if (parsed.data.typing && now - lastTyping < TYPING_INTERVAL_MS) return;
      lastTyping = now;
      const id = socket.data.sessionId;
      const typing = parsed.data.typing;
      const forward = (s: { mode: string; assignee: string | null }) => {
        if (s.mode === 'agent' && s.assignee) deps.desk.userTyping(id, s.assignee, typing);
      };
      const cached = deps.cache.get(id);
      if (cached) return forward(cached);
      // A desk change (a claim, an agent's message) drops the cached copy: read it back once, cached again for the next.
      sessions.load(id).then(forward, () => {});
    });

    socket.on('leave_queue', (...args: unknown[]) => {
      const ack = takeAck(args) as ((res: LeaveQueueAck) => void) | undefined;
      const sessionId = socket.data.sessionId;
      const leave = o.leaveQueue;
      if (!leave) {
        ack?.({ ok: false, error: { code: 'NOT_FOUND', message: 'no desk here' } });
        return;
      }
      inFlight.track(() => leave(sessionId)).then(
        () => ack?.({ ok: true, sessionId }),
        (e: unknown) => {
          const failure = toProtocolError(e);
          if (failure.code === 'INTERNAL') o.logger.error({ err: e, sessionId }, 'leaving the queue failed');
          ack?.({ ok: false, error: failure.toWire() });
        },
      );
    });
  });
}

export type { KefuIo, KefuSocket };
