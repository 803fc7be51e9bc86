/**
 * A frozen map from a pair of UTF-16 code units to a number, for the
 * classifiers' Han character pairs: looked up by the two units, so a pair met
 * in a message is never made into a string (a slice, then a hash of it) or a
 * number beyond 2³¹ (a heap number, hashed as a double by a Map).
 *
 * Open addressing over typed arrays, built once; every key is a pair of units,
 * packed as `first << 16 | second` (unsigned), and 0 marks an empty slot (no
 * stored pair starts with unit 0).
 */
export interface PairTable {
  /** The value stored for the pair, or -1. */
  get(first: number, second: number): number;
}

/** Builds the table of `entries` (pairs of units, each with a value ≥ 0; a repeated pair keeps its first value). */
export function buildPairTable(entries: Iterable<readonly [first: number, second: number, value: number]>): PairTable {
  const list = [...entries].filter(([first]) => first !== 0);
  // At most half full: a miss, the common case, ends at the first empty slot after a probe or two.
  let size = 16;
  while (size < list.length * 2) size *= 2;
  const mask = size - 1;
  const keys = new Uint32Array(size);
  const values = new Int32Array(size);
  for (const [first, second, value] of list) {
    const key = ((first << 16) | second) >>> 0;
    let slot = hash(key) & mask;
    while (keys[slot] !== 0 && keys[slot] !== key) slot = (slot + 1) & mask;
    if (keys[slot] === key) continue;
    keys[slot] = key;
    values[slot] = value;
  }
  return {
    get(first, second) {
      const key = ((first << 16) | second) >>> 0;
      if (key === 0) return -1;
      for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
        const k = keys[slot]!;
        if (k === key) return values[slot]!;
        if (k === 0) return -1;
      }
    },
  };
}

/** Fibonacci hashing: the high bits of key × 2³²/φ, folded down. */
function hash(key: number): number {
  const h = Math.imul(key, 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}
