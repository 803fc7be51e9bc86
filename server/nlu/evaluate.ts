/**
 * The evaluation report over a labelled TSV (`expected<TAB>text`, `|` between
 * acceptable intents, `none` for out of scope, `#` comments). A tool, not a
 * test: it measures, it does not pass or fail.
 */
import { INTENT_IDS } from './content.js';
import { NONE, parseLabelled, type LabelledCase } from './labelledSet.js';
import type { Nlu } from './types.js';

export { NONE } from './labelledSet.js';
export type { LabelledCase as EvalCase, LabelledLineError as EvalLineError } from './labelledSet.js';

/**
 * Parses the TSV; malformed lines, and labels that are neither `none` nor one
 * of `intents`, are returned as errors, not skipped or counted as misses.
 */
export function parseEvalSet(tsv: string, intents: readonly string[] = INTENT_IDS) {
  return parseLabelled(tsv, intents);
}


export interface EvalOutcome extends LabelledCase {
  got: string;
  confidence: number;
  correct: boolean;
  /** The suggester's offer when nothing was understood. */
  suggested: string | null;
}

export interface IntentStats {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalReport {
  total: number;
  correct: number;
  accuracy: number;
  perIntent: IntentStats[];
  outOfScope: { precision: number; recall: number; predicted: number; actual: number; hits: number };
  /** Messages that are in scope (`none` not acceptable): how many got an intent rather than "not understood". */
  inScope: { recall: number; answered: number; actual: number };
  /**
   * What the suggester offered when nothing was understood: offers made, offers
   * that name an acceptable intent, and in-scope lines left without an intent
   * that got a right offer (a message a user could rescue with one tap).
   */
  suggestions: { made: number; right: number; rescued: number; inScopeMissed: number };
  confusions: { expected: string; got: string; count: number }[];
  misses: EvalOutcome[];
}

/** Runs every case through `nlu` (at a fixed `now`) and computes the figures. */
export function evaluate(nlu: Nlu, cases: readonly LabelledCase[], now = new Date('2026-06-15T12:00:00Z')): EvalReport {
  const outcomes: EvalOutcome[] = cases.map((c) => {
    const r = nlu.understand(c.text, { now });
    const got = r.intent ?? NONE;
    return { ...c, got, confidence: r.confidence, correct: c.expected.includes(got), suggested: r.suggestion?.intent ?? null };
  });
  // The gold label of a case: what was predicted when that was acceptable, else the first alternative.
  const gold = (o: EvalOutcome) => (o.correct ? o.got : o.expected[0]!);
  const labels = [...new Set([...nlu.intents, NONE])];
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perIntent = labels.map((intent) => {
    const tp = outcomes.filter((o) => o.got === intent && gold(o) === intent).length;
    const predicted = outcomes.filter((o) => o.got === intent).length;
    const support = outcomes.filter((o) => gold(o) === intent).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { intent, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const oos = perIntent.find((s) => s.intent === NONE)!;
  const predictedNone = outcomes.filter((o) => o.got === NONE).length;
  const confusionCounts = new Map<string, number>();
  for (const o of outcomes) {
    if (o.correct) continue;
    const k = `${o.expected.join('|')}\t${o.got}`;
    confusionCounts.set(k, (confusionCounts.get(k) ?? 0) + 1);
  }
  const correct = outcomes.filter((o) => o.correct).length;
  const inScope = outcomes.filter((o) => !o.expected.includes(NONE));
  const answered = inScope.filter((o) => o.got !== NONE).length;
  const offers = outcomes.filter((o) => o.suggested !== null);
  const rightOffer = (o: EvalOutcome) => o.suggested !== null && o.expected.includes(o.suggested);
  const suggestions = {
    made: offers.length,
    right: offers.filter(rightOffer).length,
    rescued: inScope.filter((o) => o.got === NONE && rightOffer(o)).length,
    inScopeMissed: inScope.length - answered,
  };
  return {
    total: outcomes.length,
    correct,
    accuracy: ratio(correct, outcomes.length),
    perIntent: perIntent.filter((s) => s.intent !== NONE),
    outOfScope: {
      precision: oos.precision,
      recall: oos.recall,
      predicted: predictedNone,
      actual: oos.support,
      hits: Math.round(oos.precision * predictedNone),
    },
    inScope: { recall: ratio(answered, inScope.length), answered, actual: inScope.length },
    suggestions,
    confusions: [...confusionCounts]
      .map(([k, count]) => {
        const [expected, got] = k.split('\t') as [string, string];
        return { expected, got, count };
      })
      .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
    misses: outcomes.filter((o) => !o.correct),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Plain text, fixed-width columns: pastes into a README code block. */
export function formatReport(file: string, r: EvalReport, options: { misses?: boolean; suggesterTrainedOn?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`kefu NLU evaluation: ${file}`);
  out.push(`utterances ${r.total}   correct ${r.correct}   intent accuracy ${pct(r.accuracy)}`);
  out.push(
    `out of scope: precision ${pct(r.outOfScope.precision)} (${r.outOfScope.hits}/${r.outOfScope.predicted} predicted)   ` +
      `recall ${pct(r.outOfScope.recall)} (of ${r.outOfScope.actual})`,
  );
  out.push(`in scope: recall ${pct(r.inScope.recall)} (${r.inScope.answered}/${r.inScope.actual} given an intent)`);
  const sg = r.suggestions;
  out.push(
    `suggestions when not understood: ${sg.made} offered, ${sg.right} right (${pct(sg.made === 0 ? 0 : sg.right / sg.made)}); ` +
      `${sg.rescued} of ${sg.inScopeMissed} in-scope lines left without an intent got a right one`,
  );
  // A model scored on its own training lines measures nothing: said, so nobody quotes it.
  if (options.suggesterTrainedOn) out.push('  (the suggester was trained on these lines: its offers here are no measurement of it)');
  out.push('');
  out.push(`${'intent'.padEnd(12)} ${'prec'.padStart(7)} ${'recall'.padStart(7)} ${'F1'.padStart(7)} ${'n'.padStart(4)}`);
  for (const s of r.perIntent) {
    out.push(`${s.intent.padEnd(12)} ${pct(s.precision).padStart(7)} ${pct(s.recall).padStart(7)} ${pct(s.f1).padStart(7)} ${String(s.support).padStart(4)}`);
  }
  out.push('');
  out.push('most frequent confusions (expected → got):');
  if (r.confusions.length === 0) out.push('  (none)');
  for (const c of r.confusions.slice(0, 10)) out.push(`  ${String(c.count).padStart(3)}  ${c.expected} → ${c.got}`);
  if (options.misses !== false) {
    out.push('');
    out.push(`misclassified (${r.misses.length}):`);
    for (const m of r.misses) {
      const offer = m.suggested ? ` [offered ${m.suggested}]` : '';
      out.push(`  line ${String(m.line).padStart(4)}  ${m.expected.join('|')} → ${m.got} (${m.confidence.toFixed(2)})${offer}  ${m.text}`);
    }
  }
  return out.join('\n');
}
