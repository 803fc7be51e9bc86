/**
 * Text that remembers where each of its characters came from, so every
 * rewrite (NFKC, Traditional→Simplified, typo fixes, synonyms) keeps entity
 * offsets pointing into what the user actually typed.
 */
import { pointUnits } from './codeUnits.js';

export interface MappedText {
  readonly text: string;
  /** For each UTF-16 unit of `text`, the offset in the original where its source begins. */
  readonly starts: readonly number[];
  /** For each UTF-16 unit of `text`, the offset in the original where its source ends. */
  readonly ends: readonly number[];
}

/** 0, 1, 2, …: the identity offsets of texts up to 4096 units. */
const RANGE: readonly number[] = Array.from({ length: 4097 }, (_, i) => i);

/** The identity mapping of `text` onto itself. */
export function mapped(text: string): MappedText {
  // A message's offsets are copied out of one prebuilt range, not pushed one by one.
  if (text.length < RANGE.length) return { text, starts: RANGE.slice(0, text.length), ends: RANGE.slice(1, text.length + 1) };
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    starts.push(i);
    ends.push(i + 1);
  }
  return { text, starts, ends };
}

/** Original `[start, end)` of the mapped span `[from, to)`; empty spans map to a point. */
export function originalSpan(m: MappedText, from: number, to: number): { start: number; end: number } {
  if (to <= from) {
    const at = from < m.starts.length ? m.starts[from]! : (m.ends[m.ends.length - 1] ?? 0);
    return { start: at, end: at };
  }
  return { start: m.starts[from]!, end: m.ends[to - 1]! };
}

/** A rewrite proposed at `[from, to)` of the current text. */
export interface Edit {
  from: number;
  to: number;
  replacement: string;
}

/**
 * Applies non-overlapping edits (sorted by `from`). A replacement of the same
 * length keeps the one-to-one mapping; otherwise every new character maps to
 * the whole replaced span, which is what an entity covering it should report.
 */
export function applyEdits(m: MappedText, edits: readonly Edit[]): MappedText {
  if (edits.length === 0) return m;
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let pos = 0;
  for (const e of edits) {
    if (e.from < pos) continue; // overlapping edit: the earlier one wins
    text += m.text.slice(pos, e.from);
    copyOffsets(m, pos, e.from, starts, ends);
    const sameLength = e.replacement.length === e.to - e.from;
    const spanStart = e.from < m.starts.length ? m.starts[e.from]! : (m.ends[m.ends.length - 1] ?? 0);
    const spanEnd = e.to > e.from ? m.ends[e.to - 1]! : spanStart;
    for (let k = 0; k < e.replacement.length; k++) {
      starts.push(sameLength ? m.starts[e.from + k]! : spanStart);
      ends.push(sameLength ? m.ends[e.from + k]! : spanEnd);
    }
    text += e.replacement;
    pos = e.to;
  }
  text += m.text.slice(pos);
  copyOffsets(m, pos, m.text.length, starts, ends);
  return { text, starts, ends };
}

/** Appends the offsets of `m`'s units `[from, to)` to `starts` and `ends`. */
function copyOffsets(m: MappedText, from: number, to: number, starts: number[], ends: number[]): void {
  for (let i = from; i < to; i++) {
    starts.push(m.starts[i]!);
    ends.push(m.ends[i]!);
  }
}

/**
 * Rewrites the text one code point (or matched run) at a time: `step(text, i)`
 * returns how many units it consumed and what to put instead, or null to copy
 * the code point unchanged.
 */
export function rewrite(
  m: MappedText,
  step: (text: string, i: number) => { length: number; replacement: string } | null,
): MappedText {
  const edits: Edit[] = [];
  const s = m.text;
  const n = s.length;
  for (let i = 0; i < n; ) {
    const r = step(s, i);
    if (r && r.length > 0) {
      if (r.replacement !== s.slice(i, i + r.length)) edits.push({ from: i, to: i + r.length, replacement: r.replacement });
      i += r.length;
    } else {
      i += pointUnits(s, i, n);
    }
  }
  return applyEdits(m, edits);
}
