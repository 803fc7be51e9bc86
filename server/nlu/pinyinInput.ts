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

/** Compiles the pinyin of every term (whole-word readings: 开不了机 is kai bu liao ji). */
export function buildPinyinReader(terms: readonly string[]): PinyinReader {
  const byLetters = new Map<string, string>();
  let longest = 0;
  for (const term of terms) {
    if (!HAN_WORD.test(term)) continue;
    const letters = pinyin(term, { toneType: 'none', type: 'array' }).join('');
    if (!/^[a-z]+$/.test(letters) || byLetters.has(letters)) continue;
    byLetters.set(letters, term);
    longest = Math.max(longest, letters.length);
  }

  /**
   * From letter `from`, where each later position can be reached by a chain of
   * terms: `prev[p - from]` is where the term ending at p began, -1 if none.
   */
  function chains(letters: string, from: number): Int32Array {
    const prev = new Int32Array(letters.length - from + 1).fill(-1);
    prev[0] = 0;
    for (let p = 0; p < prev.length - 1; p++) {
      if (prev[p] === -1) continue;
      for (let len = 2; len <= longest && p + len < prev.length; len++) {
        if (prev[p + len] === -1 && byLetters.has(letters.slice(from + p, from + p + len))) prev[p + len] = p;
      }
    }
    return prev;
  }

  function termsOf(letters: string, from: number, prev: Int32Array, to: number): string[] {
    const out: string[] = [];
    for (let p = to - from; p > 0; p = prev[p]!) out.unshift(byLetters.get(letters.slice(from + prev[p]!, from + p))!);
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
          while (end > i && prev[at[end]! - at[i]!] === -1) end--;
          if (end === i) {
            i++;
            continue;
          }
          const terms = termsOf(letters, at[i]!, prev, at[end]!);
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
