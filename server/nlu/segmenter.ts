/**
 * Segmenters: the real one wraps nodejieba (see jiebaSegmenter.ts, loaded
 * only when needed); this one is a dependency-free stand-in for unit tests
 * and tools that must not pay jieba's start-up.
 */
import type { Segmenter } from './types.js';

export type { Segmenter };

const TOKEN = /[a-z0-9]+|\p{Script=Han}|[^\sa-z0-9\p{Script=Han}]/giu;

/**
 * Latin/digit runs whole (iPhone15, wifi, 5G), then each Han character alone,
 * then each other symbol. Deterministic and instant; not a word segmenter.
 */
export const simpleSegmenter: Segmenter = {
  cut: (text) => text.match(TOKEN) ?? [],
};
