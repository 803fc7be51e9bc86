/**
 * The desk's REST calls (same origin, cookie session). State-changing ones
 * carry the CSRF token from login; a 401 anywhere means the session is gone.
 */
import { agentSchema, deskConversationSchema, restErrorSchema, type Agent } from '../../../server/protocol.js';
import { z } from 'zod';

export class DeskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const loginResponseSchema = z.object({ agent: agentSchema, csrf: z.string() });
export type Session = z.infer<typeof loginResponseSchema>;

let csrf = '';
let onExpired: () => void = () => {};
export function whenExpired(f: () => void): void {
  onExpired = f;
}

async function call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST' && csrf) headers['x-kefu-csrf'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new DeskError('UNAVAILABLE', 'network error');
  }
  if (res.status === 204) return schema.parse({});
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = restErrorSchema.safeParse(json);
    const code = e.success ? e.data.error.code : res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL';
    if (code === 'UNAUTHORIZED' && path !== '/api/desk/me') onExpired();
    throw new DeskError(code, e.success ? e.data.error.message : res.statusText);
  }
  return schema.parse(json);
}

export async function login(loginName: string, password: string): Promise<Session> {
  const s = await call('POST', '/api/desk/login', loginResponseSchema, { login: loginName, password });
  csrf = s.csrf;
  return s;
}

/** The current session, or null when signed out. */
export async function me(): Promise<Session | null> {
  try {
    const s = await call('GET', '/api/desk/me', loginResponseSchema);
    csrf = s.csrf;
    return s;
  } catch (e) {
    if (e instanceof DeskError && e.code === 'UNAUTHORIZED') return null;
    throw e;
  }
}

export async function logout(): Promise<void> {
  await call('POST', '/api/desk/logout', z.object({})).catch(() => undefined);
  csrf = '';
}

const noteSchema = z.object({ at: z.string(), status: z.string(), note: z.string(), by: z.string() });
export const ticketSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  intent: z.string(),
  /** The problem's title in the desk's language, when the dialogs have one. */
  topic: z.string().optional(),
  kind: z.string(),
  status: z.string(),
  summary: z.string(),
  tried: z.array(z.string()),
  notes: z.array(noteSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export interface TicketFilter {
  status?: string;
  kind?: string;
  intent?: string;
  id?: string;
  from?: string;
  to?: string;
}

export function tickets(f: TicketFilter, lang?: 'zh' | 'en'): Promise<Ticket[]> {
  const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]);
  if (lang) q.set('lang', lang);
  return call('GET', `/api/desk/tickets?${q}`, z.object({ tickets: z.array(ticketSchema) })).then((r) => r.tickets);
}

export const callbackSchema = z.object({
  id: z.number(),
  sessionId: z.string(),
  ticketId: z.string(),
  phone: z.string(),
  preferredTime: z.string(),
  reason: z.string(),
  status: z.string(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
});
export type Callback = z.infer<typeof callbackSchema>;

export function callbacks(): Promise<Callback[]> {
  return call('GET', '/api/desk/callbacks', z.object({ callbacks: z.array(callbackSchema) })).then((r) => r.callbacks);
}

export function finishCallback(id: number, status: 'done' | 'failed', note = ''): Promise<unknown> {
  return call('POST', `/api/desk/callbacks/${id}`, z.object({ ok: z.boolean() }), { status, note });
}

/** The call-back's number in full, for this agent to call (the list shows it masked); the server audits it. */
export function callbackNumber(id: number): Promise<string> {
  return call('POST', `/api/desk/callbacks/${id}/call`, z.object({ id: z.number(), phone: z.string() }), {}).then((r) => r.phone);
}

export function agents(): Promise<unknown[]> {
  return call('GET', '/api/desk/agents', z.object({ agents: z.array(z.unknown()) })).then((r) => r.agents);
}

export const auditSchema = z.object({ at: z.string(), agent: z.string(), action: z.string(), sessionId: z.string().nullable(), ticketId: z.string().nullable(), detail: z.string() });
export function audit(): Promise<z.infer<typeof auditSchema>[]> {
  return call('GET', '/api/desk/audit', z.object({ entries: z.array(auditSchema) })).then((r) => r.entries);
}

export type { Agent };

export function ticketDetail(id: string) {
  return call('GET', `/api/desk/tickets/${encodeURIComponent(id)}`, z.object({ ticket: ticketSchema, conversation: deskConversationSchema }));
}
