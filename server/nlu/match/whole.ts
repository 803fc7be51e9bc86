/** What the whole message holds, stamped once per call: indexed strings, and intents' `not` and `unless` words. */
import type { TextOccurrences } from '../phraseIndex.js';
import type { MatchScratch } from './scratch.js';
import type { IntentTables } from './tables.js';

/** Stamps which indexed strings the whole text holds, and which intents' `not` and `unless` strings. */
export function stampWhole(t: IntentTables, s: MatchScratch, whole: TextOccurrences): void {
  const wholeCall = ++s.wholeCall;
  for (const id of whole.ids) {
    s.inWhole[id] = wholeCall;
    // Most intents have none of their hundreds of `not` phrases there: their vetoes need no look.
    const vetoing = t.notIntentsOf[id];
    if (vetoing !== undefined) for (const i of vetoing) s.notHere[i] = wholeCall;
    const unless = t.unlessIntentsOf[id];
    if (unless !== undefined) for (const i of unless) s.unlessHere[i] = wholeCall;
  }
}

/** Whether one of the indexed strings `ids` is in the whole text. */
export function anyInWhole(s: MatchScratch, ids: readonly number[]): boolean {
  for (const id of ids) if (s.inWhole[id] === s.wholeCall) return true;
  return false;
}

/**
 * Whether a string of `role` (PHONE, OTHER) occurs in the text as a word of its own: one pass over
 * what the walk found. A Latin string glued to a letter before it is inside another word
 * ("phone" in "microphone", "headphones": no phone named).
 */
export function mentionsOf(t: IntentTables, occ: TextOccurrences, role: number): boolean {
  const { ids, starts, text } = occ;
  for (let k = 0; k < ids.length; k++) if (((t.roleOfId[ids[k]!] ?? 0) & role) !== 0 && !gluedAt(text, starts[k]!)) return true;
  return false;
}

/** Whether the string starting at `start` begins with a Latin letter right after another one. */
export function gluedAt(text: string, start: number): boolean {
  return start > 0 && isLatinLetter(text.charCodeAt(start)) && isLatinLetter(text.charCodeAt(start - 1));
}

const isLatinLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/** Whether `word` occurs in `text` as a word of its own (see gluedAt). */
export function hasWord(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) if (!gluedAt(text, i)) return true;
  return false;
}
