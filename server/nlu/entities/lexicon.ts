/**
 * Name entities from the lexicon (intents/lexicon/entities.yaml): carriers,
 * brands and model strings, compiled once.
 */
import type { EntitiesFile } from '../content.js';
import { buildPhraseIndex } from '../phraseIndex.js';

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
  /** Words that hold a name but are none. */
  const blockers = file.not_names.map((n) => ({ name: n.toLowerCase() }));
  /**
   * Names and blockers (numbered: names first) in one phrase trie: one walk
   * over a message finds every occurrence of each, instead of an indexOf per
   * name its first character allows (every Latin letter begins some name). A
   * name starting with a surrogate is left out, as it always was: it was
   * looked for by its first code unit alone.
   */
  const entries = [...names, ...blockers];
  const searched = entries.filter((n) => !isSurrogate(n.name.charCodeAt(0)));
  const index = buildPhraseIndex(searched.map((n) => n.name));
  /** One walk's result, filled again by every call. */
  const scan = index.scanner();
  /** By the trie's string id: the entries spelled so, in entry order. */
  const entriesOf: number[][] = [];
  entries.forEach((n, k) => {
    if (!isSurrogate(n.name.charCodeAt(0))) (entriesOf[index.idOf(n.name)] ??= []).push(k);
  });
  /** This call's name occurrences as entry × (text length + 1) + offset: sorted, by name then offset. */
  let found = new Float64Array(64);
  /** Characters of this call's text already claimed by a blocker or a name: one buffer for every call. */
  let taken = new Uint8Array(256);
  const models = file.models.map((m) => ({ brand: m.brand, re: new RegExp(m.pattern, 'giu') }));
  /** One test for all model patterns: most messages name no model. */
  const anyModel = models.length > 0 ? new RegExp(file.models.map((m) => `(?:${m.pattern})`).join('|'), 'iu') : null;

  return {
    find(text) {
      const occ = scan(text);
      const modelHere = anyModel !== null && anyModel.test(text);
      // No name, blocker or model there: nothing to claim spans for.
      if (occ.ids.length === 0 && !modelHere) return [];
      if (taken.length < text.length) taken = new Uint8Array(text.length * 2);
      else taken.fill(0, 0, text.length);
      // Blockers claim their spans first; the names' occurrences are kept to be tried longest name first.
      let count = 0;
      for (let j = 0; j < occ.ids.length; j++) {
        const p = occ.starts[j]!;
        for (const k of entriesOf[occ.ids[j]!]!) {
          if (k >= names.length) {
            taken.fill(1, p, p + entries[k]!.name.length);
            continue;
          }
          if (count === found.length) {
            const grown = new Float64Array(2 * count);
            grown.set(found);
            found = grown;
          }
          found[count++] = k * (text.length + 1) + p;
        }
      }
      const out: NameSpan[] = [];
      for (const { brand, re } of modelHere ? models : []) {
        for (const m of text.matchAll(re)) {
          const to = m.index + m[0].trimEnd().length;
          if (!isFree(taken, m.index, to) || !wordEdges(text, m.index, to)) continue;
          taken.fill(1, m.index, to);
          out.push({ type: 'model', value: m[0].trim().replace(/\s+/g, ' '), from: m.index, to });
          out.push({ type: 'brand', value: brand, from: m.index, to });
        }
      }
      const byName = found.subarray(0, count).sort();
      for (let j = 0; j < count; j++) {
        const k = Math.floor(byName[j]! / (text.length + 1));
        const p = byName[j]! - k * (text.length + 1);
        const n = names[k]!;
        const to = p + n.name.length;
        if (!isFree(taken, p, to) || !wordEdges(text, p, to)) continue;
        taken.fill(1, p, to);
        out.push({ type: n.type, value: n.value, from: p, to });
      }
      // A model also names its brand; keep one brand per span.
      return dedupe(out).sort((a, b) => a.from - b.from || a.type.localeCompare(b.type));
    },
  };
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
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
