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
  /** The server is starting, shutting down, or a part (e.g. the built widget) is missing. */
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
export type UserMessageAck = Ack<{ sessionId: string; replies: BotMessage[] }>;

/** One transcript entry, as `history` and the REST transcript return it. */
export const transcriptEntrySchema = z.object({
  role: z.enum(['user', 'bot', 'agent', 'system']),
  at: z.string(), // ISO time
  text: z.string(),
  message: botMessageSchema.optional(), // the whole bot message, for role 'bot'
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;
export type HistoryAck = Ack<{ sessionId: string; entries: TranscriptEntry[] }>;

/** Socket.IO event maps, used as `new Server<ClientToServerEvents, ServerToClientEvents>()` and by the widget's client. */
export interface ClientToServerEvents {
  user_message: (payload: UserMessage, ack: (res: UserMessageAck) => void) => void;
  history: (ack: (res: HistoryAck) => void) => void;
}
export interface ServerToClientEvents {
  session: (e: SessionEvent) => void;
  bot_message: (m: BotMessage) => void;
}

/* ---------------------------------------------------------------- REST */

export const restMessageSchema = userMessageSchema.extend({
  sessionId: z.string().optional(),
  /** Language of a new session (ignored when `sessionId` names an existing one). */
  locale: handshakeAuthSchema.shape.locale,
});
export type RestMessage = z.infer<typeof restMessageSchema>;

/** `200` answer of `POST /api/messages`. */
export const restMessageResponseSchema = z.object({ sessionId: z.string(), replies: z.array(botMessageSchema) });
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
