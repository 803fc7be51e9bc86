/**
 * Storage faults under a real kefu process and a real SQLite file: the
 * database file deleted under the running server, replaced by a backup
 * renamed over it, or damaged in place, the disk full (a small
 * tmpfs), the disk dying (every I/O failing, on a loop-mounted ext4), a turn
 * that fails meanwhile. Acks stop, /readyz says 503, no ticket id is given
 * twice, the counter never goes back, and every message that was
 * acknowledged is in the file afterwards (a dying disk may take the last
 * moment's with it, the window synchronous=NORMAL leaves; the file stays whole).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
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

describe('a real kefu process whose database file is replaced under it by a backup (renamed over it, as a restore does)', { timeout: 120_000 }, () => {
  it('stops acknowledging at once; after a kill -9 and a restart serves the backup as it was (not a stale WAL replayed onto it), and the file moved aside holds every acked turn', async () => {
    const DB_PATH = tempDbPath();
    const BACKUP = `${DB_PATH}.backup`;
    let after: string[] = [];
    let k = await startProcess({ DB_PATH, RATE_LIMIT: 'off' });
    try {
      const before = await postMessage(k.url, { text: '手机开不了机' });
      expect(before.status).toBe(200);
      // An online backup (page by page, as sqlite3 .backup does) of what the database holds now.
      const live = new BetterSqlite3(DB_PATH);
      await live.backup(BACKUP);
      live.close();
      // Work after the backup: these sessions are in the live file (and its WAL), not in the backup.
      after = [];
      for (let i = 0; i < 40; i++) {
        const res = await postMessage(k.url, { text: i % 2 ? '手机很卡' : '没信号' });
        expect(res.status).toBe(200);
        after.push(res.body.sessionId as string);
      }
      // The restore: the live file moved aside, the backup renamed into its place.
      renameSync(DB_PATH, `${DB_PATH}.old`);
      renameSync(BACKUP, DB_PATH);

      const refused = await postMessage(k.url, { sessionId: before.body.sessionId, text: '还是不行' });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: { code: 'UNAVAILABLE' } });
      expect(await readyz(k.url)).toBe(503);
      await k.stop('SIGKILL');

      k = await startProcess({ DB_PATH, RATE_LIMIT: 'off' });
      expect(await readyz(k.url)).toBe(200);
      // The backup's conversation goes on where the backup left it; the later ones are not in it.
      const transcript = (await (await fetch(`${k.url}/api/sessions/${before.body.sessionId}/transcript`)).json()) as { entries: { role: string; text: string }[] };
      expect(transcript.entries.filter((e) => e.role === 'user').map((e) => e.text)).toEqual(['手机开不了机']);
      const unknown = await fetch(`${k.url}/api/sessions/${after[0]}/transcript`);
      expect(unknown.status).toBe(404);
      expect((await postMessage(k.url, { sessionId: before.body.sessionId, text: '还是不行' })).status).toBe(200);
    } finally {
      await k.stop('SIGTERM');
    }
    const db = new BetterSqlite3(DB_PATH, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    // The file moved aside holds every turn acknowledged before the restore: the WAL went into it.
    const old = new BetterSqlite3(`${DB_PATH}.old`, { readonly: true });
    try {
      expect(old.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set((old.prepare('SELECT DISTINCT session_id AS id FROM messages').all() as { id: string }[]).map((r) => r.id));
      expect(after.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      old.close();
    }
  });
});

describe('a real kefu process whose database file is damaged under it (pages overwritten in place)', { timeout: 120_000 }, () => {
  it('answers UNAVAILABLE, never INTERNAL, and /readyz says 503 and stays so (a damaged file does not heal)', async () => {
    const DB_PATH = tempDbPath();
    const k = await startProcess({ DB_PATH, RATE_LIMIT: 'off' });
    try {
      const sessions: string[] = [];
      for (let i = 0; i < 60; i++) {
        const res = await postMessage(k.url, { text: i % 2 ? '手机很卡' : '手机开不了机' });
        expect(res.status).toBe(200);
        sessions.push(res.body.sessionId as string);
      }
      expect(await readyz(k.url)).toBe(200);
      // Everything into the file, then every page but the first overwritten: what a failing disk or a copy over the live file leaves.
      const side = new BetterSqlite3(DB_PATH);
      expect((side.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]!.busy).toBe(0);
      side.close();
      const size = statSync(DB_PATH).size;
      const f = openSync(DB_PATH, 'r+');
      for (let at = 4096; at < size; at += 4096) writeSync(f, Buffer.alloc(4096, 0xab), 0, 4096, at);
      closeSync(f);

      const answers: number[] = [];
      const codes = new Set<string>();
      for (const id of sessions.slice(0, 10)) {
        const res = await postMessage(k.url, { sessionId: id, text: '还是不行' });
        answers.push(res.status);
        if (res.status !== 200) codes.add(res.body?.error?.code as string);
      }
      expect(answers).toContain(503);
      expect([...codes]).toEqual(['UNAVAILABLE']);
      expect(await readyz(k.url)).toBe(503);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await readyz(k.url)).toBe(503);
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

    // Wait for the checkpointer (every second) to empty the WAL: a full disk refuses only writes
    // that need new space, and an emptied WAL is written over in place, so the first turns are
    // still acked. Long turns use that space up within a few dozen.
    await new Promise((r) => setTimeout(r, 2500));
    const filler = fill(disk.dir);
    const long = '手机开不了机，充电也没反应，'.repeat(30).slice(0, 480);
    const whileFull: number[] = [];
    for (let i = 0; i < 150 && !whileFull.includes(503); i++) whileFull.push((await turn(k.url, sessions[i % 6], long)).status);
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

/**
 * An ext4 file system on a loop device that can be made to fail every I/O
 * (FS_IOC_SHUTDOWN without flushing its log: a disk that died, or a power cut
 * of that disk alone), or the reason there is none (not root, no loop devices,
 * no python3 to issue the ioctl).
 */
function dyingDisk(sizeMb: number): { dir: string; kill(): void; remount(): void; release(): void } | string {
  const root = mkdtempSync(join(tmpdir(), 'kefu-eio-'));
  const image = join(root, 'disk.img');
  const dir = join(root, 'mnt');
  try {
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('truncate', ['-s', `${sizeMb}M`, image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image], { stdio: 'pipe' });
    execFileSync('mount', ['-o', 'loop', image, dir], { stdio: 'pipe' });
    execFileSync('python3', ['-c', 'import fcntl, struct'], { stdio: 'pipe' });
  } catch (e) {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      /* not mounted */
    }
    rmSync(root, { recursive: true, force: true });
    return `no loop-mounted ext4 with a shutdown ioctl here (${String((e as { stderr?: Buffer }).stderr ?? e).trim().split('\n')[0]})`;
  }
  // FS_IOC_SHUTDOWN = _IOR('X', 125, __u32); 2 = EXT4_GOING_FLAGS_NOLOGFLUSH.
  const shutdown = `import fcntl, os, struct\nfd = os.open(${JSON.stringify(dir)}, os.O_RDONLY)\nfcntl.ioctl(fd, 0x8004587D, struct.pack('I', 2))`;
  return {
    dir,
    kill: () => execFileSync('python3', ['-c', shutdown], { stdio: 'pipe' }),
    remount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      execFileSync('mount', ['-o', 'loop', image, dir], { stdio: 'pipe' });
    },
    release: () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

const dying = dyingDisk(32);

describe('a real kefu process whose disk dies under it (every I/O fails)', { timeout: 180_000 }, () => {
  if (typeof dying === 'string') {
    it.skip(`skipped: ${dying}`, () => {});
    return;
  }
  cleanups.push(dying.release);

  it('answers UNAVAILABLE (never INTERNAL) and /readyz 503 while it stays alive; after a remount the file is whole and kefu serves again', async () => {
    const DB_PATH = join(dying.dir, 'kefu.db');
    let k = await startProcess({ DB_PATH, RATE_LIMIT: 'off' });
    try {
      const sessions: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await postMessage(k.url, { text: i % 2 ? '手机很卡' : '手机开不了机' });
        expect(res.status).toBe(200);
        sessions.push(res.body.sessionId as string);
      }
      expect(await readyz(k.url)).toBe(200);
      dying.kill();

      const codes = new Map<string, number>();
      for (const id of sessions) {
        const res = await postMessage(k.url, { sessionId: id, text: '还是不行' });
        const key = res.status === 200 ? '200' : `${res.status} ${String(res.body?.error?.code)}`;
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }
      // A turn may still be answered from what SQLite has in memory; none is INTERNAL, and the writes are refused.
      expect([...codes.keys()].filter((c) => c !== '200' && c !== '503 UNAVAILABLE')).toEqual([]);
      expect(codes.get('503 UNAVAILABLE') ?? 0).toBeGreaterThan(0);
      expect(await readyz(k.url)).toBe(503);
      expect((await fetch(`${k.url}/healthz`)).status).toBe(200); // alive: a restart is the operator's call
      await k.stop('SIGKILL');

      dying.remount(); // journal recovery, as after a power cut
      k = await startProcess({ DB_PATH, RATE_LIMIT: 'off' });
      expect(await readyz(k.url)).toBe(200);
      expect((await postMessage(k.url, { text: '手机开不了机' })).status).toBe(200);
    } finally {
      await k.stop('SIGKILL');
    }
    const db = new BetterSqlite3(DB_PATH, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
