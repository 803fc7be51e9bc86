/**
 * Every rule string of the intents in one trie, built once: a single walk over
 * the text finds where each of them occurs, instead of one scan per phrase,
 * per co-occurrence alternative and per `not` phrase.
 *
 * The trie is flat: nodes are numbers (depth first), the first step is a
 * table by code unit and every later step a look along the node's children,
 * kept side by side in typed arrays, so a walk allocates nothing, follows no
 * object pointers and reads neighbouring memory.
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
   * A scan that fills one result, and its lists, again at every call: each result holds until the next
   * call of the same scanner (for a pipeline where a call never runs inside another), nothing allocated
   * once its lists have grown to a message's hits.
   */
  scanner(): (text: string) => TextOccurrences;
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

/**
 * The nodes of a trie in depth-first order (each node's children by
 * ascending code unit), and the new number of each old one; the root stays 0.
 */
function depthFirst(children: readonly Map<number, number>[]): { order: number[]; idOf: Int32Array } {
  const order: number[] = [];
  const idOf = new Int32Array(children.length);
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop()!;
    idOf[node] = order.length;
    order.push(node);
    // Pushed largest unit first, so the smallest is taken next: a node's first child is the node after it.
    for (const [, child] of [...children[node]!].sort((a, b) => b[0] - a[0])) stack.push(child);
  }
  return { order, idOf };
}

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
  // Nodes renumbered depth first, each node's children side by side sorted by code unit: a walk down a
  // string reads neighbouring memory at every step, where a probe of a hash table of edges read a line
  // anywhere in it (and after other work, from memory rather than cache).
  const renumbered = depthFirst(children);
  const nodeCount = children.length;
  /** The string id ending at each node, or -1. */
  const idAt = new Int32Array(nodeCount);
  /** Node n's children: units childUnit[childStart[n], childStart[n + 1]), ascending, and their nodes. */
  const childStart = new Int32Array(nodeCount + 1);
  let edgeCount = 0;
  for (const map of children) edgeCount += map.size;
  const childUnit = new Uint16Array(edgeCount);
  const childNode = new Int32Array(edgeCount);
  let e = 0;
  for (const old of renumbered.order) {
    const n = renumbered.idOf[old]!;
    idAt[n] = endsHere[old]!;
    childStart[n] = e;
    for (const [unit, child] of [...children[old]!].sort((a, b) => a[0] - b[0])) {
      childUnit[e] = unit;
      childNode[e++] = renumbered.idOf[child]!;
    }
  }
  childStart[nodeCount] = e;
  // The first step of the walk is taken at every offset of every text: a flat table by code unit, two
  // bytes a unit while the nodes fit (a smaller table stays in cache); 0: no string begins so (the root
  // is no one's child).
  const first = nodeCount <= 0x10000 ? new Uint16Array(0x10000) : new Uint32Array(0x10000);
  for (let k = childStart[0]!; k < childStart[1]!; k++) first[childUnit[k]!] = childNode[k]!;
  /** The child of `node` by `unit`, or -1. */
  const step = (node: number, unit: number): number => {
    let lo = childStart[node]!;
    let hi = childStart[node + 1]!;
    // Most nodes have a child or two, looked at in turn; a long list is halved first (keeping the
    // unit's place, if it has one, within [lo, hi)).
    while (hi - lo > 8) {
      const mid = (lo + hi) >> 1;
      if (childUnit[mid]! < unit) lo = mid + 1;
      else hi = mid + 1;
    }
    for (; lo < hi; lo++) {
      const u = childUnit[lo]!;
      if (u === unit) return childNode[lo]!;
      if (u > unit) return -1;
    }
    return -1;
  };

  return {
    size: ids.size,
    idOf: (s) => ids.get(s) ?? -1,
    scan(text) {
      const occ = new Occurrences(text, [], []);
      walk(text, occ.starts, occ.ids);
      return occ;
    },
    scanner() {
      const occ = new Occurrences('', [], []);
      return (text) => {
        occ.reset(text);
        walk(text, occ.starts, occ.ids);
        return occ;
      };
    },
  };

  /** Appends where the registered strings occur in `text` to two parallel lists (not one pair per occurrence). */
  function walk(text: string, starts: number[], found: number[]): void {
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
  }
}

/** A walk's result; the lists by string are made when first asked for. */
class Occurrences implements TextOccurrences {
  private byId: Map<number, number[]> | null = null;

  constructor(
    public text: string,
    readonly starts: number[],
    readonly ids: number[],
  ) {}

  /** Empty again, for `text`. */
  reset(text: string): void {
    this.text = text;
    this.starts.length = 0;
    this.ids.length = 0;
    this.byId = null;
  }

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
