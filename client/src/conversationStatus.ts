/**
 * Who serves the conversation, as the widget tells the user: the assistant
 * (nothing to say), the queue for a person (place and rough wait), or an
 * agent by name. The server sends it on connect and on every change; these
 * are the pure parts — checking what arrived, the line to show, and when a
 * change is worth saying to a screen reader.
 */
import type { ConversationStatus } from '../../server/protocol.js';
import type { Strings } from './i18n.js';

export type { ConversationStatus };

export const BOT_STATUS: ConversationStatus = { mode: 'bot' };

const isCount = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;

/**
 * The status in `raw`, or null when it is not one: the event map types only
 * what a well-behaved server sends, and a bad line must not be drawn as 「前面还有 NaN 位」.
 */
export function parseStatus(raw: unknown): ConversationStatus | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Record<string, unknown>;
  if (s.mode === 'bot') return BOT_STATUS;
  if (s.mode === 'queued' && isCount(s.position, 1) && isCount(s.etaMinutes, 0)) {
    return { mode: 'queued', position: s.position, etaMinutes: s.etaMinutes };
  }
  if (s.mode === 'agent' && typeof s.agentName === 'string') return { mode: 'agent', agentName: s.agentName.trim() };
  return null;
}

export function sameStatus(a: ConversationStatus, b: ConversationStatus): boolean {
  if (a.mode === 'queued' && b.mode === 'queued') return a.position === b.position && a.etaMinutes === b.etaMinutes;
  if (a.mode === 'agent' && b.mode === 'agent') return a.agentName === b.agentName;
  return a.mode === b.mode;
}

/** The line above the transcript; null while the assistant serves the conversation (no line then). */
export function statusLine(s: ConversationStatus, t: Strings): string | null {
  switch (s.mode) {
    case 'bot':
      return null;
    case 'queued':
      return t.queueStatus(s.position - 1, s.etaMinutes);
    case 'agent':
      return t.agentServing(s.agentName);
  }
}

/**
 * Whether to say the new status to screen readers: when the wait begins
 * (from the assistant, or an agent gone and the chat back in the queue) and
 * when the user becomes next — not at every step of the queue, which would
 * talk over the conversation. An agent joining or leaving is not said here:
 * the service's own notice in the transcript (「客服小王已为您服务。」) says it.
 */
export function shouldAnnounce(prev: ConversationStatus, next: ConversationStatus): boolean {
  if (next.mode !== 'queued') return false;
  if (prev.mode !== 'queued') return true;
  return next.position === 1 && prev.position > 1;
}
