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

/** Whether a string of `role` (PHONE, OTHER) occurs in the text: one pass over what the walk found. */
export function mentionsOf(t: IntentTables, occ: TextOccurrences, role: number): boolean {
  for (const id of occ.ids) if (((t.roleOfId[id] ?? 0) & role) !== 0) return true;
  return false;
}
