/**
 * `npm run --silent bench -- nlu-snapshot --out FILE` / `--compare FILE`:
 * every field of every `understand` result (intent, confidence, candidates,
 * ambiguousWith, suggestion, entities, tokens, normalized, lang, explanation)
 * over all evaluation and development sets (intents/labelled/ too), every
 * intent and out-of-scope example, and seeded variants of them that exercise the passes a plain message skips
 * (capitals and full-width forms, Traditional characters, digits, pinyin,
 * Latin slips, stray whitespace and invisible characters). `--compare` prints
 * the first differences and exits 1 when any result differs: a speed change
 * must leave this identical.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Converter } from 'opencc-js';
import { loadIntentContent } from '../server/nlu/content.js';
import { DEFAULT_INTENTS_DIR, loadNlu } from '../server/nlu/index.js';
import type { NluResult } from '../server/nlu/types.js';

const ROOT = new URL('../', import.meta.url).pathname;
/** A fixed clock, so relative dates resolve the same on every run. */
const NOW = new Date('2026-12-03T04:00:00Z');

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Texts of every TSV set (expected<TAB>text) under the given directories. */
function setTexts(): string[] {
  const dirs = ['intents/labelled', 'test/fixtures', 'test/fixtures/real', 'test/nlu'];
  const out: string[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.tsv')).sort()) {
      for (const line of readFileSync(join(ROOT, dir, name), 'utf8').split(/\r?\n/)) {
        if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
        const tab = line.indexOf('\t');
        if (tab >= 0) out.push(line.slice(tab + 1));
      }
    }
  }
  return out;
}

/** mulberry32: a small seeded generator, so the variants are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [
  'iPhone 15 Pro', 'Mate 60', '13812345678', '490154203237518', '4901 5420 3237 519', '上个月买的', '2025年3月5号',
  'last month', 'shouji diule', 'kai bu liao ji', 'wify', 'WIFI', 'ＡＢＣ１２３', '\u200b', '\t', '  ', '\n', '移動', '中國電信',
  '手機', '訊號', '唔見咗', 'the phone wont turn on', 'lagy', 'baoxiu', '不是没信号', '有没有', '!!', '。。', '🙂', '，',
];

/** Seeded variants of `texts` that reach the passes plain messages skip. */
function variants(texts: readonly string[]): string[] {
  const rnd = random(20261203);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const toTraditional = Converter({ from: 'cn', to: 'hk' });
  const out: string[] = [];
  for (const t of texts) {
    const at = Math.floor(rnd() * (t.length + 1));
    out.push(t.slice(0, at) + pick(INSERTS) + t.slice(at));
    const r = rnd();
    if (r < 0.3) out.push(toTraditional(t));
    else if (r < 0.5) out.push(t.toUpperCase());
    else if (r < 0.65) out.push(t.replace(/[0-9a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
    else if (r < 0.8) out.push([...t].join(rnd() < 0.5 ? ' ' : '  '));
  }
  return out;
}

/** Every field of a result, getters read. */
function plain(r: NluResult): unknown {
  return {
    text: r.text,
    normalized: r.normalized,
    lang: r.lang,
    tokens: r.tokens,
    intent: r.intent,
    confidence: r.confidence,
    candidates: r.candidates,
    ambiguousWith: r.ambiguousWith,
    suggestion: r.suggestion,
    entities: r.entities,
    explanation: r.explanation,
  };
}

export async function main(args: string[]): Promise<void> {
  const out = flag(args, '--out');
  const against = flag(args, '--compare');
  if (!out && !against) {
    console.error('usage: npm run --silent bench -- nlu-snapshot (--out FILE | --compare FILE)');
    process.exit(2);
  }
  const content = loadIntentContent(DEFAULT_INTENTS_DIR);
  const base = [...setTexts(), ...content.intents.flatMap((i) => i.data.examples), ...content.outOfScope];
  const texts = [...base, ...variants(base)];
  const nlu = await loadNlu();
  const lines = texts.map((t) => JSON.stringify(plain(nlu.understand(t, { now: NOW }))));
  if (out) {
    writeFileSync(out, lines.join('\n') + '\n');
    console.log(`${lines.length} results (${base.length} messages and ${texts.length - base.length} variants) written to ${out}`);
    return;
  }
  const before = readFileSync(against!, 'utf8').trimEnd().split('\n');
  let differing = 0;
  for (let i = 0; i < Math.max(before.length, lines.length); i++) {
    if (before[i] === lines[i]) continue;
    differing++;
    if (differing <= 5) console.log(`#${i}\n- ${before[i] ?? '(none)'}\n+ ${lines[i] ?? '(none)'}`);
  }
  console.log(`${lines.length} results compared with ${before.length}: ${differing === 0 ? 'identical' : `${differing} differ`}`);
  if (differing > 0) process.exit(1);
}
