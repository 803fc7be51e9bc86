/**
 * What an agent sees of a conversation: the hand-over card first (what the
 * bot learnt, what it already asked the user to try, the problem in the
 * user's own words), then the whole transcript with the bot's turns, then
 * the internal notes. Numbers stay masked; the card is read from the bot's
 * state and the ticket, so nobody has to ask the user again.
 */
import type { AnyBot } from '../conversation/ports.js';
import { maskEntityValue } from '../privacy/mask.js';
import { HANDOVER_WHY, type DeskConversation, type HandoverCard, type HandoverWhy, type LocalTitle, type QueueItem, type TranscriptEntry } from '../protocol.js';
import type { HandoffRecord, SessionRecord, SessionStore } from '../store/types.js';

/** Slots an agent needs, in the order the card shows them. */
const CARD_SLOTS = ['carrier', 'brand', 'model', 'purchase_date', 'imei', 'phone'] as const;

export class DeskViews {
  constructor(
    private readonly store: SessionStore,
    private readonly bot: AnyBot,
  ) {}

  /** The card of a session (its open hand-over, else its latest one). */
  async card(session: SessionRecord, handoff: HandoffRecord | null): Promise<HandoverCard> {
    const ticketId = handoff?.ticketId ?? null;
    const [ticket, all] = await Promise.all([ticketId ? this.store.ticket(ticketId) : null, this.store.tickets(session.id)]);
    const intent = handoff?.intent ?? ticket?.intent ?? null;
    let state: unknown = null;
    try {
      state = this.bot.restore(session.state);
    } catch {
      state = null; // a state the bot cannot read still leaves the transcript to go by
    }
    const known = state === null ? {} : this.bot.slotsOf(state);
    const slots: Record<string, string> = {};
    for (const k of CARD_SLOTS) if (known[k] !== undefined) slots[k] = maskEntityValue(k, this.bot.slotText(k, known[k]!, session.lang));
    return {
      intent,
      topic: intent ? titles(this.bot, intent) : null,
      summary: ticket?.summary || inTheirWords(await this.store.transcript(session.id)) || summaryOf(handoff),
      why: whyOf(handoff),
      slots,
      tried: ticket?.tried ?? [],
      ticketId,
      lang: session.lang,
      alsoOpen: all
        .filter((t): t is typeof t & { status: 'open' | 'escalated' } => t.id !== ticketId && (t.status === 'open' || t.status === 'escalated'))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map((t) => ({ ticketId: t.id, intent: t.intent, topic: titles(this.bot, t.intent), summary: t.summary, status: t.status })),
    };
  }

  async conversation(sessionId: string): Promise<DeskConversation | null> {
    const session = await this.store.getSession(sessionId);
    if (!session) return null;
    const [handoff, transcript, notes] = await Promise.all([this.store.handoff(sessionId), this.store.transcript(sessionId), this.store.notes(sessionId)]);
    const assignee = session.assignee ? await this.store.getAgent(session.assignee) : null;
    return {
      sessionId,
      mode: session.mode,
      status: session.status,
      assignee: assignee ? { login: assignee.login, name: assignee.name } : session.assignee ? { login: session.assignee, name: session.assignee } : null,
      waitingSince: session.queuedAt,
      card: await this.card(session, handoff),
      transcript,
      notes: notes.map((n) => ({ id: n.id, agent: n.agent, text: n.text, at: n.at })),
    };
  }

  /** A queue line: enough to choose which conversation to take. */
  async item(session: SessionRecord, handoff: HandoffRecord): Promise<QueueItem> {
    const ticket = handoff.ticketId ? await this.store.ticket(handoff.ticketId) : null;
    const intent = handoff.intent ?? ticket?.intent ?? undefined;
    const topic = intent ? titles(this.bot, intent) : null;
    return {
      sessionId: session.id,
      ...(handoff.ticketId ? { ticketId: handoff.ticketId } : {}),
      ...(intent ? { intent } : {}),
      ...(topic ? { topic } : {}),
      lang: session.lang,
      waitingSince: session.queuedAt ?? handoff.requestedAt,
      summary: ticket?.summary || inTheirWords(await this.store.transcript(session.id)) || summaryOf(handoff),
    };
  }

  async queue(): Promise<QueueItem[]> {
    return Promise.all((await this.store.queue()).map((q) => this.item(q.session, q.handoff)));
  }

  async mine(agent: string): Promise<QueueItem[]> {
    return Promise.all((await this.store.assigned(agent)).map((q) => this.item(q.session, q.handoff)));
  }
}

/** An intent's title in both languages, or null when it has no dialog. */
function titles(bot: { topicOf(intent: string, lang: 'zh' | 'en'): string | null }, intent: string): LocalTitle | null {
  const zh = bot.topicOf(intent, 'zh');
  const en = bot.topicOf(intent, 'en');
  return zh !== null && en !== null ? { zh, en } : null;
}

/** Why a person, from a hand-over reason (`why: words`); older reasons started with the intent and say nothing of it. */
function whyOf(handoff: HandoffRecord | null): HandoverWhy | null {
  const head = handoff?.reason.split(':', 1)[0]!.trim();
  return (HANDOVER_WHY as readonly string[]).includes(head ?? '') ? (head as HandoverWhy) : null;
}

/** The user's words from a hand-over reason (`why: words`, or `intent: words` before). */
function summaryOf(handoff: HandoffRecord | null): string {
  if (!handoff) return '';
  const i = handoff.reason.indexOf(': ');
  if (i >= 0) return handoff.reason.slice(i + 2).trim();
  return /^[a-z_]+:?$/.test(handoff.reason.trim()) ? '' : handoff.reason.trim(); // an intent id alone says nothing
}

/**
 * With no ticket and no opening to go by (转人工 straight away), the user's
 * last few messages, as stored (masked): what they said before asking.
 */
export function inTheirWords(transcript: readonly TranscriptEntry[], max = 3, maxChars = 200): string {
  const said = transcript.filter((e) => e.role === 'user').slice(-max).map((e) => e.text.trim()).filter(Boolean);
  const text = said.join(' / ');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
