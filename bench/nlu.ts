/**
 * `npm run --silent bench -- nlu [--rounds N] [--file eval.tsv] [--no-peer]`:
 * NLU cost per utterance on one core (p50/p99, utterances per second), in one
 * run and on the same inputs: kefu's `understand`, the bare nodejieba cut,
 * and NLP.js (node-nlp 4) trained on kefu's own exported examples (what
 * `npm run nlu -- --export` prints), with the ratios. Inputs: every intent and
 * out-of-scope example, or the texts of a TSV evaluation file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodejieba from 'nodejieba';
import { loadIntentContent } from '../server/nlu/content.js';
import { isMainlyEnglish } from '../server/nlu/english.js';
import { parseEvalSet } from '../server/nlu/evaluate.js';
import { exportExamples } from '../server/nlu/export.js';
import { DEFAULT_INTENTS_DIR, loadNlu } from '../server/nlu/index.js';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function inputs(file: string | undefined): string[] {
  if (file) return parseEvalSet(readFileSync(file, 'utf8')).cases.map((c) => c.text);
  const content = loadIntentContent(DEFAULT_INTENTS_DIR);
  return [...content.intents.flatMap((i) => i.data.examples), ...content.outOfScope];
}

interface Timing {
  perCallUs: number[];
  totalMs: number;
}

function time(texts: readonly string[], rounds: number, fn: (text: string) => unknown): Timing {
  for (const t of texts) fn(t); // warm-up: JIT, caches
  const perCallUs: number[] = [];
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const t of texts) {
      const t0 = process.hrtime.bigint();
      fn(t);
      perCallUs.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  return { perCallUs, totalMs: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** The same for a peer whose call returns a promise: each call is awaited before the clock stops. */
async function timeAsync(texts: readonly string[], rounds: number, fn: (text: string) => Promise<unknown>): Promise<Timing> {
  for (const t of texts) await fn(t);
  const perCallUs: number[] = [];
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const t of texts) {
      const t0 = process.hrtime.bigint();
      await fn(t);
      perCallUs.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  return { perCallUs, totalMs: Number(process.hrtime.bigint() - start) / 1e6 };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

interface Summary {
  p50: number;
  p99: number;
  perSecond: number;
}

function summary(t: Timing): Summary {
  const sorted = [...t.perCallUs].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), perSecond: Math.round(t.perCallUs.length / (t.totalMs / 1000)) };
}

function row(name: string, s: Summary): string {
  return `${name.padEnd(30)} ${s.p50.toFixed(1).padStart(8)} ${s.p99.toFixed(1).padStart(8)} ${String(s.perSecond).padStart(10)}`;
}

interface NlpJsManager {
  addDocument(lang: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(lang: string, text: string): Promise<{ intent: string; score: number }>;
}

/** NLP.js trained on kefu's exported examples, its console chatter silenced while it trains. */
async function trainNlpJs(): Promise<{ manager: NlpJsManager; trainMs: number }> {
  const require = createRequire(import.meta.url);
  const { NlpManager } = require('node-nlp') as { NlpManager: new (o: object) => NlpJsManager };
  const t0 = process.hrtime.bigint();
  const manager = new NlpManager({ languages: ['zh', 'en'], forceNER: false, autoSave: false, nlu: { log: false } });
  for (const e of exportExamples(loadIntentContent(DEFAULT_INTENTS_DIR))) manager.addDocument(e.lang, e.text, e.intent);
  const log = console.log;
  console.log = () => {};
  try {
    await manager.train();
  } finally {
    console.log = log;
  }
  return { manager, trainMs: Number(process.hrtime.bigint() - t0) / 1e6 };
}

export async function main(args: string[]): Promise<void> {
  const rounds = Number(flag(args, '--rounds') ?? 20);
  const texts = inputs(flag(args, '--file'));
  const t0 = process.hrtime.bigint();
  const nlu = await loadNlu();
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const now = new Date();
  const understand = summary(time(texts, rounds, (t) => nlu.understand(t, { now })));
  const cut = summary(time(texts, rounds, (t) => nodejieba.cut(t, true)));
  const lines = [
    `NLU benchmark: ${texts.length} utterances × ${rounds} rounds, one core (node ${process.version})`,
    `loadNlu (jieba dictionaries + content + training): ${loadMs.toFixed(0)} ms`,
  ];
  let peer: Summary | null = null;
  if (!args.includes('--no-peer')) {
    const { manager, trainMs } = await trainNlpJs();
    lines.push(`NLP.js (node-nlp 4) trained on the exported examples: ${trainMs.toFixed(0)} ms`);
    const lang = texts.map((t) => (isMainlyEnglish(t.toLowerCase()) ? 'en' : 'zh'));
    const byText = new Map(texts.map((t, i) => [t, lang[i]!]));
    peer = summary(await timeAsync(texts, rounds, (t) => manager.process(byText.get(t)!, t)));
  }
  lines.push('', `${''.padEnd(30)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'utt/s'.padStart(10)}`);
  lines.push(row('kefu nlu.understand', understand), row('bare nodejieba.cut', cut));
  if (peer) lines.push(row('NLP.js manager.process', peer));
  lines.push('', `understand p50 = ${(understand.p50 / cut.p50).toFixed(1)}× the bare cut`);
  if (peer) lines.push(`understand p50 = ${(understand.p50 / peer.p50).toFixed(2)}× NLP.js's (p99 ${(understand.p99 / peer.p99).toFixed(2)}×)`);
  process.stdout.write(lines.join('\n') + '\n');
}
