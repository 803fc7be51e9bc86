/**
 * Analytics events: an append-only record of what happened in every
 * conversation, written in the same transaction as the change itself, so
 * reports are exact, survive restarts and never count twice. Every event
 * names who acted — the user, the bot, an agent or the service itself — so
 * that bot time never counts as an agent's time.
 */
import type { DialogPoint } from '../bot.types.js';
import type { Step } from '../protocol.js';

export type Actor = 'user' | 'bot' | 'agent' | 'system';

interface Base {
  at: string;
  sessionId: string;
  actor: Actor;
  /** An agent's login, for actor `agent`. */
  actorId?: string | null;
  ticketId?: string | null;
}

export type AnalyticsEvent = Base &
  (
    | { type: 'conversation_started'; data: { lang: 'zh' | 'en'; channel: 'socket' | 'rest' } }
    /** A user message the bot answered. */
    | {
        type: 'turn';
        data: {
          intent: string | null;
          confidence: number | null;
          /** False when the bot could not place the message (no intent and no answer to the question asked). */
          understood: boolean;
          /** Where the dialog was when the user wrote. */
          at: DialogPoint | null;
          /** Where it is after the reply. */
          next: DialogPoint | null;
          /** The steps the replies reached, in order (accept, analyse, solve…). */
          steps: Step[];
          lang: 'zh' | 'en';
          channel: 'socket' | 'rest';
          /** The outage notice was given in this turn. */
          notice?: string;
        };
      }
    | { type: 'ticket_opened'; data: { intent: string; kind: string } }
    | {
        type: 'handoff_requested';
        data: {
          intent: string | null;
          at: DialogPoint | null;
          /** Whether a person could come: else the user was offered a call-back. */
          available: boolean;
          why?: 'after_hours' | 'no_agent' | 'full';
        };
      }
    | { type: 'queued'; data: Record<string, never> }
    | { type: 'claimed'; data: { waitedMs: number; by: 'claim' | 'auto' | 'transfer' } }
    | { type: 'user_to_agent'; data: Record<string, never> }
    | { type: 'agent_message'; data: { first: boolean; sinceQueuedMs: number } }
    | { type: 'transferred'; data: { to: string } }
    | { type: 'requeued'; data: { why: 'agent_away' | 'agent' } }
    | { type: 'handed_back'; data: Record<string, never> }
    | { type: 'closed'; data: { resolution: 'resolved' | 'unresolved'; sinceQueuedMs: number; sinceClaimMs: number } }
    | { type: 'queue_left'; data: { waitedMs: number; why: 'user' | 'timeout' } }
    /** The user ended a conversation an agent was serving. */
    | { type: 'user_left'; data: { sinceClaimMs: number } }
    | { type: 'rating'; data: { score: number; agent: string | null } }
    | { type: 'callback_requested'; data: Record<string, never> }
    | { type: 'callback_done'; data: { status: string } }
    | { type: 'follow_up_sent'; data: Record<string, never> }
    | { type: 'session_closed'; data: { why: 'idle' } }
  );

export type EventType = AnalyticsEvent['type'];
