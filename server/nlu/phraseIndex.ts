/**
 * Every rule string of the intents in one trie, built once: a single walk over
 * the text finds where each of them occurs, instead of one scan per phrase,
 * per co-occurrence alternative and per `not` phrase.
 *
 * The trie is flat: nodes are numbers, the first step is a table by code unit
 * and every later step one probe of an open-addressing table of (node, code
 * unit) → child in one typed array (a slot's three numbers side by side, so a
 * probe reads one cache line), so a walk allocates nothing and follows no
 * object pointers.
 */

import { unitAt } from './codeUnits.js';

export interface PhraseIndex {
  /** How many strings are registered: their ids are 0 to size - 1. */
  readonly size: number;
  /** Id of a registered string, or -1. */
  idOf(s: string): number;
  /** Where the registered strings occur in `text`. */
  scan(text: string): TextOccurrences;
  /**
   * What `scan(occ.text.slice(from, to))` gives, read off `occ`: the
   * occurrences that lie wholly within the span, shifted to it (no walk).
   */
  within(occ: TextOccurrences, from: number, to: number): TextOccurrences;
}

export interface TextOccurrences {
  readonly text: string;
  /** Start offsets of registered string `id` in the text, ascending; empty when absent. */
  at(id: number): readonly number[];
  /** Whether registered string `id` occurs in the text (`at(id).length > 0`, without building the lists). */
  has(id: number): boolean;
  /** Occurrences in text order, shorter strings first at one start: `starts[k]` is where string `ids[k]` begins. */
  readonly starts: readonly number[];
  readonly ids: readonly number[];
}

const NONE: readonly number[] = [];

/** Multiplicative hash of a (node, code unit) edge into a table of `mask + 1` slots. */
const slotOf = (node: number, unit: number, mask: number): number => (Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca6b)) & mask;

/** Compiles `strings` (lower-case) into one trie; duplicates share an id. */
export function buildPhraseIndex(strings: Iterable<string>): PhraseIndex {
  const ids = new Map<string, number>();
  // Built with Maps, then flattened.
  const children: Map<number, number>[] = [new Map()];
  const endsHere: number[] = [-1];
  for (const s of strings) {
    if (s.length === 0 || ids.has(s)) continue;
    const id = ids.size;
    ids.set(s, id);
    let node = 0;
    for (let k = 0; k < s.length; k++) {
      const unit = s.charCodeAt(k);
      let child = children[node]!.get(unit);
      if (child === undefined) {
        child = children.length;
        children.push(new Map());
        endsHere.push(-1);
        children[node]!.set(unit, child);
      }
      node = child;
    }
    endsHere[node] = id;
  }
  /** The string id ending at each node, or -1. */
  const idAt = Int32Array.from(endsHere);
  /** The length of each string, by id. */
  const lengthOf = Int32Array.from(ids.keys(), (s) => s.length);
  // The first step of the walk is taken at every offset of every text: a flat table by code unit, two
  // bytes a unit while the nodes fit (a smaller table stays in cache); 0: no string begins so (the root
  // is no one's child).
  const first = children.length <= 0x10000 ? new Uint16Array(0x10000) : new Uint32Array(0x10000);
  for (const [unit, child] of children[0]!) first[unit] = child;
  let edgeCount = 0;
  for (let n = 1; n < children.length; n++) edgeCount += children[n]!.size;
  let size = 16;
  while (size < edgeCount * 2) size *= 2;
  const mask = size - 1;
  /** Slot h is edges[3h, 3h + 3): the parent node (-1: empty), the code unit, the child. */
  const edges = new Int32Array(3 * size);
  for (let h = 0; h < size; h++) edges[3 * h] = -1;
  for (let n = 1; n < children.length; n++) {
    for (const [unit, child] of children[n]!) {
      let h = slotOf(n, unit, mask);
      while (edges[3 * h] !== -1) h = (h + 1) & mask;
      edges[3 * h] = n;
      edges[3 * h + 1] = unit;
      edges[3 * h + 2] = child;
    }
  }
  /** The child of `node` by `unit`, or -1. */
  const step = (node: number, unit: number): number => {
    for (let h = slotOf(node, unit, mask); ; h = (h + 1) & mask) {
      const n = edges[3 * h]!;
      if (n === node && edges[3 * h + 1] === unit) return edges[3 * h + 2]!;
      if (n === -1) return -1;
    }
  };

  return {
    size: ids.size,
    idOf: (s) => ids.get(s) ?? -1,
    scan(text) {
      // Two parallel arrays, not one pair per occurrence: nothing allocated per hit.
      const starts: number[] = [];
      const found: number[] = [];
      const n = text.length;
      for (let p = 0; p < n; p++) {
        let node = first[unitAt(text, p)]!;
        if (node === 0) continue;
        if (idAt[node]! >= 0) {
          starts.push(p);
          found.push(idAt[node]!);
        }
        for (let q = p + 1; q < n; q++) {
          node = step(node, unitAt(text, q));
          if (node < 0) break;
          if (idAt[node]! >= 0) {
            starts.push(p);
            found.push(idAt[node]!);
          }
        }
      }
      return new Occurrences(text, starts, found);
    },
    within(occ, from, to) {
      const starts: number[] = [];
      const found: number[] = [];
      for (let k = 0; k < occ.starts.length; k++) {
        const p = occ.starts[k]!;
        const id = occ.ids[k]!;
        if (p < from || p + lengthOf[id]! > to) continue;
        starts.push(p - from);
        found.push(id);
      }
      return new Occurrences(occ.text.slice(from, to), starts, found);
    },
  };
}

/** A walk's result; the lists by string are made when first asked for. */
class Occurrences implements TextOccurrences {
  private byId: Map<number, number[]> | null = null;

  constructor(
    readonly text: string,
    readonly starts: readonly number[],
    readonly ids: readonly number[],
  ) {}

  has(id: number): boolean {
    return this.ids.includes(id);
  }

  at(id: number): readonly number[] {
    if (!this.byId) {
      const byId = new Map<number, number[]>();
      for (let k = 0; k < this.ids.length; k++) {
        const list = byId.get(this.ids[k]!);
        if (list) list.push(this.starts[k]!);
        else byId.set(this.ids[k]!, [this.starts[k]!]);
      }
      this.byId = byId;
    }
    return this.byId.get(id) ?? NONE;
  }
}
