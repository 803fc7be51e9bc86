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

export type LeaveQueueAck = Ack<{ sessionId: string; replies: BotMessage[] }>;

/** Socket.IO event maps, used as `new Server<ClientToServerEvents, ServerToClientEvents>()` and by the widget's client. */
export interface ClientToServerEvents {
  user_message: (payload: UserMessage, ack: (res: UserMessageAck) => void) => void;
  history: (ack: (res: HistoryAck) => void) => void;
  typing: (payload: Typing) => void;
  /** Stop waiting for an agent and go back to the bot. */
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

/** Body of every REST error (4xx/5xx). */
export const restErrorSchema = z.object({ error: protocolErrorSchema });
export type RestError = z.infer<typeof restErrorSchema>;
