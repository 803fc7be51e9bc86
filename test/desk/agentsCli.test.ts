/**
 * `npm run agents` as a person uses it: a real process on a real SQLite file,
 * the password on standard input.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqliteStore.js';
import { verifyPassword } from '../../server/desk/passwords.js';
import { tempDbPath } from '../helpers/startServer.js';

const run = (dbPath: string, args: string[], input = '') =>
  spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/agents.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, DB_PATH: dbPath } });

it('adds, lists, disables and re-keys agents, with clear errors', async () => {
  const db = tempDbPath();
  const add = run(db, ['add', 'wang', '--name', '小王'], 'first-password\n');
  expect(add.stderr).toBe('');
  expect(add.stdout).toBe('added wang (小王, agent)\n');
  expect(run(db, ['add', 'boss', '--name', '主管', '--role', 'admin'], 'boss-password\n').status).toBe(0);

  expect(run(db, ['list']).stdout).toBe('boss\t主管\tadmin\tenabled\nwang\t小王\tagent\tenabled\n');
  expect(run(db, ['disable', 'wang']).stdout).toBe('disabled wang\n');
  expect(run(db, ['passwd', 'wang'], 'second-password\n').status).toBe(0);

  const store = new SqliteStore(db);
  const wang = await store.getAgent('wang');
  expect(wang).toMatchObject({ disabled: true, role: 'agent' });
  expect(wang!.passwordHash).toMatch(/^scrypt\$/);
  expect(await verifyPassword('second-password', wang!.passwordHash)).toBe(true);
  expect(await verifyPassword('first-password', wang!.passwordHash)).toBe(false);
  await store.close();

  // Mistakes: a clear line and an exit code (1: refused, 2: usage).
  const twice = run(db, ['add', 'wang', '--name', '小王'], 'another-password\n');
  expect([twice.status, twice.stderr]).toEqual([1, 'kefu agents: an agent "wang" already exists (use passwd to change the password)\n']);
  const short = run(db, ['add', 'li', '--name', '小李'], 'short\n');
  expect([short.status, short.stderr]).toEqual([1, 'kefu agents: the password must have at least 8 characters\n']);
  expect(run(db, ['add', 'Bad Login', '--name', 'x'], 'long-enough-1\n').status).toBe(1);
  expect(run(db, ['add', 'li'], 'long-enough-1\n').status).toBe(2);
  expect(run(db, ['add', 'li', '--name', '小李', '--role', 'root'], 'long-enough-1\n').status).toBe(2);
  expect(run(db, ['add', 'li', '--name', '小李']).stderr).toContain('no password on standard input');
  expect(run(db, ['fly']).status).toBe(2);
  expect(run(db, ['disable', 'ghost']).stderr).toBe('kefu agents: no agent "ghost"\n');
  // The password never appears in what the tool prints.
  expect(add.stdout + add.stderr).not.toContain('first-password');
}, 60_000);
