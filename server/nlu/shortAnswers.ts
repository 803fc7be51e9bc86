/**
 * How a short answer is keyed for the intents' exact answers: the text
 * without what does not change it (punctuation, spaces, emoji, trailing
 * particles), said-again units said once, and a composition of one intent's
 * answers; and how long a message is in content units.
 */
import { isHan, isLetterOrDigit } from './hanTable.js';
import { pointAt, unitAt } from './codeUnits.js';

/** Only a short, all-Han answer can be strung together from exact answers. */
export const HAN_ONLY = /^\p{Script=Han}+$/u;
/** Particles, anywhere in an answer: filler between the parts of a composition (「对呀对呀」). */
const PARTICLES = new Set([...'啊吧呢哦噢嘛呀啦喔哇'].map((c) => c.charCodeAt(0)));

/** `key` without its particles anywhere (`key.replace(/[啊吧呢哦噢嘛呀啦喔哇]/gu, '')`), the same string when it has none. */
export function withoutParticles(key: string): string {
  const n = key.length;
  let i = 0;
  while (i < n && !PARTICLES.has(unitAt(key, i))) i++;
  if (i === n) return key;
  let out = key.slice(0, i);
  for (; i < n; i++) if (!PARTICLES.has(unitAt(key, i))) out += key[i];
  return out;
}

/**
 * Strips what does not change a short answer: punctuation, spaces, emoji,
 * trailing particles. The same as
 * `text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().replace(/(?<=\p{Script=Han})\s+|\s+(?=\p{Script=Han})/gu, '')`
 * followed by the removal of trailing particles, in one pass: each run of
 * other characters between two runs of letters and digits becomes one space,
 * none next to a Han character, none at either end.
 */
export function exactKey(text: string): string {
  let out = '';
  /** A run of other characters lies between what `out` holds and what comes next. */
  let gap = false;
  let lastHan = false;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const start = i;
    let cp = pointAt(text, i)!;
    if (isLetterOrDigit(cp)) {
      let last = cp;
      for (; i < n && isLetterOrDigit((cp = pointAt(text, i)!)); i += cp > 0xffff ? 2 : 1) last = cp;
      if (gap && !lastHan && !isHan(pointAt(text, start)!)) out += ' ';
      gap = false;
      out += text.slice(start, i);
      lastHan = isHan(last);
    } else {
      for (; i < n && !isLetterOrDigit((cp = pointAt(text, i)!)); i += cp > 0xffff ? 2 : 1);
      if (out.length > 0) gap = true;
    }
  }
  return withoutTrailingParticles(out);
}

/** `text` without the particles it ends with (啊吧呢…). */
function withoutTrailingParticles(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING_PARTICLES.has(unitAt(text, end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

const TRAILING_PARTICLES = new Set([...'啊吧呢哦噢嘛呀哈啦喔哇'].map((c) => c.charCodeAt(0)));

/** A surrogate, half of a code point beyond the BMP (a regex literal in the function would be a new object per call). */
const SURROGATE = /[\ud800-\udfff]/;

/**
 * 「对对对」→「对」, 「没有没有」→「没有」: a unit of one or two characters said
 * again right away is said once (the same as `replace(/(.{1,2}?)\1+/gsu, '$1')`,
 * without a backtracking regex on the common path).
 */
export function collapseRepeats(s: string): string {
  if (SURROGATE.test(s)) return s.replace(/(.{1,2}?)\1+/gsu, '$1'); // whole code points: let the regex judge
  if (!repeatsSomething(s)) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] === s[i + 1]) {
      let j = i + 1;
      while (s[j] === s[i]) j++;
      out += s[i];
      i = j;
    } else if (i + 3 < s.length && s[i] === s[i + 2] && s[i + 1] === s[i + 3]) {
      let j = i + 2;
      while (j + 1 < s.length && s[j] === s[i] && s[j + 1] === s[i + 1]) j += 2;
      out += s[i]! + s[i + 1]!;
      i = j;
    } else {
      out += s[i];
      i++;
    }
  }
  return out;
}

/** `collapseRepeats(s).length`, without making the string (the same steps, counted). */
export function collapsedLength(s: string): number {
  if (SURROGATE.test(s)) return collapseRepeats(s).length;
  const n = s.length;
  let out = 0;
  let i = 0;
  while (i < n) {
    const c = unitAt(s, i);
    if (i + 1 < n && unitAt(s, i + 1) === c) {
      let j = i + 1;
      while (j < n && unitAt(s, j) === c) j++;
      out++;
      i = j;
    } else if (i + 3 < n && c === unitAt(s, i + 2) && unitAt(s, i + 1) === unitAt(s, i + 3)) {
      const d = unitAt(s, i + 1);
      let j = i + 2;
      while (j + 1 < n && unitAt(s, j) === c && unitAt(s, j + 1) === d) j += 2;
      out += 2;
      i = j;
    } else {
      out++;
      i++;
    }
  }
  return out;
}

/** Whether some unit of one or two characters of `s` is said again right away (what collapseRepeats collapses). */
function repeatsSomething(s: string): boolean {
  const n = s.length;
  for (let i = 0; i + 1 < n; i++) {
    const c = unitAt(s, i);
    if (c === unitAt(s, i + 1) || (i + 3 < n && c === unitAt(s, i + 2) && unitAt(s, i + 1) === unitAt(s, i + 3))) return true;
  }
  return false;
}

/**
 * A short answer strung together from one intent's exact answers (「嗯对」
 * 「好的可以」「不是没有」): the weakest part's weight; undefined otherwise.
 * `key`: the answer (2–8 Han characters) without its particles.
 */
export function composedExact(exact: ReadonlyMap<string, number>, key: string): number | undefined {
  if (exact.size === 0 || key.length === 0) return undefined;
  // best[i]: the weight of the best split of key[0, i) into exact answers.
  const best: (number | undefined)[] = [1];
  for (let i = 1; i <= key.length; i++) {
    for (let j = Math.max(0, i - 3); j < i; j++) {
      const before = best[j];
      const w = before === undefined ? undefined : exact.get(key.slice(j, i));
      if (w !== undefined) best[i] = Math.max(best[i] ?? 0, Math.min(before!, w));
    }
  }
  return best[key.length];
}

/** Length for `maxChars`: a Han character or a Latin word counts one. */
export function contentUnits(key: string): number {
  let units = 0;
  let inWord = false;
  const n = key.length;
  for (let i = 0; i < n; i++) {
    const unit = unitAt(key, i);
    const latin = (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39);
    if (latin && !inWord) units++;
    inWord = latin;
    if (latin || unit < 0x2e80) continue;
    // A whole surrogate pair is one code point; a lone surrogate is none of the Han script.
    const cp = pointAt(key, i)!;
    if (isHan(cp)) units++;
    if (cp > 0xffff) i++;
  }
  return units;
}
