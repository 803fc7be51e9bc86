/**
 * Reading a text's code units whatever kind of string V8 made of it.
 *
 * A message reaches a pass as a flat, concatenated, sliced or internalized
 * string of one or two bytes a unit: each kind has its own map, and a site
 * that has seen more than four of them (most of the NLU's loops do) finds
 * `s.charCodeAt` through V8's megamorphic lookup at every unit it reads.
 * Calling `String.prototype.charCodeAt` directly needs no lookup at all, and
 * written out so (not through a module constant holding it, which V8 reads as
 * a variable) V8 sees which function it is and inlines the read of the unit:
 * several times faster per unit on such mixed strings (measured), the same on
 * one kind. Loops also read `s.length` once, not at every step, for the same
 * reason.
 *
 * Callers read within the text: in optimised code a read past the end
 * deoptimises the function it is inlined into (the pinyin reader's did).
 */

/** `s.charCodeAt(i)`: the UTF-16 code unit at `i` (NaN past the end). */
export function unitAt(s: string, i: number): number {
  return String.prototype.charCodeAt.call(s, i);
}

/** `s.codePointAt(i)`: the code point starting at `i` (undefined past the end). */
export function pointAt(s: string, i: number): number | undefined {
  return String.prototype.codePointAt.call(s, i);
}

/**
 * How many code units the code point at `i` of the first `n` takes: 2 for a
 * surrogate pair, else 1 (what `(pointAt(s, i) ?? 0) > 0xffff ? 2 : 1` says,
 * without a codePointAt call per character).
 */
export function pointUnits(s: string, i: number, n: number): number {
  const unit = unitAt(s, i);
  if (unit < 0xd800 || unit > 0xdbff || i + 1 >= n) return 1;
  const next = unitAt(s, i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}
