/** Whole-utterance answers: the key, its collapsed form, or a composition of one intent's exact answers. */
import { unitAt } from '../codeUnits.js';
import { collapsedLength, collapseRepeats, composedExact, contentUnits, exactKey, HAN_ONLY, withoutParticles } from '../shortAnswers.js';
import { LONG_UNITS } from './constants.js';
import type { MatchScratch } from './scratch.js';
import type { IntentTables } from './tables.js';

const NO_EXACT: readonly [number, number][] = [];

/**
 * The exact answers the key, its collapsed form or a composition of one intent's answers give: into
 * `s.exactHere`. Also sets this call's key and length.
 */
export function findExactAnswers(t: IntentTables, s: MatchScratch, canonical: string): void {
  const { exactByKey, longestExact } = t;
  const exactHere = s.exactHere;
  const key = (s.key = exactKey(canonical));
  s.contentLength = contentUnits(key);
  s.isLong = s.contentLength > LONG_UNITS;
  // The same as asking every intent's map for the key, then the collapsed key, then a composition.
  exactHere.fill(undefined);
  // A key longer than every exact answer's is none of them: no lookup (which would hash the whole key).
  if (key.length <= longestExact) for (const [i, w] of exactByKey.get(key) ?? NO_EXACT) exactHere[i] = w;
  // 「对对对」「没有没有」 say it once, louder. Collapsed too long to look up or compose, it is not made.
  const collapsed = collapsedLength(key);
  if (collapsed > longestExact && collapsed > 8) return;
  const collapsedKey = collapsed === key.length ? key : collapseRepeats(key);
  if (collapsedKey !== key && collapsedKey.length <= longestExact) for (const [i, w] of exactByKey.get(collapsedKey) ?? NO_EXACT) exactHere[i] ??= w;
  // Only a short, all-Han answer can be strung together from exact answers.
  if (collapsedKey.length >= 2 && collapsedKey.length <= 8 && HAN_ONLY.test(collapsedKey)) composeExact(t, s, collapsedKey);
}

function composeExact(t: IntentTables, s: MatchScratch, collapsedKey: string): void {
  // Exact answers are stored without particles; between parts they are filler too (「对呀对呀」).
  const composableKey = withoutParticles(collapsedKey);
  // A composition's first part is an exact answer of one to three characters (see composedExact).
  if (composableKey.length === 0 || !t.composableFirst.has(unitAt(composableKey, 0))) return;
  const composers = s.composers;
  composers.length = 0;
  s.composeCall++;
  for (let n = 1; n <= 3 && n <= composableKey.length; n++) {
    for (const [i] of t.exactByKey.get(composableKey.slice(0, n)) ?? NO_EXACT) {
      if (s.composerStamp[i] === s.composeCall) continue;
      s.composerStamp[i] = s.composeCall;
      composers.push(i);
    }
  }
  for (const i of composers) s.exactHere[i] ??= composedExact(t.compiled[i]!.exact, composableKey);
}
