/** From evidence to the result: problems the user does not have damped, overlaps settled, what was silenced ruled out, intents ranked. */
import type { IntentScore } from '../types.js';
import { DAMPING, NOT_HAVING, THRESHOLD } from './constants.js';
import type { MatchScratch } from './scratch.js';
import type { CompiledIntent, IntentTables } from './tables.js';

/** 「怎么防止手机被偷」「手机没丢，就是想问问怎么开查找手机」: no problem to troubleshoot. */
export function dampNotHaving(t: IntentTables, s: MatchScratch, preventing: boolean, explanation: string[], ruledOut: Set<string> | undefined): void {
  const scores = s.scores;
  for (let i = 0; i < t.compiled.length; i++) {
    const c = t.compiled[i]!;
    if (!c.problem || scores[i] === 0) continue;
    if (preventing) explanation.push(`${c.id}: asked how to prevent it or use a setting`);
    else if (s.onlyAsking && s.denied[i] === 1) explanation.push(`${c.id}: denied, then only a question`);
    else continue;
    scores[i] = scores[i]! * NOT_HAVING;
    ruledOut?.add(c.id);
  }
}

/**
 * What the rules silenced (a `not` phrase, another object, an `unless` word) and left below the threshold stays
 * down: no fallback or suggestion lifts it (「携程的客服电话」 is not our hotline, "my smartwatch is stuck on the
 * logo" not a phone that won't start). Read after settling, on the final scores.
 */
export function ruleOutSilenced(t: IntentTables, s: MatchScratch, ruledOut: Set<string> | undefined): void {
  if (!ruledOut) return;
  for (let i = 0; i < t.compiled.length; i++) if (s.silenced[i] === 1 && s.scores[i]! < THRESHOLD) ruledOut.add(t.compiled[i]!.id);
}

/** Whether a firing intent beats the intent at `i`. */
function beatenAt(t: IntentTables, s: MatchScratch, i: number): CompiledIntent | undefined {
  for (const j of t.compiled[i]!.beatenBy) if (s.scores[j]! >= THRESHOLD) return t.compiled[j]!;
  return undefined;
}

/**
 * Overlaps: a firing intent damps those it beats and every intent of a lower kind; a beaten intent
 * outranks nothing (「您好,是的」: the answer beats the greeting, so the greeting does not outrank it).
 */
export function settleOverlaps(t: IntentTables, s: MatchScratch, explanation: string[]): void {
  const { compiled } = t;
  const { scores, damped } = s;
  let topRank = -1;
  for (let i = 0; i < compiled.length; i++) {
    if (scores[i]! >= THRESHOLD && compiled[i]!.rank > topRank && !beatenAt(t, s, i)) topRank = compiled[i]!.rank;
  }
  for (let i = 0; i < compiled.length; i++) {
    const sc = scores[i]!;
    const c = compiled[i]!;
    if (sc === 0) {
      damped[i] = 0;
      continue;
    }
    const beaten = beatenAt(t, s, i);
    const outranked = c.rank < topRank;
    if (beaten) explanation.push(`${c.id}: beaten by ${beaten.id}`);
    else if (outranked) explanation.push(`${c.id}: outranked by a ${topRank > 1 ? 'problem/FAQ' : 'small-talk'} intent`);
    damped[i] = beaten || outranked ? sc * DAMPING : sc;
  }
}

/** The intents with a score, best first. */
export function ranked(t: IntentTables, s: MatchScratch): IntentScore[] {
  const out: IntentScore[] = [];
  for (let i = 0; i < t.compiled.length; i++) {
    const score = round(s.damped[i]!);
    if (score > 0) out.push({ intent: t.compiled[i]!.id, score });
  }
  // A few candidates: sorted in place by insertion (stable, as sort is), without sort's scratch copy.
  for (let k = 1; k < out.length; k++) {
    const x = out[k]!;
    let p = k;
    for (; p > 0 && out[p - 1]!.score < x.score; p--) out[p] = out[p - 1]!;
    out[p] = x;
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
