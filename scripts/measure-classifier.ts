/**
 * Should the statistical layer say more than it does? A measurement, not a
 * part of kefu: `npx tsx scripts/measure-classifier.ts [--folds 5]`.
 *
 * The suggester's model (server/nlu/suggester.ts: a softmax regression on Han
 * characters, Han pairs and Latin words) is trained as kefu trains it — the
 * intents' examples, the out-of-scope examples as `none`, the labelled real
 * lines — and, subordinate to the rules, given three roles:
 *   fill    — when the rules found nothing, answer its intent if it is at least t sure (a decision);
 *   veto    — when the rules answered weakly (confidence < 0.9) and it says `none` at least t sure, answer nothing;
 *   suggest — when the rules found nothing, offer its problem or question as a one-tap question (what kefu does, at 0.6).
 * Measured two ways: k-fold on the labelled lines (the rules were tuned on them,
 * so the rules' own figure there flatters them), and on every held-out real
 * set with the model trained on all the labelled lines (as shipped).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { DEFAULT_INTENTS_DIR, loadNlu } from '../server/nlu/index.js';
import { loadIntentContent } from '../server/nlu/content.js';
import { parseEvalSet } from '../server/nlu/evaluate.js';
import { NONE, trainSuggester, type LabelledText } from '../server/nlu/suggester.js';

const args = process.argv.slice(2);
const folds = Number(args[args.indexOf('--folds') + 1]) || 5;
const NOW = new Date('2026-06-15T12:00:00Z');
const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9];

const nlu = await loadNlu();
const content = loadIntentContent(DEFAULT_INTENTS_DIR);
const classes = [NONE, ...content.intents.map((i) => i.data.id)];
const offered = new Set<string>(content.intents.filter((i) => i.data.kind === 'problem' || i.data.kind === 'faq').map((i) => i.data.id));

interface Row { expected: string[]; normalized: string; rule: string; confidence: number }
const rowOf = (text: string, expected: string[]): Row => {
  const r = nlu.understand(text, { now: NOW });
  return { expected, normalized: r.normalized, rule: r.intent ?? NONE, confidence: r.confidence };
};
const base: LabelledText[] = [
  ...content.intents.flatMap((i) => i.data.examples.map((e) => ({ text: rowOf(e, []).normalized, labels: [i.data.id] }))),
  ...content.outOfScope.map((e) => ({ text: rowOf(e, []).normalized, labels: [NONE] })),
];
const labelled = content.labelled.map((l) => rowOf(l.text, l.expected));
const asData = (rows: readonly Row[]) => rows.map((r) => ({ text: r.normalized, labels: r.expected }));

type Tally = { rules: number; fill: number[]; veto: number[]; offers: number[]; offersRight: number[]; total: number };
const tally = (): Tally => ({ rules: 0, fill: THRESHOLDS.map(() => 0), veto: THRESHOLDS.map(() => 0), offers: THRESHOLDS.map(() => 0), offersRight: THRESHOLDS.map(() => 0), total: 0 });

function score(t: Tally, model: ReturnType<typeof trainSuggester>, rows: readonly Row[]): void {
  const ok = (r: Row, got: string) => r.expected.includes(got);
  for (const r of rows) {
    t.total++;
    if (ok(r, r.rule)) t.rules++;
    const guess = model.best(r.normalized) ?? { label: NONE, probability: 0 };
    THRESHOLDS.forEach((th, k) => {
      const sure = guess.probability >= th;
      const fill = r.rule === NONE && guess.label !== NONE && sure ? guess.label : r.rule;
      const veto = r.rule !== NONE && r.confidence < 0.9 && guess.label === NONE && sure ? NONE : r.rule;
      if (ok(r, fill)) t.fill[k]!++;
      if (ok(r, veto)) t.veto[k]!++;
      if (r.rule === NONE && offered.has(guess.label) && sure) {
        t.offers[k]!++;
        if (ok(r, guess.label)) t.offersRight[k]!++;
      }
    });
  }
}

function print(title: string, t: Tally): void {
  const pct = (n: number, of = t.total) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;
  console.log(`${title}: ${t.total} lines; rules alone ${pct(t.rules)}`);
  THRESHOLDS.forEach((th, k) => {
    console.log(
      `  at least ${th.toFixed(1)} sure: fill ${pct(t.fill[k]!)}   veto ${pct(t.veto[k]!)}   ` +
        `suggest: ${t.offers[k]} offers, ${t.offersRight[k]} right (${pct(t.offersRight[k]!, t.offers[k])})`,
    );
  });
}

let seed = 7;
const foldOf = labelled.map(() => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed % folds));
const cv = tally();
for (let f = 0; f < folds; f++) {
  const model = trainSuggester([...asData(labelled.filter((_, i) => foldOf[i] !== f)), ...base], classes);
  score(cv, model, labelled.filter((_, i) => foldOf[i] === f));
}
print(`labelled lines, ${folds}-fold`, cv);

// In kefu's order (labelled lines, examples, out-of-scope examples): the seeded shuffle makes the same model.
const shipped = trainSuggester([...asData(labelled), ...base], classes);
const held = tally();
const dir = 'test/fixtures/real';
for (const name of readdirSync(dir).filter((n) => /^real-holdout.*\.tsv$/.test(n)).sort()) {
  score(held, shipped, parseEvalSet(readFileSync(`${dir}/${name}`, 'utf8')).cases.map((c) => rowOf(c.text, c.expected)));
}
print('held-out real sets, trained on all labelled lines', held);
