/**
 * A conversation's state: plain JSON, saved after every turn and restored
 * before the next, possibly by another process after a restart.
 */
import { z } from 'zod';
import { slotSchema } from './schema.js';

/**
 * Where a dialog stands. One is active; one more may be paused by a digression or topic switch.
 * Loose, like the state: a key written by a newer release is kept, so that releases can take turns during a rolling deploy.
 */
export const frameSchema = z.looseObject({
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
  /** Later messages that answered a question not yet asked (「对 很烫」 at the storage question): read like the opening. */
  volunteered: z.array(z.string()).default([]),
  /**
   * The ticket has its honest end (resolved, awaiting the service centre,
   * advised, handed to a person): leaving the dialog now orphans nothing.
   */
  settled: z.boolean().optional(),
  /** Times the dialog came back to this question because the answer was not valid (an IMEI, a date): a re-ask. */
  loops: z.number().int().min(0).optional(),
  /** In the human dialog: the problem dialog the user came from (whose hotline fits when nobody can take the chat). */
  about: z.string().optional(),
});
export type Frame = z.infer<typeof frameSchema>;

/** Unknown keys (written by a newer release) are kept as they are and saved again with the state. */
export const sessionStateSchema = z.looseObject({
  /** Hash of intents + dialogs the state was last written against (for the logs; a change alone resets nothing). */
  contentVersion: z.string(),
  /**
   * The version of each dialog the frame and the paused frame stand in, as
   * written. A rolling deploy changes the content under a conversation: only
   * the versions of its own dialogs matter (see restoreSessionState).
   */
  dialogVersions: z.record(z.string(), z.string()).optional(),
  lang: z.enum(['zh', 'en']),
  /** Set by `/lang`: the user's writing no longer switches the language. */
  langLocked: z.boolean(),
  /**
   * The user has said something, so the language is settled: later messages
   * switch it only when clearly in the other language (language.ts). Saved
   * sessions from before this field existed count as settled.
   */
  langSettled: z.boolean().default(true),
  /** Out-of-scope answers in a row (the second is worded differently). */
  misses: z.number().int().min(0).default(0),
  slots: z.partialRecord(slotSchema, z.string()),
  frame: frameSchema.nullable(),
  paused: frameSchema.nullable(),
  /** What the last bot message offered outside a dialog node, so a typed 「好的」 can answer it. */
  offer: z.enum(['resume', 'human', 'first_aid']).nullable(),
  /** The last ticket of the conversation, for follow-ups and 转人工 after a dialog ended. */
  lastTicketId: z.string().nullable(),
  /** The display name of the agent whose service is being rated (set when an agent closes the chat). */
  servedBy: z.string().nullable().default(null),
  /** Something to tell the user first on the next turn (the content changed under a saved session). */
  notice: z.enum(['content_changed']).nullable(),
  /** Tickets marked resolved in this conversation, so the closing line ({resolvedNote}) is not said twice alike. */
  resolvedCount: z.number().int().min(0).optional(),
  /** Hazards (data/safety.yaml) whose first aid this conversation has been given, so it is not repeated. */
  hazardsTold: z.array(z.string()).optional(),
  /** The days the purchase may have been on, when only a month (or year) was given for purchase_date. */
  purchaseSpan: z.object({ from: z.string(), to: z.string() }).optional(),
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
    misses: 0,
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

/** What restore() knows of the content it runs on. */
export interface ContentVersions {
  /** Hash of every intent and dialog file. */
  contentVersion: string;
  /** A dialog's own version (hash of its definition); undefined when the dialog does not exist. */
  dialogVersion(dialog: string): string | undefined;
  hasNode(dialog: string, node: string): boolean;
}

/** The versions of the dialogs `state`'s frames stand in, for saving with it. */
export function stampDialogVersions(state: SessionState, dialogVersion: (dialog: string) => string | undefined): SessionState {
  const versions: Record<string, string> = {};
  for (const f of [state.frame, state.paused]) {
    const v = f ? dialogVersion(f.dialog) : undefined;
    if (f && v) versions[f.dialog] = v;
  }
  return { ...state, dialogVersions: versions };
}

/**
 * Validates saved JSON. Content is versioned per dialog: a frame whose dialog
 * has the version it was written against goes on as it was; one whose dialog
 * changed goes on at its node if that node still exists (its way back pruned
 * to nodes that exist, its retries counted anew). A frame standing on a node
 * that no longer exists keeps the user's slots and language but drops the
 * dialog, and says so on the next turn instead of crashing. So processes on
 * old and new content can take turns at a conversation during a rolling
 * deploy without resetting it.
 */
export function restoreSessionState(json: unknown, content: ContentVersions): SessionState {
  const parsed = sessionStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidSessionStateError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const state = parsed.data;
  const unchanged = (f: Frame) => state.dialogVersions?.[f.dialog] !== undefined && state.dialogVersions[f.dialog] === content.dialogVersion(f.dialog);
  const carry = (f: Frame | null): Frame | null | 'gone' => {
    if (f === null) return null;
    if (!content.hasNode(f.dialog, f.node)) return 'gone';
    if (unchanged(f)) return f;
    return { ...f, retries: 0, history: f.history.filter((n) => content.hasNode(f.dialog, n)) };
  };
  const frame = carry(state.frame);
  const paused = carry(state.paused);
  if (frame !== 'gone' && paused !== 'gone') {
    return stampDialogVersions({ ...state, contentVersion: content.contentVersion, frame, paused }, content.dialogVersion);
  }
  const wasTalking = state.frame !== null || state.paused !== null || state.offer !== null;
  return {
    ...state,
    contentVersion: content.contentVersion,
    dialogVersions: {},
    frame: null,
    paused: null,
    offer: null,
    notice: wasTalking ? 'content_changed' : null,
  };
}
