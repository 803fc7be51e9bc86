/**
 * `\p{Script=Han}` of one code point, from a table filled as characters are
 * met: the hot paths count and test Han characters without a regex per
 * character.
 */
const HAN = /\p{Script=Han}/u;

/** By BMP code unit: 0 not yet asked, 1 Han, 2 not Han. */
const bmp = new Uint8Array(0x10000);

/** Whether code point `cp` is of the Han script (a lone surrogate is not). */
export function isHan(cp: number): boolean {
  if (cp > 0xffff) return HAN.test(String.fromCodePoint(cp));
  let v = bmp[cp]!;
  if (v === 0) {
    v = HAN.test(String.fromCharCode(cp)) ? 1 : 2;
    bmp[cp] = v;
  }
  return v === 1;
}
