/** The phrase rules of one collect: hits in text order, negated hits dropped, each phrase counted once. */
import { unitAt } from '../codeUnits.js';
import { isNegatedZh } from '../negation.js';
import type { TextOccurrences } from '../phraseIndex.js';
import type { Evidence } from './evidence.js';
import type { MatchScratch } from './scratch.js';
import { allowed, type IntentTables, type PhraseRule } from './tables.js';

/**
 * The phrase rules: each hit, in text order and at one offset in rule order, counts once unless negated
 * or inside a negated phrase (「不要转人工」 also silences 「人工」).
 */
export function countPhrases(t: IntentTables, s: MatchScratch, occ: TextOccurrences, only: number, into: Evidence, explanation: string[]): void {
  const { text, starts, ids } = occ;
  const { compiled, rulesById } = t;
  const { here, negatedFrom, negatedTo, hitAt, hitRule, counted } = s;
  s.negatedCount = 0;
  s.hitCount = 0;
  for (let k = 0; k < starts.length; ) {
    // All rules whose phrase starts at p, in rule order (as the rules were written).
    const p = starts[k]!;
    s.hereCount = 0;
    for (; k < starts.length && starts[k] === p; k++) {
      const rules = rulesById[ids[k]!];
      if (rules !== undefined) for (const h of rules) insertByOrder(here, s.hereCount++, h);
    }
    for (let r = 0; r < s.hereCount; r++) {
      const h = here[r]!;
      if ((only >= 0 && only !== h.intent) || !allowed(compiled[h.intent]!, s.contentLength) || (h.anchored && p !== 0)) continue;
      // A Latin phrase is a whole word: 「thx」 is not inside 「thxx」, 「app」 not inside 「apple」.
      if (h.latinStart && p > 0 && isLatinChar(unitAt(text, p - 1))) continue;
      if (h.latinEnd && p + h.phrase.length < text.length && isLatinChar(unitAt(text, p + h.phrase.length))) continue;
      if (isNegatedZh(text, p, h.phrase)) {
        if (only < 0) s.denied[h.intent] = 1;
        negatedFrom[s.negatedCount] = p;
        negatedTo[s.negatedCount++] = p + h.phrase.length;
        explanation.push(h.negatedNote);
      } else {
        hitAt[s.hitCount] = p;
        hitRule[s.hitCount++] = h;
      }
    }
  }
  // Each phrase counts once: 「流量」 three times in a question about a plan is still one weak hint.
  s.countedCall++;
  for (let k = 0; k < s.hitCount; k++) {
    const p = hitAt[k]!;
    const h = hitRule[k]!;
    if (counted[h.order] === s.countedCall || insideNegated(s, p, p + h.phrase.length)) continue;
    counted[h.order] = s.countedCall;
    if (s.isLong && h.weight < compiled[h.intent]!.longMinWeight) {
      explanation.push(h.longNote);
      continue;
    }
    into.add(h.intent, h.weight);
    explanation.push(h.note);
  }
}

/** Whether [from, to) lies inside a negated phrase hit of this collect. */
function insideNegated(s: MatchScratch, from: number, to: number): boolean {
  for (let k = 0; k < s.negatedCount; k++) if (s.negatedFrom[k]! <= from && to <= s.negatedTo[k]!) return true;
  return false;
}

/** Whether a code unit is a Latin letter or digit as compile.ts's LATIN_CHAR has it (a–z, 0–9). */
function isLatinChar(unit: number): boolean {
  return (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39);
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
