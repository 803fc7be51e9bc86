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
export function compileBayes(trained: TrainedBayes): Classify {
  const vocabulary = Object.keys(trained.features);
  const indexOf = new Map(vocabulary.map((w, i) => [w, i]));
  const { classFeatures, classTotals, totalExamples, smoothing } = trained.classifier;
  const classes = Object.keys(classFeatures).map((label) => {
    const counts = classFeatures[label]!;
    const total = classTotals[label]!;
    const logs = new Float64Array(vocabulary.length);
    for (let i = 0; i < vocabulary.length; i++) logs[i] = Math.log((counts[i] || smoothing) / total);
    return { label, logs, prior: total / totalExamples };
  });
  /** seen[i] === call: vocabulary word i is among this call's features (each counts once); doubles, so the count never comes round. */
  const seen = new Float64Array(vocabulary.length);
  let call = 0;
  return (features) => {
    call++;
    const ids: number[] = [];
    for (const f of features) {
      const i = indexOf.get(f);
      if (i === undefined || seen[i] === call) continue;
      seen[i] = call;
      ids.push(i);
    }
    // Highest vocabulary index first, as natural sums: the same additions in the same order.
    const descending = Int32Array.from(ids).sort().reverse();
    return classes
      .map(({ label, logs, prior }) => {
        let log = 0;
        for (const i of descending) log += logs[i]!;
        return { label, value: prior * Math.exp(log) };
      })
      .sort((x, y) => y.value - x.value);
  };
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const NOT_HAN = /[^\p{Script=Han}]+/gu;

/** Features: the segmenter's words and Han character bigrams (robust to segmentation slips). */
export function features(canonical: string, tokens: readonly string[]): string[] {
  const out = tokens.filter((t) => LETTER_OR_DIGIT.test(t));
  const han = canonical.replace(NOT_HAN, ' ');
  for (const run of han.split(' ')) for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  return out;
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
  const classify = compileBayes(classifier as unknown as TrainedBayes);

  return {
    suggest(canonical, tokens, candidates, explanation, ruledOut) {
      if (documents === 0 || candidates.length === 0) return candidates;
      const f = features(canonical, tokens());
      if (f.length === 0) return candidates;
      // natural returns unnormalised likelihoods, best first.
      const scored = classify(f);
      const total = scored.reduce((sum, c) => sum + c.value, 0);
      const top = scored[0] && total > 0 ? { label: scored[0].label, value: scored[0].value / total } : null;
      if (!top || top.label === NONE || top.value < MIN_PROBABILITY) return candidates;
      const rule = candidates.find((c) => c.intent === top.label);
      if (!rule || ruledOut?.has(rule.intent)) return candidates;
      const score = Math.round(Math.min(LIFTED_MAX, rule.score + LIFT) * 1000) / 1000;
      explanation.push(`${top.label}: fallback classifier agrees (p=${top.value.toFixed(2)}) → ${score}`);
      return [{ intent: top.label, score }, ...candidates.filter((c) => c.intent !== top.label)].sort((a, b) => b.score - a.score);
    },
  };
}
