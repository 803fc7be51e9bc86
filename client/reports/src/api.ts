/**
 * The reports page's REST calls (same origin, the desk's cookie session):
 * the stats, the funnels, the inbox, the outage watch and one conversation.
 * Every answer is parsed with zod; a 401 means the session is gone.
 */
import { z } from 'zod';
import { deskConversationSchema, restErrorSchema } from '../../../server/protocol.js';
import { DeskError } from '../../desk/src/api.js';

export { DeskError };

let csrf = '';
let onExpired: () => void = () => {};

/** The CSRF token of the signed-in session (state-changing calls carry it). */
export function useCsrf(token: string): void {
  csrf = token;
}
export function whenExpired(f: () => void): void {
  onExpired = f;
}

async function call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['x-kefu-csrf'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new DeskError('UNAVAILABLE', 'network error');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = restErrorSchema.safeParse(json);
    const code = e.success ? e.data.error.code : res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL';
    if (code === 'UNAUTHORIZED') onExpired();
    throw new DeskError(code, e.success ? e.data.error.message : res.statusText);
  }
  return schema.parse(json);
}

const rate = z.number().nullable();
const durations = z.object({ count: z.number(), median: z.number().nullable(), p90: z.number().nullable() });
const csat = z.object({
  average: z.number().nullable(),
  count: z.number(),
  distribution: z.object({ '1': z.number(), '2': z.number(), '3': z.number(), '4': z.number(), '5': z.number() }),
});

export const statsSchema = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(['day', 'hour']),
  conversations: z.number(),
  contained: z.number(),
  containmentRate: rate,
  handovers: z.number(),
  handoverRate: rate,
  turns: z.number(),
  fallbacks: z.number(),
  fallbackRate: rate,
  intents: z.record(z.string(), z.number()),
  noTopic: z.number(),
  csat: csat.extend({ bot: csat, agent: csat }),
  queue: z.object({ queued: z.number(), claimed: z.number(), abandoned: z.number(), abandonmentRate: rate, wait: durations }),
  agents: z.object({ firstResponse: durations, resolution: durations }),
  callbacks: z.object({ requested: z.number(), pending: z.number(), done: z.number() }),
  complaints: z.number(),
  notices: z.record(z.string(), z.number()),
  series: z.array(z.object({ bucket: z.string(), conversations: z.number(), contained: z.number(), handovers: z.number(), turns: z.number(), fallbacks: z.number() })),
});
export type Stats = z.infer<typeof statsSchema>;
export type Durations = z.infer<typeof durations>;
export type CsatNumbers = z.infer<typeof csat>;

export interface Range {
  from: string;
  to: string;
  by: 'day' | 'hour';
}
const query = (r: Range) => new URLSearchParams({ from: r.from, to: r.to, by: r.by }).toString();

export const stats = (r: Range) => call('GET', `/api/desk/stats?${query(r)}`, statsSchema);

const funnelNode = z.object({ node: z.string(), count: z.number(), title: z.string().optional() });
export const funnelSchema = z.object({
  dialog: z.string(),
  title: z.string().optional(),
  entered: z.number(),
  reached: z.record(z.string(), z.number()),
  handover: z.array(funnelNode),
  abandoned: z.array(funnelNode),
  notUnderstood: z.array(funnelNode),
});
export type Funnel = z.infer<typeof funnelSchema>;
/** The funnels, their dialogs and nodes named in `lang`. */
export const funnels = (r: Range, lang: 'zh' | 'en') => call('GET', `/api/desk/stats/funnels?${query(r)}&lang=${lang}`, z.object({ funnels: z.array(funnelSchema) })).then((x) => x.funnels);

export const inboxGroupSchema = z.object({
  id: z.string(),
  text: z.string(),
  count: z.number(),
  link: z.string(),
  label: z.string().nullable(),
  lines: z.array(z.object({ sessionId: z.string(), at: z.string(), text: z.string(), why: z.enum(['not_understood', 'before_handover']), dialog: z.string().nullable(), node: z.string().nullable() })),
});
export type InboxGroup = z.infer<typeof inboxGroupSchema>;
export const inbox = (r: Range) => call('GET', `/api/desk/inbox?${query(r)}`, z.object({ groups: z.array(inboxGroupSchema), labels: z.array(z.string()) }));
export const label = (texts: string[], labelled: string) => call('POST', '/api/desk/inbox/label', z.object({ ok: z.boolean(), labelled: z.number() }), { texts, label: labelled });
export const inboxPatch = (r: Range) => call('GET', `/api/desk/inbox/export?${query(r)}`, z.object({ evaluation: z.string(), outOfScope: z.array(z.string()), count: z.number() }));

export const alertSchema = z.object({ key: z.string(), intent: z.string(), carrier: z.string().nullable(), province: z.string().nullable(), current: z.number(), expected: z.number(), since: z.string() });
export type OutageAlert = z.infer<typeof alertSchema>;
export const noticeSchema = z.object({
  id: z.string(),
  intent: z.string(),
  carrier: z.string().nullable(),
  province: z.string().nullable(),
  endsAt: z.string(),
  text: z.object({ zh: z.string(), en: z.string() }),
  publishedBy: z.string(),
  publishedAt: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;
export const outage = () =>
  call('GET', '/api/desk/outage', z.object({ alerts: z.array(alertSchema), notices: z.array(noticeSchema), rule: z.object({ windowMs: z.number(), baselineMs: z.number(), minCount: z.number(), factor: z.number(), floor: z.number() }) }));
export const publishNotice = (n: { carrier: string | null; province: string | null; endsAt: string }) =>
  call('POST', '/api/desk/outage/notices', z.object({ notice: noticeSchema }), { intent: 'no_network', ...n }).then((x) => x.notice);
export const endNotice = (id: string) => call('POST', `/api/desk/outage/notices/${encodeURIComponent(id)}/end`, z.object({ ok: z.boolean() }), {});

export const conversation = (sessionId: string) =>
  call('GET', `/api/desk/conversations/${encodeURIComponent(sessionId)}`, z.object({ conversation: deskConversationSchema })).then((x) => x.conversation);

/** The CSV exports' links for a range (the browser downloads them with the session cookie); funnels.csv names nodes in `lang`. */
export const csvLink = (file: 'conversations' | 'tickets' | 'ratings' | 'funnels', r: Range, lang: 'zh' | 'en' = 'zh') => `/api/desk/export/${file}.csv?${query(r)}${file === 'funnels' ? `&lang=${lang}` : ''}`;
