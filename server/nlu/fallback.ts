/**
 * The statistical fallback: natural's naive Bayes classifier, trained at
 * start-up on the intents' own examples plus the out-of-scope examples as a
 * class of their own. It only adds evidence: asked when rules found something
 * but not enough, it can lift a weak rule candidate it agrees with just over
 * the threshold. It never invents an intent no rule saw, so a rule hit always
 * wins, out-of-scope input stays null, and every answer stays explainable.
 */
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import type { IntentFile } from './content.js';
import type { IntentScore } from './types.js';
import { pointAt, unitAt } from './codeUnits.js';
import { isHan, isLetterOrDigit } from './hanTable.js';
import { buildPairTable } from './pairTable.js';
import { DistinctIds } from './distinctIds.js';

const NONE = '__none__';
/** The classifier must be at least this sure (after normalising over classes). */
const MIN_PROBABILITY = 0.97;
/** How much agreement adds to a weak rule score, and the most it can reach: just over the threshold. */
const LIFT = 0.25;
const LIFTED_MAX = 0.65;
/** Dialog answers and small talk are too short to learn from; they stay rule-only. */
const LEARNABLE_KINDS = new Set(['problem', 'faq']);

export interface Fallback {
  /** New candidates given the rule candidates (all below threshold); unchanged unless the classifier agrees with one. */
  suggest(
    canonical: string,
    /** The segmenter's words, asked for only when the classifier is consulted. */
    tokens: () => readonly string[],
    candidates: IntentScore[],
    explanation: string[],
    /** Intents the rules deliberately kept low (「怎么防止手机被偷」): never lifted. */
    ruledOut?: ReadonlySet<string>,
  ): IntentScore[];
}

/** What natural's trained classifier holds (not in its typings): the vocabulary and apparatus's counts. */
interface TrainedBayes {
  features: Record<string, number>;
  classifier: {
    classFeatures: Record<string, Record<number, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
  };
}

/** Class likelihoods, best first, unnormalised: what natural's `getClassifications` returns. */
type Classify = (features: readonly string[]) => { label: string; value: number }[];

/**
 * natural's naive Bayes scored as it scores, without its dense vectors: it
 * turns each observation into a 0/1 vector over the whole vocabulary (an
 * `indexOf` per word) and sums over that vector for every class. Here each
 * class's log-probabilities are tabled once and only the words present are
 * summed, in natural's order (highest vocabulary index first), so every value
 * is the same double.
 */
interface BayesScorer {
  labels: readonly string[];
  /** How many words the vocabulary holds. */
  size: number;
  /** Vocabulary index of a feature, or -1. */
  indexOf(feature: string): number;
  /** Vocabulary index of the Han bigram of two BMP code units, or -1 (what indexOf of the two-character string gives). */
  pairIndexOf(first: number, second: number): number;
  /**
   * Each class's likelihood, by class, of the vocabulary words `ids[0, count)` (distinct): the ids are
   * sorted in place and summed highest first, as natural sums.
   */
  score(ids: Int32Array, count: number): Float64Array;
}

function bayesScorer(trained: TrainedBayes): BayesScorer {
  const vocabulary = Object.keys(trained.features);
  const indexOf = new Map(vocabulary.map((w, i) => [w, i]));
  const { classFeatures, classTotals, totalExamples, smoothing } = trained.classifier;
  const labels = Object.keys(classFeatures);
  const C = labels.length;
  // Word-major: one word's log-probabilities for every class side by side. Each class still adds its own
  // in the same order, so the sums are the same doubles as class by class.
  const logs = new Float64Array(vocabulary.length * C);
  const priors = new Float64Array(C);
  labels.forEach((label, c) => {
    const counts = classFeatures[label]!;
    const total = classTotals[label]!;
    for (let i = 0; i < vocabulary.length; i++) logs[i * C + c] = Math.log((counts[i] || smoothing) / total);
    priors[c] = total / totalExamples;
  });
  const pairs = buildPairTable(
    vocabulary.flatMap((w, i) => (w.length === 2 && isHanUnit(w.charCodeAt(0)) && isHanUnit(w.charCodeAt(1)) ? [[w.charCodeAt(0), w.charCodeAt(1), i] as const] : [])),
  );
  const sums = new Float64Array(C);
  return {
    labels,
    size: vocabulary.length,
    indexOf: (feature) => indexOf.get(feature) ?? -1,
    pairIndexOf: (first, second) => pairs.get(first, second),
    score(ids, count) {
      const sorted = ids.subarray(0, count).sort();
      sums.fill(0);
      for (let k = count - 1; k >= 0; k--) {
        const row = sorted[k]! * C;
        for (let c = 0; c < C; c++) sums[c]! += logs[row + c]!;
      }
      for (let c = 0; c < C; c++) sums[c] = priors[c]! * Math.exp(sums[c]!);
      return sums;
    },
  };
}

/** natural's `getClassifications` over a trained classifier: every class, best first. */
export function compileBayes(trained: TrainedBayes): Classify {
  const scorer = bayesScorer(trained);
  const seen = new Set<number>();
  return (features) => {
    seen.clear();
    for (const f of features) {
      const i = scorer.indexOf(f);
      if (i >= 0) seen.add(i);
    }
    const values = scorer.score(Int32Array.from(seen), seen.size);
    return scorer.labels.map((label, c) => ({ label, value: values[c]! })).sort((x, y) => y.value - x.value);
  };
}

/** A BMP code unit of the Han script (as `\p{Script=Han}` has it). */
function isHanUnit(unit: number): boolean {
  return unit < 0xd800 || unit > 0xdfff ? isHan(unit) : false;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const NOT_HAN = /[^\p{Script=Han}]+/gu;
const SURROGATE = /[\ud800-\udfff]/;

/** Features: the segmenter's words and Han character bigrams (robust to segmentation slips). */
export function features(canonical: string, tokens: readonly string[]): string[] {
  const out = tokens.filter((t) => LETTER_OR_DIGIT.test(t));
  const han = canonical.replace(NOT_HAN, ' ');
  for (const run of han.split(' ')) for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  return out;
}

/**
 * What the fallback reads of natural's classification of `features(canonical, tokens)`: its first class
 * and that class's likelihood over their sum (added best first, as a reduce over natural's list adds),
 * in one object reused by every call; null when there is no feature or the sum is 0. The features are looked up where they lie
 * (a bigram by its two code units), not made into strings.
 */
function topClass(scorer: BayesScorer): (canonical: string, tokens: readonly string[]) => { label: string; value: number } | null {
  const best = { label: '', value: 0 };
  const C = scorer.labels.length;
  const distinct = new DistinctIds(scorer.size);
  const add = (id: number) => distinct.add(id);
  const order = new Int32Array(C);
  /** Adds the features of `canonical` and `tokens`; false when there is none (known or not). */
  function collect(canonical: string, tokens: readonly string[]): boolean {
    let any = false;
    for (const t of tokens) {
      if (!hasLetterOrDigit(t)) continue;
      any = true;
      add(scorer.indexOf(t));
    }
    if (SURROGATE.test(canonical)) {
      // Code points beyond the BMP: the bigrams as features() cuts them (by code unit).
      const han = canonical.replace(NOT_HAN, ' ');
      for (const run of han.split(' ')) {
        for (let i = 0; i + 1 < run.length; i++) {
          any = true;
          add(scorer.indexOf(run.slice(i, i + 2)));
        }
      }
      return any;
    }
    let previous = -1;
    const n = canonical.length;
    for (let i = 0; i < n; i++) {
      const unit = unitAt(canonical, i);
      if (!isHan(unit)) {
        previous = -1;
        continue;
      }
      if (previous >= 0) {
        any = true;
        add(scorer.pairIndexOf(previous, unit));
      }
      previous = unit;
    }
    return any;
  }
  return (canonical, tokens) => {
    distinct.begin();
    if (!collect(canonical, tokens) || C === 0) return null;
    const values = scorer.score(distinct.ids, distinct.count);
    // natural's list is sorted best first, stably (ties in class order).
    for (let c = 0; c < C; c++) {
      let p = c;
      for (; p > 0 && values[order[p - 1]!]! < values[c]!; p--) order[p] = order[p - 1]!;
      order[p] = c;
    }
    let total = 0;
    for (let k = 0; k < C; k++) total += values[order[k]!]!;
    if (!(total > 0)) return null;
    best.label = scorer.labels[order[0]!]!;
    best.value = values[order[0]!]! / total;
    return best;
  };
}

/** Whether `token` holds a letter or a digit (LETTER_OR_DIGIT.test, by code point from a table). */
function hasLetterOrDigit(token: string): boolean {
  const n = token.length;
  for (let i = 0; i < n; i++) {
    const cp = pointAt(token, i)!;
    if (isLetterOrDigit(cp)) return true;
    if (cp > 0xffff) i++;
  }
  return false;
}

/** Trains the classifier on every example (segmented by `prepare`). */
export function buildFallback(
  files: readonly IntentFile[],
  outOfScope: readonly string[],
  prepare: (text: string) => { canonical: string; tokens: string[] },
): Fallback {
  const classifier = new BayesClassifier();
  let documents = 0;
  const add = (text: string, label: string) => {
    const p = prepare(text);
    const f = features(p.canonical, p.tokens);
    if (f.length === 0) return;
    classifier.addDocument(f, label);
    documents++;
  };
  for (const f of files) if (LEARNABLE_KINDS.has(f.kind)) for (const e of f.examples) add(e, f.id);
  for (const e of outOfScope) add(e, NONE);
  if (documents > 0) classifier.train();
  const top = topClass(bayesScorer(classifier as unknown as TrainedBayes));

  return {
    suggest(canonical, tokens, candidates, explanation, ruledOut) {
      if (documents === 0 || candidates.length === 0) return candidates;
      const best = top(canonical, tokens());
      if (!best || best.label === NONE || best.value < MIN_PROBABILITY) return candidates;
      const rule = candidates.find((c) => c.intent === best.label);
      if (!rule || ruledOut?.has(rule.intent)) return candidates;
      const score = Math.round(Math.min(LIFTED_MAX, rule.score + LIFT) * 1000) / 1000;
      explanation.push(`${best.label}: fallback classifier agrees (p=${best.value.toFixed(2)}) → ${score}`);
      return [{ intent: best.label, score }, ...candidates.filter((c) => c.intent !== best.label)].sort((a, b) => b.score - a.score);
    },
  };
}
