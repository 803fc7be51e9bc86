/**
 * Stage 5: all entity finders over the normalised text, offsets mapped back
 * to the original.
 */
import { originalSpan, type MappedText } from '../mappedText.js';
import type { Entity } from '../types.js';
import { findDates } from './dates.js';
import type { NameFinder } from './lexicon.js';
import { findNumbers } from './numbers.js';

/**
 * Entities of `base` (the normalised text of `original`), sorted by position,
 * with offsets into the original. A model's value is what the user wrote
 * ("iPhone 15 Pro"), spaces collapsed.
 */
export function findEntities(original: string, base: MappedText, now: Date, names: NameFinder): Entity[] {
  const spans = [...findNumbers(base.text), ...names.find(base.text), ...findDates(base.text, now)];
  return spans
    .map((s) => {
      const at = originalSpan(base, s.from, s.to);
      const value = s.type === 'model' ? original.slice(at.start, at.end).trim().replace(/\s+/g, ' ') : s.value;
      return { type: s.type, value, ...at };
    })
    .sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
}
