/**
 * The operators' numbers, as pure functions over analytics events: the same
 * events give the same numbers, whichever page or export asks. A
 * conversation belongs to the range in which it started; its later events
 * (a close, a rating the next morning) count with it, so a number never
 * moves from one day to another and nothing counts twice.
 */
import type { StoredEvent } from '../store/types.js';
import type { Lang } from '../nlu/types.js';
import { STEPS, type Step } from '../protocol.js';
import { reportNames, type ReportNames } from './names.js';
import { bucketOf, bucketsOf, type ReportRange } from './time.js';

type Ev<T extends StoredEvent['type']> = Extract<StoredEvent, { type: T }>;

export interface Durations {
  count: number;
  /** Milliseconds; null without a sample. */
  median: number | null;
  p90: number | null;
}

export interface Csat {
  average: number | null;
  count: number;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

export interface Series {
  bucket: string;
  conversations: number;
  contained: number;
  handovers: number;
  turns: number;
  fallbacks: number;
}

export interface Stats {
  from: string;
  to: string;
  by: 'day' | 'hour';
  conversations: number;
  /** Conversations in which nobody asked for a person: the bot finished them alone. */
  contained: number;
  containmentRate: number | null;
  handovers: number;
  handoverRate: number | null;
  turns: number;
  /** User turns the bot could not place. */
  fallbacks: number;
  fallbackRate: number | null;
  /** Conversations by the topic they opened with (the first problem or question the user named), one count per conversation. */
  intents: Record<string, number>;
  /** Conversations that never named a topic (only greetings, answers, or nothing understood). */
  noTopic: number;
  csat: Csat & { bot: Csat; agent: Csat };
  queue: { queued: number; claimed: number; abandoned: number; abandonmentRate: number | null; wait: Durations };
  agents: { firstResponse: Durations; resolution: Durations };
  callbacks: { requested: number };
  complaints: number;
  notices: Record<string, number>;
  series: Series[];
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

/** Nearest-rank percentile (the value at or below which `p` of the samples lie). */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export function durations(samples: number[]): Durations {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
}

export function csatOf(scores: number[]): Csat {
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const s of scores) if (s >= 1 && s <= 5) distribution[String(s) as keyof typeof distribution]++;
  const n = scores.length;
  return { average: n === 0 ? null : Math.round((scores.reduce((a, b) => a + b, 0) / n) * 100) / 100, count: n, distribution };
}

/** The sessions that started in the range, with each one's events (also those after the range ends). */
export function conversationsIn(events: StoredEvent[], range: ReportRange): Map<string, StoredEvent[]> {
  const start = range.start.toISOString();
  const end = range.end.toISOString();
  const started = new Set(events.filter((e) => e.type === 'conversation_started' && e.at >= start && e.at < end).map((e) => e.sessionId));
  const bySession = new Map<string, StoredEvent[]>();
  for (const e of events) {
    if (!started.has(e.sessionId)) continue;
    const list = bySession.get(e.sessionId);
    if (list) list.push(e);
    else bySession.set(e.sessionId, [e]);
  }
  return bySession;
}

const of = <T extends StoredEvent['type']>(list: StoredEvent[], type: T): Ev<T>[] => list.filter((e): e is Ev<T> => e.type === type);

/** Without the bot's dialogs every intent is a topic. */
const ANY_TOPIC = reportNames(undefined);

/**
 * The topic a conversation opened with, as an intent id: that of its first
 * turn whose intent opens a topic, or that entered a topic's dialog (a
 * button picked); affirm, deny, greetings and thanks are not topics. Null
 * when the conversation never named one.
 */
export function openingTopic(list: StoredEvent[], names: Pick<ReportNames, 'isTopic' | 'topicOfDialog'> = ANY_TOPIC): string | null {
  for (const t of of(list, 'turn')) {
    if (t.data.intent && names.isTopic(t.data.intent)) return t.data.intent;
    const entered = t.data.next && t.data.next.dialog !== t.data.at?.dialog ? names.topicOfDialog(t.data.next.dialog) : null;
    if (entered) return entered;
  }
  return null;
}

/** Every number of the reports for `range`; `events` must cover the range and whatever follows that should count (to now). */
export function computeStats(events: StoredEvent[], range: ReportRange, names: Pick<ReportNames, 'isTopic' | 'topicOfDialog'> = ANY_TOPIC): Stats {
  const sessions = conversationsIn(events, range);
  const series = new Map<string, Series>(
    bucketsOf(range).map((b) => [b, { bucket: b, conversations: 0, contained: 0, handovers: 0, turns: 0, fallbacks: 0 }]),
  );
  const intents: Record<string, number> = {};
  const botScores: number[] = [];
  const agentScores: number[] = [];
  const waits: number[] = [];
  const firstResponses: number[] = [];
  const resolutions: number[] = [];
  const notices: Record<string, number> = {};
  let contained = 0, handovers = 0, turns = 0, fallbacks = 0, queued = 0, claimed = 0, abandoned = 0, callbacks = 0, complaints = 0, noTopic = 0;

  for (const list of sessions.values()) {
    const startedAt = list.find((e) => e.type === 'conversation_started')!.at;
    const point = series.get(bucketOf(startedAt, range.bucket));
    const handedOver = list.some((e) => e.type === 'handoff_requested');
    if (handedOver) handovers++;
    else contained++;
    if (point) {
      point.conversations++;
      if (handedOver) point.handovers++;
      else point.contained++;
    }
    for (const t of of(list, 'turn')) {
      turns++;
      if (point) point.turns++;
      if (!t.data.understood) {
        fallbacks++;
        if (point) point.fallbacks++;
      }
      if (t.data.notice) notices[t.data.notice] = (notices[t.data.notice] ?? 0) + 1;
    }
    const topic = openingTopic(list, names);
    if (topic) intents[topic] = (intents[topic] ?? 0) + 1;
    else noTopic++;
    for (const r of of(list, 'rating')) (r.data.agent ? agentScores : botScores).push(r.data.score);
    queued += of(list, 'queued').length;
    abandoned += of(list, 'queue_left').length;
    callbacks += of(list, 'callback_requested').length;
    complaints += of(list, 'ticket_opened').filter((t) => t.data.kind === 'complaint').length;
    // An agent's first response counts from the moment that agent took the conversation, never from the bot's time
    // or the queue's: one sample per claim that the agent answered.
    let claimAt: number | null = null;
    for (const e of list) {
      if (e.type === 'claimed') {
        claimed++;
        waits.push(e.data.waitedMs);
        claimAt = Date.parse(e.at);
      } else if (e.type === 'agent_message' && e.actor === 'agent' && claimAt !== null) {
        firstResponses.push(Date.parse(e.at) - claimAt);
        claimAt = null;
      } else if (e.type === 'closed' && e.actor === 'agent') {
        resolutions.push(e.data.sinceClaimMs);
        claimAt = null;
      } else if (e.type === 'requeued' || e.type === 'handed_back' || e.type === 'user_left') {
        claimAt = null;
      }
    }
  }

  const conversations = sessions.size;
  return {
    from: range.from,
    to: range.to,
    by: range.bucket,
    conversations,
    contained,
    containmentRate: ratio(contained, conversations),
    handovers,
    handoverRate: ratio(handovers, conversations),
    turns,
    fallbacks,
    fallbackRate: ratio(fallbacks, turns),
    intents,
    noTopic,
    csat: { ...csatOf([...botScores, ...agentScores]), bot: csatOf(botScores), agent: csatOf(agentScores) },
    queue: { queued, claimed, abandoned, abandonmentRate: ratio(abandoned, queued), wait: durations(waits) },
    agents: { firstResponse: durations(firstResponses), resolution: durations(resolutions) },
    callbacks: { requested: callbacks },
    complaints,
    notices,
    series: [...series.values()],
  };
}

export interface FunnelNode {
  node: string;
  count: number;
  /** What the node asks, in the report's language (absent for a node that says nothing). */
  title?: string;
}

export interface DialogFunnel {
  dialog: string;
  /** The dialog's title in the report's language. */
  title?: string;
  /** Conversations in this dialog. */
  entered: number;
  /** How many reached each step (or were rated). */
  reached: Record<Step | 'rated', number>;
  /** Nodes at which users asked for a person, left without finishing, or were not understood, most first. */
  handover: FunnelNode[];
  abandoned: FunnelNode[];
  notUnderstood: FunnelNode[];
}

const top = (m: Map<string, number>): FunnelNode[] =>
  [...m].map(([node, count]) => ({ node, count })).sort((a, b) => b.count - a.count || a.node.localeCompare(b.node)).slice(0, 10);
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Where the bot gives up, per problem dialog: a conversation is in every
 * dialog a turn of it was in; it "abandoned" at the last node it reached in
 * a dialog when it neither finished (confirm/rated), asked for a person,
 * nor moved on to another dialog.
 */
export function computeFunnels(events: StoredEvent[], range: ReportRange): DialogFunnel[] {
  const acc = new Map<string, { entered: Set<string>; reached: Record<Step | 'rated', Set<string>>; handover: Map<string, number>; abandoned: Map<string, number>; notUnderstood: Map<string, number> }>();
  const get = (dialog: string) => {
    let a = acc.get(dialog);
    if (!a) {
      a = {
        entered: new Set(),
        reached: Object.fromEntries([...STEPS, 'rated'].map((s) => [s, new Set<string>()])) as Record<Step | 'rated', Set<string>>,
        handover: new Map(),
        abandoned: new Map(),
        notUnderstood: new Map(),
      };
      acc.set(dialog, a);
    }
    return a;
  };
  for (const [sessionId, list] of conversationsIn(events, range)) {
    let last: { dialog: string; node: string } | null = null;
    // The dialog the last turn was answered in: a rating belongs there, even when
    // that turn went on elsewhere (a low score hands over to a person).
    let answeredIn: string | null = null;
    let finished = false;
    for (const e of list) {
      if (e.type === 'turn') {
        const here = e.data.next ?? e.data.at;
        answeredIn = e.data.at?.dialog ?? here?.dialog ?? null;
        if (!e.data.understood && e.data.at) bump(get(e.data.at.dialog).notUnderstood, e.data.at.node);
        if (!here) continue;
        const a = get(here.dialog);
        a.entered.add(sessionId);
        for (const s of e.data.steps) a.reached[s].add(sessionId);
        if (here.step) a.reached[here.step].add(sessionId);
        if (last && last.dialog !== here.dialog) finished = false;
        if (e.data.steps.includes('confirm')) finished = true;
        last = { dialog: here.dialog, node: here.node };
      } else if (e.type === 'handoff_requested' && e.data.at) {
        bump(get(e.data.at.dialog).handover, e.data.at.node);
        finished = true;
      } else if (e.type === 'rating' && (answeredIn ?? last)) {
        get(answeredIn ?? last!.dialog).reached.rated.add(sessionId);
        finished = true;
      }
    }
    if (last && !finished) bump(get(last.dialog).abandoned, last.node);
  }
  return [...acc]
    .map(([dialog, a]) => ({
      dialog,
      entered: a.entered.size,
      reached: Object.fromEntries(Object.entries(a.reached).map(([k, v]) => [k, v.size])) as Record<Step | 'rated', number>,
      handover: top(a.handover),
      abandoned: top(a.abandoned),
      notUnderstood: top(a.notUnderstood),
    }))
    .filter((f) => f.entered > 0)
    .sort((x, y) => y.entered - x.entered || x.dialog.localeCompare(y.dialog));
}

/** The funnels with their dialogs and nodes named in `lang` (ids kept beside the names). */
export function nameFunnels(funnels: DialogFunnel[], names: ReportNames, lang: Lang): DialogFunnel[] {
  const named = (dialog: string, list: FunnelNode[]) =>
    list.map((n) => {
      const title = names.nodeTitle(dialog, n.node, lang);
      return title ? { ...n, title } : n;
    });
  return funnels.map((f) => {
    const title = names.dialogTitle(f.dialog, lang);
    return { ...f, ...(title ? { title } : {}), handover: named(f.dialog, f.handover), abandoned: named(f.dialog, f.abandoned), notUnderstood: named(f.dialog, f.notUnderstood) };
  });
}
