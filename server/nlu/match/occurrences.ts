/** Whether an indexed string occurs unnegated in a scanned text, or within one clause of it. */
import { isUnnegatedAt } from '../negation.js';
import type { TextOccurrences } from '../phraseIndex.js';
import type { Clause } from './tables.js';

/** Up to this many occurrences, a string's are found by looking through them all (no lists built). */
const FEW_OCCURRENCES = 32;

/** Whether the indexed string `id` (`phrase`) occurs in the text neither negated nor asked about. */
export function unnegatedIn(occ: TextOccurrences, id: number, phrase: string): boolean {
  // A few occurrences are looked through; for many, the lists by string are built once and read.
  if (occ.ids.length > FEW_OCCURRENCES) {
    for (const p of occ.at(id)) if (isUnnegatedAt(occ.text, p, phrase)) return true;
    return false;
  }
  for (let k = 0; k < occ.ids.length; k++) if (occ.ids[k] === id && isUnnegatedAt(occ.text, occ.starts[k]!, phrase)) return true;
  return false;
}

/**
 * Whether the indexed string `id` (`phrase`) occurs within `clause` of the text of `occ`, neither negated
 * nor asked about in the clause's own text.
 */
export function unnegatedWithin(occ: TextOccurrences, id: number, phrase: string, clause: Clause): boolean {
  for (let k = 0; k < occ.ids.length; k++) {
    if (occ.ids[k] !== id) continue;
    const p = occ.starts[k]!;
    if (p >= clause.from && p + phrase.length <= clause.to && isUnnegatedAt(clause.text, p - clause.from, phrase)) return true;
  }
  return false;
}
