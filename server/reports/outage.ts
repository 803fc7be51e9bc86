/**
 * The outage watch. Every bot turn with a problem intent is an observation
 * (intent, the user's carrier when known, the province when the user names a
 * place). The rule, per key (intent + carrier, and intent + carrier +
 * province):
 *
 *   current  = observations in the last WINDOW (15 min)
 *   expected = the key's average per WINDOW over the BASELINE before it (24 h),
 *              over the part of the baseline this process has watched
 *   fire when current ≥ MIN_COUNT (5) and current ≥ FACTOR (3) × max(expected, FLOOR (1))
 *
 * An alert stays up until the key's count falls below the threshold again;
 * it is raised once, not on every turn. While an admin's notice for the
 * carrier (and province) holds, the bot gives it first, once per
 * conversation, to users with that problem; the turn event records the
 * notice's id, so the reports count how many it reached.
 */
import { randomUUID } from 'node:crypto';
import type { NoticeBoard } from '../conversation/ports.js';
import { findPlace } from '../nlu/entities/places.js';
import type { BotMessage, DeskOutage } from '../protocol.js';

export const OUTAGE_RULE = { windowMs: 15 * 60_000, baselineMs: 24 * 3_600_000, minCount: 5, factor: 3, floor: 1 } as const;
/** The problems an outage shows as. */
export const OUTAGE_INTENTS = ['no_network'] as const;

export interface Observation {
  at: number;
  intent: string;
  carrier: string | null;
  province: string | null;
}

export interface OutageAlert {
  key: string;
  intent: string;
  carrier: string | null;
  province: string | null;
  current: number;
  expected: number;
  since: string;
}

export interface Notice {
  id: string;
  intent: string;
  carrier: string | null;
  province: string | null;
  endsAt: string;
  text: { zh: string; en: string };
  publishedBy: string;
  publishedAt: string;
}

const keysOf = (o: Observation) => [
  `${o.intent}|${o.carrier ?? '*'}|*`,
  ...(o.province ? [`${o.intent}|${o.carrier ?? '*'}|${o.province}`] : []),
];

/** The rule over a list of observations, at `now`: the keys that spike. Pure, for tests on synthetic traffic. */
export function spikes(observations: readonly Observation[], now: number, watchedSince: number, rule = OUTAGE_RULE): Omit<OutageAlert, 'since'>[] {
  const current = new Map<string, number>();
  const before = new Map<string, number>();
  const windowStart = now - rule.windowMs;
  const baselineStart = Math.max(windowStart - rule.baselineMs, watchedSince);
  for (const o of observations) {
    if (o.at > now || o.at < baselineStart) continue;
    const into = o.at >= windowStart ? current : before;
    for (const k of keysOf(o)) into.set(k, (into.get(k) ?? 0) + 1);
  }
  const windows = Math.max(1, (windowStart - baselineStart) / rule.windowMs);
  const out: Omit<OutageAlert, 'since'>[] = [];
  for (const [key, n] of current) {
    const expected = (before.get(key) ?? 0) / windows;
    if (n >= rule.minCount && n >= rule.factor * Math.max(expected, rule.floor)) {
      const [intent, carrier, province] = key.split('|') as [string, string, string];
      out.push({ key, intent, carrier: carrier === '*' ? null : carrier, province: province === '*' ? null : province, current: n, expected: Math.round(expected * 100) / 100 });
    }
  }
  return out.sort((a, b) => b.current - a.current);
}

const CARRIER_NAMES: Record<string, { zh: string; en: string }> = {
  cmcc: { zh: '移动', en: 'China Mobile' },
  cucc: { zh: '联通', en: 'China Unicom' },
  ctcc: { zh: '电信', en: 'China Telecom' },
  cbn: { zh: '广电', en: 'China Broadnet' },
};

/** 「目前广东地区移动网络出现故障，正在抢修，预计12月3日18:00恢复。」 */
export function noticeText(n: { carrier: string | null; province: string | null; endsAt: string }): { zh: string; en: string } {
  const local = new Date(Date.parse(n.endsAt) + 8 * 3_600_000);
  const [mo, d, hh, mm] = [local.getUTCMonth() + 1, local.getUTCDate(), String(local.getUTCHours()).padStart(2, '0'), String(local.getUTCMinutes()).padStart(2, '0')];
  const carrier = n.carrier ? CARRIER_NAMES[n.carrier] : undefined;
  return {
    zh: `目前${n.province ? `${n.province}地区` : '部分地区'}${carrier?.zh ?? ''}网络出现故障，正在抢修，预计${mo}月${d}日${hh}:${mm}恢复。给您带来不便，敬请谅解。`,
    en: `${carrier?.en ?? 'The mobile'} network${n.province ? ` in ${n.province}` : ''} has an outage that is being repaired; service should be back by ${hh}:${mm} China time on ${local.toISOString().slice(0, 10)}. Sorry for the trouble.`,
  };
}

/** The watch in one process: observations from bot turns, alerts, and the notices admins publish. */
export class OutageWatch implements NoticeBoard {
  private observations: Observation[] = [];
  private readonly alerts = new Map<string, OutageAlert>();
  private notices: Notice[] = [];
  private readonly given = new Map<string, Set<string>>();
  /** The outage-like problem each conversation told of. */
  private readonly problems = new Map<string, string>();
  private readonly watchedSince: number;
  /** Told when what the desks show changes: an alert raised or cleared, a notice published or ended (the desk's socket). */
  onChange: (() => void) | null = null;

  constructor(now: Date, private readonly rule = OUTAGE_RULE) {
    this.watchedSince = now.getTime();
  }

  observe(o: Observation): void {
    this.observations.push(o);
    const oldest = o.at - this.rule.windowMs - this.rule.baselineMs;
    if (this.observations[0] && this.observations[0].at < oldest) this.observations = this.observations.filter((x) => x.at >= oldest);
    this.evaluate(o.at);
  }

  private evaluate(now: number): void {
    const up = spikes(this.observations, now, this.watchedSince, this.rule);
    const keys = new Set(up.map((a) => a.key));
    let changed = false;
    for (const k of [...this.alerts.keys()]) if (!keys.has(k)) changed = this.alerts.delete(k);
    for (const a of up) {
      const known = this.alerts.get(a.key);
      if (known) Object.assign(known, { current: a.current, expected: a.expected });
      else {
        this.alerts.set(a.key, { ...a, since: new Date(now).toISOString() });
        changed = true;
      }
    }
    if (changed) this.onChange?.();
  }

  currentAlerts(): OutageAlert[] {
    return [...this.alerts.values()];
  }

  publish(n: { intent: string; carrier: string | null; province: string | null; endsAt: string; text?: { zh: string; en: string } }, by: string, now: Date): Notice {
    const notice: Notice = { id: `N-${randomUUID().slice(0, 8)}`, ...n, text: n.text ?? noticeText(n), publishedBy: by, publishedAt: now.toISOString() };
    this.notices.push(notice);
    this.onChange?.();
    return notice;
  }

  /** Ends a notice now. */
  withdraw(id: string, now: Date): boolean {
    const n = this.notices.find((x) => x.id === id && x.endsAt > now.toISOString());
    if (!n) return false;
    n.endsAt = now.toISOString();
    this.onChange?.();
    return true;
  }

  activeNotices(now: Date): Notice[] {
    return this.notices.filter((n) => n.endsAt > now.toISOString());
  }

  /** What every desk shows: the notices in force (without who published them) and the alerts. */
  board(now: Date): DeskOutage {
    return {
      notices: this.activeNotices(now).map(({ id, intent, carrier, province, endsAt, text }) => ({ id, intent, carrier, province, endsAt, text })),
      alerts: this.currentAlerts().map((a) => ({ ...a })),
    };
  }

  async noticeFor(q: Parameters<NoticeBoard['noticeFor']>[0]): Promise<{ id: string; message: BotMessage } | null> {
    const place = findPlace(q.text);
    const carrier = q.slots.carrier ?? null;
    const intent = q.intent ?? null;
    const named = intent && (OUTAGE_INTENTS as readonly string[]).includes(intent) ? intent : null;
    if (named) {
      this.observe({ at: q.now.getTime(), intent: named, carrier, province: place?.province ?? null });
      this.problems.set(q.sessionId, named);
    }
    // An answer later in the same problem (「移动的」) has no intent of its own: the carrier may be known only now.
    const problem = named ?? this.problems.get(q.sessionId) ?? null;
    if (!problem) return null;
    const given = this.given.get(q.sessionId) ?? new Set<string>();
    const notice = this.activeNotices(q.now).find(
      (n) =>
        n.intent === problem &&
        !given.has(n.id) &&
        (n.carrier === null || n.carrier === carrier) &&
        // A user who names another province is not affected; one who names none may be.
        (n.province === null || place === null || place.province === n.province),
    );
    if (!notice) return null;
    given.add(notice.id);
    this.given.set(q.sessionId, given);
    return { id: notice.id, message: { id: randomUUID(), text: notice.text[q.lang], from: 'system', lang: q.lang } };
  }
}
