/**
 * One harness for every scripted conversation: the YAML scripts under
 * test/dialogs/ and inline `converse(bot, [['手机开不了机', /工单/], …])`.
 * The real bot (real NLU, real dialogs) is loaded once per test worker.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { z } from 'zod';
import { createMemoryTurnContext, loadBot, type SessionState } from '../../server/bot.js';
import type { Bot, Effect, TurnContext } from '../../server/bot.types.js';
import { parseWith, readYamlFile } from '../../server/content/yamlFile.js';
import { HANDOVER_WHY, type BotMessage } from '../../server/protocol.js';

export const CONVERSATIONS_DIR = fileURLToPath(new URL('../dialogs', import.meta.url));

let shared: Promise<Bot<SessionState>> | undefined;
/** The real bot, loaded once per worker (nodejieba is heavy). */
export function sharedBot(): Promise<Bot<SessionState>> {
  shared ??= loadBot();
  return shared;
}

/** A regex source, or several that must all match. */
const patterns = z.union([z.string(), z.array(z.string()).min(1)]);

const replySchema = z.strictObject({
  /** Regexes the text must match. */
  text: patterns.optional(),
  /** Regexes the text must not match. */
  notText: patterns.optional(),
  step: z.enum(['consult', 'accept', 'analyse', 'solve', 'confirm', 'follow_up']).optional(),
  /** Quick-reply labels, exactly and in order ([] = none). */
  quickReplies: z.array(z.string()).optional(),
  /** Labels that must be among the quick replies. */
  offers: z.array(z.string()).optional(),
  /** A ticket id `T20261124-0001` is (true) or is not (false) attached. */
  ticket: z.boolean().optional(),
  rating: z.boolean().optional(),
});
export type ReplyExpectation = z.infer<typeof replySchema>;

const turnSchema = z
  .strictObject({
    /** What the user types. */
    user: z.string().optional(),
    /** The label of a quick reply from the bot's last turn, clicked. */
    pick: z.string().optional(),
    /** Something happening at the desk instead of a user message (bot.handleEvent). */
    event: z
      .discriminatedUnion('type', [
        z.strictObject({ type: z.literal('agent_closed'), agentName: z.string(), resolution: z.enum(['resolved', 'unresolved']) }),
        z.strictObject({ type: z.literal('handed_back'), agentName: z.string() }),
        z.strictObject({ type: z.literal('queue_left') }),
        z.strictObject({ type: z.literal('queue_timeout'), why: z.enum(['after_hours', 'no_agent', 'full', 'waited']) }),
      ])
      .optional(),
    /** Every bot message of the turn, in order (the count must match). */
    replies: z.array(replySchema),
    /** Effect types of the turn, in order (omit to not check). */
    effects: z.array(z.string()).optional(),
    /** Why the turn's hand-over goes to a person, as the desk's card will say it (the start of its reason). */
    handover: z.enum(HANDOVER_WHY).optional(),
    /** `dialog.node` the state waits at afterwards, or `null` when no dialog runs. */
    at: z.string().nullable().optional(),
    /** Slots that must be known afterwards. */
    slots: z.record(z.string(), z.string()).optional(),
  })
  .refine((t) => [t.user, t.pick, t.event].filter((x) => x !== undefined).length === 1, 'give exactly one of user / pick / event');
export type ScriptTurn = z.infer<typeof turnSchema>;

export const conversationSchema = z.strictObject({
  name: z.string(),
  /** The clock for every turn (ISO). */
  now: z.string().default('2026-11-24T10:00:00+08:00'),
  /** Whether the opening welcome is shown first (its quick replies can then be picked). */
  welcome: z.boolean().default(false),
  /** Whether a person can take a hand-over (what the desk says); absent: nobody can, as in the REPL. */
  humans: z.enum(['available', 'after_hours', 'no_agent', 'full']).optional(),
  /** With `humans: after_hours`: when the desk opens next (ISO), as the desk's business hours would say. */
  opensAt: z.string().optional(),
  turns: z.array(turnSchema).min(1),
});
export type Conversation = z.infer<typeof conversationSchema> & { file: string };

/** Every script under test/dialogs/, validated with file:line errors. */
export function loadConversations(dir = CONVERSATIONS_DIR): Conversation[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      return { ...parseWith(readYamlFile(file), conversationSchema), file: f };
    });
}

export interface TurnRecord {
  input: { text: string; payload?: string };
  replies: BotMessage[];
  effects: Effect[];
  state: SessionState;
}

export interface RunOptions {
  ctx?: TurnContext;
  /** After these turns (1-based counts), the state goes through JSON and bot.restore(). */
  restoreAfter?: ReadonlySet<number>;
}

/** Plays a script's user side; returns what happened at every turn (no assertions). */
export function play(bot: Bot<SessionState>, conv: Conversation, opts: RunOptions = {}): TurnRecord[] {
  const base = opts.ctx ?? createMemoryTurnContext();
  const humans = conv.humans;
  const opensAt = conv.opensAt ? { opensAt: new Date(conv.opensAt) } : {};
  const ctx: TurnContext =
    humans === undefined ? base : { ...base, humans: () => (humans === 'available' ? { available: true } : { available: false, why: humans, ...opensAt }) };
  const now = new Date(conv.now);
  let state = bot.newSession();
  let last: BotMessage[] = conv.welcome ? bot.welcome(state, ctx) : [];
  const records: TurnRecord[] = [];
  conv.turns.forEach((t, i) => {
    let input: { text: string; payload?: string };
    if (t.event !== undefined) {
      const r = bot.handleEvent!(state, t.event, now, ctx);
      state = opts.restoreAfter?.has(i + 1) ? bot.restore(JSON.parse(JSON.stringify(r.state))) : r.state;
      last = r.replies;
      records.push({ input: { text: `(${t.event.type})` }, replies: r.replies, effects: r.effects, state: r.state });
      return;
    }
    if (t.pick !== undefined) {
      const offered = last.flatMap((m) => m.quickReplies ?? []);
      const qr = offered.find((q) => q.label === t.pick);
      if (!qr) throw new Error(`${conv.file} turn ${i + 1}: no quick reply "${t.pick}" (offered: ${offered.map((q) => q.label).join(', ')})`);
      input = { text: qr.label, payload: qr.value };
    } else {
      input = { text: t.user! };
    }
    const r = bot.handle(state, { ...input, now }, ctx);
    state = opts.restoreAfter?.has(i + 1) ? bot.restore(JSON.parse(JSON.stringify(r.state))) : r.state;
    last = r.replies;
    records.push({ input, replies: r.replies, effects: r.effects, state: r.state });
  });
  return records;
}

const asList = (p: string | string[] | undefined) => (p === undefined ? [] : Array.isArray(p) ? p : [p]);

/** Checks one turn against its script; failures name the file, turn and reply. */
export function assertTurn(conv: Conversation, index: number, rec: TurnRecord): void {
  const t = conv.turns[index]!;
  const where = `${conv.file} turn ${index + 1} (${rec.input.text})`;
  const shown = rec.replies.map((m, i) => `  [${i}] ${m.step ?? '-'} ${m.text.replace(/\n/g, ' ⏎ ')}`).join('\n');
  expect(rec.replies.length, `${where}: reply count\n${shown}`).toBe(t.replies.length);
  t.replies.forEach((exp, i) => {
    const m = rec.replies[i]!;
    const at = `${where} reply ${i}: «${m.text}»`;
    for (const p of asList(exp.text)) expect(m.text, at).toMatch(new RegExp(p));
    for (const p of asList(exp.notText)) expect(m.text, at).not.toMatch(new RegExp(p));
    if (exp.step) expect(m.step, at).toBe(exp.step);
    const labels = (m.quickReplies ?? []).map((q) => q.label);
    if (exp.quickReplies) expect(labels, at).toEqual(exp.quickReplies);
    for (const o of exp.offers ?? []) expect(labels, at).toContain(o);
    if (exp.ticket === true) expect(m.ticketId, at).toMatch(/^T\d{8}-\d{4}$/);
    if (exp.ticket === false) expect(m.ticketId, at).toBeUndefined();
    if (exp.rating !== undefined) expect(m.rating === true, at).toBe(exp.rating);
  });
  if (t.effects) expect(rec.effects.map((e) => e.type), `${where}: effects`).toEqual(t.effects);
  if (t.handover) {
    const h = rec.effects.find((e) => e.type === 'handover');
    expect(h && h.type === 'handover' ? h.reason.split(':', 1)[0] : '(no hand-over)', `${where}: why a person`).toBe(t.handover);
  }
  if (t.at !== undefined) {
    const f = rec.state.frame;
    expect(f ? `${f.dialog}.${f.node}` : null, `${where}: where the dialog waits`).toBe(t.at);
  }
  for (const [k, v] of Object.entries(t.slots ?? {})) {
    expect(rec.state.slots[k as keyof SessionState['slots']], `${where}: slot ${k}`).toBe(v);
  }
}

/**
 * Inline form for short conversations: each pair is what the user types and a
 * pattern the joined bot replies must match. Returns the last state.
 */
export function converse(
  bot: Bot<SessionState>,
  lines: readonly (readonly [string, RegExp])[],
  opts: { now?: Date; state?: SessionState; ctx?: TurnContext } = {},
): { state: SessionState; replies: BotMessage[][] } {
  const ctx = opts.ctx ?? createMemoryTurnContext();
  const now = opts.now ?? new Date('2026-11-24T10:00:00+08:00');
  let state = opts.state ?? bot.newSession();
  const all: BotMessage[][] = [];
  for (const [text, pattern] of lines) {
    const r = bot.handle(state, { text, now }, ctx);
    state = r.state;
    all.push(r.replies);
    expect(r.replies.map((m) => m.text).join('\n'), `after «${text}»`).toMatch(pattern);
  }
  return { state, replies: all };
}
