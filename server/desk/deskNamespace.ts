/**
 * The agents' Socket.IO namespace, `/desk`. The handshake must carry the
 * desk login cookie (else it fails with UNAUTHORIZED) and come from kefu's
 * own page. Every event is parsed at runtime; each agent's sockets share a
 * room (`agent:<login>`), every agent's desk the `desk` room, so that any
 * process can reach them through the adapter.
 */
import type { Namespace, Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { toProtocolError, ProtocolFailure } from '../core/errors.js';
import { originAllowed } from '../http/origins.js';
import type { Logger } from '../log.js';
import {
  claimSchema,
  closeSchema,
  deskNoteInputSchema,
  deskSendSchema,
  deskTypingSchema,
  presenceSchema,
  transferSchema,
  type DeskClientToServerEvents,
  type DeskOutage,
  type DeskServerToClientEvents,
  type PresenceState,
} from '../protocol.js';
import type { AgentRecord } from '../store/types.js';
import type { DeskAuth } from './auth.js';
import type { Desk, DeskChannel } from './deskService.js';
import type { AgentPresence } from './presence.js';

interface DeskSocketData {
  agent: AgentRecord;
  presence: Exclude<PresenceState, 'offline'>;
}

type DeskNamespace = Namespace<DeskClientToServerEvents, DeskServerToClientEvents, Record<string, never>, DeskSocketData>;
type DeskSocket = Socket<DeskClientToServerEvents, DeskServerToClientEvents, Record<string, never>, DeskSocketData>;

const agentRoom = (login: string) => `agent:${login}`;
const ALL = 'desk';

export interface DeskNamespaceOptions {
  auth: DeskAuth;
  desk: Desk;
  presence: AgentPresence;
  logger: Logger;
  capacity: number;
  /** The outage watch's notices and alerts, sent to each desk on connect. */
  outage?: () => DeskOutage;
}

function takeAck(args: unknown[]): ((res: unknown) => void) | undefined {
  const last = args.at(-1);
  if (typeof last !== 'function') return undefined;
  args.pop();
  return last as (res: unknown) => void;
}

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ProtocolFailure('INVALID_PAYLOAD', `${issue?.path.length ? `"${issue.path.join('.')}": ` : ''}${issue?.message ?? 'invalid payload'}`);
  }
  return r.data;
}

export function attachDeskNamespace(io: Server, o: DeskNamespaceOptions): DeskChannel {
  const nsp = io.of('/desk') as unknown as DeskNamespace;

  nsp.use((socket, next) => {
    if (!originAllowed(socket.handshake.headers.origin, socket.handshake.headers.host, [])) {
      next(Object.assign(new Error('FORBIDDEN_ORIGIN'), { data: { code: 'FORBIDDEN_ORIGIN', message: 'the desk serves kefu’s own page only' } }));
      return;
    }
    o.auth.fromCookie(socket.handshake.headers.cookie).then(
      (s) => {
        if (!s) return next(Object.assign(new Error('UNAUTHORIZED'), { data: { code: 'UNAUTHORIZED', message: 'sign in at /desk first' } }));
        socket.data = { agent: s.agent, presence: 'online' };
        next();
      },
      (e: unknown) => {
        o.logger.error({ err: e }, 'desk handshake failed');
        next(Object.assign(new Error('INTERNAL'), { data: { code: 'INTERNAL', message: 'internal error' } }));
      },
    );
  });

  nsp.on('connection', (socket: DeskSocket) => {
    const agent = socket.data.agent;
    const beat = () => o.presence.beat(agent.login, socket.data.presence, Date.now());
    void socket.join([ALL, agentRoom(agent.login)]);
    void (async () => {
      await beat();
      socket.emit('me', { agent: { login: agent.login, name: agent.name, role: agent.role }, presence: socket.data.presence, capacity: o.capacity });
      if (o.outage) socket.emit('outage', o.outage());
      socket.emit('mine', { conversations: await o.desk.views.mine(agent.login) });
      await o.desk.broadcast();
    })().catch((err: unknown) => o.logger.error({ err }, 'desk connect failed'));

    /** An event with an ack: runs `work`, answers `{ ok, ...result }` or the error. */
    const handle = <T extends object>(event: keyof DeskClientToServerEvents, work: (raw: unknown) => Promise<T>) => {
      socket.on(event, (...args: unknown[]) => {
        const ack = takeAck(args);
        work(args[0]).then(
          (result) => ack?.({ ok: true, ...result }),
          (e: unknown) => {
            const failure = toProtocolError(e);
            if (failure.code === 'INTERNAL') o.logger.error({ err: e, agent: agent.login, event }, 'desk event failed');
            ack?.({ ok: false, error: failure.toWire() });
          },
        );
      });
    };

    handle('claim', async (raw) => ({ conversation: await o.desk.claim(agent, parse(claimSchema, raw).sessionId) }));
    handle('open', async (raw) => ({ conversation: await o.desk.view(agent, parse(claimSchema, raw).sessionId) }));
    handle('send', async (raw) => {
      const p = parse(deskSendSchema, raw);
      return { message: await o.desk.send(agent, p.sessionId, p.text, p.clientMessageId) };
    });
    handle('note', async (raw) => {
      const p = parse(deskNoteInputSchema, raw);
      return { note: await o.desk.note(agent, p.sessionId, p.text) };
    });
    handle('transfer', async (raw) => {
      const p = parse(transferSchema, raw);
      await o.desk.transfer(agent, p.sessionId, p.to, p.note);
      return {};
    });
    handle('hand_back', async (raw) => {
      await o.desk.handBack(agent, parse(claimSchema, raw).sessionId);
      return {};
    });
    handle('close', async (raw) => {
      const p = parse(closeSchema, raw);
      await o.desk.close(agent, p.sessionId, p.resolution, p.note);
      return {};
    });
    handle('canned', async (raw) => ({ replies: await o.desk.canned(agent, parse(claimSchema, raw).sessionId) }));
    handle('presence', async (raw) => {
      socket.data.presence = parse(presenceSchema, raw).presence;
      // Every tab of this agent takes the same state.
      for (const s of await nsp.in(agentRoom(agent.login)).fetchSockets()) s.data.presence = socket.data.presence;
      await beat();
      await o.desk.broadcast();
      return {};
    });

    socket.on('typing', (...args: unknown[]) => {
      takeAck(args);
      const p = deskTypingSchema.safeParse(args[0]);
      if (p.success) o.desk.typing(agent, p.data.sessionId, p.data.typing);
    });
    socket.on('heartbeat', () => void beat().catch(() => {}));

    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && Object.hasOwn(KNOWN, event)) return;
      takeAck(args)?.({ ok: false, error: { code: 'NOT_FOUND', message: 'no such event' } });
    });

    socket.on('disconnect', () => {
      void (async () => {
        // The agent may still have another tab open (on this process or another).
        if ((await nsp.in(agentRoom(agent.login)).fetchSockets()).length > 0) return;
        await o.presence.leave(agent.login);
        await o.desk.broadcast();
      })().catch((err: unknown) => o.logger.warn({ err }, 'desk disconnect bookkeeping failed'));
    });
  });

  return {
    toAgent: ((login: string, event: keyof DeskServerToClientEvents, e: unknown) => {
      (nsp.to(agentRoom(login)) as unknown as { emit(ev: string, x: unknown): void }).emit(event, e);
    }) as DeskChannel['toAgent'],
    toAll: ((event: keyof DeskServerToClientEvents, e: unknown) => {
      (nsp.to(ALL) as unknown as { emit(ev: string, x: unknown): void }).emit(event, e);
    }) as DeskChannel['toAll'],
    atDesk: async (login) => {
      // Bounded: a process that does not answer delays the sweep this long, not the adapter's 5 s.
      const sockets = await nsp.in(agentRoom(login)).timeout(AT_DESK_TIMEOUT_MS).fetchSockets();
      if (sockets.length === 0) return null;
      return sockets.some((s) => (s.data as { presence?: string }).presence === 'online') ? 'online' : 'away';
    },
  };
}

/** How long the fleet's processes get to list an agent's desk sockets (ms). */
export const AT_DESK_TIMEOUT_MS = 1500;

const KNOWN: Record<keyof DeskClientToServerEvents, true> = {
  claim: true,
  open: true,
  send: true,
  note: true,
  typing: true,
  transfer: true,
  hand_back: true,
  close: true,
  canned: true,
  presence: true,
  heartbeat: true,
};
