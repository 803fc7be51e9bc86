/**
 * The conversation core every front end calls: NLU + dialog content + engine
 * behind the `Bot` interface. Loaded once at start-up; refuses to start on
 * content problems, listing all of them with file and line.
 */
import { createHash } from 'node:crypto';
import type { Bot, TurnContext } from './bot.types.js';
import { ContentErrors } from './content/yamlFile.js';
import { crossCheck } from './dialog/check.js';
import { readDialogContent, type DialogContent } from './dialog/content.js';
import { handleTurn, welcomeReplies } from './dialog/engine.js';
import { newSessionState, restoreSessionState, type SessionState } from './dialog/state.js';
import { formatTicketId, calendarDay } from './core/ticketId.js';
import { loadNlu } from './nlu/index.js';
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
  return {
    nlu,
    content,
    contentVersion,
    newSession: (opts) => newSessionState(contentVersion, opts?.lang ?? 'zh'),
    restore: (json) => restoreSessionState(json, contentVersion, hasNode),
    welcome: (state, ctx) => welcomeReplies(content, state, ctx, new Date()),
    handle: (state, input, ctx) =>
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
  };
}

/**
 * Ticket and message ids kept in memory: per-day ticket sequences
 * (`T20261124-0001`, China time) and `m1`, `m2`… message ids. For the REPL and
 * tests; the server keeps its counters in SQLite.
 */
export function createMemoryTurnContext(): TurnContext {
  const perDay = new Map<string, number>();
  let messages = 0;
  return {
    nextTicketId(now) {
      const day = calendarDay(now);
      const n = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, n);
      return formatTicketId(now, n);
    },
    newMessageId: () => `m${++messages}`,
  };
}
