/**
 * The conversation core every front end calls: NLU + dialog content + engine
 * behind the `Bot` interface. Loaded once at start-up; refuses to start on
 * content problems, listing all of them with file and line.
 */
import { createHash } from 'node:crypto';
import type { Bot, TurnContext, TurnResult } from './bot.types.js';
import { ContentErrors } from './content/yamlFile.js';
import { crossCheck } from './dialog/check.js';
import { readDialogContent, type DialogContent } from './dialog/content.js';
import { handleTurn, welcomeReplies } from './dialog/engine.js';
import { handleDeskEvent } from './dialog/events.js';
import { renderText } from './dialog/templates.js';
import { newSessionState, restoreSessionState, stampDialogVersions, type SessionState } from './dialog/state.js';
import { calendarDay, DayCounter, formatTicketId } from './core/ticketId.js';
import { findNumbers } from './nlu/entities/numbers.js';
import { loadNlu } from './nlu/index.js';
import { normalize } from './nlu/normalize.js';
import type { Nlu } from './nlu/types.js';

export type { SessionState } from './dialog/state.js';

export interface LoadBotOptions {
  intentsDir?: string;
  dialogsDir?: string;
  /** An NLU already loaded (tests share one per process); else loadNlu({ intentsDir }). */
  nlu?: Nlu;
}

/** Loads intents and dialogs, checks them against each other, and returns the bot. Throws ContentErrors. */
export async function loadBot(options: LoadBotOptions = {}): Promise<Bot<SessionState>> {
  const nlu = options.nlu ?? (await loadNlu(options.intentsDir ? { intentsDir: options.intentsDir } : {}));
  const { content, errors } = readDialogContent(options.dialogsDir);
  const problems = content ? [...errors, ...crossCheck(content, nlu.intents)] : errors;
  if (!content || problems.length > 0) throw new ContentErrors(problems);
  return createBot(nlu, content);
}

/** The bot over content that has already been checked. */
export function createBot(nlu: Nlu, content: DialogContent): Bot<SessionState> & { readonly nlu: Nlu; readonly content: DialogContent } {
  const contentVersion = createHash('sha256').update(`${nlu.contentHash}\0${content.hash}`).digest('hex').slice(0, 12);
  const hasNode = (dialog: string, node: string) => content.dialogs.get(dialog)?.def.nodes[node] !== undefined;
  // Each dialog's own version: a rolling deploy resets only the conversations whose node vanished.
  const dialogVersions = new Map([...content.dialogs].map(([id, d]) => [id, createHash('sha256').update(JSON.stringify(d.def)).digest('hex').slice(0, 12)]));
  const dialogVersion = (dialog: string) => dialogVersions.get(dialog);
  const versions = { contentVersion, dialogVersion, hasNode };
  const stamped = (r: TurnResult<SessionState>): TurnResult<SessionState> => ({ ...r, state: stampDialogVersions(r.state, dialogVersion) });
  return {
    nlu,
    content,
    contentVersion,
    publicNumbers: publicNumbersOf(content),
    languageOf: (state) => state.lang,
    slotsOf: (state) => Object.fromEntries(Object.entries(state.slots).filter((e): e is [string, string] => typeof e[1] === 'string')),
    slotText: (slot, value, lang) => {
      const names = slot === 'carrier' ? content.hotlines.carriers : slot === 'brand' ? content.hotlines.brands : undefined;
      return names?.[value]?.name[lang] ?? value;
    },
    render: (state, text, now) => renderText(text, { content, state, lang: state.lang, now }),
    topicOf: (intent, lang) => content.byIntent.get(intent)?.def.title[lang] ?? null,
    dialogs: () =>
      [...content.dialogs.values()].map(({ def }) => ({
        id: def.id,
        kind: def.kind,
        intents: def.intents,
        title: def.title,
        nodes: Object.fromEntries(Object.entries(def.nodes).map(([id, n]) => [id, 'say' in n && n.say ? n.say : null])),
      })),
    describe: (state) => {
      const f = state.frame;
      if (!f) return null;
      const node = content.dialogs.get(f.dialog)?.def.nodes[f.node];
      return { dialog: f.dialog, node: f.node, step: node?.step ?? null };
    },
    newSession: (opts) => ({ ...newSessionState(contentVersion, opts?.lang ?? 'zh'), lastTicketId: opts?.lastTicketId ?? null }),
    restore: (json) => restoreSessionState(json, versions),
    welcome: (state, ctx) => welcomeReplies(content, state, ctx, new Date()),
    handleEvent: (state, event, now, ctx) => stamped(handleDeskEvent(content, state, event, now, ctx)),
    handle: (state, input, ctx) =>
      stamped(
        handleTurn(
          content,
          state,
          {
            text: input.text,
            ...(input.payload !== undefined ? { payload: input.payload } : {}),
            now: input.now,
            understand: (text) => nlu.understand(text, { now: input.now }),
          },
          ctx,
        ),
      ),
  };
}

/**
 * Every phone-like number the content gives out (hotlines, payment freeze
 * lines, the carriers' free lines from abroad), read as the NLU reads
 * numbers, so that masking leaves them readable in the bot's replies.
 */
function publicNumbersOf(content: DialogContent): ReadonlySet<string> {
  const found = new Set<string>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const n of findNumbers(normalize(v).text)) found.add(n.value);
      return;
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const values = v instanceof Map ? v.values() : Array.isArray(v) ? v : Object.values(v);
    for (const x of values) visit(x);
  };
  visit(content);
  return found;
}

/**
 * Ticket and message ids kept in memory: per-day ticket sequences
 * (`T20261124-0001`, China time) and `m1`, `m2`… message ids. For the REPL and
 * tests; the server keeps its counters in SQLite.
 */
export function createMemoryTurnContext(): TurnContext {
  const counter = new DayCounter();
  let messages = 0;
  return {
    nextTicketId: (now) => formatTicketId(now, counter.take(calendarDay(now))),
    newMessageId: () => `m${++messages}`,
  };
}
