/**
 * The Socket.IO channel. A handshake resumes the session it offers (when it
 * is open) or gets a new one, announced with `session`; each socket joins a
 * room per session so that messages the server sends on its own reach every
 * tab of that conversation. Every event's arguments are checked at runtime:
 * the event map types only what a well-behaved client sends.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Conversations, Locale } from '../conversation/conversations.js';
import { toProtocolError } from '../core/errors.js';
import { clientIp } from '../http/clientIp.js';
import { originAllowed } from '../http/origins.js';
import type { Logger } from '../log.js';
import {
  handshakeAuthSchema,
  type BotMessage,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../protocol.js';

interface SocketData {
  sessionId: string;
  ip: string;
  /** The handshake's locale: a session that replaces a closed one is opened in it too. */
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
  trustProxyHops: number;
  /** False once shutdown has begun: new handshakes are refused. */
  isAccepting(): boolean;
}

/** The room of a session's sockets. */
export const roomOf = (sessionId: string): string => `session:${sessionId}`;

/** Engine.IO drops a connection whose single packet exceeds this: far above any valid payload. */
const MAX_PACKET_BYTES = 64 * 1024;

/** The acknowledgement callback, when the client asked for one: socket.io appends it as the last argument. */
function takeAck(args: unknown[]): ((res: unknown) => void) | undefined {
  const last = args.at(-1);
  if (typeof last !== 'function') return undefined;
  args.pop();
  return last as (res: unknown) => void;
}

export function attachSocketServer(httpServer: HttpServer, o: SocketOptions): KefuIo {
  const io: KefuIo = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    // Browsers do not apply CORS to WebSockets: the handshake's Origin is checked here for both transports.
    allowRequest: (req, callback) => {
      if (!o.isAccepting()) callback('UNAVAILABLE', false);
      else if (!originAllowed(req.headers.origin, req.headers.host, o.allowedOrigins)) callback('FORBIDDEN_ORIGIN', false);
      else callback(null, true);
    },
    cors: { origin: [...o.allowedOrigins], methods: ['GET', 'POST'] },
  });

  io.use((socket, next) => {
    // Each field on its own: an odd locale must not cost the client the session it offers.
    const raw: Record<string, unknown> = typeof socket.handshake.auth === 'object' && socket.handshake.auth !== null ? socket.handshake.auth : {};
    const offered = handshakeAuthSchema.shape.sessionId.safeParse(raw.sessionId);
    const lang = handshakeAuthSchema.shape.locale.safeParse(raw.locale);
    const offeredId = offered.success ? offered.data : undefined;
    const locale = lang.success ? lang.data : undefined;
    const ip = clientIp(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], o.trustProxyHops);
    o.conversations.open({ offeredId, locale, peer: { ip } }).then(
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

  io.on('connection', (socket) => {
    const announce = () => {
      void socket.join(roomOf(socket.data.sessionId));
      socket.emit('session', { sessionId: socket.data.sessionId });
      for (const m of socket.data.welcome) socket.emit('bot_message', m);
      socket.data.welcome = [];
    };
    announce();

    // A closed or vanished session is replaced once, however many messages failed on it.
    let replacing: Promise<void> | null = null;
    const replaceSession = (oldId: string) => {
      if (replacing || socket.data.sessionId !== oldId) return;
      replacing = o.conversations
        .open({ locale: socket.data.locale, peer: { ip: socket.data.ip } })
        .then((opened) => {
          void socket.leave(roomOf(oldId));
          socket.data.sessionId = opened.sessionId;
          socket.data.welcome = opened.welcome;
          announce();
        })
        .catch((err: unknown) => o.logger.warn({ err }, 'replacing a closed session failed'))
        .finally(() => {
          replacing = null;
        });
    };

    // An event this server does not know is still answered, when the client asked for an answer.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (event === 'user_message' || event === 'history') return;
      takeAck(args)?.({ ok: false, error: { code: 'NOT_FOUND', message: 'no such event' } });
    });

    socket.on('user_message', (...args: unknown[]) => {
      const ack = takeAck(args);
      if (!ack) return; // without an ack there is nowhere to put the replies or the error
      const sessionId = socket.data.sessionId;
      o.conversations.socketTurn(sessionId, args[0], { ip: socket.data.ip }).then(
        (replies) => ack({ ok: true, sessionId, replies }),
        (e: unknown) => {
          const failure = toProtocolError(e);
          if (failure.code === 'INTERNAL') o.logger.error({ err: e, sessionId }, 'turn failed');
          ack({ ok: false, error: failure.toWire() });
          if (failure.code === 'SESSION_CLOSED' || failure.code === 'UNKNOWN_SESSION') replaceSession(sessionId);
        },
      );
    });

    socket.on('history', (...args: unknown[]) => {
      const ack = takeAck(args);
      if (!ack) return;
      o.conversations.history(socket.data.sessionId, { ip: socket.data.ip }).then(
        ({ sessionId, entries }) => ack({ ok: true, sessionId, entries }),
        (e: unknown) => {
          const failure = toProtocolError(e);
          if (failure.code === 'INTERNAL') o.logger.error({ err: e }, 'history failed');
          ack({ ok: false, error: failure.toWire() });
        },
      );
    });
  });

  return io;
}

export type { KefuIo, KefuSocket };
