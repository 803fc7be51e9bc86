/**
 * What the bot says after something happened at the desk (bot.handleEvent):
 * an agent closed the chat (the user rates that agent's service), an agent
 * handed it back or the user left the queue (the assistant carries on, nothing
 * is rated), or nobody could take it in time (said honestly, with the fitting
 * hotline and a call-back). Pure like a turn: state + event → state + replies.
 */
import type { BotEvent, TurnContext, TurnResult } from '../bot.types.js';
import type { DialogContent } from './content.js';
import { enterHuman, HUMAN_NODES } from './handover.js';
import type { Turn } from './runner.js';
import type { SessionState } from './state.js';

/** The bot's part after a desk event. */
export function handleDeskEvent(content: DialogContent, state: SessionState, event: BotEvent, now: Date, ctx: TurnContext): TurnResult<SessionState> {
  const turn: Turn = { content, state: structuredClone(state), ctx, now, replies: [], effects: [], trace: [`event ${event.type}`] };
  const s = turn.state;
  s.offer = null;
  switch (event.type) {
    case 'agent_closed':
      s.servedBy = event.agentName;
      turn.trace.push(`resolution ${event.resolution}`);
      enterHuman(turn, HUMAN_NODES.rateAgent);
      break;
    case 'handed_back':
    case 'queue_left':
      s.servedBy = null;
      carryOn(turn, event.type === 'handed_back' ? HUMAN_NODES.backFromAgent : HUMAN_NODES.backFromQueue);
      break;
    case 'queue_timeout':
      enterHuman(turn, event.why === 'waited' ? HUMAN_NODES.waited : HUMAN_NODES[event.why]);
      break;
    default: {
      const never: never = event;
      throw new Error(`unknown desk event ${JSON.stringify(never)}`);
    }
  }
  return { state: turn.state, replies: turn.replies, effects: turn.effects, nlu: null, trace: turn.trace };
}

/** The assistant is back: says so (and offers a paused topic again, as any dialog's end does). */
function carryOn(turn: Turn, node: string): void {
  enterHuman(turn, node);
}
