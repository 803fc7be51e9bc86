/**
 * `npm run --silent bench -- nlu [--rounds N] [--warmup N] [--file eval.tsv] [--no-peer]`:
 * NLU cost per utterance on one core (p50/p99 of wall-clock and of this
 * process's CPU time, utterances per second), in one run and on the same
 * inputs: kefu's `understand`, the bare nodejieba cut, and NLP.js (node-nlp 4)
 * trained on kefu's own exported examples (what `npm run nlu -- --export`
 * prints), with the ratios. The engines take turns round by round, so load
 * from other processes falls on all of them; CPU time leaves out the waits for
 * a core that dominate wall-clock p99 on a busy host. Inputs: every intent and
 * out-of-scope example, or the texts of a TSV evaluation file. `--baseline DIR`
 * also times the `understand` of another checkout (DIR/server/nlu, on this
 * checkout's intents) in the same turns: before and after a change in one run;
 * with `--baseline-own-content` it reads DIR/intents instead (a checkout older
 * than an intent this one adds cannot load this checkout's intents).
 * `--warmup N` (default 10) rounds of every engine run first, not counted: a
 * server answers millions of messages, and V8 optimises a function only after
 * many calls, so one round would time kefu's pipeline half-compiled.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** Per-call figures of one engine: wall-clock time, and the CPU time this process spent (no time waiting for a core). */
interface Timing {
  perCallUs: number[];
  cpuUs: number[];
  totalMs: number;
}

const timing = (): Timing => ({ perCallUs: [], cpuUs: [], totalMs: 0 });

/** One round over `texts`, added to `into`. */
function round(texts: readonly string[], into: Timing, fn: (text: string) => unknown): void {
  const start = process.hrtime.bigint();
  for (const t of texts) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn(t);
    into.perCallUs.push(Number(process.hrtime.bigint() - t0) / 1000);
    const c = process.cpuUsage(c0);
    into.cpuUs.push(c.user + c.system);
  }
  into.totalMs += Number(process.hrtime.bigint() - start) / 1e6;
}

/** The same for a peer whose call returns a promise: each call is awaited before the clock stops. */
async function roundAsync(texts: readonly string[], into: Timing, fn: (text: string) => Promise<unknown>): Promise<void> {
  const start = process.hrtime.bigint();
  for (const t of texts) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await fn(t);
    into.perCallUs.push(Number(process.hrtime.bigint() - t0) / 1000);
    const c = process.cpuUsage(c0);
    into.cpuUs.push(c.user + c.system);
  }
  into.totalMs += Number(process.hrtime.bigint() - start) / 1e6;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

interface Summary {
  p50: number;
  p99: number;
  cpuP50: number;
  cpuP99: number;
  perSecond: number;
}

function summary(t: Timing): Summary {
  const sorted = [...t.perCallUs].sort((a, b) => a - b);
  const cpu = [...t.cpuUs].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    cpuP50: quantile(cpu, 0.5),
    cpuP99: quantile(cpu, 0.99),
    perSecond: Math.round(t.perCallUs.length / (t.totalMs / 1000)),
  };
}

function row(name: string, s: Summary): string {
  const cells = [s.p50, s.p99, s.cpuP50, s.cpuP99].map((x) => x.toFixed(1).padStart(8)).join(' ');
  return `${name.padEnd(30)} ${cells} ${String(s.perSecond).padStart(10)}`;
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
  const warmup = Number(flag(args, '--warmup') ?? 10);
  const texts = inputs(flag(args, '--file'));
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const nlu = await loadNlu();
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const loadCpu = process.cpuUsage(c0);
  const now = new Date();
  const lines = [
    `NLU benchmark: ${texts.length} utterances × ${rounds} rounds after ${warmup} uncounted, one core (node ${process.version}), the engines taking turns round by round`,
    `loadNlu (jieba dictionaries + content + training): ${loadMs.toFixed(0)} ms (CPU ${((loadCpu.user + loadCpu.system) / 1000).toFixed(0)} ms)`,
  ];
  let peerProcess: ((t: string) => Promise<unknown>) | null = null;
  if (!args.includes('--no-peer')) {
    const { manager, trainMs } = await trainNlpJs();
    lines.push(`NLP.js (node-nlp 4) trained on the exported examples: ${trainMs.toFixed(0)} ms`);
    const byText = new Map(texts.map((t) => [t, isMainlyEnglish(t.toLowerCase()) ? 'en' : 'zh']));
    peerProcess = (t) => manager.process(byText.get(t)!, t);
  }
  const baselineDir = flag(args, '--baseline');
  let baselineCall: ((t: string) => unknown) | null = null;
  if (baselineDir) {
    const url = pathToFileURL(join(baselineDir, 'server/nlu/index.ts')).href;
    const other = (await import(url)) as { loadNlu: typeof loadNlu };
    const b0 = process.hrtime.bigint();
    const own = args.includes('--baseline-own-content');
    const baselineNlu = await other.loadNlu({ intentsDir: own ? join(baselineDir, 'intents') : DEFAULT_INTENTS_DIR });
    lines.push(`baseline loadNlu (${baselineDir}, ${own ? 'its own intents' : "this checkout's intents"}, jieba already loaded): ${(Number(process.hrtime.bigint() - b0) / 1e6).toFixed(0)} ms`);
    baselineCall = (t) => baselineNlu.understand(t, { now });
  }
  const kefu = timing();
  const base = timing();
  const bare = timing();
  const peerTiming = timing();
  const kefuCall = (t: string) => nlu.understand(t, { now });
  const cutCall = (t: string) => nodejieba.cut(t, true);
  // Warm-up (JIT, caches), not counted; in turns too.
  for (let r = 0; r < warmup; r++) {
    round(texts, timing(), kefuCall);
    if (baselineCall) round(texts, timing(), baselineCall);
    round(texts, timing(), cutCall);
    if (peerProcess) await roundAsync(texts, timing(), peerProcess);
  }
  // Round by round in turn, so that a busy host slows every engine alike.
  for (let r = 0; r < rounds; r++) {
    round(texts, kefu, kefuCall);
    if (baselineCall) round(texts, base, baselineCall);
    round(texts, bare, cutCall);
    if (peerProcess) await roundAsync(texts, peerTiming, peerProcess);
  }
  const understand = summary(kefu);
  const cut = summary(bare);
  const peer = peerProcess ? summary(peerTiming) : null;
  const head = ['p50 µs', 'p99 µs', 'cpu p50', 'cpu p99'].map((h) => h.padStart(8)).join(' ');
  lines.push('', `${''.padEnd(30)} ${head} ${'utt/s'.padStart(10)}`);
  lines.push(row('kefu nlu.understand', understand));
  const baseline = baselineCall ? summary(base) : null;
  if (baseline) lines.push(row('baseline nlu.understand', baseline));
  lines.push(row('bare nodejieba.cut', cut));
  if (peer) lines.push(row('NLP.js manager.process', peer));
  lines.push('', `understand p50 = ${(understand.p50 / cut.p50).toFixed(1)}× the bare cut (cpu p50 ${(understand.cpuP50 / cut.cpuP50).toFixed(1)}×)`);
  if (baseline) {
    lines.push(`understand p50 = ${(understand.p50 / baseline.p50).toFixed(2)}× the baseline's (p99 ${(understand.p99 / baseline.p99).toFixed(2)}×, cpu p50 ${(understand.cpuP50 / baseline.cpuP50).toFixed(2)}×)`);
  }
  if (peer) {
    lines.push(`understand p50 = ${(understand.p50 / peer.p50).toFixed(2)}× NLP.js's (p99 ${(understand.p99 / peer.p99).toFixed(2)}×)`);
    lines.push(`understand cpu p50 = ${(understand.cpuP50 / peer.cpuP50).toFixed(2)}× NLP.js's (cpu p99 ${(understand.cpuP99 / peer.cpuP99).toFixed(2)}×)`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}
