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

/** The longest head of one numbered step kept in a summary (Chinese; English words are longer). */
const STEP_HEAD_LENGTH = 24;
const STEP_HEAD_LENGTH_LATIN = 48;

/**
 * What the user was asked to try in this turn, for the tickets: each
 * `solve` reply that belongs to a ticket, as one line, so whoever takes the
 * ticket over sees at a glance what has been done without reading the
 * transcript. A reply with numbered steps gives each step's head (up to its
 * first colon or full stop: 「先排除充电器 / 再看充电口 / 插着充电器强制重启一次」);
 * other replies their start.
 */
export function triedSteps(replies: readonly BotMessage[]): { ticketId: string; summary: string }[] {
  const tried: { ticketId: string; summary: string }[] = [];
  for (const m of replies) {
    if (m.step !== 'solve' || !m.ticketId) continue;
    const heads = m.text
      .split('\n')
      .map((l) => /^\s*\d+[.、)]\s*(.+)$/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined)
      .map((l) => l.split(/[：:。；;]|\.\s/)[0]!.trim().replace(/[.。]$/, ''))
      .map((h) => clip(h, /[\u4e00-\u9fff]/.test(h) ? STEP_HEAD_LENGTH : STEP_HEAD_LENGTH_LATIN));
    const line = heads.length >= 2 ? heads.join(' / ') : m.text.replace(/\s*\n\s*/g, ' ').trim();
    tried.push({ ticketId: m.ticketId, summary: clip(line, TRIED_SUMMARY_LENGTH) });
  }
  return tried;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
