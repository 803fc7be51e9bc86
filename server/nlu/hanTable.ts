/**
 * Character classes of one code point, from tables filled as characters are
 * met: the hot paths test Han characters and letters without a regex per
 * character.
 */
const HAN = /\p{Script=Han}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Both classes of each BMP code unit in one byte (one table to keep in
 * cache, not two): for a class at bit b, bit b says it has been asked, bit
 * b + 1 the answer.
 */
const classes = new Uint8Array(0x10000);
const HAN_BIT = 0;
const LETTER_OR_DIGIT_BIT = 2;

function classOf(bit: number, re: RegExp, cp: number): boolean {
  if (cp > 0xffff) return re.test(String.fromCodePoint(cp));
  let v = classes[cp]!;
  if ((v & (1 << bit)) === 0) {
    v |= (1 << bit) | (re.test(String.fromCharCode(cp)) ? 2 << bit : 0);
    classes[cp] = v;
  }
  return (v & (2 << bit)) !== 0;
}

/** Whether code point `cp` is of the Han script (`\p{Script=Han}`; a lone surrogate is not). */
export function isHan(cp: number): boolean {
  return classOf(HAN_BIT, HAN, cp);
}

/** Whether code point `cp` is a letter or a number (`[\p{L}\p{N}]`; a lone surrogate is not). */
export function isLetterOrDigit(cp: number): boolean {
  return classOf(LETTER_OR_DIGIT_BIT, LETTER_OR_DIGIT, cp);
}
