/**
 * Typo tolerance, compiled once from the lexicon: same-pinyin slips of domain
 * terms (卡吨 → 卡顿, 保休 → 保修) and Latin words one or two edits away from
 * a known word (wify → wifi). Every correction is reported for the trace.
 */
import { pinyin } from 'pinyin-pro';
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance.js';
import { stem } from './english.js';
import { applyEdits, type Edit, type MappedText } from './mappedText.js';
import { WordSet } from './wordSet.js';
import { unitAt } from './codeUnits.js';

const HAN = /\p{Script=Han}/u;
/** Whether a code unit is a lower-case Latin letter (a–z): the letters a Latin slip is made of. */
const isLatinLetter = (unit: number): boolean => unit >= 0x61 && unit <= 0x7a;
const pinyinCache = new Map<string, string>();

/** Toneless pinyin of one Han character, its most common reading; the same on both sides of a comparison. */
function charPinyin(ch: string): string {
  let p = pinyinCache.get(ch);
  if (p === undefined) {
    p = pinyin(ch, { toneType: 'none' });
    pinyinCache.set(ch, p);
  }
  return p;
}

/** Pinyin by UTF-16 code unit: undefined until asked, null for a unit that is no (BMP) Han character. */
const unitPinyin: (string | null | undefined)[] = new Array(0x10000);

/** `charPinyin` of the code unit, or null when it is not a Han character by itself (as `HAN.test` of it says). */
function unitPinyinOf(unit: number): string | null {
  let p = unitPinyin[unit];
  if (p === undefined) {
    const ch = String.fromCharCode(unit);
    p = HAN.test(ch) ? charPinyin(ch) : null;
    unitPinyin[unit] = p;
  }
  return p;
}

/** The pinyin key of a Han string ("卡顿" → "ka dun"), or null if it has other characters. */
export function pinyinKey(s: string): string | null {
  const parts: string[] = [];
  for (const ch of s) {
    if (!HAN.test(ch)) return null;
    parts.push(charPinyin(ch));
  }
  return parts.join(' ');
}

export interface TypoCorrector {
  /** Rewrites slips in `m`, adding "typo: 卡吨→卡顿" notes to `notes`. */
  correct(m: MappedText, notes: string[]): MappedText;
}

export interface TypoLexicon {
  /** Han terms whose homophones are slips. */
  homophoneTerms: readonly string[];
  /** Real words that sound like a term but are not slips (司机 is not 死机). */
  homophoneExceptions: readonly string[];
  /** Latin words to correct towards, even from four-letter slips (wify → wifi). */
  latinTargets: readonly string[];
  /** Further Latin words to correct towards from slips of five letters or more (lagy is too short to guess from). */
  latinLongTargets: readonly string[];
  /** Latin words that are right as they are. */
  latinKnown: readonly string[];
}

/** Compiles the lookup tables once. */
export function buildTypoCorrector(lex: TypoLexicon): TypoCorrector {
  const byKey = new Map<string, string>();
  for (const term of lex.homophoneTerms) {
    const key = pinyinKey(term);
    if (!key || term.length < 2) continue;
    byKey.set(key, term);
  }
  const exceptions = new Set(lex.homophoneExceptions);
  const longestTermAt = buildSyllableTrie(byKey);
  const shortTargets = [...new Set(lex.latinTargets)].filter((w) => /^[a-z]{4,}$/.test(w));
  const longTargets = [...new Set([...lex.latinTargets, ...lex.latinLongTargets])].filter((w) => /^[a-z]{4,}$/.test(w));
  /** Words that are right as they are, looked up by their span of the text (no substring made). */
  const known = new WordSet([...lex.latinKnown, ...lex.latinTargets, ...lex.latinLongTargets]);

  function correctHan(m: MappedText, notes: string[]): MappedText {
    const s = m.text;
    let edits: Edit[] | undefined;
    for (let i = 0; i < s.length; ) {
      // The longest term whose key the syllables from i spell, if any.
      const found = longestTermAt(s, i);
      if (found === undefined) {
        i++;
        continue;
      }
      const len = found.length;
      const term = found.term!;
      const window = s.slice(i, i + len);
      if (term !== window && !exceptions.has(window) && !coveredByException(s, i, len, exceptions)) {
        (edits ??= []).push({ from: i, to: i + len, replacement: term });
        notes.push(`typo: ${window}→${term}`);
      }
      i += len;
    }
    return edits ? applyEdits(m, edits) : m;
  }

  // Words seen before: their correction (or null) is remembered; bounded so garbage cannot grow it forever.
  const memo = new Map<string, string | null>();
  function correctionOf(word: string): string | null {
    let best = memo.get(word);
    if (best === undefined) {
      best = closest(word, word.length >= 5 ? longTargets : shortTargets);
      // Another form of the same word (delete → deleted) is no slip; rules match on stems anyway.
      if (best !== null && isInflection(word, best)) best = null;
      if (memo.size < 10_000) memo.set(word, best);
    }
    return best;
  }

  /** Corrects each run of four Latin letters or more (what `/[a-z]{4,}/g` matches) that is not a known word. */
  function correctLatin(m: MappedText, notes: string[]): MappedText {
    const s = m.text;
    let edits: Edit[] | undefined;
    const n = s.length;
    for (let i = 0; i < n; ) {
      if (!isLatinLetter(unitAt(s, i))) {
        i++;
        continue;
      }
      const from = i;
      while (i < n && isLatinLetter(unitAt(s, i))) i++;
      if (i - from < 4 || known.has(s, from, i)) continue;
      const word = s.slice(from, i);
      const best = correctionOf(word);
      if (best) {
        (edits ??= []).push({ from, to: i, replacement: best });
        notes.push(`typo: ${word}→${best}`);
      }
    }
    return edits ? applyEdits(m, edits) : m;
  }

  return { correct: (m, notes) => correctLatin(correctHan(m, notes), notes) };
}

interface SyllableNode {
  next: Map<number, SyllableNode>;
  /** The term whose key ends here, and its length in characters (one per syllable). */
  term: string | undefined;
  length: number;
}

/**
 * The pinyin keys ("ka dun" → 卡顿) as a trie of syllable ids; returns the
 * deepest key end the syllables of the text from offset `i` reach: the
 * longest term whose key they spell (no single character's reading has a
 * space in it, so syllables compare as the joined keys do). Nothing is built
 * per call, no key string made.
 */
function buildSyllableTrie(byKey: ReadonlyMap<string, string>): (s: string, i: number) => SyllableNode | undefined {
  const ids = new Map<string, number>();
  const root: SyllableNode = { next: new Map(), term: undefined, length: 0 };
  for (const [key, term] of byKey) {
    let node = root;
    for (const syllable of key.split(' ')) {
      let id = ids.get(syllable);
      if (id === undefined) ids.set(syllable, (id = ids.size));
      let child = node.next.get(id);
      if (!child) node.next.set(id, (child = { next: new Map(), term: undefined, length: node.length + 1 }));
      node = child;
    }
    node.term = term;
  }
  /**
   * Syllable id by code unit, plus 2: 0 not yet asked, 1 none (not Han, or a reading no key has). Two bytes
   * a unit (there are some 400 syllables): read at every offset of every message, a small table stays in cache.
   */
  const byUnit = new Int16Array(0x10000);
  const syllableOf = (unit: number): number => {
    let v = byUnit[unit]!;
    if (v === 0) {
      const p = unitPinyinOf(unit);
      v = (p === null ? -1 : (ids.get(p) ?? -1)) + 2;
      byUnit[unit] = v;
    }
    return v - 2;
  };
  return (s, i) => {
    let node: SyllableNode | undefined = root;
    let deepest: SyllableNode | undefined;
    const n = s.length;
    for (let k = i; k < n; k++) {
      const id = syllableOf(unitAt(s, k));
      if (id < 0) break;
      node = node.next.get(id);
      if (!node) break;
      if (node.term !== undefined) deepest = node;
    }
    return deepest;
  };
}

/** An exception word overlapping the window (「司机」 around 「死机」's slot). */
function coveredByException(s: string, i: number, len: number, exceptions: Set<string>): boolean {
  for (const ex of exceptions) {
    const from = Math.max(0, i - ex.length + 1);
    const at = s.indexOf(ex, from);
    if (at >= 0 && at < i + len && at + ex.length > i) return true;
  }
  return false;
}

/** The single target within reach (1 edit, 2 for long words); null when none or a tie. */
function closest(word: string, targets: readonly string[]): string | null {
  const reach = word.length >= 7 ? 2 : 1;
  let best: string | null = null;
  let bestDistance = Infinity;
  let tie = false;
  for (const t of targets) {
    if (Math.abs(t.length - word.length) > reach || lettersApart(word, t) > 2 * reach) continue;
    const d = DamerauLevenshteinDistance(word, t);
    if (d > reach) continue;
    if (d < bestDistance) {
      best = t;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && t !== best) {
      tie = true;
    }
  }
  return tie ? null : best;
}

/** A cheap lower bound on edits ×2: letters of one word missing from the other, both ways. */
function lettersApart(a: string, b: string): number {
  const counts = new Int16Array(26);
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i) - 97]!++;
  for (let i = 0; i < b.length; i++) counts[b.charCodeAt(i) - 97]!--;
  let apart = 0;
  for (const c of counts) apart += Math.abs(c);
  return apart;
}

/** One word is the other plus an ending, with the same stem: delete / deleted, crash / crashes (not wify / wifi). */
function isInflection(a: string, b: string): boolean {
  return (a.startsWith(b) || b.startsWith(a)) && stem(a) === stem(b);
}
