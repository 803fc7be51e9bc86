/**
 * Negation and its look-alikes, for the matcher: 「不卡了」「没有丢」 turn a
 * hit around, 「是不是卡顿」「有没有网上客服」 only ask, and a `not` phrase
 * silences its own clause.
 */
import type { LatinToken } from './english.js';
import { unitAt } from './codeUnits.js';

/** Words just before a hit that turn it around (「不卡了」「没有丢」). Longest first. */
export const ZH_NEGATORS = [
  '并没有', '没有被', '没被', '不被', '未被', '没有', '不再', '没再', '不是', '不会', '不用',
  '不要', '不想', '不太', '从没', '从不', '并非', '别再', '不', '没', '未', '无',
];
/** Questions of the form A-not-A (「是不是卡顿」) ask, they do not negate. */
const ZH_NOT_NEGATING = ['是不是', '会不会', '有没有', '能不能', '是否', '算不算', '可不可以', '是不'];
export const EN_NEGATORS = new Set(['not', 'no', 'never', 'without', 'nor']);
/** Stems of verbs that say a problem has ended when they come right before it: "stopped lagging". */
const EN_CESSATION = new Set(['stop', 'quit']);
/**
 * A verb between the negator and the hit makes the hit what fails, not what
 * is denied: "can't get mobile data", "couldn't use the wifi" are problems.
 */
const EN_FAILING_VERBS = new Set(['get', 'use', 'access', 'connect', 'make', 'receive', 'send', 'load', 'open', 'hear', 'reach', 'find', 'turn', 'keep']);
const CLAUSE_BREAK = /[,.!?;:，。！？；：、\s~…]/;
export const CLAUSE_PUNCTUATION = /[,.!?;:，。！？；：、~…]+/;
/** The characters of CLAUSE_PUNCTUATION, by code unit. */
const CLAUSE_MARKS = new Set([...',.!?;:，。！？；：、~…'].map((c) => c.charCodeAt(0)));
/** The clause marks below 0x80, a byte each: most units are Han or Latin, answered without a set lookup. */
const ASCII_CLAUSE_MARKS = new Uint8Array(0x80);
for (const unit of CLAUSE_MARKS) if (unit < 0x80) ASCII_CLAUSE_MARKS[unit] = 1;

/** Whether a code unit is one of CLAUSE_MARKS. */
function isClauseMark(unit: number): boolean {
  if (unit < 0x80) return ASCII_CLAUSE_MARKS[unit] === 1;
  // CJK ideographs and the BMP's letters are never marks.
  if (unit < 0x2026 || (unit > 0x3002 && unit < 0xff01)) return false;
  return CLAUSE_MARKS.has(unit);
}

/**
 * Where the clauses of `text` lie: its runs of characters between clause
 * punctuation, as [start, end) pairs one after another (their texts are
 * `text.split(CLAUSE_PUNCTUATION).filter(Boolean)`).
 */
export function clauseSpans(text: string): number[] {
  const out: number[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    if (i < n && !isClauseMark(unitAt(text, i))) continue;
    if (i > start) out.push(start, i);
    start = i + 1;
  }
  return out;
}

/**
 * Words that turn a problem into a question about avoiding it: 「怎么防止手机被偷」
 * reports no theft.
 */
export const ZH_PREVENTING = ['防止', '避免', '预防', '防盗', '以免', '以防'];
const EN_PREVENTING = new Set(['prevent', 'avoid', 'protect']);
/** After a denied problem (「手机没丢」), these say the user only has a question (「…，就是想问问…」). */
export const ZH_ONLY_ASKING = ['就是想问', '只是想问', '就想问', '想问问', '只是想', '就是想', '我想问下', '想咨询', '想了解'];

/**
 * 「怎么开启wifi热点」「how do i turn off 5g」 ask how to use a setting. Not when
 * it is 「怎么…都…」, "however I try": 「怎么设置都连不上」 is a problem. No 打开
 * or 调: 「怎么打开这么慢」 asks why.
 */
const ZH_HOW_TO_SET = /^(?:请问|我想问下|想问下|问下)?(?:我的|这个)?(?:手机上?的?)?(?:怎么|如何|怎样)(?:开启|关闭|关掉|设置|开通|取消|更换|更改|修改)(?!.*(?:都|也|还是))/;
const EN_HOW_TO_SET = /^(?:how (?:do i|to|can i|do you)) (?:turn on|turn off|set up|enable|disable|change|switch on|switch off)\b/;

const HOW_CHARS = /[怎如]/;
const TRAILING_PUNCTUATION = /[,.!?;:，。！？；：、~…\s]+$/;

/**
 * Whether the utterance is about preventing a problem or using a setting rather than having a problem.
 * `saysPreventing`: whether it holds a word of ZH_PREVENTING, when the caller already knows.
 */
export function asksHowToAvoidOrSet(
  text: string, tokens: readonly LatinToken[], saysPreventing = ZH_PREVENTING.some((w) => text.includes(w)),
): boolean {
  return (
    saysPreventing ||
    tokens.some((t) => EN_PREVENTING.has(t.word)) ||
    // Only a one-clause question: 「怎么设置，手机开不了机了」 goes on to report a problem.
    // Both patterns need 怎 or 如 (怎么, 如何, 怎样) or a leading "how": without them, no copy to test.
    ((text.startsWith('how') || HOW_CHARS.test(text)) && isOneClauseHowTo(text.replace(TRAILING_PUNCTUATION, '')))
  );
}

function isOneClauseHowTo(text: string): boolean {
  return !CLAUSE_PUNCTUATION.test(text) && (ZH_HOW_TO_SET.test(text) || EN_HOW_TO_SET.test(text));
}

/**
 * Words that deny a whole statement, so they turn around even a phrase that is
 * itself a negation: 「不是没信号」 says the signal is fine.
 */
const ZH_DENYING_STATEMENT = ['并不是', '也不是', '倒不是', '而不是', '不是', '并非'];

/** The characters every Chinese negator and denial is written with, by code unit. */
const NEGATOR_UNITS = new Set([...'不没未无非别'].map((c) => c.charCodeAt(0)));
const BU = '不'.charCodeAt(0);
const MEI = '没'.charCodeAt(0);

/**
 * Whether a code unit is one CLAUSE_BREAK matches, from a table the regex
 * fills once per unit (0 not yet asked, 1 yes, 2 no): read at every hit,
 * without a regex call or a one-character string per look.
 */
const clauseBreaks = new Uint8Array(0x10000);
function isClauseBreak(unit: number): boolean {
  let v = clauseBreaks[unit]!;
  if (v === 0) {
    v = CLAUSE_BREAK.test(String.fromCharCode(unit)) ? 1 : 2;
    clauseBreaks[unit] = v;
  }
  return v === 1;
}

/**
 * Whether the clause just before `p` ends with a negator. A phrase that is
 * itself a negation (「没信号」) is turned around only by a denial of the
 * statement (「不是没信号」), not by a bare 不/没.
 */
export function isNegatedZh(text: string, p: number, phrase: string): boolean {
  let from = p;
  let negatorChar = false;
  while (from > 0 && p - from < 4 && !isClauseBreak(unitAt(text, from - 1))) {
    from--;
    if (NEGATOR_UNITS.has(unitAt(text, from))) negatorChar = true;
  }
  // Every negator, denial and A-not-A has one of these: without one, nothing is turned around.
  if (!negatorChar) return false;
  const before = text.slice(from, p);
  if (ZH_NOT_NEGATING.some((q) => before.endsWith(q))) return false;
  if (ZH_NEGATORS.some((n) => phrase.startsWith(n))) return ZH_DENYING_STATEMENT.some((n) => before.endsWith(n));
  // Any other A-not-A question: 要不要收费, 用不用换.
  const n = before.length;
  if (n >= 3 && (before[n - 2] === '不' || before[n - 2] === '没') && before[n - 1] === before[n - 3]) return false;
  return ZH_NEGATORS.some((n) => before.endsWith(n));
}

/** Whether one of the two words before the match at `at` negates it (and the phrase is not itself a negation). */
export function isNegatedEn(tokens: readonly LatinToken[], at: number, stems: readonly string[]): boolean {
  if (EN_NEGATORS.has(stems[0]!) || EN_CESSATION.has(stems[0]!)) return false;
  // "it stopped lagging" is over; "it won't stop freezing", "it never stops lagging" are not.
  for (let j = Math.max(0, at - 2); j < at; j++) {
    if (EN_CESSATION.has(tokens[j]!.stem)) return !(j > 0 && EN_NEGATORS.has(tokens[j - 1]!.word));
  }
  for (let j = Math.max(0, at - 2); j < at; j++) {
    if (!EN_NEGATORS.has(tokens[j]!.word)) continue;
    let verb = false;
    for (let k = j + 1; k < at; k++) if (EN_FAILING_VERBS.has(tokens[k]!.word)) verb = true;
    if (!verb) return true;
  }
  return false;
}

/**
 * `text` with every clause (up to punctuation or a 但是) that contains one of
 * `phrases` blanked out, same length; a clause `spare` says yes to stays.
 */
export function maskClauses(text: string, phrases: readonly string[], spare?: (clause: string) => boolean): string {
  return text
    .split(/([,.!?;:，。！？；：、~…]+|但是|可是|不过|然而)/)
    .map((part) => (phrases.some((p) => part.includes(p)) && !spare?.(part) ? ' '.repeat(part.length) : part))
    .join('');
}

/** Whether `phrase` occurs somewhere not preceded by a negator (「没有信号了」 is no veto of 「有信号了」). */
export function occursUnnegated(text: string, phrase: string): boolean {
  for (let p = text.indexOf(phrase); p >= 0; p = text.indexOf(phrase, p + 1)) {
    if (isUnnegatedAt(text, p, phrase)) return true;
  }
  return false;
}

/** Whether the occurrence of `phrase` at `p` says it, neither negated nor asked (「有没有」). */
export function isUnnegatedAt(text: string, p: number, phrase: string): boolean {
  return !isNegatedZh(text, p, phrase) && !isAskingNotStating(text, p, phrase);
}

/** 「没有」 inside 「有没有」 asks; it does not say something is missing. */
function isAskingNotStating(text: string, p: number, phrase: string): boolean {
  const first = unitAt(phrase, 0);
  // Within the text (past its end there is nothing to equal; V8 deoptimises a read there).
  return (first === MEI || first === BU) && p > 0 && p + 1 < text.length && unitAt(text, p - 1) === unitAt(text, p + 1);
}

