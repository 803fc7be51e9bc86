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

export interface Glue {
  /** The glued word with the Chinese it touches, e.g. 「到OPPO官」「解ID锁」. */
  pair: string;
  /** A few characters either side, to find it by. */
  context: string;
}

/**
 * Every place in `text` where a Han character touches a Latin letter or a
 * digit (dates excepted), one per glued word (「解ID锁」 once), skipping the
 * names in `ownSpelling` (written as their owners write them).
 */
export function findGlue(text: string, ownSpelling: readonly string[] = []): Glue[] {
  const chars = [...text];
  const starts: number[] = []; // UTF-16 offset of each character, as indexOf counts
  chars.reduce((at, c) => (starts.push(at), at + c.length), 0);
  const skip = new Set<number>();
  for (const name of ownSpelling) {
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
      chars.forEach((_, i) => {
        if (starts[i]! >= at && starts[i]! < at + name.length - 1) skip.add(i);
      });
    }
  }
  const runs: { from: number; to: number }[] = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    if (skip.has(i) || !needsSpace(chars[i], chars[i + 1])) continue;
    const last = runs.at(-1);
    // The far side of the same Latin word (「解ID锁」): no Han character in between.
    if (last && !chars.slice(last.to, i + 1).some((c) => HAN.test(c))) last.to = i + 1;
    else runs.push({ from: i, to: i + 1 });
  }
  return runs.map(({ from, to }) => ({
    pair: chars.slice(from, to + 1).join(''),
    context: chars.slice(Math.max(0, from - 4), to + 5).join('').replace(/\n/g, ' '),
  }));
}
