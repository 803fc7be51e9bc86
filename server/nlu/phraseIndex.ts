/**
 * Every rule string of the intents in one trie, built once: a single walk over
 * the text finds where each of them occurs, instead of one scan per phrase,
 * per co-occurrence alternative and per `not` phrase.
 */

interface TrieNode {
  /** Children by UTF-16 code unit (a number key: no one-character string made per step of the walk). */
  next: Map<number, TrieNode>;
  /** Index of the string ending here, or -1. */
  id: number;
  /** The code unit of the only child, or -1 when there are none or several: most steps are a comparison, not a lookup. */
  onlyUnit: number;
  onlyChild: TrieNode | undefined;
}

const newNode = (): TrieNode => ({ next: new Map(), id: -1, onlyUnit: -1, onlyChild: undefined });

/** The child of `n` by code unit `unit`. */
function step(n: TrieNode, unit: number): TrieNode | undefined {
  return n.onlyUnit === unit ? n.onlyChild : n.onlyUnit >= 0 ? undefined : n.next.get(unit);
}

/** After building: a node with one child keeps it beside the map. */
function seal(n: TrieNode): void {
  for (const child of n.next.values()) seal(child);
  if (n.next.size === 1) {
    for (const [unit, child] of n.next) {
      n.onlyUnit = unit;
      n.onlyChild = child;
    }
  }
}

export interface PhraseIndex {
  /** Id of a registered string, or -1. */
  idOf(s: string): number;
  /** Where the registered strings occur in `text`. */
  scan(text: string): TextOccurrences;
}

export interface TextOccurrences {
  readonly text: string;
  /** Start offsets of registered string `id` in the text, ascending; empty when absent. */
  at(id: number): readonly number[];
  /** Occurrences in text order, shorter strings first at one start: `starts[k]` is where string `ids[k]` begins. */
  readonly starts: readonly number[];
  readonly ids: readonly number[];
}

const NONE: readonly number[] = [];

/** Compiles `strings` (lower-case) into one trie; duplicates share an id. */
export function buildPhraseIndex(strings: Iterable<string>): PhraseIndex {
  const root = newNode();
  const ids = new Map<string, number>();
  for (const s of strings) {
    if (s.length === 0 || ids.has(s)) continue;
    const id = ids.size;
    ids.set(s, id);
    let node = root;
    for (const ch of s) {
      for (let k = 0; k < ch.length; k++) {
        const unit = ch.charCodeAt(k);
        let child = node.next.get(unit);
        if (!child) {
          child = newNode();
          node.next.set(unit, child);
        }
        node = child;
      }
    }
    node.id = id;
  }
  seal(root);
  // The first step of the walk is taken at every offset of every text: a flat table by code unit instead of a Map.
  const first: (TrieNode | undefined)[] = new Array(0x10000);
  for (const [unit, node] of root.next) first[unit] = node;
  return {
    idOf: (s) => ids.get(s) ?? -1,
    scan(text) {
      // Two parallel arrays, not one pair per occurrence: nothing allocated per hit.
      const starts: number[] = [];
      const found: number[] = [];
      let byId: Map<number, number[]> | null = null;
      for (let p = 0; p < text.length; p++) {
        let node: TrieNode | undefined = first[text.charCodeAt(p)];
        if (!node) continue;
        if (node.id >= 0) {
          starts.push(p);
          found.push(node.id);
        }
        for (let q = p + 1; q < text.length; q++) {
          node = step(node, text.charCodeAt(q));
          if (!node) break;
          if (node.id >= 0) {
            starts.push(p);
            found.push(node.id);
          }
        }
      }
      return {
        text,
        starts,
        ids: found,
        at(id) {
          if (!byId) {
            byId = new Map();
            for (let k = 0; k < found.length; k++) {
              const list = byId.get(found[k]!);
              if (list) list.push(starts[k]!);
              else byId.set(found[k]!, [starts[k]!]);
            }
          }
          return byId.get(id) ?? NONE;
        },
      };
    },
  };
}
