/**
 * Character classes of one code point, from tables filled as characters are
 * met: the hot paths test Han characters and letters without a regex per
 * character.
 */
const HAN = /\p{Script=Han}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** By BMP code unit: 0 not yet asked, 1 yes, 2 no. */
const han = new Uint8Array(0x10000);
const letterOrDigit = new Uint8Array(0x10000);

function classOf(table: Uint8Array, re: RegExp, cp: number): boolean {
  if (cp > 0xffff) return re.test(String.fromCodePoint(cp));
  let v = table[cp]!;
  if (v === 0) {
    v = re.test(String.fromCharCode(cp)) ? 1 : 2;
    table[cp] = v;
  }
  return v === 1;
}

/** Whether code point `cp` is of the Han script (`\p{Script=Han}`; a lone surrogate is not). */
export function isHan(cp: number): boolean {
  return classOf(han, HAN, cp);
}

/** Whether code point `cp` is a letter or a number (`[\p{L}\p{N}]`; a lone surrogate is not). */
export function isLetterOrDigit(cp: number): boolean {
  return classOf(letterOrDigit, LETTER_OR_DIGIT, cp);
}
