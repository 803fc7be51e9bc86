/**
 * The REPL's piped mode, as a script would use it: one JSON line per input
 * line on stdout and nothing else; numbers pick quick replies.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BotMessage } from '../../server/protocol.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function repl(lines: string[], ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/repl.ts', '--json', '--now', '2026-11-24T10:00:00+08:00', ...args], {
    cwd: ROOT,
    input: lines.join('\n') + '\n',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...r, out: r.stdout.split('\n').filter((l) => l !== '') };
}

describe('repl --json', () => {
  it('prints exactly one JSON line per non-empty input line, and picks quick replies by number', () => {
    const r = repl(['手机开不了机', '', '3', '/lang en', '1', '/state']);
    expect(r.status).toBe(0);
    const rows = r.out.map((l) => JSON.parse(l) as { input: string; replies: BotMessage[] });
    expect(rows.map((x) => x.input)).toEqual(['手机开不了机', '3', '/lang en', '1', '/state']);
    expect(rows[0]!.replies.map((m) => m.step)).toEqual(['accept', 'analyse']);
    expect(rows[0]!.replies[0]!.ticketId).toBe('T20261124-0001');
    // 3 = 都没有 → the symptom question
    expect(rows[1]!.replies[0]!.text).toMatch(/完全没反应/);
    expect(rows[2]!.replies).toEqual([]);
    // 1 = the first option, answered in the forced language
    expect(rows[3]!.replies[0]!.text).toMatch(/iPhone or an Android phone/);
    expect(rows[4]!.replies).toEqual([]);
  });

  it('refuses what the server would refuse, with its code, and goes on with the conversation', () => {
    const r = repl(['卡'.repeat(501), '\u200b\u200b', '手机很卡']);
    expect(r.status).toBe(0);
    const rows = r.out.map((l) => JSON.parse(l) as { replies: BotMessage[]; error?: { code: string } });
    expect(rows.map((x) => x.error?.code)).toEqual(['TEXT_TOO_LONG', 'EMPTY_TEXT', undefined]);
    expect(rows[0]!.replies).toEqual([]);
    expect(rows[2]!.replies[0]!.ticketId).toBe('T20261124-0001'); // the refused lines opened nothing
  });

  it('with --trace keeps stdout machine-readable and writes the trace to stderr', () => {
    const r = repl(['我是移动的，华为手机被偷了'], '--trace');
    expect(r.out).toHaveLength(1);
    expect(JSON.parse(r.out[0]!).replies).toHaveLength(3);
    expect(r.stderr).toMatch(/entities: carrier=cmcc, brand=huawei/);
    expect(r.stderr).toMatch(/slot carrier known \(cmcc\), not asked/);
    expect(r.stderr).toMatch(/slot brand known \(huawei\), not asked/);
  });
});
