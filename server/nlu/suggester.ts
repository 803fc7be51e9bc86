/**
 * The suggester: a softmax (multinomial logistic) regression on the Han
 * characters and character pairs and the Latin words of the normalised text,
 * trained at start-up on labelled messages (real users' lines in
 * intents/labelled/, the intents' examples, the out-of-scope examples as
 * `none`). It never decides an intent: asked only when the rules found
 * nothing, its best guess becomes a question the user answers with one tap
 * (「您是想咨询“手机卡顿、发热”的问题吗？」). Measured on held-out real text
 * it is right too seldom to answer by itself (README, "A statistical layer").
 *
 * Training is deterministic (a seeded shuffle), so the same content gives the
 * same weights on every start and every process.
 */

import { unitAt } from './codeUnits.js';
import { buildPairTable } from './pairTable.js';
import { DistinctIds } from './distinctIds.js';

export const NONE = 'none';

export interface LabelledText {
  /** Normalised text (what `understand` reports as `normalized`). */
  text: string;
  /** The right answers: intent ids or `none`; each gets an equal share of the target. */
  labels: readonly string[];
}

export interface Guess {
  label: string;
  probability: number;
}

export interface Suggester {
  /** The most likely class (an intent id or `none`) and its probability; null when the text has no known feature. */
  best(text: string): Guess | null;
}

export interface TrainOptions {
  epochs?: number;
  /** AdaGrad's base step. */
  rate?: number;
  /** L2 penalty on each weight touched. */
  l2?: number;
  seed?: number;
}

const LATIN_WORD = /[a-z]+/g;


/** A Han character of the Basic Multilingual Plane (CJK unified ideographs, extension A, compatibility). */
function isHan(unit: number): boolean {
  return (unit >= 0x4e00 && unit <= 0x9fff) || (unit >= 0x3400 && unit <= 0x4dbf) || (unit >= 0xf900 && unit <= 0xfaff);
}

/**
 * Feature keys of a text: each Han character (its code unit), each pair of
 * adjacent Han characters (both code units in one number, above any single
 * unit), each Latin word (`w:` + the word). Each counts once.
 */
export function featureKeys(text: string): (number | string)[] {
  const keys = new Set<number | string>();
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (!isHan(unit)) {
      previous = -1;
      continue;
    }
    keys.add(unit);
    if (previous >= 0) keys.add(previous * 0x10000 + unit);
    previous = unit;
  }
  for (const w of text.match(LATIN_WORD) ?? []) keys.add(`w:${w}`);
  return [...keys];
}

/** Trains on `data` over `classes` (labels outside `classes` are ignored; a text with none left is skipped). */
export function trainSuggester(data: readonly LabelledText[], classes: readonly string[], options: TrainOptions = {}): Suggester {
  const { epochs = 5, rate = 0.2, l2 = 1e-3, seed = 7 } = options;
  const K = classes.length;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const vocabulary = new Map<number | string, number>();
  const docs: { features: Int32Array; targets: Float64Array }[] = [];
  for (const d of data) {
    const ys = d.labels.map((l) => classIndex.get(l)).filter((y): y is number => y !== undefined);
    const keys = featureKeys(d.text);
    if (ys.length === 0 || keys.length === 0) continue;
    const features = Int32Array.from(keys, (k) => {
      let id = vocabulary.get(k);
      if (id === undefined) vocabulary.set(k, (id = vocabulary.size));
      return id;
    });
    const targets = new Float64Array(K);
    for (const y of ys) targets[y]! += 1 / ys.length;
    docs.push({ features, targets });
  }
  const weights = new Float64Array(vocabulary.size * K);
  const squares = new Float64Array(vocabulary.size * K).fill(1e-8);
  const bias = new Float64Array(K);
  const p = new Float64Array(K);
  const gradient = new Float64Array(K);
  const order = docs.map((_, i) => i);
  let r = seed >>> 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      r = (Math.imul(r, 1103515245) + 12345) >>> 0;
      const j = r % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const at of order) {
      const { features, targets } = docs[at]!;
      softmax(weights, bias, features, features.length, K, p);
      // Long posts must not outweigh short ones.
      const scale = 1 / Math.sqrt(features.length);
      for (let k = 0; k < K; k++) {
        gradient[k] = p[k]! - targets[k]!;
        bias[k]! -= 0.1 * gradient[k]!;
      }
      // Feature-major: one feature's K weights lie side by side.
      for (const f of features) {
        const row = f * K;
        for (let k = 0; k < K; k++) {
          const w = row + k;
          const step = gradient[k]! * scale + l2 * weights[w]!;
          squares[w]! += step * step;
          weights[w]! -= (rate * step) / Math.sqrt(squares[w]!);
        }
      }
    }
  }
  const compact = Float32Array.from(weights);
  const { unitIds, pairIds, wordIds } = featureLookup(vocabulary);
  /** This call's feature ids, in the order featureKeys gives their keys. */
  const distinct = new DistinctIds(vocabulary.size);
  const take = (id: number) => distinct.add(id);
  const q = new Float64Array(K);
  return {
    best(text) {
      // featureKeys(text) looked up in the vocabulary, without making its keys: the same ids in the same
      // order (each key once, at its first place), so the softmax adds the same weights in the same order.
      distinct.begin();
      let previous = -1;
      let latin = false;
      const n = text.length;
      for (let i = 0; i < n; i++) {
        const unit = unitAt(text, i);
        if (!isHan(unit)) {
          if (unit >= 0x61 && unit <= 0x7a) latin = true;
          previous = -1;
          continue;
        }
        take(unitIds[unit]!);
        if (previous >= 0) take(pairIds.get(previous, unit));
        previous = unit;
      }
      if (latin) {
        LATIN_WORD.lastIndex = 0;
        for (let m = LATIN_WORD.exec(text); m !== null; m = LATIN_WORD.exec(text)) take(wordIds.get(m[0]) ?? -1);
      }
      if (distinct.count === 0) return null;
      softmax(compact, bias, distinct.ids, distinct.count, K, q);
      let top = 0;
      for (let k = 1; k < K; k++) if (q[k]! > q[top]!) top = k;
      return { label: classes[top]!, probability: q[top]! };
    },
  };
}

/** The vocabulary by kind of key: a Han character by its unit, a pair by its two units, a Latin word by itself. */
function featureLookup(vocabulary: ReadonlyMap<number | string, number>) {
  const unit = new Int32Array(0x10000).fill(-1);
  const pairs: [number, number, number][] = [];
  const words = new Map<string, number>();
  for (const [key, id] of vocabulary) {
    if (typeof key === 'string') words.set(key.slice(2), id);
    else if (key < 0x10000) unit[key] = id;
    else pairs.push([Math.floor(key / 0x10000), key % 0x10000, id]);
  }
  return { unitIds: unit, pairIds: buildPairTable(pairs), wordIds: words };
}

/** out = softmax(bias + Σ weights[f]) over the K classes for the first `count` features (feature-major: each feature's K weights are adjacent). */
function softmax(weights: Float64Array | Float32Array, bias: Float64Array, features: ArrayLike<number>, count: number, K: number, out: Float64Array): void {
  out.set(bias);
  for (let i = 0; i < count; i++) {
    const row = features[i]! * K;
    for (let k = 0; k < K; k++) out[k]! += weights[row + k]!;
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (out[k]! > max) max = out[k]!;
  let sum = 0;
  for (let k = 0; k < K; k++) sum += out[k] = Math.exp(out[k]! - max);
  for (let k = 0; k < K; k++) out[k]! /= sum;
}
