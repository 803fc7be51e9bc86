/**
 * The co-occurrence rules of one collect: tried only when every part may be there, each part looked for
 * unnegated in the text, or for a clause rule within one clause of it.
 */
import type { LatinToken } from '../english.js';
import { clauseSpans, isNegatedEn } from '../negation.js';
import type { TextOccurrences } from '../phraseIndex.js';
import type { Evidence } from './evidence.js';
import { unnegatedIn, unnegatedWithin } from './occurrences.js';
import { NO_IDS, NO_TOKENS, type MatchScratch } from './scratch.js';
import { findStems } from './stems.js';
import type { Clause, IntentTables, Part } from './tables.js';

/** Intent i's co-occurrence rules complete[from, to) (those all of whose parts may be there), in rule order. */
export function countTogether(
  t: IntentTables, s: MatchScratch, i: number, from: number, to: number, occ: TextOccurrences, toks: readonly LatinToken[],
  tokIds: readonly number[], only: number, into: Evidence, explanation: string[],
): void {
  const c = t.compiled[i]!;
  for (let n = from; n < to; n++) {
    const rule = c.together[s.complete[n]! - c.together[0]!.index]!;
    // Cheap test on the whole text first; most rules fail there.
    if (!allOccur(s, rule.parts, occ, toks, tokIds, null, rule.saysNot)) {
      // Every part is there but one is negated: 「手机没丢」 denies theft.
      if (s.onlyAsking && only < 0 && allPresent(s, rule.parts)) s.denied[i] = 1;
      continue;
    }
    if (rule.clause && !holdsInAClause(s, rule.parts, occ, toks, tokIds, rule.saysNot)) continue;
    if (s.isLong && rule.weight < c.longMinWeight) {
      explanation.push(rule.longNote);
      continue;
    }
    into.add(i, rule.weight);
    explanation.push(rule.note);
  }
}

/**
 * Whether every part occurs, unnegated, in `occ` (this collect's text or a clause of it). Only the
 * Chinese alternatives in this collect's text (stamped by markParts) are looked for. `saysNot`: the
 * rule itself asks for an English negator, so an English alternative it negates still counts.
 */
function allOccur(
  s: MatchScratch, parts: readonly Part[], occ: TextOccurrences, tokens: readonly LatinToken[], ids: readonly number[], clause: Clause | null, saysNot: boolean,
): boolean {
  for (const part of parts) if (!partOccurs(s, occ, tokens, ids, part, clause, saysNot)) return false;
  return true;
}

/** Whether the part occurs in the text of `occ`, or (`clause` given) within that clause of it, with its tokens. */
function partOccurs(
  s: MatchScratch, occ: TextOccurrences, tokens: readonly LatinToken[], ids: readonly number[], part: Part, clause: Clause | null, saysNot: boolean,
): boolean {
  if (s.present[part.slot] === 1) {
    for (let k = 0; k < part.zh.length; k++) {
      const id = part.zhIds[k]!;
      if (s.inCollect[id] !== s.collectCall) continue;
      if (clause === null ? unnegatedIn(occ, id, part.zh[k]!) : unnegatedWithin(occ, id, part.zh[k]!, clause)) return true;
    }
  }
  for (let k = 0; k < part.en.length; k++) {
    const at = findStems(ids, part.enIds[k]!);
    if (at >= 0 && (saysNot || !isNegatedEn(tokens, at, part.en[k]!))) return true;
  }
  return false;
}

/** Whether every part has a Chinese alternative in the text (negated or not). */
function allPresent(s: MatchScratch, parts: readonly Part[]): boolean {
  for (const part of parts) if (s.present[part.slot] !== 1) return false;
  return true;
}

/** Whether all parts occur within one clause of the collect's text. */
function holdsInAClause(
  s: MatchScratch, parts: readonly Part[], occ: TextOccurrences, toks: readonly LatinToken[], tokIds: readonly number[], saysNot: boolean,
): boolean {
  s.clauses ??= clausesIn(occ.text, toks, tokIds);
  for (const cl of s.clauses) if (allOccur(s, parts, occ, cl.tokens, cl.ids, cl, saysNot)) return true;
  return false;
}

/**
 * The clauses of a collect's text with their Latin tokens, read off the text's own: a clause holds no
 * clause punctuation, which no token or rule string crosses, so what lies wholly within its span is what
 * a scan and a tokenisation of the clause alone would find (its occurrences are read off the text's too).
 */
function clausesIn(text: string, toks: readonly LatinToken[], tokIds: readonly number[]): Clause[] {
  const spans = clauseSpans(text);
  const out: Clause[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    const from = spans[k]!;
    const to = spans[k + 1]!;
    let tokens: readonly LatinToken[] = NO_TOKENS;
    let ids: readonly number[] = NO_IDS;
    for (let j = 0; j < toks.length; j++) {
      if (toks[j]!.start < from || toks[j]!.end > to) continue;
      if (tokens === NO_TOKENS) {
        tokens = [];
        ids = [];
      }
      (tokens as LatinToken[]).push(toks[j]!);
      (ids as number[]).push(tokIds[j]!);
    }
    out.push({ from, to, text: text.slice(from, to), tokens, ids });
  }
  return out;
}
