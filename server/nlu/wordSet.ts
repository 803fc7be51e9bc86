/**
 * A fixed set of lower-case Latin words (a–z), looked up by a span of a text
 * without slicing the word out: an open-addressing table of 32-bit hashes
 * beside word numbers, the words' letters one after another in one string.
 * A lookup hashes the span's code units, reads one slot (hash and number side
 * by side) and compares the letters of at most the words with that hash; a
 * `Set` of 60,000 strings reads its bucket, its entry and the key string, each
 * somewhere else in memory, for a substring made first.
 */
import { unitAt } from './codeUnits.js';
export class WordSet {
  /** Slot h: table[2h] the hash, table[2h + 1] the word's number + 1 (0: empty). */
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly letters: string;
  /** Word k is letters[starts[k], starts[k + 1]). */
  private readonly starts: Int32Array;

  /** `words` other than a–z only are left out: no span a lookup is asked about can equal one. */
  constructor(words: Iterable<string>) {
    const kept = [...new Set(words)].filter((w) => /^[a-z]+$/.test(w));
    let size = 16;
    while (size < kept.length * 2) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(2 * size);
    this.letters = kept.join('');
    this.starts = new Int32Array(kept.length + 1);
    let at = 0;
    kept.forEach((w, k) => {
      this.starts[k] = at;
      at += w.length;
      const hash = hashOf(w, 0, w.length);
      let h = hash & this.mask;
      while (this.table[2 * h + 1] !== 0) h = (h + 1) & this.mask;
      this.table[2 * h] = hash;
      this.table[2 * h + 1] = k + 1;
    });
    this.starts[kept.length] = at;
  }

  /** Whether `text.slice(from, to)` is one of the words. */
  has(text: string, from: number, to: number): boolean {
    const hash = hashOf(text, from, to);
    for (let h = hash & this.mask; ; h = (h + 1) & this.mask) {
      const k = this.table[2 * h + 1]!;
      if (k === 0) return false;
      if (this.table[2 * h] === hash && this.spells(k - 1, text, from, to)) return true;
    }
  }

  private spells(k: number, text: string, from: number, to: number): boolean {
    const start = this.starts[k]!;
    if (this.starts[k + 1]! - start !== to - from) return false;
    for (let i = from; i < to; i++) if (unitAt(this.letters, start + i - from) !== unitAt(text, i)) return false;
    return true;
  }
}

/** FNV-1a of the code units of `s[from, to)`. */
function hashOf(s: string, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ unitAt(s, i), 0x01000193);
  return h;
}
