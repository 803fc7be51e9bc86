/**
 * Stage 5: all entity finders over the normalised text, offsets mapped back
 * to the original.
 */
import { originalSpan, type MappedText } from '../mappedText.js';
import type { Entity } from '../types.js';
import { findDates, type DateSpan } from './dates.js';
import type { NameFinder, NameSpan } from './lexicon.js';
import { findNumbers, type Span } from './numbers.js';

/**
 * Entities of `base` (the normalised text of `original`), sorted by position,
 * with offsets into the original. A model's value is what the user wrote
 * ("iPhone 15 Pro"), spaces collapsed.
 */
export function findEntities(original: string, base: MappedText, now: Date, names: NameFinder): Entity[] {
  const numbers = findNumbers(base.text);
  const named = names.find(base.text);
  const dates = findDates(base.text, now);
  // Most messages hold none. The rest is a function of its own: the first message with an entity after V8
  // optimised the pipeline then deoptimises only that, not the whole understand it is inlined into.
  if (numbers.length === 0 && named.length === 0 && dates.length === 0) return [];
  return entitiesOf(original, base, [...numbers, ...named, ...dates]);
}

/** The spans as entities with offsets into the original, sorted by position. */
function entitiesOf(original: string, base: MappedText, spans: readonly (Span | NameSpan | DateSpan)[]): Entity[] {
  return spans
    .map((s) => {
      const at = originalSpan(base, s.from, s.to);
      const value = s.type === 'model' ? original.slice(at.start, at.end).trim().replace(/\s+/g, ' ') : s.value;
      return { type: s.type, value, ...at };
    })
    .sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
}
