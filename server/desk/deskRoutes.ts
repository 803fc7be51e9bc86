/**
 * The desk's HTTP side, for kefu's own desk page only (never for the sites
 * that embed the widget):
 *   POST /api/desk/login   { login, password } → { agent, csrf } + session cookie
 *   POST /api/desk/logout
 *   GET  /api/desk/me      → { agent, csrf }
 *   GET  /api/desk/tickets?status&kind&intent&id&from&to&limit → { tickets }
 *   GET  /api/desk/tickets/:id → { ticket, conversation }
 *   GET  /api/desk/conversations/:sessionId → { conversation }
 *   GET  /api/desk/callbacks?status → { callbacks }
 *   POST /api/desk/callbacks/:id { status, note } → { ok }
 *   GET  /api/desk/agents  (admin) → { agents }
 *   GET  /api/desk/audit?sessionId&agent (admin) → { entries }
 * and the desk page itself at /desk. Every route but login needs an agent
 * session; state-changing ones also the CSRF header.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ProtocolFailure } from '../core/errors.js';
import { clientIp } from '../http/clientIp.js';
import { originAllowed } from '../http/origins.js';
import { maskEntityValue } from '../privacy/mask.js';
import { callbackDoneSchema, loginSchema, type CallbackNumber, type LoginResponse } from '../protocol.js';
import type { SessionStore, TicketQuery } from '../store/types.js';
import { CSRF_HEADER, DESK_COOKIE, type DeskAuth, type SignedIn } from './auth.js';
import type { Desk } from './deskService.js';
import { inboxRoutes } from '../reports/inboxRoutes.js';
import type { OutageWatch } from '../reports/outage.js';
import { outageRoutes } from '../reports/outageRoutes.js';
import type { ReportNames } from '../reports/names.js';
import { reportsRoutes } from '../reports/reportsRoutes.js';

export interface DeskRouteOptions {
  auth: DeskAuth;
  desk: Desk;
  store: SessionStore;
  trustProxyHops: number;
  /** Where the built desk page is (client/desk/dist). */
  deskDir: string;
  /** The outage watch, whose notices the bot gives (server/reports/outage.ts). */
  outage?: OutageWatch;
  /** A problem's title in a language (「手机开不了机」), from the dialogs: tickets carry it for the desk. */
  topicOf?: (intent: string, lang: 'zh' | 'en') => string | null;
  /** How the reports name dialogs and nodes, and tell topics from answers. */
  names?: ReportNames;
}

type Authed = Request & { signedIn?: SignedIn };

const ticketQuerySchema = z.object({
  status: z.enum(['open', 'resolved', 'escalated', 'closed']).optional(),
  kind: z.enum(['service', 'complaint', 'callback']).optional(),
  intent: z.string().max(40).optional(),
  id: z.string().max(40).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  /** The desk's language, for each ticket's topic. */
  lang: z.enum(['zh', 'en']).optional(),
});

/** A China calendar day's first instant, for ticket date filters. */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ProtocolFailure('INVALID_PAYLOAD', `${issue?.path.length ? `"${issue.path.join('.')}": ` : ''}${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

export function deskRoutes(o: DeskRouteOptions): Router {
  const router = Router();
  const secure = (req: Request) => req.secure || (o.trustProxyHops > 0 && String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() === 'https');

  // The desk is kefu's own page: other origins (also the sites that embed the widget) get nothing.
  router.use((req, _res, next) => {
    next(originAllowed(req.headers.origin, req.headers.host, []) ? undefined : new ProtocolFailure('FORBIDDEN_ORIGIN', 'the desk API serves kefu’s own desk only'));
  });
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use(express.json({ limit: '16kb', strict: true }));

  const signedIn: RequestHandler = (req, _res, next) => {
    o.auth.fromCookie(req.headers.cookie).then((s) => {
      if (!s) return next(new ProtocolFailure('UNAUTHORIZED', 'sign in at /desk first'));
      (req as Authed).signedIn = s;
      next();
    }, next);
  };
  const csrf: RequestHandler = (req, _res, next) => {
    const s = (req as Authed).signedIn!;
    next(req.headers[CSRF_HEADER] === s.csrf ? undefined : new ProtocolFailure('FORBIDDEN', `missing or wrong ${CSRF_HEADER} header`));
  };
  const admin: RequestHandler = (req, _res, next) => {
    next((req as Authed).signedIn!.agent.role === 'admin' ? undefined : new ProtocolFailure('FORBIDDEN', 'this needs the admin role'));
  };
  const me = (req: Request) => (req as Authed).signedIn!;
  const agentView = (s: SignedIn) => ({ login: s.agent.login, name: s.agent.name, role: s.agent.role });

  router.post('/login', async (req, res) => {
    if (!req.is('application/json')) throw new ProtocolFailure('INVALID_PAYLOAD', 'send a JSON body with Content-Type: application/json');
    const body = parsed(loginSchema, req.body);
    const ip = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], o.trustProxyHops);
    const { token, signedIn: s, expires } = await o.auth.login(body.login, body.password, ip);
    res.cookie(DESK_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/', expires });
    const answer: LoginResponse = { agent: agentView(s), csrf: s.csrf };
    res.json(answer);
  });

  router.post('/logout', signedIn, csrf, async (req, res) => {
    await o.auth.logout(me(req));
    res.clearCookie(DESK_COOKIE, { httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/' });
    res.status(204).end();
  });

  router.get('/me', signedIn, (req, res) => {
    const answer: LoginResponse = { agent: agentView(me(req)), csrf: me(req).csrf };
    res.json(answer);
  });

  router.get('/tickets', signedIn, async (req, res) => {
    const q = parsed(ticketQuerySchema, req.query);
    const query: TicketQuery = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.intent ? { intent: q.intent } : {}),
      ...(q.id ? { id: q.id } : {}),
      ...(q.from ? { from: dayStart(q.from) } : {}),
      ...(q.to ? { to: new Date(new Date(dayStart(q.to)).getTime() + 86_400_000).toISOString() } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
    };
    const found = await o.store.findTickets(query);
    const topic = (intent: string) => o.topicOf?.(intent, q.lang ?? 'zh') ?? null;
    res.json({ tickets: found.map((t) => ({ ...t, ...(topic(t.intent) ? { topic: topic(t.intent)! } : {}) })) });
  });

  router.get('/tickets/:id', signedIn, async (req, res) => {
    const ticket = await o.store.ticket(String(req.params.id));
    if (!ticket) throw new ProtocolFailure('NOT_FOUND', 'no such ticket');
    const conversation = await o.desk.view(me(req).agent, ticket.sessionId);
    res.json({ ticket, conversation });
  });

  router.get('/conversations/:sessionId', signedIn, async (req, res) => {
    res.json({ conversation: await o.desk.view(me(req).agent, String(req.params.sessionId)) });
  });

  router.get('/callbacks', signedIn, async (req, res) => {
    const status = parsed(z.object({ status: z.enum(['pending', 'done', 'failed', 'cancelled']).optional() }), req.query).status;
    // The number stays masked in the list: only the agent who calls asks for it in full (below).
    res.json({ callbacks: (await o.store.callbacks(status)).map((c) => ({ ...c, phone: maskEntityValue('phone', c.phone) })) });
  });

  router.post('/callbacks/:id/call', signedIn, csrf, async (req, res) => {
    const id = parsed(z.coerce.number().int().positive(), req.params.id);
    const cb = (await o.store.callbacks('pending')).find((c) => c.id === id);
    if (!cb) throw new ProtocolFailure('NOT_FOUND', 'no pending call-back with this id');
    const s = me(req);
    await o.store.audit({ at: new Date().toISOString(), agent: s.agent.login, action: 'call-back number shown', sessionId: cb.sessionId, ticketId: cb.ticketId, detail: String(cb.id) });
    const answer: CallbackNumber = { id: cb.id, phone: cb.phone };
    res.json(answer);
  });

  router.post('/callbacks/:id', signedIn, csrf, async (req, res) => {
    const body = parsed(callbackDoneSchema, { ...(req.body as object), id: Number(req.params.id) });
    const s = me(req);
    const now = new Date();
    if (!(await o.store.finishCallback(body.id, body.status, s.agent.login, now, body.note || body.status))) {
      throw new ProtocolFailure('NOT_FOUND', 'no pending call-back with this id');
    }
    await o.store.audit({ at: now.toISOString(), agent: s.agent.login, action: `call-back ${body.status}`, sessionId: null, ticketId: null, detail: String(body.id) });
    await o.desk.broadcast();
    res.json({ ok: true });
  });

  router.get('/agents', signedIn, admin, async (_req, res) => {
    res.json({ agents: await o.desk.agentStatuses() });
  });

  router.get('/audit', signedIn, admin, async (req, res) => {
    const q = parsed(z.object({ sessionId: z.string().max(128).optional(), agent: z.string().max(64).optional() }), req.query);
    res.json({ entries: await o.store.auditLog({ ...(q.sessionId ? { sessionId: q.sessionId } : {}), ...(q.agent ? { agent: q.agent } : {}) }) });
  });

  // Reports, exports, the inbox and the outage watch (admin): server/reports/.
  router.use(reportsRoutes(o.store, { signedIn, admin, csrf }, o.names));
  router.use(inboxRoutes(o.store, { signedIn, admin, csrf }, (req) => me(req).agent.login));
  if (o.outage) router.use(outageRoutes(o.outage, o.store, { signedIn, admin, csrf }, (req) => me(req).agent.login));

  router.use((_req, _res, next) => next(new ProtocolFailure('NOT_FOUND', 'no such desk route')));
  return router;
}

/** The desk page: the built app (client/desk/dist) under /desk, with its own strict CSP. */
export function deskPage(deskDir: string): Router {
  const router = Router();
  const csp = (res: Response) =>
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; media-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  router.use('/desk', (req, res, next) => {
    csp(res);
    if (!existsSync(join(deskDir, 'index.html'))) {
      next(new ProtocolFailure('UNAVAILABLE', 'the desk is not built; run `npm run build:desk`'));
      return;
    }
    next();
  });
  router.use('/desk', express.static(deskDir, { index: 'index.html', dotfiles: 'ignore', fallthrough: true }));
  // Client-side routes (/desk/tickets, /desk/reports…) are the same page.
  router.get(/^\/desk(\/.*)?$/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(deskDir, 'index.html'));
  });
  return router;
}
