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
    tries = { taiwan: build(from['twp'] ?? []), simplified, witnesses, witnessUnits };
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

/** Whether any trie of `chain` would change something in `text`. */
function changes(text: string, chain: readonly Trie[]): boolean {
  for (const trie of chain) {
    for (let i = 0; i < text.length; ) {
      const hit = trie.matchPrefix(text, i);
      if (!hit) {
        i++;
        continue;
      }
      if (hit.value !== text.slice(i, hit.end)) return true;
      i = hit.end;
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

function convertAll(m: MappedText, { taiwan, simplified }: Tries): MappedText {
  if (!changes(m.text, simplified)) return m;
  let out = m;
  for (const trie of [...taiwan, ...simplified]) out = convert(out, trie);
  return out;
}

/** `toSimplified` without the witness pre-test, for the test that the pre-test never changes a result. */
export function toSimplifiedWithoutPretest(m: MappedText): MappedText {
  return HAS_HAN.test(m.text) ? convertAll(m, conversionTries()) : m;
}
