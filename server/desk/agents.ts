/**
 * Agent accounts: created, listed, disabled and given new passwords from the
 * command line (`npm run agents`), and checked at login. A disabled account,
 * or a new password, ends every desk session of that agent at once.
 */
import type { AgentRole } from '../protocol.js';
import type { AgentRecord, SessionStore } from '../store/types.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

/** An account operation that cannot be done, with the reason in plain words. */
export class AgentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentError';
  }
}

const LOGIN = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export function loginProblem(login: string): string | null {
  return LOGIN.test(login) ? null : 'a login is 2–32 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';
}

export class Agents {
  constructor(
    private readonly store: SessionStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(login: string, name: string, role: AgentRole, password: string): Promise<AgentRecord> {
    const problem = loginProblem(login) ?? (name.trim() ? null : 'the display name must not be empty') ?? passwordProblem(password);
    if (problem) throw new AgentError(problem);
    if (await this.store.getAgent(login)) throw new AgentError(`an agent "${login}" already exists (use passwd to change the password)`);
    const agent: AgentRecord = { login, name: name.trim(), role, passwordHash: await hashPassword(password), disabled: false, createdAt: this.now().toISOString() };
    await this.store.putAgent(agent);
    return agent;
  }

  async list(): Promise<AgentRecord[]> {
    return this.store.listAgents();
  }

  async setDisabled(login: string, disabled: boolean): Promise<void> {
    const agent = await this.existing(login);
    await this.store.putAgent({ ...agent, disabled });
    if (disabled) await this.store.deleteDeskLoginsOf(login);
  }

  async passwd(login: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new AgentError(problem);
    const agent = await this.existing(login);
    await this.store.putAgent({ ...agent, passwordHash: await hashPassword(password) });
    await this.store.deleteDeskLoginsOf(login);
  }

  /** The agent when login and password match an enabled account; null otherwise (which of the two is wrong is not said). */
  async authenticate(login: string, password: string): Promise<AgentRecord | null> {
    const agent = await this.store.getAgent(login);
    // The same work whether or not the login exists: the answer's timing tells nothing.
    const ok = await verifyPassword(password, agent?.passwordHash ?? (await decoyHash()));
    return ok && agent && !agent.disabled ? agent : null;
  }

  private async existing(login: string): Promise<AgentRecord> {
    const agent = await this.store.getAgent(login);
    if (!agent) throw new AgentError(`no agent "${login}"`);
    return agent;
  }
}
