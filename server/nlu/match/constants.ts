/**
 * The matcher's thresholds and factors, in one module so that every stage reads the same ones;
 * `matchIntent.ts` re-exports those its callers use.
 */

/** Below this the utterance is out of scope. */
export const THRESHOLD = 0.5;
/** A runner-up this close to the best is "too close to call". */
export const MARGIN = 0.15;
/** Factor applied to an intent beaten by another or outranked by its kind. */
export const DAMPING = 0.5;
/** Content units (Han characters, Latin words) above which a message is a story for `longMinWeight`. */
export const LONG_UNITS = 35;
/** Factor for a problem the user asks how to prevent, or denies having and then only asks something. */
export const NOT_HAVING = 0.4;

/** Roles of an indexed string besides being a rule string (bits of `roleOfId`): a word for the phone, or for something else. */
export const PHONE = 1;
export const OTHER = 2;
