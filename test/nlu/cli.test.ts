import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

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
  });

  it('nlu --export: every training example as {intent, lang, text}', () => {
    const r = run('server/cli/nlu.ts', ['--export']);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(100);
    expect(rows).toContainEqual({ intent: 'theft', lang: 'en', text: 'my phone got stolen today' });
    expect(new Set(rows.map((x) => x.intent)).size).toBe(16);
  });

  it('check: content ok, exit 0', () => {
    const r = run('server/cli/check.ts', []);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
