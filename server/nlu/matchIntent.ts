/**
 * Stage 4: intent rules as compiled lookups. Each rule hit adds evidence with
 * its weight (combined as a noisy-or), negated hits are dropped, `not`
 * phrases veto, `beats` and kind rank settle overlaps. Everything that
 * counted is written to the explanation.
 *
 * The entry point: `match/compile.ts` builds the tables once, `match/scratch.ts`
 * the state every call reuses, and `match` runs the stages of `match/` in order.
 */
import type { IntentFile, ObjectsFile } from './content.js';
import type { LatinToken } from './english.js';
import { asksHowToAvoidOrSet } from './negation.js';
import type { IntentScore } from './types.js';
import { collect } from './match/collect.js';
import { compileIntents } from './match/compile.js';
import { PHONE } from './match/constants.js';
import { findExactAnswers } from './match/exact.js';
import { MatchScratch } from './match/scratch.js';
import { dampNotHaving, ranked, ruleOutSilenced, settleOverlaps } from './match/settle.js';
import { dropAboutElsewhere, silenceClauses } from './match/vetoes.js';
import { anyInWhole, mentionsOf, stampWhole } from './match/whole.js';

export { LONG_UNITS, MARGIN, THRESHOLD } from './match/constants.js';

export interface IntentMatcher {
  readonly intents: readonly string[];
  /**
   * Scores, best first; intents the user said they do not have, and those a `not` phrase, another object or an
   * `unless` word silenced below the threshold, go into `ruledOut` (no fallback or suggestion may lift them).
   */
  match(canonical: string, tokens: readonly LatinToken[], explanation: string[], ruledOut?: Set<string>): IntentScore[];
}

/**
 * Compiles the intent files into lookup tables, once. `objects` says what a
 * problem can be about (the phone) and what else users lose or break.
 */
export function buildIntentMatcher(files: readonly IntentFile[], objects: ObjectsFile = { phone: [], other: [] }): IntentMatcher {
  const t = compileIntents(files, objects);
  const s = new MatchScratch(t);
  return {
    intents: t.compiled.map((c) => c.id),
    match(canonical, tokens, explanation, ruledOut) {
      findExactAnswers(t, s, canonical);
      s.denied.fill(0);
      s.silenced.fill(0);
      const whole = s.scanWhole(canonical);
      stampWhole(t, s, whole);
      // 「…，就是想问问…」: the user says they only ask something.
      s.onlyAsking = anyInWhole(s, t.onlyAskingIds);
      collect(t, s, whole, tokens, -1, s.evidence, explanation);
      const phoneNamed = mentionsOf(t, whole, PHONE);
      silenceClauses(t, s, whole, canonical, phoneNamed, explanation);
      if (!phoneNamed) dropAboutElsewhere(t, s, explanation);
      for (let i = 0; i < t.compiled.length; i++) s.scores[i] = s.evidence.score(i);
      dampNotHaving(t, s, asksHowToAvoidOrSet(canonical, tokens, anyInWhole(s, t.preventingIds)), explanation, ruledOut);
      settleOverlaps(t, s, explanation);
      ruleOutSilenced(t, s, ruledOut);
      return ranked(t, s);
    },
  };
}
