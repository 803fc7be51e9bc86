/**
 * Would a statistical layer help the rules on real users' text? A measurement,
 * not a part of kefu: `npx tsx scripts/measure-classifier.ts [FILE.tsv] [--folds 5]`.
 *
 * A softmax (multinomial logistic) regression on hashed character 1–3-grams of
 * the normalised text is trained on the intents' examples, the out-of-scope
 * examples (as `none`) and k−1 folds of the labelled file, and tried on the
 * held-back fold, for every fold (seeded split). It stays subordinate to the
 * rules; three ways of letting it speak are measured against the rules alone:
 *   fill  — when the rules found nothing, answer the classifier's intent if it is at least t sure;
 *   veto  — when the rules answered weakly (confidence < 0.9) and the classifier says `none` at least t sure, answer nothing;
 *   both.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_INTENTS_DIR, loadNlu } from '../server/nlu/index.js';
import { loadIntentContent } from '../server/nlu/content.js';
import { exportExamples } from '../server/nlu/export.js';
import { parseEvalSet } from '../server/nlu/evaluate.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? 'test/fixtures/real/real-dev.tsv';
const folds = Number(args[args.indexOf('--folds') + 1]) || 5;
const NOW = new Date('2026-06-15T12:00:00Z');
const DIM = 1 << 18;
const NONE = 'none';

function grams(text: string): number[] {
  const s = ` ${text} `;
  const out = new Set<number>();
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= s.length; i++) {
      let h = 2166136261 ^ n;
      for (let j = i; j < i + n; j++) h = Math.imul(h ^ s.charCodeAt(j), 16777619);
      out.add((h >>> 0) % DIM);
    }
  }
  return [...out];
}

class Softmax {
  private w: Float32Array[];
  constructor(readonly classes: string[]) {
    this.w = classes.map(() => new Float32Array(DIM));
  }
  probs(x: number[]): number[] {
    const z = this.w.map((w) => x.reduce((a, f) => a + w[f]!, 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }
  train(data: { x: number[]; y: number }[], epochs = 12, rate = 0.2, l2 = 1e-5, seed = 1): void {
    const order = data.map((_, i) => i);
    let r = seed;
    for (let ep = 0; ep < epochs; ep++) {
      for (let i = order.length - 1; i > 0; i--) {
        r = (Math.imul(r, 1103515245) + 12345) >>> 0;
        const j = r % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const lr = rate / (1 + ep);
      for (const k of order) {
        const { x, y } = data[k]!;
        const p = this.probs(x);
        p.forEach((pc, c) => {
          const g = (pc - (c === y ? 1 : 0)) / Math.sqrt(x.length);
          const w = this.w[c]!;
          for (const f of x) w[f] = w[f]! * (1 - l2) - lr * g;
        });
      }
    }
  }
}

const nlu = await loadNlu();
const content = loadIntentContent(DEFAULT_INTENTS_DIR);
const learnable = new Set<string>(content.intents.filter((i) => i.data.kind === 'problem' || i.data.kind === 'faq').map((i) => i.data.id));
const base = exportExamples(content)
  .filter((e) => learnable.has(e.intent))
  .map((e) => ({ label: e.intent, text: e.text }))
  .concat(content.outOfScope.map((text) => ({ label: NONE, text })));
const { cases } = parseEvalSet(readFileSync(file, 'utf8'));
const rows = cases.map((c) => {
  const r = nlu.understand(c.text, { now: NOW });
  return { ...c, normalized: r.normalized, rule: r.intent ?? NONE, confidence: r.confidence };
});
const classes = [NONE, ...learnable];
let seed = 7;
const foldOf = rows.map(() => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed % folds));

const thresholds = [0.5, 0.6, 0.7, 0.8, 0.9];
const tally = { rules: 0, fill: thresholds.map(() => 0), veto: thresholds.map(() => 0), both: thresholds.map(() => 0) };
const ok = (expected: string[], got: string) => expected.includes(got);
for (let f = 0; f < folds; f++) {
  const train = rows.filter((_, i) => foldOf[i] !== f);
  const test = rows.filter((_, i) => foldOf[i] === f);
  const model = new Softmax(classes);
  const data = [
    ...base.map((b) => ({ x: grams(nlu.understand(b.text, { now: NOW }).normalized), y: classes.indexOf(b.label) })),
    // A line with several right answers teaches its first in-scope one (or none).
    ...train.map((t) => ({ x: grams(t.normalized), y: classes.indexOf(t.expected.find((e) => classes.includes(e)) ?? NONE) })),
  ].filter((d) => d.y >= 0);
  model.train(data);
  for (const t of test) {
    if (ok(t.expected, t.rule)) tally.rules++;
    const p = model.probs(grams(t.normalized));
    const best = p.indexOf(Math.max(...p));
    thresholds.forEach((th, k) => {
      const fill = t.rule === NONE && classes[best] !== NONE && p[best]! >= th ? classes[best]! : t.rule;
      const veto = t.rule !== NONE && t.confidence < 0.9 && p[0]! >= th ? NONE : t.rule;
      const both = t.rule === NONE ? fill : veto;
      if (ok(t.expected, fill)) tally.fill[k]!++;
      if (ok(t.expected, veto)) tally.veto[k]!++;
      if (ok(t.expected, both)) tally.both[k]!++;
    });
  }
}
const pct = (n: number) => `${((100 * n) / rows.length).toFixed(1)} %`;
console.log(`${file}: ${rows.length} lines, ${folds}-fold, trained on ${base.length} examples + the other folds`);
console.log(`rules alone            ${pct(tally.rules)}`);
thresholds.forEach((th, k) => {
  console.log(`at least ${th.toFixed(2)} sure:  fill ${pct(tally.fill[k]!)}   veto ${pct(tally.veto[k]!)}   both ${pct(tally.both[k]!)}`);
});

// The written sets, with the model trained on every line of the file: does the veto cost them anything?
const all = new Softmax(classes);
all.train([
  ...base.map((b) => ({ x: grams(nlu.understand(b.text, { now: NOW }).normalized), y: classes.indexOf(b.label) })),
  ...rows.map((t) => ({ x: grams(t.normalized), y: classes.indexOf(t.expected.find((e) => classes.includes(e)) ?? NONE) })),
].filter((d) => d.y >= 0));
for (const written of ['test/fixtures/nlu-eval.tsv', 'test/fixtures/nlu-holdout.tsv', 'test/fixtures/nlu-holdout-2.tsv']) {
  const ws = parseEvalSet(readFileSync(written, 'utf8')).cases;
  let rules = 0;
  const veto = thresholds.map(() => 0);
  for (const c of ws) {
    const r = nlu.understand(c.text, { now: NOW });
    const got = r.intent ?? NONE;
    if (ok(c.expected, got)) rules++;
    const p = all.probs(grams(r.normalized));
    thresholds.forEach((th, k) => {
      if (ok(c.expected, got !== NONE && r.confidence < 0.9 && p[0]! >= th ? NONE : got)) veto[k]!++;
    });
  }
  const wp = (n: number) => `${((100 * n) / ws.length).toFixed(1)} %`;
  console.log(`${written}: rules ${wp(rules)}; veto at ${thresholds.map((th, k) => `${th}: ${wp(veto[k]!)}`).join(', ')}`);
}
