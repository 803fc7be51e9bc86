/**
 * Masking of personal numbers before anything is stored or logged: mainland
 * mobile numbers keep their first 3 and last 4 digits (138****5678), runs of
 * 15–19 digits (IMEIs, card numbers) keep their first 8 — an IMEI's type
 * allocation code, which names the phone model, not the device.
 */

// Full-width digits too: the transcript keeps what the user typed, before NFKC.
const D = '[0-9\\uFF10-\\uFF19]';
const NOT_D_BEFORE = `(?<!${D})`;
const NOT_D_AFTER = `(?!${D})`;

const LONG_RUN = new RegExp(`${NOT_D_BEFORE}${D}{15,19}${NOT_D_AFTER}`, 'gu');
// 11 digits starting 1[3-9], optionally after +86 / 86, optionally grouped 3-4-4 by spaces or hyphens.
const MOBILE = new RegExp(
  `${NOT_D_BEFORE}((?:\\+?86[ -]?)?(?:1|\\uFF11)[3-9\\uFF13-\\uFF19]${D})([ -]?)${D}{4}([ -]?)(${D}{4})${NOT_D_AFTER}`,
  'gu',
);

// Eleven digits with at most one space or hyphen between them: both patterns above need that much.
// A prefilter on the text as it is, so the common case (no such run) allocates nothing.
const CANDIDATE = new RegExp(`${D}(?:[ -]?${D}){10}`, 'u');

/** `text` with mobile numbers and IMEI-like digit runs masked; the same length, so offsets hold. */
export function maskSensitive(text: string): string {
  if (!CANDIDATE.test(text)) return text; // fast path: nothing long enough
  return maskMobiles(text.replace(LONG_RUN, (run) => run.slice(0, 8) + '*'.repeat(run.length - 8)));
}

/** `text` with only its mobile numbers masked (138****5678), the same length. */
export function maskMobiles(text: string): string {
  if (!CANDIDATE.test(text)) return text;
  return text.replace(MOBILE, (_m, head: string, sep1: string, sep2: string, tail: string) => `${head}${sep1}****${sep2}${tail}`);
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
