/**
 * The wire protocol, in one place: zod schemas for every payload that crosses
 * a socket or an HTTP body, and the types inferred from them. The widget
 * imports these as types only (`import type`), the server parses every
 * incoming payload with them at runtime.
 */
import { z } from 'zod';

export const STEPS = ['consult', 'accept', 'analyse', 'solve', 'confirm', 'follow_up'] as const;
export const stepSchema = z.enum(STEPS);
export type Step = z.infer<typeof stepSchema>;

export const quickReplySchema = z.object({
  label: z.string().min(1),
  value: z.string().min(1),
});
export type QuickReply = z.infer<typeof quickReplySchema>;

/** Every message the bot says, in the REPL, over REST and over the socket. */
export const botMessageSchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  step: stepSchema.optional(),
  intent: z.string().optional(),
  quickReplies: z.array(quickReplySchema).optional(),
  ticketId: z.string().optional(),
  /** Set on the message that asks for a 1–5 rating, so a client can draw stars. */
  rating: z.boolean().optional(),
  /** The conversation's language when this was said, so a client can draw its own labels in it. */
  lang: z.enum(['zh', 'en']).optional(),
  /** Who said it: the bot (when absent), a human agent, or the service itself (queue and status notices). */
  from: z.enum(['bot', 'agent', 'system']).optional(),
  /** The agent's display name, on messages `from: 'agent'`. */
  agentName: z.string().optional(),
});
export type BotMessage = z.infer<typeof botMessageSchema>;

/**
 * Most characters in a message's `text`, counted as its writer sees them
 * (🇨🇳 and 👍🏽 are one each); see `core/textLength.ts`, which the
 * widget's counter uses too.
 */
export { MAX_TEXT_LENGTH } from './core/textLength.js';

/* ---------------------------------------------------------------- client → server */

/** Socket.IO handshake `auth`. The client never chooses a new id; it may only offer a known one. */
export const handshakeAuthSchema = z.object({
  sessionId: z.string().optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

/** `user_message` payload. `payload` is the value of a picked quick reply (then `text` is its label). */
export const userMessageSchema = z.object({
  text: z.string(),
  payload: z.string().max(100).optional(),
  /** Client-chosen id making retries idempotent: the same id is never processed twice. */
  clientMessageId: z.string().min(1).max(64).optional(),
});
export type UserMessage = z.infer<typeof userMessageSchema>;

/* ---------------------------------------------------------------- server → client */

export const ERROR_CODES = [
  'INVALID_PAYLOAD',
  'EMPTY_TEXT',
  'TEXT_TOO_LONG',
  'RATE_LIMITED',
  'UNKNOWN_SESSION',
  'SESSION_CLOSED',
  'NOT_FOUND',
  'FORBIDDEN_ORIGIN',
  /** The conversation changed while the message was handled (another tab, an agent): send it again. */
  'CONFLICT',
  /* The desk's. */
  /** No agent session (no cookie, an expired or ended one). */
  'UNAUTHORIZED',
  /** Signed in, but this needs the admin role, or the request lacks the desk's CSRF header. */
  'FORBIDDEN',
  /** Wrong login or password (which of the two is not said). */
  'BAD_CREDENTIALS',
  /** Another agent took the conversation first. */
  'ALREADY_CLAIMED',
  /** The conversation is not waiting for an agent (any more). */
  'NOT_QUEUED',
  /** The conversation is not this agent's. */
  'NOT_YOURS',
  /** The agent already serves as many conversations as allowed. */
  'AT_CAPACITY',
  /** The agent to transfer to is unknown, disabled, offline or full. */
  'AGENT_UNAVAILABLE',
  /** The server is starting, shutting down, its storage is failing, or a part (e.g. the built widget) is missing. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const protocolErrorSchema = z.object({ code: errorCodeSchema, message: z.string() });
export type ProtocolError = z.infer<typeof protocolErrorSchema>;

export const sessionEventSchema = z.object({ sessionId: z.string() });
export type SessionEvent = z.infer<typeof sessionEventSchema>;

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ProtocolError };
/**
 * `replies` are the bot's answer. While a person owns the conversation (or
 * it waits for one) the bot stays silent: `replies` is empty and `routedTo`
 * says where the message went; the agent's answer arrives later as
 * `bot_message` events with `from: 'agent'`.
 */
export type UserMessageAck = Ack<{ sessionId: string; replies: BotMessage[]; routedTo?: 'queue' | 'agent' }>;

/** Who wrote a transcript entry. */
export const MESSAGE_ROLES = ['user', 'bot', 'agent', 'system'] as const;
export const messageRoleSchema = z.enum(MESSAGE_ROLES);
export type MessageRole = z.infer<typeof messageRoleSchema>;

/** One transcript entry, as `history` and the REST transcript return it. */
export const transcriptEntrySchema = z.object({
  role: messageRoleSchema,
  at: z.string(), // ISO time
  text: z.string(),
  message: botMessageSchema.optional(), // the whole message, for every role but 'user'
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;
export type HistoryAck = Ack<{ sessionId: string; entries: TranscriptEntry[] }>;

/**
 * Who serves the conversation now, sent on connect and on every change:
 * waiting for an agent (with the place in the queue and a rough wait), or an
 * agent (by name), or the bot.
 */
export const conversationStatusSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('bot') }),
  z.object({
    mode: z.literal('queued'),
    /** 1 when next. */
    position: z.number().int().min(1),
    /** Rough wait in minutes, from the queue and the agents online. */
    etaMinutes: z.number().int().min(0),
  }),
  z.object({ mode: z.literal('agent'), agentName: z.string() }),
]);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

/** `typing` from the widget: the user is (or stopped) typing; shown to the agent. */
export const typingSchema = z.object({ typing: z.boolean() });
export type Typing = z.infer<typeof typingSchema>;
/** `typing` to the widget: the agent is (or stopped) typing. */
export const agentTypingSchema = z.object({ typing: z.boolean(), agentName: z.string() });
export type AgentTyping = z.infer<typeof agentTypingSchema>;

/** The bot's answer to leaving the queue arrives as `bot_message` events (every tab sees it). */
export type LeaveQueueAck = Ack<{ sessionId: string }>;

/** Socket.IO event maps, used as `new Server<ClientToServerEvents, ServerToClientEvents>()` and by the widget's client. */
export interface ClientToServerEvents {
  user_message: (payload: UserMessage, ack: (res: UserMessageAck) => void) => void;
  history: (ack: (res: HistoryAck) => void) => void;
  typing: (payload: Typing) => void;
  /** Stop waiting for an agent and go back to the bot; also ends a conversation an agent serves (the widget's 「新对话」). */
  leave_queue: (ack: (res: LeaveQueueAck) => void) => void;
}
export interface ServerToClientEvents {
  session: (e: SessionEvent) => void;
  /** Every message not given in an ack: the welcome, follow-ups, agents' messages, the service's notices. */
  bot_message: (m: BotMessage) => void;
  status: (s: ConversationStatus) => void;
  typing: (t: AgentTyping) => void;
}

/* ---------------------------------------------------------------- REST */

export const restMessageSchema = userMessageSchema.extend({
  sessionId: z.string().optional(),
  /** Language of a new session (ignored when `sessionId` names an existing one). */
  locale: handshakeAuthSchema.shape.locale,
});
export type RestMessage = z.infer<typeof restMessageSchema>;

/** `200` answer of `POST /api/messages`. */
export const restMessageResponseSchema = z.object({
  sessionId: z.string(),
  replies: z.array(botMessageSchema),
  /** Set when the bot stayed silent: a person owns (or will own) the conversation. */
  routedTo: z.enum(['queue', 'agent']).optional(),
  /** Set when the given session had ended and a new one (`sessionId`) answered instead. */
  replaces: z.string().optional(),
});
export type RestMessageResponse = z.infer<typeof restMessageResponseSchema>;

/** `200` answer of `GET /api/sessions/:id/transcript`. */
export const restTranscriptResponseSchema = z.object({
  sessionId: z.string(),
  status: z.enum(['open', 'closed']),
  entries: z.array(transcriptEntrySchema),
});
export type RestTranscriptResponse = z.infer<typeof restTranscriptResponseSchema>;

/** `200` answer of `POST /api/sessions/:id/leave-queue`: what the user is told (as the socket's `leave_queue` sends it as `bot_message`s). */
export const restLeaveQueueResponseSchema = z.object({
  sessionId: z.string(),
  replies: z.array(botMessageSchema),
});
export type RestLeaveQueueResponse = z.infer<typeof restLeaveQueueResponseSchema>;

/** Body of every REST error (4xx/5xx). */
export const restErrorSchema = z.object({ error: protocolErrorSchema });
export type RestError = z.infer<typeof restErrorSchema>;

/* ---------------------------------------------------------------- the desk (agents) */

export const AGENT_ROLES = ['agent', 'admin'] as const;
export const agentRoleSchema = z.enum(AGENT_ROLES);
export type AgentRole = z.infer<typeof agentRoleSchema>;

/** An agent as the desk shows them. */
export const agentSchema = z.object({ login: z.string(), name: z.string(), role: agentRoleSchema });
export type Agent = z.infer<typeof agentSchema>;

/** `POST /api/desk/login` body. */
export const loginSchema = z.strictObject({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export type Login = z.infer<typeof loginSchema>;
/** Its 200 answer (with the session cookie); `csrf` goes into the `X-Kefu-CSRF` header of every state-changing request. */
export type LoginResponse = { agent: Agent; csrf: string };

/** An agent's own availability: online (takes conversations), away (keeps its own, gets no new ones). */
export const PRESENCE_STATES = ['online', 'away', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/**
 * Why a conversation came to a person: the user asked for one (转人工, or
 * yes to the bot's offer); the bot's steps did not solve the problem; the bot
 * kept failing to place the user's answers; a complaint, which a person must
 * handle. Stored at the start of a hand-over's reason (`why: the user's words`).
 */
export const HANDOVER_WHY = ['asked', 'unsolved', 'stuck', 'complaint'] as const;
export type HandoverWhy = (typeof HANDOVER_WHY)[number];

/** A title in both languages; the desk shows the one of its own language, not the user's. */
export const localTitleSchema = z.object({ zh: z.string(), en: z.string() });
export type LocalTitle = z.infer<typeof localTitleSchema>;

/** What the bot collected, for the agent: the user's phone and IMEI masked. */
export const handoverCardSchema = z.object({
  intent: z.string().nullable(),
  /** The problem's title in both languages, for the desk's own language (「手机开不了机」 / "phone won't turn on"). */
  topic: localTitleSchema.nullable(),
  /** The problem in the user's own words (their first message about it). */
  summary: z.string(),
  /** Why it came to a person (the desk words it); null for hand-overs recorded before the reason was kept. */
  why: z.enum(HANDOVER_WHY).nullable(),
  /** carrier, brand, model, purchase_date, imei, phone… (as the bot knows them; numbers masked). */
  slots: z.record(z.string(), z.string()),
  /** What the bot already asked the user to try, oldest first. */
  tried: z.array(z.string()),
  ticketId: z.string().nullable(),
  lang: z.enum(['zh', 'en']),
  /**
   * The chat's other tickets still open or escalated, oldest first: a problem the user left
   * for this one (「刚才的问题稍后还可以继续」), or one an earlier person did not close.
   */
  alsoOpen: z.array(
    z.object({
      ticketId: z.string(),
      intent: z.string(),
      topic: localTitleSchema.nullable(),
      /** The problem in the user's words. */
      summary: z.string(),
      status: z.enum(['open', 'escalated']),
    }),
  ),
});
export type HandoverCard = z.infer<typeof handoverCardSchema>;

/** One waiting conversation in the queue. */
export const queueItemSchema = z.object({
  sessionId: z.string(),
  ticketId: z.string().optional(),
  intent: z.string().optional(),
  /** The problem's title in both languages (the desk shows its own). */
  topic: localTitleSchema.optional(),
  lang: z.enum(['zh', 'en']),
  /** ISO time it started waiting (kept when it comes back to the queue). */
  waitingSince: z.string(),
  summary: z.string(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const deskNoteSchema = z.object({ id: z.number(), agent: z.string(), text: z.string(), at: z.string() });
export type DeskNote = z.infer<typeof deskNoteSchema>;

/** A conversation as an agent sees it: the whole transcript (bot turns included), the hand-over card, the notes. */
export const deskConversationSchema = z.object({
  sessionId: z.string(),
  mode: z.enum(['bot', 'queued', 'agent']),
  status: z.enum(['open', 'closed']),
  assignee: agentSchema.omit({ role: true }).nullable(),
  waitingSince: z.string().nullable(),
  card: handoverCardSchema,
  transcript: z.array(transcriptEntrySchema),
  notes: z.array(deskNoteSchema),
});
export type DeskConversation = z.infer<typeof deskConversationSchema>;

/** An agent and their load, for transfers and the supervisor's view. */
export const agentStatusSchema = z.object({
  login: z.string(),
  name: z.string(),
  presence: z.enum(PRESENCE_STATES),
  load: z.number().int().min(0),
  capacity: z.number().int().min(1),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/**
 * The outage watch as every desk sees it: the notices in force (what the bot
 * tells affected users first) and the spikes detected, on connect and on
 * every change.
 */
export const deskOutageSchema = z.object({
  notices: z.array(
    z.object({ id: z.string(), intent: z.string(), carrier: z.string().nullable(), province: z.string().nullable(), endsAt: z.string(), text: z.object({ zh: z.string(), en: z.string() }) }),
  ),
  alerts: z.array(
    z.object({ key: z.string(), intent: z.string(), carrier: z.string().nullable(), province: z.string().nullable(), current: z.number(), expected: z.number(), since: z.string() }),
  ),
});
export type DeskOutage = z.infer<typeof deskOutageSchema>;

/** A canned reply, its placeholders already filled from the conversation's slots. */
export const cannedReplySchema = z.object({ id: z.string(), title: z.string(), text: z.string() });
export type CannedReply = z.infer<typeof cannedReplySchema>;

const sessionRef = z.strictObject({ sessionId: z.string().min(8).max(128) });
export const claimSchema = sessionRef;
export const deskSendSchema = sessionRef.extend({ text: z.string(), clientMessageId: z.string().min(1).max(64).optional() });
export const deskNoteInputSchema = sessionRef.extend({ text: z.string() });
export const deskTypingSchema = sessionRef.extend({ typing: z.boolean() });
export const transferSchema = sessionRef.extend({ to: z.string().min(1).max(64), note: z.string().max(500).optional() });
export const closeSchema = sessionRef.extend({ resolution: z.enum(['resolved', 'unresolved']), note: z.string().max(500).optional() });
export const presenceSchema = z.strictObject({ presence: z.enum(['online', 'away']) });
export const callbackDoneSchema = z.strictObject({ id: z.number().int().positive(), status: z.enum(['done', 'failed', 'cancelled']), note: z.string().max(500).default('') });

/** `POST /api/desk/callbacks/:id/call`: the number in full, for the agent about to call it (`GET /api/desk/callbacks` masks it). */
export type CallbackNumber = { id: number; phone: string };

export type DeskAck<T = Record<never, never>> = Ack<T>;

/** What an agent's desk sends; each answered through its ack. Parsed at runtime like the widget's. */
export interface DeskClientToServerEvents {
  claim: (p: z.infer<typeof claimSchema>, ack: (r: DeskAck<{ conversation: DeskConversation }>) => void) => void;
  /** Opens any conversation read-only (a ticket's, a colleague's); audited as "viewed". */
  open: (p: z.infer<typeof sessionRef>, ack: (r: DeskAck<{ conversation: DeskConversation }>) => void) => void;
  send: (p: z.infer<typeof deskSendSchema>, ack: (r: DeskAck<{ message: BotMessage }>) => void) => void;
  note: (p: z.infer<typeof deskNoteInputSchema>, ack: (r: DeskAck<{ note: DeskNote }>) => void) => void;
  typing: (p: z.infer<typeof deskTypingSchema>) => void;
  transfer: (p: z.infer<typeof transferSchema>, ack: (r: DeskAck) => void) => void;
  /** Back to the bot, without closing (the user continues with the assistant). */
  hand_back: (p: z.infer<typeof sessionRef>, ack: (r: DeskAck) => void) => void;
  close: (p: z.infer<typeof closeSchema>, ack: (r: DeskAck) => void) => void;
  canned: (p: z.infer<typeof sessionRef>, ack: (r: DeskAck<{ replies: CannedReply[] }>) => void) => void;
  presence: (p: z.infer<typeof presenceSchema>, ack: (r: DeskAck) => void) => void;
  /** Every 15 s while the desk is open; an agent not heard from for 45 s is offline. */
  heartbeat: () => void;
}

/** What the server pushes to agents. */
export interface DeskServerToClientEvents {
  /** On connect: who is signed in. */
  me: (e: { agent: Agent; presence: PresenceState; capacity: number }) => void;
  /** On connect and on every change: the waiting conversations, longest waiting first, and the call-backs due. */
  queue: (e: { waiting: QueueItem[]; callbacksPending: number }) => void;
  /** On connect and on every change: the conversations this agent serves. */
  mine: (e: { conversations: QueueItem[] }) => void;
  /** A conversation was given to this agent (auto-assignment, a transfer). */
  assigned: (e: { conversation: DeskConversation; by: 'auto' | 'transfer'; from?: string; note?: string }) => void;
  /** A conversation is no longer this agent's (it went back to the queue, was transferred, the user left). */
  released: (e: { sessionId: string; why: 'away' | 'transferred' | 'closed' | 'handed_back' | 'user_left' }) => void;
  /** The user wrote in a conversation this agent owns. */
  user_message: (e: { sessionId: string; text: string; at: string }) => void;
  typing: (e: { sessionId: string; typing: boolean }) => void;
  /** Every agent's presence and load. */
  agents: (e: { agents: AgentStatus[] }) => void;
  /** On connect and on every change: the outage notices in force and the alerts. */
  outage: (e: DeskOutage) => void;
}
