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
   * What `chains` reached, in buffers reused by every call: letter position
   * `to` is reached when reachedIn[to] === chain, the term ending there
   * began at begin[to].
   */
  let reachedIn = new Uint32Array(64);
  let begin = new Int32Array(64);
  let chain = 0;
  const todo: number[] = [];
  const reached = (to: number): boolean => reachedIn[to] === chain;

  /**
   * From letter `from`, the positions a chain of terms reaches, with where
   * the term ending at each began (only what is reached is stored, so
   * English text costs a few lookups per word). Read with `reached`.
   */
  function chains(letters: string, from: number): void {
    if (reachedIn.length <= letters.length) {
      reachedIn = new Uint32Array(2 * letters.length + 2);
      begin = new Int32Array(2 * letters.length + 2);
      chain = 0;
    }
    if (++chain === 0xffffffff) {
      reachedIn.fill(0);
      chain = 1;
    }
    reachedIn[from] = chain;
    begin[from] = from;
    todo.length = 0;
    todo.push(from);
    while (todo.length > 0) {
      const p = todo.pop()!;
      // The terms' letters from p, shortest first: a walk down the letter trie, no slice per length tried.
      let node: LetterNode | undefined = root;
      for (let q = p; q < letters.length; q++) {
        node = node.next[letters.charCodeAt(q) - 97];
        if (!node) break;
        const to = q + 1;
        if (node.term && to - p >= 2 && !reached(to)) {
          reachedIn[to] = chain;
          begin[to] = p;
          todo.push(to);
        }
      }
    }
  }

  function termsOf(letters: string, from: number, to: number): string[] {
    const out: string[] = [];
    for (let p = to; p > from; p = begin[p]!) out.unshift(byLetters.get(letters.slice(begin[p]!, p))!);
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
          chains(letters, at[i]!);
          // The longest run of whole words from i that is all pinyin.
          let end = words.length;
          while (end > i && !reached(at[end]!)) end--;
          if (end === i) {
            i++;
            continue;
          }
          const terms = termsOf(letters, at[i]!, at[end]!);
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
