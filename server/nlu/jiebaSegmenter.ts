/**
 * The real segmenter: nodejieba with HMM on (so iPhone15 and wifi stay whole)
 * and the domain words of intents/ in its dictionary. nodejieba is loaded once
 * per process (about 0.45 s with the install patch, scripts/patch-nodejieba.mjs); later calls reuse it.
 *
 * The domain words go in as a user dictionary file with a high frequency:
 * words added with `insertWord` get a middling weight and lose to jieba's own
 * entries (手机卡/顿 instead of 手机/卡顿).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodejieba from 'nodejieba';
import type { Segmenter } from './types.js';

const DOMAIN_FREQUENCY = 100_000;
let loaded = false;
const known = new Set<string>();

/**
 * Words worth telling jieba about. Pure Latin words stay out: jieba keeps
 * Latin runs whole by itself, and a dictionary entry "iphone" would split
 * "iphone15" into iphone/15.
 */
function dictionaryWords(words: readonly string[]): string[] {
  return [...new Set(words.map((w) => w.toLowerCase().trim()))].filter((w) => w && !/^[a-z]+$/.test(w) && !/\s/.test(w));
}

/** nodejieba's own user dictionary (exported at runtime, missing from its typings). */
function defaultUserDict(): string {
  return (nodejieba as unknown as { DEFAULT_USER_DICT: string }).DEFAULT_USER_DICT;
}

/** A Segmenter over the process-wide nodejieba, with `words` in its dictionary. */
export function jiebaSegmenter(words: readonly string[]): Segmenter {
  const wanted = dictionaryWords(words);
  if (!loaded) {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-jieba-'));
    const file = join(dir, 'user.dict.utf8');
    // cppjieba reads "word freq tag"; with two fields the second would be taken as the tag.
    writeFileSync(file, wanted.map((w) => `${w} ${DOMAIN_FREQUENCY} n`).join('\n') + '\n');
    // Keyword extraction is never used: a one-word IDF table and no stop words instead of
    // jieba's 6 MB table, which would cost about a third of the load.
    const idf = join(dir, 'idf.utf8');
    const stopWords = join(dir, 'stop_words.utf8');
    writeFileSync(idf, '的 1.0\n');
    writeFileSync(stopWords, '的\n');
    try {
      nodejieba.load({ userDict: `${defaultUserDict()}|${file}`, idfDict: idf, stopWordDict: stopWords });
    } finally {
      rmSync(dir, { recursive: true, force: true }); // read once at load; nothing refers to it afterwards
    }
    loaded = true;
    for (const w of wanted) known.add(w);
  }
  // Content loaded later in the same process (tests, another intents dir): best effort.
  for (const w of wanted) {
    if (known.has(w)) continue;
    nodejieba.insertWord(w);
    known.add(w);
  }
  return {
    cut: (text) => (text ? nodejieba.cut(text, true).filter((t) => t.trim() !== '') : []),
  };
}
