/**
 * Stage 3: Latin-script words as Porter stems, so "turned on", "turning on"
 * and "turn on" meet the same rule. Contractions are opened first ("won't" →
 * "will not") so negation is one word to look for.
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { isHan } from './hanTable.js';
import { pointAt, unitAt } from './codeUnits.js';

export interface LatinToken {
  /** The word as written (lower-case, contraction opened). */
  word: string;
  /** Its Porter stem. */
  stem: string;
  /** Offsets in the text that was tokenised. */
  start: number;
  end: number;
}

// A phone keyboard types the typographic apostrophe: "don’t" is "don't".
const WORD = /[a-z0-9]+(?:['\u2019][a-z]+)?/g;
const HAS_WORD = /[a-z0-9]/;
/** Maps, not object literals: a user's "constructor" must not find Object.prototype's. */
const CONTRACTIONS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries({
  "won't": ['will', 'not'],
  "can't": ['can', 'not'],
  cannot: ['can', 'not'],
  "shan't": ['shall', 'not'],
  "ain't": ['is', 'not'],
  "it's": ['it', 'is'],
  "i'm": ['i', 'am'],
  // Typed without the apostrophe, as people do on phones.
  wont: ['will', 'not'],
  cant: ['can', 'not'],
  dont: ['do', 'not'],
  doesnt: ['does', 'not'],
  didnt: ['did', 'not'],
  isnt: ['is', 'not'],
  wasnt: ['was', 'not'],
  arent: ['are', 'not'],
  havent: ['have', 'not'],
  couldnt: ['could', 'not'],
  wouldnt: ['would', 'not'],
}));

/**
 * Irregular verb forms Porter leaves alone, onto their base form ("took ages" meets "take ages"). Not
 * "gone": in the rules it means vanished ("my photos are gone"), and "went back to my music" is not that.
 */
const IRREGULAR: ReadonlyMap<string, string> = new Map(Object.entries({
  broke: 'break', broken: 'break', stole: 'steal', stolen: 'steal', lost: 'lose',
  froze: 'freeze', frozen: 'freeze', got: 'get', gotten: 'get', fell: 'fall', fallen: 'fall', ran: 'run',
  came: 'come', gave: 'give', given: 'give', made: 'make', kept: 'keep', left: 'leave', hung: 'hang', sent: 'send',
  bought: 'buy', paid: 'pay', found: 'find', wiped: 'wipe', went: 'go', heard: 'hear',
}));

const stemCache = new Map<string, string>();

/** Porter stem of one lower-case word (irregular forms first); digits-only and short words stay as they are. */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    const base = IRREGULAR.get(word) ?? word;
    // Porter would read 「his」 as 「hi」 and 「was」 as 「wa」.
    s = /[a-z]/.test(base) && base.length > 3 ? PorterStemmer.stem(base) : base;
    if (stemCache.size < 50_000) stemCache.set(word, s);
  }
  return s;
}

/** Latin words of `text` (already lower-cased) with stems and offsets, contractions opened. */
export function latinTokens(text: string): LatinToken[] {
  const out: LatinToken[] = [];
  if (!HAS_WORD.test(text)) return out;
  // exec on one regex (never empty matches), not a copy of a new one per call as matchAll makes.
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const raw = m[0].includes('\u2019') ? m[0].replace('\u2019', "'") : m[0];
    const start = m.index;
    const end = start + raw.length;
    const words = CONTRACTIONS.get(raw) ?? openContraction(raw);
    for (const word of words) out.push({ word, stem: stem(word), start, end });
  }
  return out;
}

function openContraction(raw: string): readonly string[] {
  if (raw.endsWith("n't")) return [raw.slice(0, -3), 'not'];
  const apostrophe = raw.indexOf("'");
  // "phone's", "we're", "i've": the suffix carries nothing a rule needs.
  return apostrophe > 0 ? [raw.slice(0, apostrophe)] : [raw];
}

/** Words a rule need not spell out: "return the phone" must match "return this phone". */
const ARTICLES = new Set(['the', 'a', 'an', 'this', 'that', 'my', 'your']);

/**
 * Stems of an English rule phrase, in order ("won't turn on" → will not turn on),
 * articles and possessives dropped when two words or more remain (matching
 * already allows words in between).
 */
export function stemPhrase(phrase: string): string[] {
  const stems = latinTokens(phrase.toLowerCase()).map((t) => t.stem);
  const content = stems.filter((s) => !ARTICLES.has(s));
  // "that's all" must not shrink to "all".
  return content.length >= 2 ? content : stems;
}

/** True when the utterance is mainly English words: more Latin letters than Han characters, and some words. */
export function isMainlyEnglish(text: string): boolean {
  let han = 0;
  let latin = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = unitAt(text, i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
    else if (c >= 0x2e80) {
      // The Han script starts at U+2E80; a surrogate pair is one code point.
      const cp = pointAt(text, i)!;
      if (isHan(cp)) han++;
      if (cp > 0xffff) i++;
    }
  }
  // A Han character carries about a word; an English word is ~4 letters.
  return latin >= 2 && latin > han * 3;
}
