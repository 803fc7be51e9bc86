/**
 * Messages typed in toneless pinyin, as people do when a Chinese IME is not at
 * hand: 「shouji diule」「baoxiu duojiu」「kai bu liao ji」. A run of Latin
 * words whose letters split wholly into the pinyin of known terms (two
 * syllables or more, so no single English word is mistaken for one) is
 * rewritten to those terms; anything else is left alone.
 */
import { pinyin } from 'pinyin-pro';
import { applyEdits, type Edit, type MappedText } from './mappedText.js';

export interface PinyinReader {
  /** Rewrites pinyin runs in `m`, adding "pinyin: shouji diule→手机丢了" notes. */
  read(m: MappedText, notes: string[]): MappedText;
}

const HAN_WORD = /^\p{Script=Han}{2,}$/u;
const LATIN_RUN = /[a-z]+(?: [a-z]+)*/g;

interface LetterNode {
  /** Children by letter, a = 0. */
  next: (LetterNode | undefined)[];
  /** A term's letters end here. */
  term: boolean;
}

/** Compiles the pinyin of every term (whole-word readings: 开不了机 is kai bu liao ji). */
export function buildPinyinReader(terms: readonly string[]): PinyinReader {
  const byLetters = new Map<string, string>();
  for (const term of terms) {
    if (!HAN_WORD.test(term)) continue;
    const letters = pinyin(term, { toneType: 'none', type: 'array' }).join('');
    if (!/^[a-z]+$/.test(letters) || byLetters.has(letters)) continue;
    byLetters.set(letters, term);
  }
  /** The keys of byLetters as a trie by letter (a–z). */
  const root: LetterNode = { next: [], term: false };
  for (const letters of byLetters.keys()) {
    let node = root;
    for (let k = 0; k < letters.length; k++) node = node.next[letters.charCodeAt(k) - 97] ??= { next: [], term: false };
    node.term = true;
  }

  /**
   * From letter `from`, the positions a chain of terms reaches: each maps to
   * where the term ending there began (only what is reached is stored, so
   * English text costs a few lookups per word).
   */
  function chains(letters: string, from: number): Map<number, number> {
    const prev = new Map<number, number>([[from, from]]);
    const todo = [from];
    while (todo.length > 0) {
      const p = todo.pop()!;
      // The terms' letters from p, shortest first: a walk down the letter trie, no slice per length tried.
      let node: LetterNode | undefined = root;
      for (let q = p; q < letters.length; q++) {
        node = node.next[letters.charCodeAt(q) - 97];
        if (!node) break;
        const to = q + 1;
        if (node.term && to - p >= 2 && !prev.has(to)) {
          prev.set(to, p);
          todo.push(to);
        }
      }
    }
    return prev;
  }

  function termsOf(letters: string, prev: Map<number, number>, from: number, to: number): string[] {
    const out: string[] = [];
    for (let p = to; p > from; p = prev.get(p)!) out.unshift(byLetters.get(letters.slice(prev.get(p)!, p))!);
    return out;
  }

  return {
    read(m, notes) {
      if (byLetters.size === 0 || !/[a-z]/.test(m.text)) return m;
      const edits: Edit[] = [];
      for (const run of m.text.matchAll(LATIN_RUN)) {
        const words = [...run[0].matchAll(/[a-z]+/g)];
        const letters = words.map((w) => w[0]).join('');
        // Where each word's letters start in `letters`.
        const at: number[] = [];
        let n = 0;
        for (const w of words) {
          at.push(n);
          n += w[0].length;
        }
        at.push(n);
        for (let i = 0; i < words.length; ) {
          const prev = chains(letters, at[i]!);
          // The longest run of whole words from i that is all pinyin.
          let end = words.length;
          while (end > i && !prev.has(at[end]!)) end--;
          if (end === i) {
            i++;
            continue;
          }
          const terms = termsOf(letters, prev, at[i]!, at[end]!);
          const from = run.index + words[i]!.index;
          const last = words[end - 1]!;
          const to = run.index + last.index + last[0].length;
          edits.push({ from, to, replacement: terms.join('') });
          notes.push(`pinyin: ${m.text.slice(from, to)}→${terms.join('')}`);
          i = end;
        }
      }
      return applyEdits(m, edits);
    },
  };
}
