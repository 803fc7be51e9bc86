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
});
export type BotMessage = z.infer<typeof botMessageSchema>;

export const MAX_TEXT_LENGTH = 500;
