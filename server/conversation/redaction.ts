/**
 * What gets masked before anything is stored: the user's text, every reply
 * (it may echo a number the user gave) except the service numbers the bot
 * itself gives out, and the free text of effects. Also the one place that
 * pins a follow-up's time (the store compares times as strings).
 */
import type { Effect } from '../bot.types.js';
import type { BotMessage } from '../protocol.js';
import { maskSensitive } from '../privacy/mask.js';

export class Redaction {
  /** `publicNumbers`: numbers the bot's own content gives out (hotlines), which stay readable. */
  constructor(
    private readonly publicNumbers: ReadonlySet<string>,
    private readonly followUpDelayMs?: number,
  ) {}

  text(text: string): string {
    return maskSensitive(text);
  }

  message(m: BotMessage): BotMessage {
    const text = maskSensitive(m.text, { keep: this.publicNumbers });
    return text === m.text ? m : { ...m, text };
  }

  /** Masks free text in effects and pins follow-up times to ISO UTC. A call-back keeps its number: a person must dial it. */
  effect(e: Effect, now: Date): Effect {
    switch (e.type) {
      case 'ticket_opened':
        return { ...e, summary: maskSensitive(e.summary) };
      case 'ticket_updated':
        return { ...e, note: maskSensitive(e.note) };
      case 'handover':
        return { ...e, reason: maskSensitive(e.reason) };
      case 'callback':
        return { ...e, reason: maskSensitive(e.reason), preferredTime: maskSensitive(e.preferredTime) };
      case 'rating':
        return e;
      case 'follow_up': {
        const asked = new Date(e.dueAt).getTime();
        const due = this.followUpDelayMs !== undefined ? now.getTime() + this.followUpDelayMs : Number.isFinite(asked) ? asked : now.getTime();
        return { ...e, dueAt: new Date(due).toISOString(), message: this.message(e.message) };
      }
      default: {
        const never: never = e;
        throw new Error(`unknown effect ${JSON.stringify(never)}`);
      }
    }
  }
}

/** Longest summary of one solution the bot gave, kept on its ticket. */
const TRIED_SUMMARY_LENGTH = 120;

/**
 * What the user was asked to try in this turn, for the tickets: each
 * `solve` reply that belongs to a ticket, as one line (its lead-in and the
 * start of its steps), so whoever takes the ticket over sees at a glance
 * what has been done without reading the transcript.
 */
export function triedSteps(replies: readonly BotMessage[]): { ticketId: string; summary: string }[] {
  const tried: { ticketId: string; summary: string }[] = [];
  for (const m of replies) {
    if (m.step !== 'solve' || !m.ticketId) continue;
    const line = m.text.replace(/\s*\n\s*/g, ' ').trim();
    const chars = [...line];
    const summary = chars.length > TRIED_SUMMARY_LENGTH ? `${chars.slice(0, TRIED_SUMMARY_LENGTH - 1).join('')}…` : line;
    tried.push({ ticketId: m.ticketId, summary });
  }
  return tried;
}
