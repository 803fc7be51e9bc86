/**
 * The contract between the conversation core (NLU + dialog engine) and every
 * front end: REPL, REST route, socket handler, tests. They all call
 * `bot.handle(...)` and persist what it returns; none of them knows dialogs.
 */
import type { BotMessage, Step } from './protocol.js';
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

/** Whether a person can take the conversation now (business hours, agents online with room), and if not, why. */
export type HumanAvailability =
  | { available: true }
  | {
      available: false;
      why: 'after_hours' | 'no_agent' | 'full';
      /** After hours: when people are next at the desk (absent when not known within two weeks). */
      opensAt?: Date;
    };

/** Side-effecting helpers the engine calls through; injected so tests are deterministic. */
export interface TurnContext {
  /** Whether a hand-over can reach a person now; absent: nobody can (the REPL, tests). */
  humans?(): HumanAvailability;
  /** Next ticket id for `now`'s day, unique across all sessions: `T20261124-0001`. */
  nextTicketId(now: Date): string;
  /** A fresh, unique id for a bot message. */
  newMessageId(): string;
}

export type TicketStatus = 'open' | 'resolved' | 'escalated' | 'closed';

/** What a ticket is for: a problem the bot served, a complaint, or a call-back a person must make. */
export type TicketKind = 'service' | 'complaint' | 'callback';

/** What happened in a turn that a store must record besides state and transcript. */
export type Effect =
  | { type: 'ticket_opened'; ticketId: string; intent: string; summary: string; kind?: TicketKind }
  /** `by`: who changed it, an agent's login (the bot when absent). */
  | { type: 'ticket_updated'; ticketId: string; status: TicketStatus; note: string; by?: string }
  | { type: 'rating'; ticketId: string | null; score: 1 | 2 | 3 | 4 | 5 }
  /** A check-in to send later as a `bot_message`, already written in the session's language. */
  | { type: 'follow_up'; ticketId: string | null; dueAt: string; message: BotMessage }
  /** The user is to be served by a person: the conversation waits in the desk's queue. */
  | { type: 'handover'; ticketId: string | null; reason: string }
  /** Nobody can come now: a person calls the user back (the number in full, for that person only). */
  | { type: 'callback'; ticketId: string; phone: string; preferredTime: string; reason: string };

export interface TurnResult<S> {
  state: S;
  replies: BotMessage[];
  effects: Effect[];
  /** null when the turn was decided without NLU (a quick-reply payload, a command). */
  nlu: NluResult | null;
  /** Human-readable lines for --trace: node taken, transitions, actions run. */
  trace: string[];
  /** False when the bot could not place the message (it re-asked, or said it did not understand). */
  understood?: boolean;
}

/** Where a conversation's dialog stands, for reports: the dialog, the node waiting for the user, its service step. */
export interface DialogPoint {
  dialog: string;
  node: string;
  step: Step | null;
}

/** What happened around people at the desk, told to the bot so it can say what comes next. */
export type BotEvent =
  /** An agent ended the service: the user is asked to rate it. */
  | { type: 'agent_closed'; agentName: string; resolution: 'resolved' | 'unresolved' }
  /** An agent handed the conversation back: the bot carries on. */
  | { type: 'handed_back'; agentName: string }
  /** The user stopped waiting for an agent. */
  | { type: 'queue_left' }
  /** Nobody could take the conversation in time (or the desk closed meanwhile): say so, offer a call-back. */
  | { type: 'queue_timeout'; why: 'after_hours' | 'no_agent' | 'full' | 'waited' };

/** One dialog as the reports name it: its kind, the intents that start it, its title and what each node says (null: a node that says nothing). */
export interface DialogEntry {
  id: string;
  kind: 'problem' | 'faq' | 'smalltalk' | 'closing';
  intents: readonly string[];
  title: Readonly<Record<Lang, string>>;
  nodes: Readonly<Record<string, Readonly<Record<Lang, string>> | null>>;
}

export interface Bot<S = SessionStateJson> {
  /** Hash of intents + dialogs content; stored in every state. */
  readonly contentVersion: string;
  /** Service numbers the content itself gives out (hotlines, 95017…): public, never masked in replies. */
  readonly publicNumbers: ReadonlySet<string>;
  /** The conversation's language. */
  languageOf(state: S): Lang;
  /** Where the dialog stands, or null outside any dialog. */
  describe(state: S): DialogPoint | null;
  /** What the bot has learnt about the user's phone (carrier, brand, model, purchase date, IMEI…), as the hand-over card shows it. */
  slotsOf(state: S): Record<string, string>;
  /** A slot's value as a person reads it (carrier and brand ids → 中国移动, 华为 in `lang`); other values as they are. */
  slotText(slot: string, value: string, lang: Lang): string;
  /** `text` with the dialog placeholders ({carrierHotline}, {ticketId}, {brandName}…) filled from the conversation; others left as written. */
  render(state: S, text: string, now: Date): string;
  /** A problem's or topic's title (「手机开不了机」) by intent, in `lang`; null when no dialog has it. */
  topicOf(intent: string, lang: Lang): string | null;
  /** Every dialog, for reports that name nodes by their words and tell a topic from an answer; absent: reports show ids. */
  dialogs?(): readonly DialogEntry[];
  /** A fresh conversation; `lastTicketId` links it to the ticket of an earlier one that ended. */
  newSession(options?: { lang?: Lang; lastTicketId?: string }): S;
  /** Validates saved JSON (e.g. from a store) into a state; copes with a content-version change. Throws on garbage. */
  restore(json: unknown): S;
  /** The opening message(s) of a new conversation. */
  welcome(state: S, ctx: TurnContext): BotMessage[];
  /** What the bot says after a desk event (pure, like `handle`); absent: nothing. */
  handleEvent?(state: S, event: BotEvent, now: Date, ctx: TurnContext): TurnResult<S>;
  /** One user turn. Pure apart from ctx's id allocation: same state + input + ids → same result. */
  handle(state: S, input: TurnInput, ctx: TurnContext): TurnResult<S>;
}
