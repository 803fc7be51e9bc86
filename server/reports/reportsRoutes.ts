/**
 * The reports' HTTP side, under /api/desk (admin role), mounted by the desk's router:
 *   GET /api/desk/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&by=day|hour] → Stats + { callbacks: { requested, pending, done } }
 *   GET /api/desk/stats/funnels?from&to[&lang=zh|en] → { funnels } (dialogs and nodes named in lang)
 *   GET /api/desk/export/conversations.csv|tickets.csv|ratings.csv|funnels.csv?from&to[&lang] → text/csv (UTF-8 with BOM)
 * and what the inbox and the outage watch add (inboxRoutes.ts, outageRoutes.ts).
 */
import { Router, type RequestHandler } from 'express';
import { ProtocolFailure } from '../core/errors.js';
import type { SessionStore } from '../store/types.js';
import { conversationsCsv, funnelsCsv, ratingsCsv, ticketsCsv } from './csv.js';
import { reportNames, type ReportNames } from './names.js';
import { computeFunnels, computeStats, nameFunnels } from './stats.js';
import { parseRange, type ReportRange } from './time.js';

export interface ReportGuards {
  signedIn: RequestHandler;
  admin: RequestHandler;
  csrf: RequestHandler;
}

/** Events of conversations that started in the range, and all that followed them up to now. */
export async function eventsFor(store: SessionStore, range: ReportRange, now: Date) {
  return store.events(range.start, new Date(Math.max(range.end.getTime(), now.getTime() + 1)));
}

/** The report's language: `lang=en`, else Chinese. */
const langOf = (q: Record<string, unknown>): 'zh' | 'en' => (q.lang === 'en' ? 'en' : 'zh');

export function reportsRoutes(store: SessionStore, g: ReportGuards, names: ReportNames = reportNames(undefined), now: () => Date = () => new Date()): Router {
  const router = Router();
  const guard = [g.signedIn, g.admin];

  router.get('/stats', ...guard, async (req, res) => {
    const range = parseRange(req.query);
    const stats = computeStats(await eventsFor(store, range, now()), range, names);
    const callbacks = await store.callbacks();
    const inRange = callbacks.filter((c) => c.createdAt >= range.start.toISOString() && c.createdAt < range.end.toISOString());
    res.json({
      ...stats,
      callbacks: { requested: stats.callbacks.requested, pending: inRange.filter((c) => c.status === 'pending').length, done: inRange.filter((c) => c.status === 'done').length },
    });
  });

  router.get('/stats/funnels', ...guard, async (req, res) => {
    const range = parseRange(req.query);
    const funnels = computeFunnels(await eventsFor(store, range, now()), range);
    res.json({ from: range.from, to: range.to, funnels: nameFunnels(funnels, names, langOf(req.query)) });
  });

  router.get('/export/:file', ...guard, async (req, res) => {
    const range = parseRange(req.query);
    const file = String(req.params.file);
    let body: string;
    if (file === 'conversations.csv') body = conversationsCsv(await eventsFor(store, range, now()), range, names);
    else if (file === 'funnels.csv') body = funnelsCsv(computeFunnels(await eventsFor(store, range, now()), range), names, langOf(req.query));
    else if (file === 'ratings.csv') body = ratingsCsv(await eventsFor(store, range, now()), range);
    else if (file === 'tickets.csv') body = ticketsCsv(await store.findTickets({ from: range.start.toISOString(), to: range.end.toISOString(), limit: 100_000 }));
    else throw new ProtocolFailure('NOT_FOUND', 'exports: conversations.csv, tickets.csv, ratings.csv, funnels.csv');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="kefu-${file.replace('.csv', '')}-${range.from}_${range.to}.csv"`);
    res.send(body);
  });

  return router;
}
