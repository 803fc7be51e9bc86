/**
 * The inbox over HTTP (admin):
 *   GET  /api/desk/inbox?from&to → { groups, labels } (labels: the intents and "out_of_scope")
 *   POST /api/desk/inbox/label { texts: string[], label: intent | "out_of_scope" } → { ok, labelled }
 *   GET  /api/desk/inbox/export?from&to → { evaluation, outOfScope, count }
 * Labels are kept in the audit log (who labelled what, when), so they survive
 * restarts and the latest label of a line wins.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ProtocolFailure } from '../core/errors.js';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_EVAL_FILE } from '../nlu/check.js';
import { INTENT_IDS } from '../nlu/content.js';
import { parseEvalSet } from '../nlu/evaluate.js';
import { exactKey } from '../nlu/shortAnswers.js';
import { normalize } from '../nlu/normalize.js';
import type { SessionStore } from '../store/types.js';
import { exportPatch, groupLines, inboxTurns, lineKey, OUT_OF_SCOPE, withText } from './inbox.js';
import { eventsFor, type ReportGuards } from './reportsRoutes.js';
import { parseRange, type ReportRange } from './time.js';

const ACTION = 'inbox label';
const labelSchema = z.object({
  texts: z.array(z.string().min(1).max(500)).min(1).max(500),
  label: z.enum([...INTENT_IDS, OUT_OF_SCOPE] as [string, ...string[]]),
});

async function labels(store: SessionStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // The audit log is newest first: the first label seen for a line is its latest.
  for (const e of await store.auditLog({ limit: 100_000 })) {
    if (e.action !== ACTION) continue;
    const d = JSON.parse(e.detail) as { key: string; label: string };
    if (!out.has(d.key)) out.set(d.key, d.label);
  }
  return out;
}

const utteranceKey = (s: string) => exactKey(normalize(s).text);

/** Whether a line is already in the evaluation set, compared as `npm run check` compares them. */
function evaluated(): (text: string) => boolean {
  if (!existsSync(DEFAULT_EVAL_FILE)) return () => false;
  const keys = new Set(parseEvalSet(readFileSync(DEFAULT_EVAL_FILE, 'utf8')).cases.map((c) => utteranceKey(c.text)));
  return (text) => keys.has(utteranceKey(text));
}

async function groupsFor(store: SessionStore, range: ReportRange, now: Date) {
  const turns = inboxTurns(await eventsFor(store, range, now)).filter((t) => t.at >= range.start.toISOString() && t.at < range.end.toISOString());
  const transcripts = new Map<string, Awaited<ReturnType<SessionStore['transcript']>>>();
  for (const id of new Set(turns.map((t) => t.sessionId))) transcripts.set(id, await store.transcript(id));
  const known = await labels(store);
  return { groups: groupLines(withText(turns, transcripts), known), known };
}

export function inboxRoutes(store: SessionStore, g: ReportGuards, who: (req: Request) => string, now: () => Date = () => new Date()): Router {
  const router = Router();
  router.get('/inbox', g.signedIn, g.admin, async (req, res) => {
    res.json({ groups: (await groupsFor(store, parseRange(req.query), now())).groups, labels: [...INTENT_IDS, OUT_OF_SCOPE] });
  });
  router.post('/inbox/label', g.signedIn, g.admin, g.csrf, async (req, res) => {
    const r = labelSchema.safeParse(req.body);
    if (!r.success) throw new ProtocolFailure('INVALID_PAYLOAD', r.error.issues[0]?.message ?? 'invalid');
    const at = now().toISOString();
    const keys = [...new Set(r.data.texts.map(lineKey).filter(Boolean))];
    for (const key of keys) {
      await store.audit({ at, agent: who(req), action: ACTION, sessionId: null, ticketId: null, detail: JSON.stringify({ key, label: r.data.label }) });
    }
    res.json({ ok: true, labelled: keys.length });
  });
  router.get('/inbox/export', g.signedIn, g.admin, async (req, res) => {
    const range = parseRange(req.query);
    const { groups, known } = await groupsFor(store, range, now());
    res.json(exportPatch(groups, known, range.to, evaluated()));
  });
  return router;
}
