/**
 * WAL checkpoints on a worker thread. A checkpoint copies the WAL back into
 * the database file and fsyncs it; run by the connection that commits (SQLite's
 * default), it blocks the event loop for tens of milliseconds now and then,
 * which is what a chat user sees as a slow reply. Here a second connection on
 * a worker does PASSIVE checkpoints, which never block the writer.
 *
 * Under steady writes a PASSIVE checkpoint never catches up with the last
 * frame, so the WAL never starts over and its file keeps growing. Once the
 * file is over `limitBytes`, the worker follows its PASSIVE checkpoint (which
 * has just copied nearly everything) with a TRUNCATE one: that waits for the
 * writer's lock, copies the few frames added meanwhile and empties the file,
 * so the writer waits a moment instead of checkpointing ~200 MB itself.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS run with `eval`, so it works the same under node, tsx and vitest (no TS loader in workers).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const walSize = () => {
  try {
    return statSync(workerData.path + '-wal').size;
  } catch {
    return 0;
  }
};
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    if (walSize() > workerData.limitBytes) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing the WAL of the database at `path` every `intervalMs`, emptying it once it is over `limitBytes`. */
export function startWalCheckpointer(
  path: string,
  o: { intervalMs: number; limitBytes: number },
  onError: (message: string) => void,
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs: o.intervalMs, limitBytes: o.limitBytes, driver } });
  worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
  worker.on('error', (e) => onError(e.message));
  // Never the reason a process stays alive.
  worker.unref();
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        // Waiting for an unref'd worker would let the process exit mid-shutdown.
        worker.ref();
        worker.postMessage('stop');
        // A worker stuck in a checkpoint must not hold up shutdown.
        setTimeout(() => void worker.terminate(), 2000).unref();
      });
      return stopped;
    },
  };
}
