/**
 * The desk's socket on `/desk`: the login cookie authenticates it; every
 * event that arrives is parsed with the protocol's schemas before anyone
 * sees it; heartbeats every 15 s while connected, as the server expects.
 */
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import {
  agentSchema,
  agentStatusSchema,
  cannedReplySchema,
  deskConversationSchema,
  deskNoteSchema,
  deskOutageSchema,
  protocolErrorSchema,
  queueItemSchema,
  botMessageSchema,
  PRESENCE_STATES,
  type DeskClientToServerEvents,
  type DeskServerToClientEvents,
} from '../../../server/protocol.js';

const HEARTBEAT_MS = 15_000;

export const incoming = {
  me: z.object({ agent: agentSchema, presence: z.enum(PRESENCE_STATES), capacity: z.number() }),
  queue: z.object({ waiting: z.array(queueItemSchema), callbacksPending: z.number() }),
  mine: z.object({ conversations: z.array(queueItemSchema) }),
  assigned: z.object({ conversation: deskConversationSchema, by: z.enum(['auto', 'transfer']), from: z.string().optional(), note: z.string().optional() }),
  released: z.object({ sessionId: z.string(), why: z.enum(['away', 'transferred', 'closed', 'handed_back', 'user_left']) }),
  user_message: z.object({ sessionId: z.string(), text: z.string(), at: z.string() }),
  typing: z.object({ sessionId: z.string(), typing: z.boolean() }),
  agents: z.object({ agents: z.array(agentStatusSchema) }),
  outage: deskOutageSchema,
} satisfies Record<keyof DeskServerToClientEvents, z.ZodType>;

export type Incoming = { [K in keyof typeof incoming]: z.infer<(typeof incoming)[K]> };

/** What each ack carries besides `ok`. */
const ackData = {
  claim: z.object({ conversation: deskConversationSchema }),
  open: z.object({ conversation: deskConversationSchema }),
  send: z.object({ message: botMessageSchema }),
  note: z.object({ note: deskNoteSchema }),
  canned: z.object({ replies: z.array(cannedReplySchema) }),
  transfer: z.object({}),
  hand_back: z.object({}),
  close: z.object({}),
  presence: z.object({}),
};
type AckEvent = keyof typeof ackData;
export type AckResult<E extends AckEvent> = { ok: true; data: z.infer<(typeof ackData)[E]> } | { ok: false; code: string; message: string };

export interface DeskConnection {
  on<E extends keyof Incoming>(event: E, f: (e: Incoming[E]) => void): void;
  onState(f: (state: 'online' | 'offline', error?: string) => void): void;
  request<E extends AckEvent>(event: E, payload: unknown): Promise<AckResult<E>>;
  typing(sessionId: string, typing: boolean): void;
  close(): void;
}

export function connectDesk(): DeskConnection {
  const socket: Socket<DeskServerToClientEvents, DeskClientToServerEvents> = io('/desk', { transports: ['websocket', 'polling'], withCredentials: true });
  const raw = socket as unknown as Socket;
  let beat: ReturnType<typeof setInterval> | undefined;
  const stateListeners: ((s: 'online' | 'offline', error?: string) => void)[] = [];
  socket.on('connect', () => {
    clearInterval(beat);
    beat = setInterval(() => socket.emit('heartbeat'), HEARTBEAT_MS);
    for (const f of stateListeners) f('online');
  });
  socket.on('disconnect', () => {
    clearInterval(beat);
    for (const f of stateListeners) f('offline');
  });
  socket.on('connect_error', (err: Error & { data?: unknown }) => {
    const e = protocolErrorSchema.safeParse(err.data);
    for (const f of stateListeners) f('offline', e.success ? e.data.code : undefined);
  });
  // The browser knows of a lost network long before a ping times out: drop the socket now, reconnect when it is back.
  addEventListener('offline', () => socket.disconnect());
  addEventListener('online', () => {
    if (!closed) socket.connect();
  });
  let closed = false;
  return {
    on(event, f) {
      (raw as unknown as { on(e: string, f: (p: unknown) => void): void }).on(event, (payload: unknown) => {
        const p = incoming[event].safeParse(payload);
        if (p.success) f(p.data as never);
        else console.warn(`desk: ignored a malformed ${event} event`, p.error.issues[0]);
      });
    },
    onState: (f) => void stateListeners.push(f),
    async request(event, payload) {
      try {
        const res: unknown = await raw.timeout(10_000).emitWithAck(event, payload);
        const r = z.object({ ok: z.boolean(), error: protocolErrorSchema.optional() }).loose().parse(res);
        if (!r.ok) return { ok: false, code: r.error?.code ?? 'INTERNAL', message: r.error?.message ?? '' };
        return { ok: true, data: ackData[event].parse(res) as never };
      } catch {
        return { ok: false, code: 'UNAVAILABLE', message: 'no answer' };
      }
    },
    typing: (sessionId, typing) => void socket.emit('typing', { sessionId, typing }),
    close: () => {
      closed = true;
      clearInterval(beat);
      socket.close();
    },
  };
}
