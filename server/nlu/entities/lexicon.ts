/**
 * Name entities from the lexicon (intents/lexicon/entities.yaml): carriers,
 * brands and model strings, compiled once.
 */
import type { EntitiesFile } from '../content.js';

export interface NameSpan {
  type: 'carrier' | 'brand' | 'model';
  value: string;
  from: number;
  to: number;
}

export interface NameFinder {
  find(text: string): NameSpan[];
}

const LATIN = /[a-z0-9]/;

/** Compiles carrier and brand names (longest first) and model patterns. */
export function buildNameFinder(file: EntitiesFile): NameFinder {
  const names: { name: string; type: 'carrier' | 'brand'; value: string }[] = [];
  for (const [value, list] of Object.entries(file.carriers)) for (const n of list ?? []) names.push({ name: n.toLowerCase(), type: 'carrier', value });
  for (const [value, list] of Object.entries(file.brands)) for (const n of list) names.push({ name: n.toLowerCase(), type: 'brand', value });
  names.sort((a, b) => b.name.length - a.name.length);
  /** Words that hold a name but are none (looked for, like names, only when their first character occurs). */
  const blockers = file.not_names.map((n) => ({ name: n.toLowerCase() }));
  /**
   * Names and blockers (numbered: names first) by the code unit they start
   * with: a message is looked at only for names it could hold. A name
   * starting with a surrogate is never looked for, as a code point of the
   * text never equals half of one.
   */
  const entries = [...names, ...blockers];
  const byFirst: (number[] | undefined)[] = new Array(0x10000);
  entries.forEach((n, k) => {
    const unit = n.name.charCodeAt(0);
    if (unit >= 0xd800 && unit <= 0xdfff) return;
    (byFirst[unit] ??= []).push(k);
  });
  /** stamp[k] === call: entry k's first character is in this call's text. */
  const stamp = new Uint32Array(entries.length);
  let call = 0;
  /** Characters of this call's text already claimed by a blocker or a name: one buffer for every call. */
  let taken = new Uint8Array(256);
  const models = file.models.map((m) => ({ brand: m.brand, re: new RegExp(m.pattern, 'giu') }));
  /** One test for all model patterns: most messages name no model. */
  const anyModel = models.length > 0 ? new RegExp(file.models.map((m) => `(?:${m.pattern})`).join('|'), 'iu') : null;

  return {
    find(text) {
      // Names whose first character is not in the text cannot be there.
      call = call === 0xffffffff ? 1 : call + 1;
      if (call === 1) stamp.fill(0);
      let anyCandidate = false;
      for (let i = 0; i < text.length; i++) {
        const list = byFirst[text.charCodeAt(i)];
        if (!list) continue;
        anyCandidate = true;
        for (const k of list) stamp[k] = call;
      }
      // No name, blocker or model can be there: nothing to claim spans for.
      if (!anyCandidate && !anyModel?.test(text)) return [];
      if (taken.length < text.length) taken = new Uint8Array(text.length * 2);
      else taken.fill(0, 0, text.length);
      for (let b = 0; b < blockers.length; b++) {
        if (stamp[names.length + b] !== call) continue;
        const name = blockers[b]!.name;
        for (let p = text.indexOf(name); p >= 0; p = text.indexOf(name, p + 1)) taken.fill(1, p, p + name.length);
      }
      const out: NameSpan[] = [];
      for (const { brand, re } of anyModel?.test(text) ? models : []) {
        for (const m of text.matchAll(re)) {
          const to = m.index + m[0].trimEnd().length;
          if (!isFree(taken, m.index, to) || !wordEdges(text, m.index, to)) continue;
          taken.fill(1, m.index, to);
          out.push({ type: 'model', value: m[0].trim().replace(/\s+/g, ' '), from: m.index, to });
          out.push({ type: 'brand', value: brand, from: m.index, to });
        }
      }
      for (let k = 0; anyCandidate && k < names.length; k++) {
        if (stamp[k] !== call) continue;
        const n = names[k]!;
        for (let p = text.indexOf(n.name); p >= 0; p = text.indexOf(n.name, p + 1)) {
          const to = p + n.name.length;
          if (!isFree(taken, p, to) || !wordEdges(text, p, to)) continue;
          taken.fill(1, p, to);
          out.push({ type: n.type, value: n.value, from: p, to });
        }
      }
      // A model also names its brand; keep one brand per span.
      return dedupe(out).sort((a, b) => a.from - b.from || a.type.localeCompare(b.type));
    },
  };
}

/** Whether no character of `[from, to)` is claimed yet. */
function isFree(taken: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (taken[i] !== 0) return false;
  return true;
}

/** A Latin name must not be part of a longer Latin word ("mi" in "mine"). */
function wordEdges(text: string, from: number, to: number): boolean {
  const first = text[from] ?? '';
  const last = text[to - 1] ?? '';
  if (LATIN.test(first) && from > 0 && /[a-z]/.test(text[from - 1]!)) return false;
  if (LATIN.test(last) && /[a-z]/.test(text[to] ?? '')) return false;
  return true;
}

function dedupe(spans: NameSpan[]): NameSpan[] {
  const seen = new Set<string>();
  return spans.filter((s) => {
    const k = `${s.type}:${s.value}:${s.from}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
