/**
 * Masking of personal numbers before anything is stored or logged. It reads
 * numbers exactly as the NLU reads them — the NLU's own `normalize` (zero-width
 * characters, soft hyphens, NBSP and ideographic spaces, full-width,
 * superscript, circled and mathematical digits, per-digit spaces) and its own
 * number finder — so whatever the bot
 * understands as a phone number or an IMEI never reaches storage or a log
 * line in full. Mainland mobile numbers keep their first 3 and last 4 digits
 * (138****5678), IMEIs their first 8 (the type allocation code, which names
 * the model, not the device). On top of that, any run of 15–19 digits (a bank
 * card, an IMEI after a label) and any 11-digit mobile-looking run the finder
 * did not take (glued to letters: tel13812345678) is masked as before.
 *
 * Only digits are replaced, one `*` each, so the text keeps its length and
 * separators, and offsets into it stay valid.
 */
import { findNumbers } from '../nlu/entities/numbers.js';
import { originalSpan } from '../nlu/mappedText.js';
import { normalize } from '../nlu/normalize.js';

/**
 * A character the NLU may read as a digit: a decimal digit of any script
 * (ASCII, full-width, mathematical 𝟏, which is two UTF-16 units), and those
 * that NFKC folds to one without being one — superscripts (¹), subscripts (₁)
 * and circled digits (①, ⓪). Tested against every code point `normalize` folds.
 */
const DIGIT = /^[\p{Nd}\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u24ea]$/u;

/** The code point at `i` as a string (one or two UTF-16 units). */
const charAt = (text: string, i: number): string => String.fromCodePoint(text.codePointAt(i)!);

/** Fewer digits than a mobile number: nothing to mask (the common case, checked without allocating). */
function fewDigits(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c > 127 && DIGIT.test(charAt(text, i)))) {
      if (++n >= 11) return false;
    }
  }
  return true;
}

/** The positions and widths (1 or 2 units) of the digits in text[start, end). */
function digitsIn(text: string, start: number, end: number): { at: number; width: number }[] {
  const out: { at: number; width: number }[] = [];
  for (let i = start; i < end; ) {
    const ch = charAt(text, i);
    if (DIGIT.test(ch)) out.push({ at: i, width: ch.length });
    i += ch.length;
  }
  return out;
}

// The plain spellings, on the text as typed (full-width digits too): they catch what the finder
// declines by design (a number glued to Latin letters), which must not be stored either.
const D = '[0-9\\uFF10-\\uFF19]';
const LONG_RUN = new RegExp(`(?<!${D})${D}{15,19}(?!${D})`, 'gu');
const MOBILE = new RegExp(`(?<!${D})((?:\\+?86[ -]?)?(?:1|\\uFF11)[3-9\\uFF13-\\uFF19]${D})([ -]?)${D}{4}([ -]?)(${D}{4})(?!${D})`, 'gu');

export interface MaskOptions {
  /**
   * Numbers (digits only, a phone as its 11 national digits) that are public
   * and must stay readable: the service lines the bot itself gives out
   * (+86 13800100186 is China Mobile's free line from abroad, not a user's number).
   */
  keep?: ReadonlySet<string>;
}

/** `text` with mobile numbers and IMEI-like digit runs masked; the same length, so offsets hold. */
export function maskSensitive(text: string, opts: MaskOptions = {}): string {
  if (fewDigits(text)) return text;
  const out = text.split('');
  let changed = false;
  // A digit written with two UTF-16 units becomes two stars: the length stays.
  const hide = (start: number, end: number, keepHead: number, keepTail: number) => {
    const digits = digitsIn(text, start, end);
    for (let k = Math.max(0, keepHead); k < digits.length - keepTail; k++) {
      const d = digits[k]!;
      for (let u = 0; u < d.width; u++) out[d.at + u] = '*';
      changed = true;
    }
  };

  const m = normalize(text);
  for (const span of findNumbers(m.text)) {
    if (opts.keep?.has(span.value)) continue;
    const { start, end } = originalSpan(m, span.from, span.to);
    if (span.type === 'phone') {
      // Whatever precedes the national number (+86, 0086) stays, then 3 digits, 4 masked, 4 kept.
      hide(start, end, digitsIn(text, start, end).length - 8, 4);
    } else {
      hide(start, end, 8, 0);
    }
  }

  for (const r of text.matchAll(LONG_RUN)) {
    if (opts.keep?.has(r[0])) continue;
    hide(r.index, r.index + r[0].length, 8, 0);
  }
  for (const r of text.matchAll(MOBILE)) {
    const national = r[0].replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
    if (opts.keep?.has(national)) continue;
    hide(r.index, r.index + r[0].length, digitsIn(text, r.index, r.index + r[0].length).length - 8, 4);
  }
  return changed ? out.join('') : text;
}

/** An entity's value as it may be printed: a phone number masked (138****5678), an IMEI to its first 8 digits. */
export function maskEntityValue(type: string, value: string): string {
  if (type === 'phone') return value.length === 11 ? `${value.slice(0, 3)}****${value.slice(7)}` : value;
  if (type === 'imei' || type === 'imei_invalid') return value.length > 8 ? value.slice(0, 8) + '*'.repeat(value.length - 8) : value;
  return value;
}

/**
 * `value` with every string in it masked, down to `maxDepth` levels of
 * arrays and objects; the same object when nothing needed masking (the
 * common case), so callers can mask on every turn or log line cheaply. An
 * error whose message, stack or fields carry user text becomes a masked copy
 * of the same class, so a logger serialises it as usual.
 */
export function maskStrings(value: unknown, maxDepth = Infinity, depth = 0): unknown {
  if (typeof value === 'string') return maskSensitive(value);
  if (depth >= maxDepth || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return maskError(value, maxDepth, depth);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const m = maskStrings(v, maxDepth, depth + 1);
      if (m !== v) (out ??= value.slice())[i] = m;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    const m = maskStrings(v, maxDepth, depth + 1);
    if (m !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = m;
  }
  return out ?? value;
}

function maskError(err: Error, maxDepth: number, depth: number): Error {
  let copy: Error | null = null;
  for (const key of Object.getOwnPropertyNames(err)) {
    const desc = Object.getOwnPropertyDescriptor(err, key)!;
    if (!('value' in desc)) continue;
    const masked = maskStrings(desc.value, maxDepth, depth + 1);
    if (masked === desc.value) continue;
    copy ??= Object.defineProperties(Object.create(Object.getPrototypeOf(err) as object) as Error, Object.getOwnPropertyDescriptors(err));
    Object.defineProperty(copy, key, { ...desc, value: masked });
  }
  return copy ?? err;
}
