/**
 * `npm run --silent agents -- COMMAND`: the desk's agent accounts.
 *
 *   add LOGIN --name 小王 [--role agent|admin]   password: one line on standard input
 *   list
 *   disable LOGIN | enable LOGIN
 *   passwd LOGIN                                  new password: one line on standard input
 *
 * Works on the store the server uses (DB_PATH), also while the server runs.
 * A password is read from standard input (a pipe, or the terminal without
 * echo), never from the command line, where other users could see it.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../config.js';
import { AgentError, Agents } from '../desk/agents.js';
import { agentRoleSchema } from '../protocol.js';
import { openStore } from '../store/open.js';
import { DatabaseOpenError } from '../store/sqliteOpen.js';

const USAGE = `usage: npm run --silent agents -- add LOGIN --name NAME [--role agent|admin]
       npm run --silent agents -- list | disable LOGIN | enable LOGIN | passwd LOGIN
(a password is read from standard input, one line)`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

/** One line from standard input; on a terminal, asked for without echo. */
async function readPassword(prompt: string): Promise<string> {
  const tty = process.stdin.isTTY === true;
  if (tty) process.stderr.write(prompt);
  const muted = new Writable({ write: (_c, _e, done) => done() });
  const rl = createInterface({ input: process.stdin, output: tty ? muted : undefined, terminal: tty });
  const line = await new Promise<string | null>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(null));
  });
  rl.close();
  if (tty) process.stderr.write('\n');
  if (line === null) throw new UsageError('no password on standard input');
  return line;
}

async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  const command = args.shift();
  const config = loadConfig();
  const store = await openStore(config);
  const agents = new Agents(store);
  try {
    switch (command) {
      case 'add': {
        const name = option(args, '--name');
        const role = agentRoleSchema.safeParse(option(args, '--role') ?? 'agent');
        const [login, ...rest] = args;
        if (!login || rest.length > 0 || !name) throw new UsageError('add needs LOGIN and --name NAME');
        if (!role.success) throw new UsageError('--role is agent or admin');
        const agent = await agents.add(login, name, role.data, await readPassword(`password for ${login}: `));
        process.stdout.write(`added ${agent.login} (${agent.name}, ${agent.role})\n`);
        return;
      }
      case 'list': {
        const all = await agents.list();
        if (all.length === 0) process.stdout.write('no agents yet: npm run --silent agents -- add LOGIN --name NAME\n');
        for (const a of all) process.stdout.write(`${a.login}\t${a.name}\t${a.role}\t${a.disabled ? 'disabled' : 'enabled'}\n`);
        return;
      }
      case 'disable':
      case 'enable': {
        const [login, ...rest] = args;
        if (!login || rest.length > 0) throw new UsageError(`${command} needs LOGIN`);
        await agents.setDisabled(login, command === 'disable');
        process.stdout.write(`${command}d ${login}\n`);
        return;
      }
      case 'passwd': {
        const [login, ...rest] = args;
        if (!login || rest.length > 0) throw new UsageError('passwd needs LOGIN');
        await agents.passwd(login, await readPassword(`new password for ${login}: `));
        process.stdout.write(`password changed for ${login}; their desk sessions have ended\n`);
        return;
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command');
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`kefu agents: ${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (e instanceof AgentError || e instanceof DatabaseOpenError) process.stderr.write(`kefu agents: ${e.message}\n`);
  else if (e instanceof ConfigError) process.stderr.write(`kefu agents: invalid configuration: ${e.message}\n`);
  else process.stderr.write(`kefu agents: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
