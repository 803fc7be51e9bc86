/**
 * A conversation's state: plain JSON, saved after every turn and restored
 * before the next, possibly by another process after a restart.
 */
import { z } from 'zod';
import { slotSchema } from './schema.js';

/** Where a dialog stands. One is active; one more may be paused by a digression or topic switch. */
export const frameSchema = z.strictObject({
  dialog: z.string(),
  /** The node waiting for the user's answer. */
  node: z.string(),
  ticketId: z.string().nullable(),
  /** Unrecognised answers in a row at this node. */
  retries: z.number().int().min(0),
  /** Earlier waiting nodes of this dialog, oldest first, for 返回上一步. */
  history: z.array(z.string()),
  /** The user's message that started the dialog: the ticket summary. */
  opening: z.string(),
});
export type Frame = z.infer<typeof frameSchema>;

export const sessionStateSchema = z.strictObject({
  /** Hash of intents + dialogs the state was written against. */
  contentVersion: z.string(),
  lang: z.enum(['zh', 'en']),
  /** Set by `/lang`: the user's writing no longer switches the language. */
  langLocked: z.boolean(),
  /**
   * The user has said something, so the language is settled: later messages
   * switch it only when clearly in the other language (language.ts). Saved
   * sessions from before this field existed count as settled.
   */
  langSettled: z.boolean().default(true),
  slots: z.partialRecord(slotSchema, z.string()),
  frame: frameSchema.nullable(),
  paused: frameSchema.nullable(),
  /** What the last bot message offered outside a dialog node, so a typed 「好的」 can answer it. */
  offer: z.enum(['resume', 'human']).nullable(),
  /** The last ticket of the conversation, for follow-ups and 转人工 after a dialog ended. */
  lastTicketId: z.string().nullable(),
  /** The display name of the agent whose service is being rated (set when an agent closes the chat). */
  servedBy: z.string().nullable().default(null),
  /** Something to tell the user first on the next turn (the content changed under a saved session). */
  notice: z.enum(['content_changed']).nullable(),
  /** Hazards (data/safety.yaml) whose first aid this conversation has been given, so it is not repeated. */
  hazardsTold: z.array(z.string()).optional(),
  /** The days the purchase may have been on, when only a month (or year) was given for purchase_date. */
  purchaseSpan: z.strictObject({ from: z.string(), to: z.string() }).optional(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

/** A fresh conversation. */
export function newSessionState(contentVersion: string, lang: 'zh' | 'en' = 'zh'): SessionState {
  return {
    contentVersion,
    lang,
    langLocked: false,
    langSettled: false,
    slots: {},
    frame: null,
    paused: null,
    offer: null,
    lastTicketId: null,
    servedBy: null,
    notice: null,
  };
}

/** Thrown by restore() when saved JSON is not a session state at all. */
export class InvalidSessionStateError extends Error {
  readonly code = 'INVALID_SESSION_STATE';
  constructor(readonly issues: string[]) {
    super(`invalid session state: ${issues.join('; ')}`);
    this.name = 'InvalidSessionStateError';
  }
}

/**
 * Validates saved JSON. A state written against other content, or standing on
 * a node that no longer exists, keeps the user's slots and language but drops
 * the dialog, and says so on the next turn instead of crashing.
 */
export function restoreSessionState(
  json: unknown,
  contentVersion: string,
  hasNode: (dialog: string, node: string) => boolean,
): SessionState {
  const parsed = sessionStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidSessionStateError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const state = parsed.data;
  const stale = (f: Frame | null) => f !== null && !hasNode(f.dialog, f.node);
  if (state.contentVersion === contentVersion && !stale(state.frame) && !stale(state.paused)) return state;
  const wasTalking = state.frame !== null || state.paused !== null || state.offer !== null;
  return {
    ...state,
    contentVersion,
    frame: null,
    paused: null,
    offer: null,
    notice: wasTalking ? 'content_changed' : null,
  };
}
