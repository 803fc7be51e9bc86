/**
 * Agents' desk logins. A login gives an HTTP-only, SameSite=Strict cookie
 * holding a random token (only its hash is stored) and a CSRF token that the
 * desk sends back in the `X-Kefu-CSRF` header of every state-changing
 * request. Attempts are limited per account and per address; logins expire;
 * a disabled account or a new password ends them all.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import type { RateLimiter } from '../conversation/rateLimit.js';
import { ProtocolFailure } from '../core/errors.js';
import type { AgentRecord, SessionStore } from '../store/types.js';
import type { Agents } from './agents.js';

export const DESK_COOKIE = 'kefu_desk';
export const CSRF_HEADER = 'x-kefu-csrf';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface SignedIn {
  agent: AgentRecord;
  csrf: string;
  tokenHash: string;
}

export class DeskAuth {
  constructor(
    private readonly store: SessionStore,
    private readonly agents: Agents,
    private readonly limiter: RateLimiter,
    private readonly ttlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Checks the password; returns the new login's cookie token. RATE_LIMITED or BAD_CREDENTIALS otherwise. */
  async login(login: string, password: string, ip: string): Promise<{ token: string; signedIn: SignedIn; expires: Date }> {
    const account = login.trim().toLowerCase();
    const allowed = (await this.limiter.take('login_ip', ip)) && (await this.limiter.take('login_account', account));
    if (!allowed) throw new ProtocolFailure('RATE_LIMITED', 'too many login attempts; wait a few minutes');
    const agent = await this.agents.authenticate(account, password);
    if (!agent) throw new ProtocolFailure('BAD_CREDENTIALS', 'wrong login or password');
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(18).toString('base64url');
    const now = this.now();
    const expires = new Date(now.getTime() + this.ttlMs);
    const tokenHash = hashToken(token);
    await this.store.createDeskLogin({ tokenHash, login: agent.login, csrf, createdAt: now.toISOString(), expiresAt: expires.toISOString() });
    return { token, signedIn: { agent, csrf, tokenHash }, expires };
  }

  /** The agent behind a request's Cookie header, or null (no cookie, unknown, expired, disabled). */
  async fromCookie(header: string | undefined): Promise<SignedIn | null> {
    if (!header) return null;
    let token: string | undefined;
    try {
      token = parseCookie(header)[DESK_COOKIE];
    } catch {
      return null;
    }
    if (!token || token.length > 100) return null;
    const tokenHash = hashToken(token);
    const login = await this.store.getDeskLogin(tokenHash);
    if (!login) return null;
    if (login.expiresAt <= this.now().toISOString()) {
      await this.store.deleteDeskLogin(tokenHash);
      return null;
    }
    const agent = await this.store.getAgent(login.login);
    if (!agent || agent.disabled) return null;
    return { agent, csrf: login.csrf, tokenHash };
  }

  async logout(signedIn: SignedIn): Promise<void> {
    await this.store.deleteDeskLogin(signedIn.tokenHash);
  }
}
