/**
 * List helpers of the matcher's tables and scratch lists, written for V8: tables made at full length,
 * short lists kept sorted by insertion instead of `sort` (no comparator calls, no scratch copy).
 */

/**
 * An array of `n` elements, none set yet. Tables indexed by string or stem id are made at full length:
 * one filled by index from empty goes to V8's dictionary mode as soon as an index lies far ahead (a hash
 * lookup at every read).
 */
export function dense<T>(n: number): (T | undefined)[] {
  return new Array<T | undefined>(n).fill(undefined);
}

/** Inserts `k` into the ascending `list[0, count)` (short lists: no comparator calls). */
export function insertSorted(list: number[], count: number, k: number): void {
  let p = count;
  while (p > 0 && list[p - 1]! > k) {
    list[p] = list[p - 1]!;
    p--;
  }
  list[p] = k;
}
