/**
 * JavaScript's own property names typed as user text (「constructor」,
 * "__proto__", "toString"…) in every position, Chinese and English: no
 * lookup keyed by user text may find Object.prototype's members. Through
 * `understand` and through the line-by-line tools (nlu, eval, repl).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOW, realNlu } from './helpers.js';

const OWN_NAMES = [
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
  ...Object.getOwnPropertyNames(Array.prototype),
  ...Object.getOwnPropertyNames(String.prototype),
  'prototype', '__proto__', 'constructor',
];
const NAMES = [...new Set(OWN_NAMES)];
/** Contexts each name is put into, where the rules, the dates and the typo and pinyin passes all look. */
const CONTEXTS = [
  (w: string) => w,
  (w: string) => `手机开不了机 ${w}`,
  (w: string) => `${w} 手机很卡`,
  (w: string) => `我的${w}上个月买的，开不了机`,
  (w: string) => `my phone ${w} won't turn on`,
  (w: string) => `${w} months ago`,
  (w: string) => `${w}'s ${w}n't ${w}`,
  (w: string) => `${w.toUpperCase()}！`,
];

describe('JavaScript property names as user text', () => {
  it('every name in every context: understood like any other word', async () => {
    const nlu = await realNlu();
    for (const w of NAMES) {
      for (const ctx of CONTEXTS) {
        const text = ctx(w);
        const r = nlu.understand(text, { now: NOW });
        expect(r.text).toBe(text);
        expect(() => JSON.stringify(r)).not.toThrow();
      }
    }
    // The word is noise: the problem around it still comes through.
    expect(nlu.understand('手机开不了机 constructor', { now: NOW }).intent).toBe('wont_boot');
    expect(nlu.understand("constructor my phone won't turn on", { now: NOW }).intent).toBe('wont_boot');
  });

  it('fast-check: names mixed with domain words, in any order and case', async () => {
    const nlu = await realNlu();
    const name = fc.constantFrom(...NAMES).map((w) => w);
    const cased = fc.tuple(name, fc.constantFrom('lower', 'upper', 'as-is')).map(([w, c]) => (c === 'lower' ? w.toLowerCase() : c === 'upper' ? w.toUpperCase() : w));
    const piece = fc.oneof(cased, fc.constantFrom('手机', '开不了机', '不', '卡', '信号', '丢了', 'phone', "won't", 'lag', 'stolen', '上个月', '3 months ago', "'s", ' ', '，', '13812345678'));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.constantFrom('', ' '), (pieces, sep) => {
        const text = pieces.join(sep);
        const r = nlu.understand(text, { now: NOW });
        expect(r.text).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  const lines = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__', '手机开不了机 constructor', "CONSTRUCTOR won't turn on"];

  function run(script: string, args: string[], input: string) {
    return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { input, encoding: 'utf8', timeout: 120_000 });
  }

  it('the nlu tool answers every line and goes on', () => {
    const r = run('server/cli/nlu.ts', [], [...lines, '手机很卡'].join('\n') + '\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { intent: string | null });
    expect(out).toHaveLength(lines.length + 1);
    expect(out.at(-1)!.intent).toBe('lag');
  });

  it('eval reads such lines and labels them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-names-'));
    try {
      const file = join(dir, 'names.tsv');
      writeFileSync(file, lines.map((l) => `${/开不了机|turn on/.test(l) ? 'wont_boot' : 'none'}\t${l}`).join('\n') + '\n');
      const r = run('server/cli/eval.ts', [file, '--min-accuracy', '1'], '');
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`utterances ${lines.length}   correct ${lines.length}`);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the repl answers every line with one JSON line and goes on', () => {
    const r = run('server/cli/repl.ts', ['--json'], [...lines, '手机很卡'].join('\n') + '\n');
    expect(r.status).toBe(0);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { input: string; replies: unknown[]; error?: unknown });
    expect(out.map((o) => o.input)).toEqual([...lines, '手机很卡']);
    for (const o of out) {
      expect(o.error).toBeUndefined();
      expect(o.replies.length).toBeGreaterThan(0);
    }
  });
});
