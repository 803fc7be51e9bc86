/**
 * A throw-away PostgreSQL for tests: `initdb` into a temp dir, `postgres` on a
 * free port with its socket in that dir, stopped (and the dir removed) at the
 * end. PostgreSQL refuses to run as root, so as root it runs as the `postgres`
 * user (`runuser -u postgres --`), owning the dir.
 *
 *   const pg = await startPostgres();
 *   const url = await pg.createDatabase();    // a fresh, empty database
 *   await pg.restart();                       // stop and start again, same data
 *   await pg.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './ports.js';

/** Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<major>/bin: the newest major first. */
function binDirs(): string[] {
  let majors: string[] = [];
  try {
    majors = readdirSync('/usr/lib/postgresql').filter((d) => /^\d+$/.test(d));
  } catch {
    // not Debian's layout: PATH it is
  }
  return majors.sort((x, y) => Number(y) - Number(x)).map((m) => `/usr/lib/postgresql/${m}/bin`);
}

function pgBin(name: string): string {
  for (const dir of binDirs()) if (existsSync(join(dir, name))) return join(dir, name);
  return name; // on PATH
}

const asRoot = process.getuid?.() === 0;

function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export interface TestPostgres {
  port: number;
  /** The data directory (its postmaster.pid names the server process). */
  dataDir: string;
  /** The `postgres` database's URL (for administration). */
  adminUrl: string;
  /** Creates a fresh database; resolves with its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops PostgreSQL (fast shutdown), keeping its data. */
  halt(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  start(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

let dbCounter = 0;

export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-pg-'));
  if (asRoot) {
    const { uid, gid } = userIds('postgres');
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [initCmd, initArgs] = asPostgres(pgBin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8']);
  // cwd: the temp dir, which the postgres user can enter (a root-owned checkout may not be).
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', cwd: dir });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | null = null;

  const start = async () => {
    const [cmd, args] = asPostgres(pgBin('postgres'), [
      '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
    ]);
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child = p;
    await waitFor(`PostgreSQL on port ${port}${stderr ? `\n${stderr}` : ''}`, async () => {
      if (p.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.end();
      return true;
    });
  };

  const halt = async () => {
    const p = child;
    child = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    // SIGINT to the postmaster itself (runuser does not pass signals on): a fast shutdown, connections cut.
    const pid = postmasterPid(data);
    if (pid) process.kill(pid, 'SIGINT');
    else p.kill('SIGINT');
    await exited;
  };

  await start();
  return {
    port,
    dataDir: data,
    adminUrl,
    async createDatabase(name = `kefu_${process.pid}_${++dbCounter}`) {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    halt,
    start,
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const out = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gidOut = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`no user ${name} to run PostgreSQL as (install Debian's postgresql package)`);
  return { uid: Number(out.stdout.trim()), gid: Number(gidOut.stdout.trim()) };
}

function postmasterPid(data: string): number | null {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
