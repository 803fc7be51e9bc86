/**
 * Storage faults under a real kefu process and a real SQLite file: the
 * database file deleted under the running server, the disk full (a small
 * tmpfs), a turn that fails meanwhile. Acks stop, /readyz says 503, no
 * ticket id is given twice, the counter never goes back, and every message
 * that was acknowledged is in the file afterwards.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { postMessage, readyz, startProcess } from '../helpers/kefuProcess.js';
import { connect } from '../helpers/socketClient.js';
import { tempDbPath } from '../helpers/startServer.js';

const TICKET = /T\d{8}-\d{4,}/g;

describe('a real kefu process whose database file is deleted under it', { timeout: 120_000 }, () => {
  it('stops acknowledging: the next turn answers UNAVAILABLE, /readyz 503', async () => {
    const DB_PATH = tempDbPath();
    const k = await startProcess({ DB_PATH });
    try {
      const first = await postMessage(k.url, { text: '你好' });
      expect(first.status).toBe(200);
      const c = await connect(k.url);
      expect(await c.send('你好')).toMatchObject({ ok: true });
      expect(await readyz(k.url)).toBe(200);

      for (const suffix of ['', '-wal', '-shm']) rmSync(`${DB_PATH}${suffix}`, { force: true });

      const rest = await postMessage(k.url, { sessionId: first.body.sessionId, text: '手机开不了机' });
      expect(rest.status).toBe(503);
      expect(rest.body).toMatchObject({ error: { code: 'UNAVAILABLE' } });
      expect(await c.send('手机开不了机')).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      expect(await readyz(k.url)).toBe(503);
      c.close();
    } finally {
      await k.stop('SIGKILL');
    }
  });
});

/** A small tmpfs to fill, or the reason there is none (not root, no mount in this container). */
function smallDisk(sizeMb: number): { dir: string; release(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return `no tmpfs could be mounted (${String((e as { stderr?: Buffer }).stderr ?? e).trim()})`;
  }
  return {
    dir,
    release: () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Writes a file until the disk is full; returns its path (delete it to free the space). */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  // The last partial chunk may have left a few kB: take them too.
  const small = openSync(join(dir, 'filler-tail'), 'w');
  try {
    for (;;) writeSync(small, Buffer.alloc(512, 1));
  } catch {
    /* full */
  } finally {
    closeSync(small);
  }
  return path;
}

const disk = smallDisk(6);
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

describe('a real kefu process on a disk that fills up and is freed again', { timeout: 180_000 }, () => {
  if (typeof disk === 'string') {
    it.skip(`skipped: ${disk}`, () => {});
    return;
  }
  cleanups.push(disk.release);

  it('issues no ticket id twice, never moves the counter back, keeps every acked message; /readyz 503 while full', async () => {
    const DB_PATH = join(disk.dir, 'kefu.db');
    const env = { DB_PATH, RATE_LIMIT: 'off' };
    const acked: { sessionId: string; clientMessageId: string }[] = [];
    const told = new Map<string, string>(); // ticket id → the session told it
    const toldTwice: string[] = [];
    let n = 0;
    const turn = async (url: string, sessionId: string | undefined, text: string) => {
      const clientMessageId = `m-${n++}`;
      const res = await postMessage(url, { ...(sessionId ? { sessionId } : {}), text, clientMessageId });
      if (res.status === 200) {
        acked.push({ sessionId: res.body.sessionId, clientMessageId });
        for (const id of JSON.stringify(res.body.replies).match(TICKET) ?? []) {
          const owner = told.get(id);
          if (owner !== undefined && owner !== res.body.sessionId) toldTwice.push(id);
          told.set(id, res.body.sessionId);
        }
      }
      return res;
    };

    let k = await startProcess(env);
    const sessions: string[] = [];
    for (let i = 0; i < 24; i++) sessions.push((await turn(k.url, undefined, '你好')).body.sessionId);
    expect(await readyz(k.url)).toBe(200);

    const filler = fill(disk.dir);
    const whileFull: number[] = [];
    for (let i = 0; i < 6; i++) whileFull.push((await turn(k.url, sessions[i], '手机开不了机')).status);
    expect(whileFull.filter((s) => s !== 200 && s !== 503)).toEqual([]); // UNAVAILABLE, never INTERNAL
    expect(whileFull).toContain(503);
    expect(await readyz(k.url)).toBe(503);

    unlinkSync(filler);
    unlinkSync(join(disk.dir, 'filler-tail'));
    await expect.poll(() => readyz(k.url), { timeout: 10_000 }).toBe(200);
    for (const s of sessions) await turn(k.url, s, '手机开不了机');
    for (const s of sessions.slice(0, 6)) await turn(k.url, s, '还是不行');
    expect((await k.stop('SIGTERM')).code).toBe(0);

    const before = Math.max(...[...told.keys()].map((id) => Number(id.split('-')[1])));
    k = await startProcess(env);
    const after: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await turn(k.url, undefined, '手机开不了机');
      after.push(...(JSON.stringify(res.body.replies).match(TICKET) ?? []));
    }
    expect((await k.stop('SIGTERM')).code).toBe(0);

    expect(told.size).toBeGreaterThanOrEqual(24);
    expect(toldTwice).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((id) => Number(id.split('-')[1]) > before)).toBe(true);

    const db = new BetterSqlite3(DB_PATH, { readonly: true });
    try {
      for (const [id, sessionId] of told) {
        expect(db.prepare('SELECT session_id FROM tickets WHERE id = ?').get(id), id).toEqual({ session_id: sessionId });
      }
      const counters = db.prepare(`SELECT day, n FROM ticket_counters WHERE day <> 'health'`).all() as { day: string; n: number }[];
      const highest = Math.max(...[...told.keys(), ...after].map((id) => Number(id.split('-')[1])));
      expect(Math.max(...counters.map((c) => c.n))).toBeGreaterThanOrEqual(highest);
      const stored = db.prepare('SELECT count(*) AS c FROM messages WHERE session_id = ? AND client_message_id = ?');
      const missing = acked.filter((a) => (stored.get(a.sessionId, a.clientMessageId) as { c: number }).c !== 1);
      expect(missing).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
