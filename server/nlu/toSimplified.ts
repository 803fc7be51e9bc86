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

interface Tries {
  /** Taiwan phrases and variants → Traditional standard (OpenCC `twp`). */
  taiwan: Trie[];
  /** Traditional → Simplified phrases and characters (OpenCC `cn`). */
  simplified: Trie[];
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
  tries ??= { taiwan: build(from['twp'] ?? []), simplified: build(to['cn'] ?? []) };
  return tries;
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
  const { taiwan, simplified } = conversionTries();
  if (!changes(m.text, simplified)) return m;
  let out = m;
  for (const trie of [...taiwan, ...simplified]) out = convert(out, trie);
  return out;
}
