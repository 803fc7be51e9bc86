/**
 * The outage watch over HTTP (admin), polled by the reports page:
 *   GET  /api/desk/outage → { alerts, notices, rule }
 *   POST /api/desk/outage/notices { intent?, carrier?, province?, endsAt, text? } → { notice }
 *   POST /api/desk/outage/notices/:id/end → { ok }
 * Publishing and ending a notice are written to the audit log.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ProtocolFailure } from '../core/errors.js';
import { PROVINCE_NAMES } from '../nlu/entities/places.js';
import type { SessionStore } from '../store/types.js';
import { OUTAGE_INTENTS, OUTAGE_RULE, type OutageWatch } from './outage.js';
import type { ReportGuards } from './reportsRoutes.js';

const publishSchema = z.object({
  intent: z.enum(OUTAGE_INTENTS).default('no_network'),
  carrier: z.enum(['cmcc', 'cucc', 'ctcc', 'cbn']).nullable().default(null),
  province: z.enum(PROVINCE_NAMES as [string, ...string[]]).nullable().default(null),
  endsAt: z.iso.datetime({ offset: true }),
  text: z.object({ zh: z.string().min(4).max(300), en: z.string().min(4).max(500) }).optional(),
});

export function outageRoutes(watch: OutageWatch, store: SessionStore, g: ReportGuards, who: (req: Request) => string, now: () => Date = () => new Date()): Router {
  const router = Router();
  router.get('/outage', g.signedIn, g.admin, (_req, res) => {
    res.json({ alerts: watch.currentAlerts(), notices: watch.activeNotices(now()), rule: OUTAGE_RULE });
  });
  router.post('/outage/notices', g.signedIn, g.admin, g.csrf, async (req, res) => {
    const r = publishSchema.safeParse(req.body);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ProtocolFailure('INVALID_PAYLOAD', `${issue?.path.length ? `"${issue.path.join('.')}": ` : ''}${issue?.message ?? 'invalid'}`);
    }
    const at = now();
    const endsAt = new Date(r.data.endsAt);
    if (endsAt <= at) throw new ProtocolFailure('INVALID_PAYLOAD', '"endsAt": must be in the future');
    const notice = watch.publish({ ...r.data, endsAt: endsAt.toISOString() }, who(req), at);
    await store.audit({ at: at.toISOString(), agent: who(req), action: 'outage notice published', sessionId: null, ticketId: null, detail: JSON.stringify(notice) });
    res.json({ notice });
  });
  router.post('/outage/notices/:id/end', g.signedIn, g.admin, g.csrf, async (req, res) => {
    const id = String(req.params.id);
    if (!watch.withdraw(id, now())) throw new ProtocolFailure('NOT_FOUND', 'no such notice in force');
    await store.audit({ at: now().toISOString(), agent: who(req), action: 'outage notice ended', sessionId: null, ticketId: null, detail: id });
    res.json({ ok: true });
  });
  return router;
}
