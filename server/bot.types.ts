/**
 * The contract between the conversation core (NLU + dialog engine) and every
 * front end: REPL, REST route, socket handler, tests. They all call
 * `bot.handle(...)` and persist what it returns; none of them knows dialogs.
 */
import type { BotMessage } from './protocol.js';
import type { Lang, NluResult } from './nlu/types.js';

/** Plain JSON; its zod schema lives in server/dialog/state.ts. Opaque to front ends. */
export type SessionStateJson = Record<string, unknown>;

export interface TurnInput {
  /** What the user typed, or the label of the quick reply they picked. */
  text: string;
  /** The picked quick reply's value, when the user picked one. */
  payload?: string;
  now: Date;
}

/** Side-effecting helpers the engine calls through; injected so tests are deterministic. */
export interface TurnContext {
  /** Next ticket id for `now`'s day, unique across all sessions: `T20261124-0001`. */
  nextTicketId(now: Date): string;
  /** A fresh, unique id for a bot message. */
  newMessageId(): string;
}

export type TicketStatus = 'open' | 'resolved' | 'escalated' | 'closed';

/** What happened in a turn that a store must record besides state and transcript. */
export type Effect =
  | { type: 'ticket_opened'; ticketId: string; intent: string; summary: string }
  | { type: 'ticket_updated'; ticketId: string; status: TicketStatus; note: string }
  | { type: 'rating'; ticketId: string | null; score: 1 | 2 | 3 | 4 | 5 }
  /** A check-in to send later as a `bot_message`, already written in the session's language. */
  | { type: 'follow_up'; ticketId: string | null; dueAt: string; message: BotMessage }
  | { type: 'handover'; ticketId: string | null; reason: string };

export interface TurnResult<S> {
  state: S;
  replies: BotMessage[];
  effects: Effect[];
  /** null when the turn was decided without NLU (a quick-reply payload, a command). */
  nlu: NluResult | null;
  /** Human-readable lines for --trace: node taken, transitions, actions run. */
  trace: string[];
}

export interface Bot<S = SessionStateJson> {
  /** Hash of intents + dialogs content; stored in every state. */
  readonly contentVersion: string;
  newSession(options?: { lang?: Lang }): S;
  /** Validates saved JSON (e.g. from a store) into a state; copes with a content-version change. Throws on garbage. */
  restore(json: unknown): S;
  /** The opening message(s) of a new conversation. */
  welcome(state: S, ctx: TurnContext): BotMessage[];
  /** One user turn. Pure apart from ctx's id allocation: same state + input + ids → same result. */
  handle(state: S, input: TurnInput, ctx: TurnContext): TurnResult<S>;
}
