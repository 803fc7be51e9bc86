/**
 * `npm run --silent bench -- nlu [--rounds N] [--file eval.tsv]`: NLU cost per
 * utterance on one core (p50/p99, utterances per second) next to the bare
 * nodejieba cut of the same inputs. Inputs: every intent and out-of-scope
 * example, or the texts of a TSV evaluation file.
 */
import { readFileSync } from 'node:fs';
import nodejieba from 'nodejieba';
import { loadIntentContent } from '../server/nlu/content.js';
import { parseEvalSet } from '../server/nlu/evaluate.js';
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

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function row(name: string, t: Timing): string {
  const sorted = [...t.perCallUs].sort((a, b) => a - b);
  const perSecond = Math.round(t.perCallUs.length / (t.totalMs / 1000));
  return `${name.padEnd(26)} ${quantile(sorted, 0.5).toFixed(1).padStart(8)} ${quantile(sorted, 0.99).toFixed(1).padStart(8)} ${String(perSecond).padStart(10)}`;
}

export async function main(args: string[]): Promise<void> {
  const rounds = Number(flag(args, '--rounds') ?? 20);
  const texts = inputs(flag(args, '--file'));
  const t0 = process.hrtime.bigint();
  const nlu = await loadNlu();
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const now = new Date();
  const understand = time(texts, rounds, (t) => nlu.understand(t, { now }));
  const cut = time(texts, rounds, (t) => nodejieba.cut(t, true));
  const lines = [
    `NLU benchmark: ${texts.length} utterances × ${rounds} rounds, one core (node ${process.version})`,
    `loadNlu (jieba dictionaries + content + training): ${loadMs.toFixed(0)} ms`,
    '',
    `${''.padEnd(26)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'utt/s'.padStart(10)}`,
    row('nlu.understand', understand),
    row('bare nodejieba.cut', cut),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
