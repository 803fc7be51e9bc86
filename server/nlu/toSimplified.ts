/**
 * Traditional → Simplified Chinese with OpenCC's own dictionaries (Taiwan
 * phrases included, so 訊號 → 信号, 記憶體 → 内存), applied through our own
 * longest-match loop so that every character keeps its original offset.
 *
 * The Taiwan-phrase step runs only on text that has Traditional characters:
 * on Simplified text it would "translate" Mainland words that happen to be
 * Taiwan words with another meaning (文件 → 文档, 程序 → 进程, 呼叫 → 调用).
 */
import { Trie } from 'opencc-js/core';
import { from, to } from 'opencc-js/preset/t2cn';
import { rewrite, type MappedText } from './mappedText.js';
import { pointAt, unitAt } from './codeUnits.js';

interface Tries {
  /** Taiwan phrases and variants → Traditional standard (OpenCC `twp`). */
  taiwan: Trie[];
  /** Traditional → Simplified phrases and characters (OpenCC `cn`). */
  simplified: Trie[];
  /** Witnesses of the `simplified` entries that change something (see `witnessesOf`): text without one has nothing to convert. */
  witnesses: Set<number>;
  /** The same for the BMP, as a flat table by code unit. */
  witnessUnits: Uint8Array;
  /** `simplified` flattened, to tell whether it changes a text (`changes`). */
  simplifiedScan: FlatTrie[];
}

/** OpenCC's trie nodes: a Map by code point, with the replacement in `trie_val` where an entry ends. */
type TrieMap = Map<number, TrieMap> & { trie_val?: string };

/** The entries of `trie` whose replacement is not the entry itself. */
function changingEntriesOf(trie: Trie, into: string[]): void {
  const walk = (map: TrieMap, key: string): void => {
    if (map.trie_val !== undefined && map.trie_val !== key) into.push(key);
    for (const [cp, next] of map) walk(next, key + String.fromCodePoint(cp));
  };
  walk((trie as unknown as { map: TrieMap }).map, '');
}

/**
 * A witness of each changing entry: one of its characters that converts by
 * itself (a Traditional character), else its last. A text holds an entry
 * only if it holds that entry's witness, and 「手机」「不可以」 hold none.
 */
function witnessesOf(entries: readonly string[]): Set<number> {
  const single = new Set(entries.filter((e) => [...e].length === 1).map((e) => e.codePointAt(0)!));
  const out = new Set<number>();
  for (const e of entries) {
    const cps = [...e].map((c) => c.codePointAt(0)!);
    out.add(cps.find((cp) => single.has(cp)) ?? cps[cps.length - 1]!);
  }
  return out;
}

let tries: Tries | null = null;

function build(groups: readonly (readonly unknown[])[]): Trie[] {
  return groups.map((group) => {
    const t = new Trie();
    t.loadDictGroup(group as Parameters<Trie['loadDictGroup']>[0]);
    return t;
  });
}

function conversionTries(): Tries {
  if (!tries) {
    const simplified = build(to['cn'] ?? []);
    const changing: string[] = [];
    for (const trie of simplified) changingEntriesOf(trie, changing);
    const witnesses = witnessesOf(changing);
    const witnessUnits = new Uint8Array(0x10000);
    for (const cp of witnesses) if (cp <= 0xffff) witnessUnits[cp] = 1;
    tries = { taiwan: build(from['twp'] ?? []), simplified, witnesses, witnessUnits, simplifiedScan: simplified.map(flatten) };
  }
  return tries;
}

/**
 * Whether `text` holds a witness of a changing entry, reading a code point at
 * every code unit as `changes` does. A necessary condition, cheap; `changes`
 * decides.
 */
function mayChange(text: string, t: Tries): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const unit = unitAt(text, i);
    if (unit >= 0xd800 && unit <= 0xdfff ? t.witnesses.has(pointAt(text, i)!) : t.witnessUnits[unit] === 1) return true;
  }
  return false;
}

/** Quick test so that pure-ASCII input skips the dictionaries altogether. */
const HAS_HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

function convert(m: MappedText, trie: Trie): MappedText {
  return rewrite(m, (text, i) => {
    const hit = trie.matchPrefix(text, i);
    return hit ? { length: hit.end - i, replacement: hit.value } : null;
  });
}

/**
 * An OpenCC trie as typed arrays: nodes numbered breadth first from the root
 * (0), node n's children the code points `point[start[n], start[n + 1])`,
 * ascending, with their nodes in `node`; `value[n]` 0 when no entry ends at n,
 * 1 when the entry ending there is replaced by itself, 2 when it changes.
 * The root's children also by BMP code point in `first` (0: none).
 */
interface FlatTrie {
  start: Int32Array;
  point: Int32Array;
  node: Int32Array;
  value: Uint8Array;
  first: Int32Array;
}

function flatten(trie: Trie): FlatTrie {
  const maps: TrieMap[] = [(trie as unknown as { map: TrieMap }).map];
  /** Each node's parent and the code point that leads to it (the root's: -1). */
  const parent: number[] = [-1];
  const via: number[] = [-1];
  /** Each node's children, ascending by code point. */
  const sorted: [number, TrieMap][][] = [];
  for (let n = 0; n < maps.length; n++) {
    const children = [...maps[n]!].sort((a, b) => a[0] - b[0]);
    sorted.push(children);
    for (const [cp, next] of children) {
      maps.push(next);
      parent.push(n);
      via.push(cp);
    }
  }
  const start = new Int32Array(maps.length + 1);
  const point = new Int32Array(maps.length - 1);
  const node = new Int32Array(maps.length - 1);
  const value = new Uint8Array(maps.length);
  const first = new Int32Array(0x10000);
  // Breadth first: the children of n are numbered in the order they were pushed above.
  let child = 1;
  for (let n = 0; n < maps.length; n++) {
    start[n] = child - 1;
    for (const [cp] of sorted[n]!) {
      point[child - 1] = cp;
      node[child - 1] = child;
      if (n === 0 && cp <= 0xffff) first[cp] = child;
      child++;
    }
    const v = maps[n]!.trie_val;
    value[n] = v === undefined ? 0 : spells(v, n, parent, via) ? 1 : 2;
  }
  start[maps.length] = child - 1;
  return { start, point, node, value, first };
}

/** Whether `s` is the key of node `n`: the code points on the way from the root to it. */
function spells(s: string, n: number, parent: readonly number[], via: readonly number[]): boolean {
  let end = s.length;
  for (let at = n; at > 0; at = parent[at]!) {
    const cp = via[at]!;
    const units = cp > 0xffff ? 2 : 1;
    if (end < units || (units === 1 ? s.charCodeAt(end - 1) : s.codePointAt(end - 2)) !== cp) return false;
    end -= units;
  }
  return end === 0;
}

/** The child of node `n` by code point `cp`, or -1. */
function childOf(t: FlatTrie, n: number, cp: number): number {
  if (n === 0 && cp <= 0xffff) return t.first[cp]! > 0 ? t.first[cp]! : -1;
  let lo = t.start[n]!;
  let hi = t.start[n + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = t.point[mid]!;
    if (p === cp) return t.node[mid]!;
    if (p < cp) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/**
 * Whether any trie of `chain` would change something in `text`: at each
 * offset the longest entry as OpenCC's `matchPrefix` finds it (read code point
 * by code point as `codePointAt` reads), an entry replaced by itself skipped
 * over, the first that changes something the answer; on the flattened tries,
 * with no hit object and no slice.
 */
function changes(text: string, chain: readonly FlatTrie[]): boolean {
  const n = text.length;
  for (const t of chain) {
    for (let i = 0; i < n; ) {
      let node = 0;
      let end = 0;
      let kind = 0;
      for (let j = i; j < n; ) {
        let cp = unitAt(text, j);
        if (cp >= 0xd800 && cp <= 0xdbff && j + 1 < n) {
          const low = unitAt(text, j + 1);
          if (low >= 0xdc00 && low <= 0xdfff) cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        }
        j += cp > 0xffff ? 2 : 1;
        node = childOf(t, node, cp);
        if (node < 0) break;
        const v = t.value[node]!;
        if (v !== 0) {
          end = j;
          kind = v;
        }
      }
      if (end === 0) {
        i++;
        continue;
      }
      if (kind === 2) return true;
      i = end;
    }
  }
  return false;
}

/** Converts Traditional characters and Taiwan phrases to Mainland Simplified, keeping offsets. */
export function toSimplified(m: MappedText): MappedText {
  if (!HAS_HAN.test(m.text)) return m;
  const t = conversionTries();
  if (!mayChange(m.text, t)) return m;
  return convertAll(m, t);
}

function convertAll(m: MappedText, { taiwan, simplified, simplifiedScan }: Tries): MappedText {
  if (!changes(m.text, simplifiedScan)) return m;
  let out = m;
  for (const trie of [...taiwan, ...simplified]) out = convert(out, trie);
  return out;
}

/** `toSimplified` without the witness pre-test, for the test that the pre-test never changes a result. */
export function toSimplifiedWithoutPretest(m: MappedText): MappedText {
  return HAS_HAN.test(m.text) ? convertAll(m, conversionTries()) : m;
}
