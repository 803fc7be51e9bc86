/**
 * Stage 4: intent rules as compiled lookups. Each rule hit adds evidence with
 * its weight (combined as a noisy-or), negated hits are dropped, `not`
 * phrases veto, `beats` and kind rank settle overlaps. Everything that
 * counted is written to the explanation.
 */
import type { IntentFile, ObjectsFile } from './content.js';
import { latinTokens, type LatinToken } from './english.js';
import {
  asksHowToAvoidOrSet,
  isNegatedEn,
  isNegatedZh,
  isUnnegatedAt,
  maskClauses,
  clauseSpans,
} from './negation.js';
import type { TextOccurrences } from './phraseIndex.js';
import type { IntentScore } from './types.js';
import { unitAt } from './codeUnits.js';
import { collapsedLength, collapseRepeats, composedExact, contentUnits, exactKey, HAN_ONLY, PARTICLES_ANYWHERE } from './shortAnswers.js';
import { DAMPING, LONG_UNITS, NOT_HAVING, OTHER, PHONE, THRESHOLD } from './match/constants.js';
import { Evidence } from './match/evidence.js';
import { insertSorted } from './match/lists.js';
import { findStems } from './match/stems.js';
import { compileIntents } from './match/compile.js';
import { allowed, type Clause, type CompiledIntent, type Part, type PhraseRule } from './match/tables.js';

export { LONG_UNITS, MARGIN, THRESHOLD } from './match/constants.js';

export interface IntentMatcher {
  readonly intents: readonly string[];
  /** Scores, best first; intents the user said they do not have go into `ruledOut` (no fallback may lift them). */
  match(canonical: string, tokens: readonly LatinToken[], explanation: string[], ruledOut?: Set<string>): IntentScore[];
}

/** Whether a code unit is a Latin letter or digit as compile.ts's LATIN_CHAR has it (a–z, 0–9). */
function isLatinChar(unit: number): boolean {
  return (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39);
}

/** A `not` phrase that says the problem is absent or over, not merely elsewhere. */
const DENIAL = /[不没未无]|了$/u;

/**
 * Compiles the intent files into lookup tables, once. `objects` says what a
 * problem can be about (the phone) and what else users lose or break.
 */
export function buildIntentMatcher(files: readonly IntentFile[], objects: ObjectsFile = { phone: [], other: [] }): IntentMatcher {
  const t = compileIntents(files, objects);
  const {
    compiled, index, phoneWords, otherIds, preventingIds, onlyAskingIds, roleOfId, rulesById, slots, togetherRules,
    ruleOfSlot, slotsOf, stemIds, enSlotsByStem, englishByStem, exactByKey, longestExact, composableFirst, partCount,
    intentOfRule, notIntentsOf, unlessIntentsOf,
  } = t;
  /** The walk over a call's whole text, and over a text with clauses blanked out (read before the next). */
  const scanWhole = index.scanner();
  const scanMasked = index.scanner();
  /** Whether a string of `role` occurs in the text: one pass over what the walk found. */
  const mentionsOf = (occ: TextOccurrences, role: number): boolean => {
    for (const id of occ.ids) if (((roleOfId[id] ?? 0) & role) !== 0) return true;
    return false;
  };
  /** This call's exact-answer weight per intent (undefined: none). */
  const exactHere: (number | undefined)[] = compiled.map(() => undefined);
  /**
   * Intents that have an exact answer the key starts with: only those can string the key together from
   * their answers (composerStamp[i] === composeCall: intent i is one of this call's).
   */
  const composers: number[] = [];
  // The matcher's stamps (here and below) are call counts kept as doubles, which count exactly far beyond
  // any process's calls: a 32-bit stamp would come round after four billion and mark what it did not see.
  const composerStamp = new Float64Array(compiled.length);
  let composeCall = 0;
  /** seenStem[id] === stemCall: the stem has been seen among this collect's tokens. */
  const seenStem = new Float64Array(stemIds.size);
  let stemCall = 0;
  // Scratch space reused by every call (a call never runs inside another). The lists are filled from 0 and
  // read up to a count, not emptied by setting their length (a call to a builtin each time).
  const present = new Uint8Array(slots);
  const negatedFrom: number[] = [];
  const negatedTo: number[] = [];
  let negatedCount = 0;
  const hitAt: number[] = [];
  const hitRule: PhraseRule[] = [];
  let hitCount = 0;
  /** counted[rule.order] === countedCall: the phrase rule has counted in this collect. */
  const counted = new Float64Array(t.phraseRuleCount);
  let countedCall = 0;
  const insideNegated = (from: number, to: number): boolean => {
    for (let k = 0; k < negatedCount; k++) if (negatedFrom[k]! <= from && to <= negatedTo[k]!) return true;
    return false;
  };
  /**
   * maybe[slot]: the part has a Chinese alternative in the text or an English one whose first stem is a word
   * of it; per co-occurrence rule, how many of its parts may be there (all of them, or the rule cannot hold),
   * and per intent whether any part of its co-occurrences may be there.
   */
  const maybe = new Uint8Array(slots);
  const partsMaybe = new Uint16Array(togetherRules);
  /** The co-occurrence rules all of whose parts may be there (by index; sorted, they are in intent and rule order). */
  const complete: number[] = [];
  const mark = (slot: number): void => {
    if (maybe[slot] === 1) return;
    maybe[slot] = 1;
    const rule = ruleOfSlot[slot]!;
    if (++partsMaybe[rule]! === partCount[rule]) complete.push(rule);
  };
  /** The rules starting at one offset of the text, in rule order: here[0, hereCount). */
  const here: PhraseRule[] = [];
  let hereCount = 0;
  /** The evidence of the whole text, and of one intent's text with its vetoed clauses blanked out. */
  const evidence = new Evidence(compiled.length);
  const masked = new Evidence(compiled.length);
  /** Intents with a negated hit or a `not` phrase (「手机没丢」): the user said it is not that. */
  const denied = new Uint8Array(compiled.length);
  const scores = new Float64Array(compiled.length);
  const damped = new Float64Array(compiled.length);
  /** English phrases whose first stem is in the message, per intent, in rule order. */
  const englishHere: number[][] = compiled.map(() => []);
  /** How many of each intent's englishHere list are this collect's. */
  const englishCount = new Uint16Array(compiled.length);
  /** inWhole[id] === wholeCall: indexed string `id` occurs in this call's whole text. */
  const inWhole = new Float64Array(index.size);
  /** inCollect[id] === collectCall: indexed string `id` occurs in the text of this collect (the whole or a masked one). */
  const inCollect = new Float64Array(index.size);
  let collectCall = 0;
  let wholeCall = 0;
  /** notHere[i] === wholeCall: one of intent i's `not` phrases is in the whole text; unlessHere the same for `unless`. */
  const notHere = new Float64Array(compiled.length);
  const unlessHere = new Float64Array(compiled.length);

  /** The stem id of each token (-1: a stem no rule has). */
  const stemIdsOf = (toks: readonly LatinToken[]): number[] => {
    if (toks.length === 0) return NO_IDS;
    const out: number[] = [];
    for (const t of toks) out.push(stemIds.get(t.stem) ?? -1);
    return out;
  };

  /** What `match` learnt of this call's text before collecting its rule hits. */
  let key = '';
  let contentLength = 0;
  let isLong = false;
  let onlyAsking = false;

  /**
   * The clauses of a collect's text with their Latin tokens, read off the text's own: a clause holds no
   * clause punctuation, which no token or rule string crosses, so what lies wholly within its span is what
   * a scan and a tokenisation of the clause alone would find (its occurrences are read off the text's too).
   */
  const clausesIn = (text: string, toks: readonly LatinToken[], tokIds: readonly number[]): Clause[] => {
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
  };

  /**
   * Rule hits in the text into `into`, for the intent `only` (all when -1), their notes into `explanation`.
   * The stages are functions of the matcher, not closures made in every `match` (tsx, through esbuild's
   * keepNames, names such a closure with a defineProperty on every call), and small: V8 optimises each
   * soon, and a rare case met late (a veto, a clause rule) deoptimises only its own.
   */
  function collect(occ: TextOccurrences, toks: readonly LatinToken[], only: number, into: Evidence, explanation: string[]): void {
    const tokIds = stemIdsOf(toks);
    into.reset();
    markParts(occ, toks, tokIds);
    countPhrases(occ, only, into, explanation);
    clauses = null;
    const from = only >= 0 ? only : 0;
    const to = only >= 0 ? only + 1 : compiled.length;
    /** The next rule of `complete` to try. */
    let next = 0;
    // A few distinct rule numbers: sorted in place by insertion, without sort's comparator calls.
    for (let k = 1; k < complete.length; k++) insertSorted(complete, k, complete[k]!);
    for (let i = from; i < to; i++) {
      const c = compiled[i]!;
      const w = only < 0 ? exactHere[i] : undefined;
      if (w !== undefined) {
        into.add(i, w);
        explanation.push(`${c.id}: exact 「${key}」 (${w})`);
      }
      if (!allowed(c, contentLength)) continue;
      if (toks.length > 0 && englishCount[i]! > 0) countEnglish(i, toks, tokIds, only, into, explanation);
      // Only rules every part of which has an alternative there, Chinese or the first word of an English one.
      while (next < complete.length && intentOfRule[complete[next]!]! < i) next++;
      const first = next;
      while (next < complete.length && intentOfRule[complete[next]!] === i) next++;
      if (next > first) countTogether(i, first, next, occ, toks, tokIds, only, into, explanation);
    }
  }

  /**
   * Resets the scratch marks and marks the co-occurrence parts that may be there: a Chinese alternative in
   * the text, or an English one whose first stem is a word of it; notes the English phrases whose first
   * stem is there, per intent.
   */
  function markParts(occ: TextOccurrences, toks: readonly LatinToken[], tokIds: readonly number[]): void {
    present.fill(0);
    maybe.fill(0);
    partsMaybe.fill(0);
    complete.length = 0;
    if (toks.length > 0) {
      englishCount.fill(0);
      stemCall++;
      for (const id of tokIds) {
        if (id < 0 || seenStem[id] === stemCall) continue;
        seenStem[id] = stemCall;
        const english = englishByStem[id];
        if (english !== undefined) {
          for (let e = 0; e < english.length; e += 2) {
            const i = english[e]!;
            insertSorted(englishHere[i]!, englishCount[i]!++, english[e + 1]!);
          }
        }
        const enSlots = enSlotsByStem[id];
        if (enSlots !== undefined) for (const slot of enSlots) mark(slot);
      }
    }
    const ids = occ.ids;
    collectCall++;
    for (let k = 0; k < ids.length; k++) {
      inCollect[ids[k]!] = collectCall;
      const ofId = slotsOf[ids[k]!];
      if (ofId === undefined) continue;
      for (const slot of ofId) {
        if (present[slot] === 1) continue;
        present[slot] = 1;
        mark(slot);
      }
    }
  }

  /**
   * The phrase rules: each hit, in text order and at one offset in rule order, counts once unless negated
   * or inside a negated phrase (「不要转人工」 also silences 「人工」).
   */
  function countPhrases(occ: TextOccurrences, only: number, into: Evidence, explanation: string[]): void {
    const { text, starts, ids } = occ;
    negatedCount = 0;
    hitCount = 0;
    for (let k = 0; k < starts.length; ) {
      // All rules whose phrase starts at p, in rule order (as the rules were written).
      const p = starts[k]!;
      hereCount = 0;
      for (; k < starts.length && starts[k] === p; k++) {
        const rules = rulesById[ids[k]!];
        if (rules !== undefined) for (const h of rules) insertByOrder(here, hereCount++, h);
      }
      for (let r = 0; r < hereCount; r++) {
        const h = here[r]!;
        if ((only >= 0 && only !== h.intent) || !allowed(compiled[h.intent]!, contentLength) || (h.anchored && p !== 0)) continue;
        // A Latin phrase is a whole word: 「thx」 is not inside 「thxx」, 「app」 not inside 「apple」.
        if (h.latinStart && p > 0 && isLatinChar(unitAt(text, p - 1))) continue;
        if (h.latinEnd && p + h.phrase.length < text.length && isLatinChar(unitAt(text, p + h.phrase.length))) continue;
        if (isNegatedZh(text, p, h.phrase)) {
          if (only < 0) denied[h.intent] = 1;
          negatedFrom[negatedCount] = p;
          negatedTo[negatedCount++] = p + h.phrase.length;
          explanation.push(h.negatedNote);
        } else {
          hitAt[hitCount] = p;
          hitRule[hitCount++] = h;
        }
      }
    }
    // Each phrase counts once: 「流量」 three times in a question about a plan is still one weak hint.
    countedCall++;
    for (let k = 0; k < hitCount; k++) {
      const p = hitAt[k]!;
      const h = hitRule[k]!;
      if (counted[h.order] === countedCall || insideNegated(p, p + h.phrase.length)) continue;
      counted[h.order] = countedCall;
      if (isLong && h.weight < compiled[h.intent]!.longMinWeight) {
        explanation.push(h.longNote);
        continue;
      }
      into.add(h.intent, h.weight);
      explanation.push(h.note);
    }
  }

  /** Intent i's English phrases whose first stem is in the text, in rule order. */
  function countEnglish(i: number, toks: readonly LatinToken[], tokIds: readonly number[], only: number, into: Evidence, explanation: string[]): void {
    const c = compiled[i]!;
    const phrases = englishHere[i]!;
    for (let n = 0; n < englishCount[i]!; n++) {
      const e = c.english[phrases[n]!]!;
      const at = findStems(tokIds, e.ids);
      if (at < 0) continue;
      if (isNegatedEn(toks, at, e.stems)) {
        explanation.push(e.negatedNote);
        if (only < 0) denied[i] = 1;
      } else {
        into.add(i, e.weight);
        explanation.push(e.note);
      }
    }
  }

  /** Intent i's co-occurrence rules complete[from, to) (those all of whose parts may be there), in rule order. */
  function countTogether(
    i: number, from: number, to: number, occ: TextOccurrences, toks: readonly LatinToken[], tokIds: readonly number[],
    only: number, into: Evidence, explanation: string[],
  ): void {
    const c = compiled[i]!;
    for (let n = from; n < to; n++) {
      const t = c.together[complete[n]! - c.together[0]!.index]!;
      // Cheap test on the whole text first; most rules fail there.
      if (!allOccur(t.parts, occ, toks, tokIds, null, t.saysNot)) {
        // Every part is there but one is negated: 「手机没丢」 denies theft.
        if (onlyAsking && only < 0 && allPresent(t.parts)) denied[i] = 1;
        continue;
      }
      if (t.clause && !holdsInAClause(t.parts, occ, toks, tokIds, t.saysNot)) continue;
      if (isLong && t.weight < c.longMinWeight) {
        explanation.push(t.longNote);
        continue;
      }
      into.add(i, t.weight);
      explanation.push(t.note);
    }
  }

  /**
   * Whether every part occurs, unnegated, in `occ` (this collect's text or a clause of it). Only the
   * Chinese alternatives in this collect's text (stamped by markParts) are looked for. `saysNot`: the
   * rule itself asks for an English negator, so an English alternative it negates still counts.
   */
  function allOccur(parts: readonly Part[], occ: TextOccurrences, tokens: readonly LatinToken[], ids: readonly number[], clause: Clause | null, saysNot: boolean): boolean {
    for (const part of parts) if (!partOccurs(occ, tokens, ids, part, clause, saysNot)) return false;
    return true;
  }

  /** Whether the part occurs in the text of `occ`, or (`clause` given) within that clause of it, with its tokens. */
  function partOccurs(occ: TextOccurrences, tokens: readonly LatinToken[], ids: readonly number[], part: Part, clause: Clause | null, saysNot: boolean): boolean {
    if (present[part.slot] === 1) {
      for (let k = 0; k < part.zh.length; k++) {
        const id = part.zhIds[k]!;
        if (inCollect[id] !== collectCall) continue;
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
  function allPresent(parts: readonly Part[]): boolean {
    for (const part of parts) if (present[part.slot] !== 1) return false;
    return true;
  }

  /** The clauses of this collect's text, split when a rule first asks for them. */
  let clauses: Clause[] | null = null;

  /** Whether all parts occur within one clause of the collect's text. */
  function holdsInAClause(parts: readonly Part[], occ: TextOccurrences, toks: readonly LatinToken[], tokIds: readonly number[], saysNot: boolean): boolean {
    clauses ??= clausesIn(occ.text, toks, tokIds);
    for (const cl of clauses) if (allOccur(parts, occ, cl.tokens, cl.ids, cl, saysNot)) return true;
    return false;
  }

  /**
   * The exact answers the key, its collapsed form or a composition of one intent's answers give: into
   * exactHere. Also sets this call's key and length.
   */
  function findExactAnswers(canonical: string): void {
    key = exactKey(canonical);
    contentLength = contentUnits(key);
    isLong = contentLength > LONG_UNITS;
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
    if (collapsedKey.length >= 2 && collapsedKey.length <= 8 && HAN_ONLY.test(collapsedKey)) composeExact(collapsedKey);
  }

  function composeExact(collapsedKey: string): void {
    // Exact answers are stored without particles; between parts they are filler too (「对呀对呀」).
    const composableKey = collapsedKey.replace(PARTICLES_ANYWHERE, '');
    // A composition's first part is an exact answer of one to three characters (see composedExact).
    if (composableKey.length === 0 || !composableFirst.has(unitAt(composableKey, 0))) return;
    composers.length = 0;
    composeCall++;
    for (let n = 1; n <= 3 && n <= composableKey.length; n++) {
      for (const [i] of exactByKey.get(composableKey.slice(0, n)) ?? NO_EXACT) {
        if (composerStamp[i] === composeCall) continue;
        composerStamp[i] = composeCall;
        composers.push(i);
      }
    }
    for (const i of composers) exactHere[i] ??= composedExact(compiled[i]!.exact, composableKey);
  }

  /** Stamps which indexed strings the whole text holds, and which intents' `not` and `unless` strings. */
  function stampWhole(whole: TextOccurrences): void {
    wholeCall++;
    for (const id of whole.ids) {
      inWhole[id] = wholeCall;
      // Most intents have none of their hundreds of `not` phrases there: their vetoes need no look.
      const vetoing = notIntentsOf[id];
      if (vetoing !== undefined) for (const i of vetoing) notHere[i] = wholeCall;
      const unless = unlessIntentsOf[id];
      if (unless !== undefined) for (const i of unless) unlessHere[i] = wholeCall;
    }
  }

  /** Whether one of the indexed strings `ids` is in the whole text. */
  function anyInWhole(ids: readonly number[]): boolean {
    for (const id of ids) if (inWhole[id] === wholeCall) return true;
    return false;
  }

  /**
   * A `not` phrase (「信号没问题」) silences its own clause only: 「信号满格但是网速很慢」 still counts.
   * Something other than the phone (「钱包被偷了」「电脑开不了机」) raises no problem in its clause,
   * unless the clause names the phone too (「钱包和手机都被偷了」).
   */
  function silenceClauses(whole: TextOccurrences, canonical: string, explanation: string[]): void {
    const others = mentionsOf(whole, OTHER) ? otherIds.filter(({ id }) => inWhole[id] === wholeCall).map(({ o }) => o) : null;
    for (let i = 0; i < compiled.length; i++) {
      if (evidence.count[i] === 0) continue;
      const c = compiled[i]!;
      const vetoes = notHere[i] === wholeCall ? vetoesIn(whole, c) : null;
      const elsewhere = c.problem ? others : null;
      if (vetoes !== null || elsewhere !== null) recollectMasked(i, canonical, vetoes ?? [], elsewhere ?? [], others ?? [], explanation);
    }
  }

  /** Intent c's `not` phrases said (not negated or asked) in the whole text; null when none. */
  function vetoesIn(whole: TextOccurrences, c: CompiledIntent): string[] | null {
    let vetoes: string[] | null = null;
    for (const n of c.not) if (inWhole[n.id] === wholeCall && unnegatedIn(whole, n.id, n.phrase)) (vetoes ??= []).push(n.phrase);
    return vetoes;
  }

  /** Intent i's evidence again, from the text with the clauses of its vetoes and of other objects blanked out. */
  function recollectMasked(
    i: number, canonical: string, vetoes: readonly string[], elsewhere: readonly string[], others: readonly string[], explanation: string[],
  ): void {
    const c = compiled[i]!;
    // 「手机没丢」「不卡了」「手机找到了」 deny the problem; 「手机里」「上网」 only point elsewhere.
    if (vetoes.some((v) => DENIAL.test(v))) denied[i] = 1;
    const vetoed = vetoes.length > 0 ? maskClauses(canonical, vetoes) : canonical;
    const rest = elsewhere.length > 0 ? maskClauses(vetoed, elsewhere, (clause) => namesPhone(clause, others, phoneWords)) : vetoed;
    if (rest === canonical) return;
    if (vetoed !== canonical) explanation.push(`${c.id}: vetoed in its clause by ${vetoes.map((v) => `「${v}」`).join('')}`);
    if (rest !== vetoed) explanation.push(`${c.id}: about ${elsewhere.map((o) => `「${o}」`).join('')}, not the phone`);
    collect(scanMasked(rest), latinTokens(rest), i, masked, explanation);
    evidence.copy(masked, i);
  }

  /** 「光纤入户，每晚网速骤慢」: about home broadband, not the phone, when no phone word is there. */
  function dropAboutElsewhere(explanation: string[]): void {
    for (let i = 0; i < compiled.length; i++) {
      const c = compiled[i]!;
      if (evidence.count[i] === 0 || unlessHere[i] !== wholeCall) continue;
      const about = c.unless.find((u) => inWhole[u.id] === wholeCall);
      if (!about) continue;
      explanation.push(`${c.id}: about 「${about.phrase}」, not the phone`);
      evidence.clear(i);
    }
  }

  /** 「怎么防止手机被偷」「手机没丢，就是想问问怎么开查找手机」: no problem to troubleshoot. */
  function dampNotHaving(preventing: boolean, explanation: string[], ruledOut: Set<string> | undefined): void {
    for (let i = 0; i < compiled.length; i++) {
      const c = compiled[i]!;
      if (!c.problem || scores[i] === 0) continue;
      if (preventing) explanation.push(`${c.id}: asked how to prevent it or use a setting`);
      else if (onlyAsking && denied[i] === 1) explanation.push(`${c.id}: denied, then only a question`);
      else continue;
      scores[i] = scores[i]! * NOT_HAVING;
      ruledOut?.add(c.id);
    }
  }

  /** Whether a firing intent beats the intent at `i`. */
  function beatenAt(i: number): CompiledIntent | undefined {
    for (const j of compiled[i]!.beatenBy) if (scores[j]! >= THRESHOLD) return compiled[j]!;
    return undefined;
  }

  /**
   * Overlaps: a firing intent damps those it beats and every intent of a lower kind; a beaten intent
   * outranks nothing (「您好,是的」: the answer beats the greeting, so the greeting does not outrank it).
   */
  function settleOverlaps(explanation: string[]): void {
    let topRank = -1;
    for (let i = 0; i < compiled.length; i++) {
      if (scores[i]! >= THRESHOLD && compiled[i]!.rank > topRank && !beatenAt(i)) topRank = compiled[i]!.rank;
    }
    for (let i = 0; i < compiled.length; i++) {
      const s = scores[i]!;
      const c = compiled[i]!;
      if (s === 0) {
        damped[i] = 0;
        continue;
      }
      const beaten = beatenAt(i);
      const outranked = c.rank < topRank;
      if (beaten) explanation.push(`${c.id}: beaten by ${beaten.id}`);
      else if (outranked) explanation.push(`${c.id}: outranked by a ${topRank > 1 ? 'problem/FAQ' : 'small-talk'} intent`);
      damped[i] = beaten || outranked ? s * DAMPING : s;
    }
  }

  /** The intents with a score, best first. */
  function ranked(): IntentScore[] {
    const out: IntentScore[] = [];
    for (let i = 0; i < compiled.length; i++) {
      const score = round(damped[i]!);
      if (score > 0) out.push({ intent: compiled[i]!.id, score });
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

  return {
    intents: compiled.map((c) => c.id),
    match(canonical, tokens, explanation, ruledOut) {
      findExactAnswers(canonical);
      denied.fill(0);
      const whole = scanWhole(canonical);
      stampWhole(whole);
      // 「…，就是想问问…」: the user says they only ask something.
      onlyAsking = anyInWhole(onlyAskingIds);
      collect(whole, tokens, -1, evidence, explanation);
      silenceClauses(whole, canonical, explanation);
      if (!mentionsOf(whole, PHONE)) dropAboutElsewhere(explanation);
      for (let i = 0; i < compiled.length; i++) scores[i] = evidence.score(i);
      dampNotHaving(asksHowToAvoidOrSet(canonical, tokens, anyInWhole(preventingIds)), explanation, ruledOut);
      settleOverlaps(explanation);
      return ranked();
    },
  };
}

const NO_EXACT: readonly [number, number][] = [];
const NO_IDS: number[] = [];
const NO_TOKENS: readonly LatinToken[] = [];

/** Whether `clause` names the phone outside the words for other things (手机壳 holds 手机 but is no phone). */
function namesPhone(clause: string, others: readonly string[], phoneWords: readonly string[]): boolean {
  const rest = others.reduce((t, o) => t.replaceAll(o, ' '), clause);
  return phoneWords.some((w) => rest.includes(w));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Inserts `h` into `list[0, count)`, kept in rule order (a few rules start at one offset). */
function insertByOrder(list: PhraseRule[], count: number, h: PhraseRule): void {
  let p = count;
  while (p > 0 && list[p - 1]!.order > h.order) {
    list[p] = list[p - 1]!;
    p--;
  }
  list[p] = h;
}

/** Whether the indexed string `id` (`phrase`) occurs in the text neither negated nor asked about. */
function unnegatedIn(occ: TextOccurrences, id: number, phrase: string): boolean {
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
function unnegatedWithin(occ: TextOccurrences, id: number, phrase: string, clause: Clause): boolean {
  for (let k = 0; k < occ.ids.length; k++) {
    if (occ.ids[k] !== id) continue;
    const p = occ.starts[k]!;
    if (p >= clause.from && p + phrase.length <= clause.to && isUnnegatedAt(clause.text, p - clause.from, phrase)) return true;
  }
  return false;
}

/** Up to this many occurrences, a string's are found by looking through them all (no lists built). */
const FEW_OCCURRENCES = 32;
