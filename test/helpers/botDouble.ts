/**
 * A TEST DOUBLE of the real bot, for tests that are purely about transport
 * and storage (rate limits, bad payloads, shutdown) and must not depend on
 * dialog content. It is not the bot: it echoes, and opens a ticket when the
 * text contains 「开不了机」 so that effects reach the store.
 */
import type { Bot, TurnContext, TurnInput, TurnResult } from '../../server/bot.types.js';
import type { BotMessage } from '../../server/protocol.js';

export interface DoubleState {
  [key: string]: unknown;
  node: string;
  turns: number;
  lang: 'zh' | 'en';
  ticketId: string | null;
  /** The ticket of an earlier session this one continues. */
  previousTicketId?: string;
}

export interface BotDoubleOptions {
  /** Milliseconds handle() busy-waits, to make a turn observable in flight. */
  handleDelayMs?: number;
}

export function createBotDouble(opts: BotDoubleOptions = {}): Bot<DoubleState> {
  const msg = (ctx: TurnContext, text: string, extra: Partial<BotMessage> = {}): BotMessage => ({
    id: ctx.newMessageId(),
    text,
    ...extra,
  });
  return {
    contentVersion: 'double-1',
    publicNumbers: new Set(),
    languageOf: (state) => state.lang,
    describe: (state) => ({ dialog: 'double', node: state.node, step: null }),
    slotsOf: () => ({}),
    slotText: (_slot, value) => value,
    render: (_state, text) => text,
    topicOf: () => null,
    newSession: (o) => ({ node: 'start', turns: 0, lang: o?.lang ?? 'zh', ticketId: null, ...(o?.lastTicketId ? { previousTicketId: o.lastTicketId } : {}) }),
    restore(json) {
      const s = json as Partial<DoubleState> | null;
      if (!s || typeof s.node !== 'string' || typeof s.turns !== 'number') throw new Error('not a double state');
      return { node: s.node, turns: s.turns, lang: s.lang === 'en' ? 'en' : 'zh', ticketId: s.ticketId ?? null, ...(s.previousTicketId ? { previousTicketId: s.previousTicketId } : {}) };
    },
    welcome: (state, ctx) => [msg(ctx, state.lang === 'en' ? 'Hello (double)' : '您好（替身）', { step: 'consult' })],
    handle(state: DoubleState, input: TurnInput, ctx: TurnContext): TurnResult<DoubleState> {
      if (opts.handleDelayMs) {
        const until = Date.now() + opts.handleDelayMs;
        while (Date.now() < until) {
          /* busy-wait: handle() is synchronous by contract */
        }
      }
      const turns = state.turns + 1;
      if (input.text.includes('开不了机')) {
        const ticketId = ctx.nextTicketId(input.now);
        return {
          state: { ...state, node: 'ticket', turns, ticketId },
          replies: [msg(ctx, `已为您登记工单 ${ticketId}`, { ticketId, step: 'accept' })],
          effects: [
            { type: 'ticket_opened', ticketId, intent: 'power_failure', summary: input.text },
            {
              type: 'follow_up',
              ticketId,
              dueAt: new Date(input.now.getTime() + 3_600_000).toISOString(),
              message: msg(ctx, `工单 ${ticketId} 的问题解决了吗？`, { step: 'follow_up', ticketId }),
            },
          ],
          nlu: null,
          trace: [],
        };
      }
      return {
        state: { ...state, node: `echo-${turns}`, turns },
        replies: [msg(ctx, `echo: ${input.text}`)],
        effects: [],
        nlu: null,
        trace: [],
      };
    },
  };
}
