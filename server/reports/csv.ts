/**
 * CSV exports (RFC 4180, CRLF lines) that Excel opens with the Chinese
 * intact: UTF-8 with a byte-order mark. A cell that starts like a formula
 * (= + - @) gets a leading apostrophe, so a user's text never runs as one.
 */
import type { StoredEvent, TicketRecord } from '../store/types.js';
import { maskSensitive } from '../privacy/mask.js';
import type { Lang } from '../nlu/types.js';
import type { ReportNames } from './names.js';
import { conversationsIn, openingTopic, type DialogFunnel } from './stats.js';
import { bucketOf, type ReportRange } from './time.js';

export const BOM = '\uFEFF';

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** China time, to the second: "2026-12-03 14:05:09". */
const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/** One row per conversation that started in the range; `topic` is what it opened with, as the stats count it. */
export function conversationsCsv(events: StoredEvent[], range: ReportRange, names?: ReportNames): string {
  const rows = [...conversationsIn(events, range)].map(([sessionId, list]) => {
    const started = list.find((e) => e.type === 'conversation_started') as Extract<StoredEvent, { type: 'conversation_started' }>;
    const turns = list.filter((e): e is Extract<StoredEvent, { type: 'turn' }> => e.type === 'turn');
    const topic = openingTopic(list, names) ?? '';
    const claim = list.find((e) => e.type === 'claimed');
    const closed = list.findLast((e): e is Extract<StoredEvent, { type: 'closed' }> => e.type === 'closed');
    const rating = list.findLast((e): e is Extract<StoredEvent, { type: 'rating' }> => e.type === 'rating');
    return [
      sessionId,
      local(started.at),
      bucketOf(started.at, 'day'),
      started.data.lang,
      started.data.channel,
      turns.length,
      turns.filter((t) => !t.data.understood).length,
      topic,
      list.some((e) => e.type === 'handoff_requested') ? 'yes' : 'no',
      claim?.actorId ?? '',
      closed?.data.resolution ?? '',
      rating?.data.score ?? '',
    ];
  });
  return toCsv(['session', 'started', 'day', 'lang', 'channel', 'turns', 'not_understood', 'topic', 'handed_over', 'agent', 'resolution', 'rating'], rows);
}

export function ticketsCsv(tickets: TicketRecord[]): string {
  return toCsv(
    ['ticket', 'session', 'created', 'updated', 'kind', 'intent', 'status', 'summary'],
    tickets.map((t) => [t.id, t.sessionId, local(t.createdAt), local(t.updatedAt), t.kind, t.intent, t.status, maskSensitive(t.summary)]),
  );
}

/** One row per rating given in a conversation of the range. */
export function ratingsCsv(events: StoredEvent[], range: ReportRange): string {
  const rows = [...conversationsIn(events, range).values()]
    .flat()
    .filter((e): e is Extract<StoredEvent, { type: 'rating' }> => e.type === 'rating')
    .map((r) => [r.sessionId, r.ticketId ?? '', local(r.at), r.data.score, r.data.agent ? 'agent' : 'bot', r.data.agent ?? '']);
  return toCsv(['session', 'ticket', 'at', 'score', 'served_by', 'agent'], rows);
}

/** Where the bot gives up, one row per node and what happened there: the node's id and, in `lang`, its question. */
export function funnelsCsv(funnels: DialogFunnel[], names: ReportNames, lang: Lang): string {
  const rows = funnels.flatMap((f) =>
    (
      [
        ['handover', f.handover],
        ['abandoned', f.abandoned],
        ['not_understood', f.notUnderstood],
      ] as const
    ).flatMap(([where, list]) => list.map((n) => [f.dialog, names.dialogTitle(f.dialog, lang), f.entered, where, n.node, names.nodeTitle(f.dialog, n.node, lang), n.count])),
  );
  return toCsv(['dialog', 'dialog_title', 'entered', 'where', 'node', 'node_text', 'count'], rows);
}
