/**
 * Shared set-up for NLU tests: one real NLU (nodejieba + intents/) per test
 * worker, and a fixed "now" so relative dates are deterministic.
 */
import { loadNlu, simpleSegmenter } from '../../server/nlu/index.js';
import type { Nlu } from '../../server/nlu/types.js';

export const NOW = new Date('2026-06-15T10:00:00Z');

let real: Promise<Nlu> | null = null;
let fast: Promise<Nlu> | null = null;

/** The NLU as production builds it (jieba segmenter), loaded once per worker. */
export function realNlu(): Promise<Nlu> {
  return (real ??= loadNlu());
}

/** The same content with the dependency-free segmenter: for tests that are about rules, not segmentation. */
export function fastNlu(): Promise<Nlu> {
  return (fast ??= loadNlu({ segmenter: simpleSegmenter }));
}
