import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENT_IDS } from '../../server/nlu/content.js';

function run(script: string, args: string[], input = ''): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('command-line tools', () => {
  it('nlu: one JSON line per input line and nothing else on stdout; phone numbers masked', () => {
    const r = run('server/cli/nlu.ts', [], '手机开不了机\n\n我的号码13812345678\n');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ text: '手机开不了机', intent: 'wont_boot', confidence: 1, entities: [] });
    expect(lines[1].intent).toBeNull();
    expect(lines[2].entities).toEqual([{ type: 'phone', value: '138****5678', start: 4, end: 15 }]);
    expect(lines[2].text).toBe('我的号码138****5678'); // the text too, same length so offsets hold
  });

  it('nlu --explain: the number is masked in the normalised text, its tokens and the explanation', () => {
    const r = run('server/cli/nlu.ts', ['--explain'], '打 +86 138-1234-5678 找我\n');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/1234/);
    const line = JSON.parse(r.stdout);
    expect(line.text).toBe('打 +86 138-****-5678 找我');
    expect(line.normalized).toContain('138-****-5678');
  });

  it('nlu: a line over the message limit is refused with its code, not understood', () => {
    const r = run('server/cli/nlu.ts', [], `${'卡'.repeat(501)}\n手机很卡\n`);
    expect(r.status).toBe(0);
    const [long, short] = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(long.error).toEqual({ code: 'TEXT_TOO_LONG', message: 'longer than 500 characters' });
    expect(long.intent).toBeUndefined();
    expect(short.intent).toBe('lag');
  });

  it('nlu --export: every training example as {intent, lang, text}', () => {
    const r = run('server/cli/nlu.ts', ['--export']);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(100);
    expect(rows).toContainEqual({ intent: 'theft', lang: 'en', text: 'my phone got stolen today' });
    expect(new Set(rows.map((x) => x.intent)).size).toBe(INTENT_IDS.length);
  });

  it('check: content ok, exit 0', () => {
    const r = run('server/cli/check.ts', []);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('check --intents DIR: a broken copy is reported with file, line and field, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-check-'));
    try {
      cpSync('intents', dir, { recursive: true });
      const lag = join(dir, 'lag.yaml');
      writeFileSync(lag, readFileSync(lag, 'utf8').replace('  卡顿: 1\n', '  卡顿: 2\n'));
      const r = run('server/cli/check.ts', ['--intents', dir]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const line = readFileSync(lag, 'utf8').split('\n').findIndex((l) => l.includes('卡顿: 2')) + 1;
      expect(r.stderr).toContain(`lag.yaml:${line} phrases.卡顿: Too big: expected number to be <=1`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
