/**
 * WAL checkpoints on a worker thread. A checkpoint copies the WAL back into
 * the database file and fsyncs it; run by the connection that commits (SQLite's
 * default), it blocks the event loop for tens of milliseconds now and then,
 * which is what a chat user sees as a slow reply. Here a second connection on
 * a worker does PASSIVE checkpoints, which never block the writer.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS run with `eval`, so it works the same under node, tsx and vitest (no TS loader in workers).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
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

/** Starts checkpointing the WAL of the database at `path` every `intervalMs`. */
export function startWalCheckpointer(path: string, intervalMs: number, onError: (message: string) => void): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs, driver } });
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
