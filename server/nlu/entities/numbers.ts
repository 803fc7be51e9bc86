/**
 * Digit entities: IMEI (15 digits, Luhn-checked) and mainland mobile numbers.
 * Works on the normalised text (full-width digits are ASCII by then).
 */

export interface Span {
  type: 'imei' | 'imei_invalid' | 'phone';
  value: string;
  from: number;
  to: number;
}

/** Luhn check over a digit string (the last digit is the check digit). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** 138****5678: how a phone number appears in logs and transcripts. */
export function maskPhone(value: string): string {
  return value.length === 11 ? `${value.slice(0, 3)}****${value.slice(7)}` : value;
}

/** Entities as they may be logged or printed: phone numbers masked, the rest unchanged. */
export function maskEntities<E extends { type: string; value: string }>(entities: readonly E[]): E[] {
  return entities.map((e) => (e.type === 'phone' ? { ...e, value: maskPhone(e.value) } : e));
}

const DIGIT_RUN = /(?<![0-9a-z+])(?:\+86[- ]?|86[- ])?(\d[\d -]*\d|\d)(?![0-9a-z])/g;
const MASKED_PHONE = /(?<!\d)1[3-9]\d[*x×]{4}\d{4}(?!\d)/g;

/** IMEIs and phone numbers with their spans in `text`. */
export function findNumbers(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    const run = m[1]!;
    const digits = run.replace(/[- ]/g, '');
    // Spaces or dashes are allowed inside one number only when they group it (138 1234 5678).
    if (digits.length !== run.length && !/^\d+(?:[- ]\d+)*$/.test(run)) continue;
    const from = m.index + m[0].length - run.length;
    const to = from + run.length;
    if (digits.length === 15) {
      out.push({ type: luhnValid(digits) ? 'imei' : 'imei_invalid', value: digits, from, to });
    } else if (digits.length === 11 && /^1[3-9]/.test(digits)) {
      out.push({ type: 'phone', value: digits, from: m.index, to });
    }
  }
  for (const m of text.matchAll(MASKED_PHONE)) {
    out.push({ type: 'phone', value: m[0].replace(/[x×]/g, '*'), from: m.index, to: m.index + m[0].length });
  }
  return out;
}
