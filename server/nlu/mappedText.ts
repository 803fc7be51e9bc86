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

/** How a Derived text's offsets follow from its source's. */
const IDENTITY = 0;
const EDITED = 1;
const SLICED = 2;

/**
 * A mapped text whose offsets are worked out when they are first read, from
 * its source's and what was done to it. Only an entity's span reads them, and
 * most messages have no entity: every stage that rewrites the text (folding,
 * Traditional→Simplified, pinyin, typos, synonyms) would otherwise build two
 * arrays as long as the message that nothing reads. The arrays, once built,
 * are what the eager version built: the same function of the same inputs.
 */
class Derived implements MappedText {
  private offsets: { starts: number[]; ends: number[] } | null = null;

  constructor(
    readonly text: string,
    private readonly how: number,
    private readonly source: MappedText | null,
    /** EDITED: the edits applied to the source (not changed afterwards). */
    private readonly edits: readonly Edit[] | null,
    /** SLICED: the source's units [from, to). */
    private readonly from: number,
    private readonly to: number,
  ) {}

  get starts(): readonly number[] {
    return (this.offsets ??= this.resolve()).starts;
  }

  get ends(): readonly number[] {
    return (this.offsets ??= this.resolve()).ends;
  }

  private resolve(): { starts: number[]; ends: number[] } {
    if (this.how === IDENTITY) return identityOffsets(this.text.length);
    const m = this.source!;
    if (this.how === SLICED) return { starts: m.starts.slice(this.from, this.to), ends: m.ends.slice(this.from, this.to) };
    return editedOffsets(m, this.edits!);
  }
}

function identityOffsets(n: number): { starts: number[]; ends: number[] } {
  // A message's offsets are copied out of one prebuilt range, not pushed one by one.
  if (n < RANGE.length) return { starts: RANGE.slice(0, n), ends: RANGE.slice(1, n + 1) };
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < n; i++) {
    starts.push(i);
    ends.push(i + 1);
  }
  return { starts, ends };
}

/** The identity mapping of `text` onto itself. */
export function mapped(text: string): MappedText {
  return new Derived(text, IDENTITY, null, null, 0, 0);
}

/** `m`'s units [from, to), with their offsets. */
export function sliced(m: MappedText, from: number, to: number): MappedText {
  return new Derived(m.text.slice(from, to), SLICED, m, null, from, to);
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
  let pos = 0;
  for (const e of edits) {
    if (e.from < pos) continue; // overlapping edit: the earlier one wins
    text += m.text.slice(pos, e.from);
    text += e.replacement;
    pos = e.to;
  }
  text += m.text.slice(pos);
  // The edits are kept (their makers drop them), and the offsets worked out from them when read.
  return new Derived(text, EDITED, m, edits, 0, 0);
}

/** The offsets of `applyEdits(m, edits)`'s text. */
function editedOffsets(m: MappedText, edits: readonly Edit[]): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  let pos = 0;
  for (const e of edits) {
    if (e.from < pos) continue; // overlapping edit: the earlier one wins
    copyOffsets(m, pos, e.from, starts, ends);
    const sameLength = e.replacement.length === e.to - e.from;
    const spanStart = e.from < m.starts.length ? m.starts[e.from]! : (m.ends[m.ends.length - 1] ?? 0);
    const spanEnd = e.to > e.from ? m.ends[e.to - 1]! : spanStart;
    for (let k = 0; k < e.replacement.length; k++) {
      starts.push(sameLength ? m.starts[e.from + k]! : spanStart);
      ends.push(sameLength ? m.ends[e.from + k]! : spanEnd);
    }
    pos = e.to;
  }
  copyOffsets(m, pos, m.text.length, starts, ends);
  return { starts, ends };
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
