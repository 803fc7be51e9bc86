/**
 * Messages typed in toneless pinyin, as people do when a Chinese IME is not at
 * hand: 「shouji diule」「baoxiu duojiu」「kai bu liao ji」. A run of Latin
 * words whose letters split wholly into the pinyin of known terms (two
 * syllables or more, so no single English word is mistaken for one) is
 * rewritten to those terms; anything else is left alone.
 */
import { pinyin } from 'pinyin-pro';
import { applyEdits, type Edit, type MappedText } from './mappedText.js';
import { unitAt } from './codeUnits.js';

export interface PinyinReader {
  /** Rewrites pinyin runs in `m`, adding "pinyin: shouji diule→手机丢了" notes. */
  read(m: MappedText, notes: string[]): MappedText;
}

const HAN_WORD = /^\p{Script=Han}{2,}$/u;

interface LetterNode {
  /** Children by letter, a = 0. */
  next: (LetterNode | undefined)[];
  /** The term whose letters end here. */
  term: string | undefined;
}

/** Whether the code unit is a lower-case ASCII letter (a–z). */
const isLetter = (unit: number): boolean => unit >= 0x61 && unit <= 0x7a;

/** Compiles the pinyin of every term (whole-word readings: 开不了机 is kai bu liao ji). */
export function buildPinyinReader(terms: readonly string[]): PinyinReader {
  const byLetters = new Map<string, string>();
  for (const term of terms) {
    if (!HAN_WORD.test(term)) continue;
    const letters = pinyin(term, { toneType: 'none', type: 'array' }).join('');
    if (!/^[a-z]+$/.test(letters) || byLetters.has(letters)) continue;
    byLetters.set(letters, term);
  }
  /** The keys of byLetters as a trie by letter (a–z), each ending at its term. */
  const root: LetterNode = { next: [], term: undefined };
  for (const [letters, term] of byLetters) {
    let node = root;
    for (let k = 0; k < letters.length; k++) node = node.next[letters.charCodeAt(k) - 97] ??= { next: [], term: undefined };
    node.term = term;
  }

  /**
   * This call's run of Latin words (`[a-z]+` joined by single spaces), in
   * buffers reused by every call: the words' offsets in the text, their
   * letters one after another (a = 0), and where each word's letters start
   * (plus one entry past the last word). No regex match or string per word.
   */
  let letters = new Uint8Array(64);
  const wordFrom: number[] = [];
  const wordTo: number[] = [];
  const at: number[] = [];

  /**
   * What `chains` reached, in buffers reused by every call: letter position
   * `to` is reached when reachedIn[to] === chain, the term ending there
   * began at begin[to] and is termAt[to].
   */
  let reachedIn = new Uint32Array(64);
  let begin = new Int32Array(64);
  const termAt: string[] = [];
  let chain = 0;
  const todo: number[] = [];

  /**
   * From letter `from` of the run's `n` letters, the positions a chain of
   * terms reaches, with where the term ending at each began (only what is
   * reached is stored, so English text costs a few lookups per word).
   */
  function chains(n: number, from: number): void {
    if (reachedIn.length <= n) {
      reachedIn = new Uint32Array(2 * n + 2);
      begin = new Int32Array(2 * n + 2);
      chain = 0;
    }
    if (++chain === 0xffffffff) {
      reachedIn.fill(0);
      chain = 1;
    }
    reachedIn[from] = chain;
    begin[from] = from;
    let pending = 0;
    todo[pending++] = from;
    while (pending > 0) {
      const p = todo[--pending]!;
      // The terms' letters from p, shortest first: a walk down the letter trie, no slice per length tried.
      let node: LetterNode | undefined = root;
      for (let q = p; q < n; q++) {
        node = node.next[letters[q]!];
        if (!node) break;
        const to = q + 1;
        if (node.term !== undefined && to - p >= 2 && reachedIn[to] !== chain) {
          reachedIn[to] = chain;
          begin[to] = p;
          termAt[to] = node.term;
          todo[pending++] = to;
        }
      }
    }
  }

  /** The terms of the chain that reached `to` from `from`, joined. */
  function termsOf(from: number, to: number): string {
    let out = '';
    for (let p = to; p > from; p = begin[p]!) out = termAt[p]! + out;
    return out;
  }

  /**
   * Reads the run of Latin words starting at `start` into the buffers;
   * returns how many words it has (they end at wordTo[words - 1]).
   */
  function readRun(s: string, start: number): number {
    const end = s.length;
    let words = 0;
    let n = 0;
    let i = start;
    for (;;) {
      wordFrom[words] = i;
      at[words] = n;
      for (; i < end && isLetter(unitAt(s, i)); i++) {
        if (n === letters.length) {
          const grown = new Uint8Array(2 * n);
          grown.set(letters);
          letters = grown;
        }
        letters[n++] = unitAt(s, i) - 97;
      }
      wordTo[words++] = i;
      // One space and another word continue the run (read within the text: V8 deoptimises a read past its end).
      if (i + 1 >= end || unitAt(s, i) !== 0x20 || !isLetter(unitAt(s, i + 1))) break;
      i++;
    }
    at[words] = n;
    return words;
  }

  return {
    read(m, notes) {
      if (byLetters.size === 0) return m;
      const s = m.text;
      let edits: Edit[] | undefined;
      const length = s.length;
      for (let r = 0; r < length; ) {
        if (!isLetter(unitAt(s, r))) {
          r++;
          continue;
        }
        const words = readRun(s, r);
        r = wordTo[words - 1]!;
        for (let i = 0; i < words; ) {
          chains(at[words]!, at[i]!);
          // The longest run of whole words from i that is all pinyin.
          let end = words;
          while (end > i && reachedIn[at[end]!] !== chain) end--;
          if (end === i) {
            i++;
            continue;
          }
          const terms = termsOf(at[i]!, at[end]!);
          const from = wordFrom[i]!;
          const to = wordTo[end - 1]!;
          (edits ??= []).push({ from, to, replacement: terms });
          notes.push(`pinyin: ${s.slice(from, to)}→${terms}`);
          i = end;
        }
      }
      return edits ? applyEdits(m, edits) : m;
    },
  };
}
