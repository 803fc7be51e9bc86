/**
 * Spacing between Chinese and Latin text, the way the content is written:
 * 「iPhone 储存空间」「华为客服热线 950800」「到 OPPO 官方售后服务中心」 — a space
 * between a Han character and a Latin letter or digit, none beside full-width
 * punctuation (「（OPPO）」), none inside a date (「2026年3月5日」).
 */

const HAN = /^\p{Script=Han}$/u;
const LATIN = /^[A-Za-z]$/;
const DIGIT = /^[0-9]$/;
/** Dates are written without spaces: 「2026年3月5日」「去年10月」. */
const DATE_HAN = /^[年月日]$/;

/** Whether `a` followed by `b` needs a space between them (Han beside a Latin letter or a digit, not in a date). */
export function needsSpace(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const latinOrDigit = (c: string) => LATIN.test(c) || DIGIT.test(c);
  if (HAN.test(a) && latinOrDigit(b)) return !(DIGIT.test(b) && DATE_HAN.test(a));
  if (latinOrDigit(a) && HAN.test(b)) return !(DIGIT.test(a) && DATE_HAN.test(b));
  return false;
}

/** `value` as it will sit between the characters `before` and `after`: a space added on each side where Chinese meets Latin. */
export function spacedBetween(before: string | undefined, value: string, after: string | undefined): string {
  if (!value) return value;
  return `${needsSpace(before, value[0]) ? ' ' : ''}${value}${needsSpace(value.at(-1), after) ? ' ' : ''}`;
}

/**
 * A template literal whose values are spaced from the Chinese around them:
 * spacedZh`可拨打${name}客服热线` is 「可拨打 OPPO 客服热线」 and 「可拨打华为客服热线」.
 */
export function spacedZh(strings: TemplateStringsArray, ...values: string[]): string {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const next = strings[i + 1]!;
    out += spacedBetween(out.at(-1), v, next[0]) + next;
  });
  return out;
}
