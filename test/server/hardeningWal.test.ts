/**
 * The WAL under steady load: PASSIVE checkpoints alone never let it start
 * over while writes keep coming, so its file grows to the connection's
 * autocheckpoint (~200 MB) and that checkpoint then runs on the event loop.
 * With a limit, the checkpointing worker empties it and the file stays small.
 */
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqliteStore.js';
import { createBotDouble } from '../helpers/botDouble.js';
import { startTestServer, tempDbPath } from '../helpers/startServer.js';

const LIMIT = 1024 * 1024;

/** Runs `turns` REST turns from 8 concurrent clients; returns the largest -wal size seen meanwhile. */
async function steadyLoad(walLimitBytes: number, turns: number, checkpointIntervalMs = 50): Promise<number> {
  const dbPath = tempDbPath();
  const store = new SqliteStore(dbPath, { checkpointIntervalMs, walLimitBytes });
  const srv = await startTestServer({ DB_PATH: dbPath, RATE_LIMIT: 'off' }, { bot: createBotDouble(), store });
  let largest = 0;
  const sample = setInterval(() => {
    try {
      largest = Math.max(largest, statSync(`${dbPath}-wal`).size);
    } catch {
      /* not there yet */
    }
  }, 10);
  try {
    let left = turns;
    const text = '我的手机开不了机，充电也没有反应，昨天还好好的。'.repeat(8);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        let sessionId: string | undefined;
        while (left-- > 0) {
          const res = await fetch(`${srv.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...(sessionId ? { sessionId } : {}), text }),
          });
          expect(res.status).toBe(200);
          sessionId = ((await res.json()) as { sessionId: string }).sessionId;
        }
      }),
    );
    largest = Math.max(largest, statSync(`${dbPath}-wal`).size);
  } finally {
    clearInterval(sample);
    await srv.close();
  }
  return largest;
}

describe('the WAL under steady load', { timeout: 120_000 }, () => {
  it('stays under its limit (eight times it, at most: a busy machine delays the checks) after thousands of turns', async () => {
    const bounded = await steadyLoad(LIMIT, 2000);
    expect(bounded).toBeLessThanOrEqual(8 * LIMIT);
  });

  // The control: the same turns write far more than the bound into the WAL, so the
  // check above can fail. With no checkpoint at all the file only grows; whether
  // PASSIVE checkpoints alone let it start over depends on gaps in the load (a busy
  // machine makes them), so that is not what is asserted.
  it('grows past that bound under the same load when nothing empties it (the check above can fail)', async () => {
    const unbounded = await steadyLoad(1024 * LIMIT, 2000, 3_600_000);
    expect(unbounded).toBeGreaterThan(8 * LIMIT); // about 60 MB
  });
});
