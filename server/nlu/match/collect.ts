/**
 * One collect: the rule hits of a text (the whole message, or one intent's masked text) into an Evidence,
 * their notes into the explanation. The stages are module functions over the tables and the scratch, not
 * closures made in every `match` (tsx, through esbuild's keepNames, names such a closure with a
 * defineProperty on every call), and small: V8 optimises each soon, and a rare case met late (a veto, a
 * clause rule) deoptimises only its own.
 */
import type { LatinToken } from '../english.js';
import { isNegatedEn } from '../negation.js';
import type { TextOccurrences } from '../phraseIndex.js';
import type { Evidence } from './evidence.js';
import { insertSorted } from './lists.js';
import { countPhrases } from './phrases.js';
import { NO_IDS, type MatchScratch } from './scratch.js';
import { findStems } from './stems.js';
import { allowed, type IntentTables } from './tables.js';
import { countTogether } from './together.js';

/**
 * Rule hits in the text into `into`, for the intent `only` (all when -1), their notes into `explanation`.
 * Exact answers (found before, by `findExactAnswers`) count only in the whole text's collect.
 */
export function collect(
  t: IntentTables, s: MatchScratch, occ: TextOccurrences, toks: readonly LatinToken[], only: number, into: Evidence, explanation: string[],
): void {
  const tokIds = stemIdsOf(t, toks);
  into.reset();
  markParts(t, s, occ, toks, tokIds);
  countPhrases(t, s, occ, only, into, explanation);
  s.clauses = null;
  const compiled = t.compiled;
  const complete = s.complete;
  const from = only >= 0 ? only : 0;
  const to = only >= 0 ? only + 1 : compiled.length;
  /** The next rule of `complete` to try. */
  let next = 0;
  // A few distinct rule numbers: sorted in place by insertion, without sort's comparator calls.
  for (let k = 1; k < complete.length; k++) insertSorted(complete, k, complete[k]!);
  for (let i = from; i < to; i++) {
    const c = compiled[i]!;
    const w = only < 0 ? s.exactHere[i] : undefined;
    if (w !== undefined) {
      into.add(i, w);
      explanation.push(`${c.id}: exact 「${s.key}」 (${w})`);
    }
    if (!allowed(c, s.contentLength)) continue;
    if (toks.length > 0 && s.englishCount[i]! > 0) countEnglish(t, s, i, toks, tokIds, only, into, explanation);
    // Only rules every part of which has an alternative there, Chinese or the first word of an English one.
    while (next < complete.length && t.intentOfRule[complete[next]!]! < i) next++;
    const first = next;
    while (next < complete.length && t.intentOfRule[complete[next]!] === i) next++;
    if (next > first) countTogether(t, s, i, first, next, occ, toks, tokIds, only, into, explanation);
  }
}

/** The stem id of each token (-1: a stem no rule has). */
function stemIdsOf(t: IntentTables, toks: readonly LatinToken[]): number[] {
  if (toks.length === 0) return NO_IDS;
  const out: number[] = [];
  for (const tok of toks) out.push(t.stemIds.get(tok.stem) ?? -1);
  return out;
}

/** Marks a co-occurrence part as maybe there; a rule all of whose parts are goes into `complete`. */
function mark(t: IntentTables, s: MatchScratch, slot: number): void {
  if (s.maybe[slot] === 1) return;
  s.maybe[slot] = 1;
  const rule = t.ruleOfSlot[slot]!;
  if (++s.partsMaybe[rule]! === t.partCount[rule]) s.complete.push(rule);
}

/**
 * Resets the scratch marks and marks the co-occurrence parts that may be there: a Chinese alternative in
 * the text, or an English one whose first stem is a word of it; notes the English phrases whose first
 * stem is there, per intent.
 */
function markParts(t: IntentTables, s: MatchScratch, occ: TextOccurrences, toks: readonly LatinToken[], tokIds: readonly number[]): void {
  const { present, seenStem, englishHere, englishCount, inCollect } = s;
  present.fill(0);
  s.maybe.fill(0);
  s.partsMaybe.fill(0);
  s.complete.length = 0;
  if (toks.length > 0) {
    englishCount.fill(0);
    s.stemCall++;
    for (const id of tokIds) {
      if (id < 0 || seenStem[id] === s.stemCall) continue;
      seenStem[id] = s.stemCall;
      const english = t.englishByStem[id];
      if (english !== undefined) {
        for (let e = 0; e < english.length; e += 2) {
          const i = english[e]!;
          insertSorted(englishHere[i]!, englishCount[i]!++, english[e + 1]!);
        }
      }
      const enSlots = t.enSlotsByStem[id];
      if (enSlots !== undefined) for (const slot of enSlots) mark(t, s, slot);
    }
  }
  const ids = occ.ids;
  s.collectCall++;
  for (let k = 0; k < ids.length; k++) {
    inCollect[ids[k]!] = s.collectCall;
    const ofId = t.slotsOf[ids[k]!];
    if (ofId === undefined) continue;
    for (const slot of ofId) {
      if (present[slot] === 1) continue;
      present[slot] = 1;
      mark(t, s, slot);
    }
  }
}

/** Intent i's English phrases whose first stem is in the text, in rule order. */
function countEnglish(
  t: IntentTables, s: MatchScratch, i: number, toks: readonly LatinToken[], tokIds: readonly number[], only: number, into: Evidence, explanation: string[],
): void {
  const c = t.compiled[i]!;
  const phrases = s.englishHere[i]!;
  for (let n = 0; n < s.englishCount[i]!; n++) {
    const e = c.english[phrases[n]!]!;
    const at = findStems(tokIds, e.ids);
    if (at < 0) continue;
    if (isNegatedEn(toks, at, e.stems)) {
      explanation.push(e.negatedNote);
      if (only < 0) s.denied[i] = 1;
    } else {
      into.add(i, e.weight);
      explanation.push(e.note);
    }
  }
}
