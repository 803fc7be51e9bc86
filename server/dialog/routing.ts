/**
 * Where a turn goes when it is not an answer to the current question: global
 * commands, the engine's own buttons (`cmd:*`, `intent:*`), and intents that
 * start, switch or interrupt a dialog according to the dialog's kind.
 */
import type { Command } from './match.js';
import type { LoadedDialog } from './content.js';
import {
  advance,
  currentWaiting,
  dialogOf,
  enterNode,
  menuButtons,
  nodeOf,
  optionButtons,
  promptNode,
  say,
  startDialog,
  type Turn,
} from './runner.js';
import { newSessionState, type SessionState } from './state.js';
import { closeAbandoned, leaveOpenProblems } from './leaving.js';
import { dropsTopicFirst } from './match.js';

/** `cmd:*` and `intent:*` payloads from the engine's own buttons. false: not one of ours. */
export function handlePayload(turn: Turn, payload: string, text: string): boolean {
  const s = turn.state;
  if (payload.startsWith('intent:')) return routeIntent(turn, payload.slice('intent:'.length), text);
  if (payload.startsWith('cmd:followup_ok:')) return followUpConfirmed(turn, payload.slice('cmd:followup_ok:'.length)), true;
  switch (payload) {
    case 'cmd:restart':
      return runCommand(turn, 'restart'), true;
    case 'cmd:back':
      return runCommand(turn, 'back'), true;
    case 'cmd:human':
      return runCommand(turn, 'human'), true;
    case 'cmd:resume':
      if (!s.paused) return say(turn, turn.content.system.phrases.nothingToResume, { quickReplies: menuButtons(turn) }), true;
      s.frame = s.paused;
      s.paused = null;
      turn.trace.push(`resume ${s.frame.dialog}.${s.frame.node}`);
      return repromptFrame(turn), true;
    case 'cmd:drop':
      // Not going back to it: the paused problem's ticket is closed as abandoned, never left open for ever.
      if (s.paused?.ticketId) turn.effects.push({ type: 'ticket_updated', ticketId: s.paused.ticketId, status: 'closed', note: 'abandoned: the user did not go back to it' });
      s.paused = null;
      return say(turn, turn.content.system.phrases.dropped, { quickReplies: menuButtons(turn) }), true;
    case 'cmd:retry':
      if (!s.frame) return false;
      return repromptFrame(turn), true;
    case 'cmd:followup_ok':
      return say(turn, turn.content.system.phrases.followUpThanks), true;
    default:
      return false;
  }
}

/**
 * 「已经处理好了」 under a check-in (`cmd:followup_ok:<dialog>:<ticket>`): the user
 * confirms, so the ticket gets its end — resolved, or closed for a problem
 * advice cannot solve (a theft: the steps are done, the phone may still be missing).
 */
function followUpConfirmed(turn: Turn, rest: string): void {
  const [dialogId, ticketId] = rest.split(':');
  const d = dialogId ? turn.content.dialogs.get(dialogId) : undefined;
  if (ticketId) {
    const advised = d?.def.adviceEnd !== undefined;
    turn.effects.push({
      type: 'ticket_updated',
      ticketId,
      status: advised ? 'closed' : 'resolved',
      note: advised ? 'the user confirmed at the follow-up that the steps are done' : 'confirmed solved by the user at the follow-up',
    });
    turn.trace.push(`follow-up confirmed: ${ticketId}`);
  }
  say(turn, turn.content.system.phrases.followUpThanks);
}

/** The buttons under the last resume / human offer, so typing their label works like clicking. */
export function offerButtons(turn: Turn, offer: SessionState['offer']): { label: string; value: string }[] {
  const b = turn.content.system.buttons;
  const both = (k: keyof typeof b, value: string) => [
    { label: b[k].zh, value },
    { label: b[k].en, value },
  ];
  if (offer === 'resume') return [...both('resume', 'cmd:resume'), ...both('drop', 'cmd:drop')];
  if (offer === 'human') return [...both('human', 'cmd:human'), ...both('retry', 'cmd:retry')];
  return [];
}

/** Asks the active dialog's waiting question again. */
export function repromptFrame(turn: Turn): void {
  const w = currentWaiting(turn);
  if (w) promptNode(turn, w.dialog, w.node);
}

/**
 * The waiting question's buttons under the line just said, the question not said again; a rating, or a
 * question with no buttons of its own (a free-text ask), is asked again.
 */
function offerOptionsAgain(turn: Turn): void {
  const w = currentWaiting(turn);
  const last = turn.replies.at(-1);
  if (!w) return;
  if (w.node.type === 'rating' || !last) return repromptFrame(turn);
  const buttons = optionButtons(turn, w.node.options);
  if (buttons.length === 0) return repromptFrame(turn);
  // The line now stands for the question: its step, topic and ticket.
  last.quickReplies = buttons;
  last.step = w.node.step;
  last.intent = w.dialog.def.intents[0]!;
  const ticketId = turn.state.frame?.ticketId;
  if (ticketId) last.ticketId = ticketId;
}

/** 重新开始 / 返回上一步 / 转人工. */
export function runCommand(turn: Turn, command: Command): void {
  const s = turn.state;
  const { content } = turn;
  switch (command) {
    case 'restart': {
      const fresh = newSessionState(s.contentVersion, s.lang);
      turn.state = Object.assign(s, { ...fresh, langLocked: s.langLocked, langSettled: s.langSettled });
      say(turn, content.system.phrases.restarted, { quickReplies: menuButtons(turn) });
      return;
    }
    case 'back': {
      const f = s.frame;
      const prev = f?.history.pop();
      if (!f || prev === undefined) {
        say(turn, content.system.phrases.backAtStart);
        if (f) repromptFrame(turn);
        else say(turn, content.system.phrases.anythingElse, { quickReplies: menuButtons(turn) });
        return;
      }
      const d = dialogOf(turn, f);
      const node = nodeOf(d, prev);
      if (node.type === 'ask') delete s.slots[node.slot]; // asked again on purpose
      turn.trace.push(`back to ${d.def.id}.${prev}`);
      turn.back = true;
      enterNode(turn, d, prev);
      delete turn.back;
      return;
    }
    case 'human': {
      const d = s.frame ? dialogOf(turn, s.frame) : null;
      if (d?.def.onHuman) {
        advance(turn, d, d.def.onHuman);
        return;
      }
      const human = content.byIntent.get('human_agent');
      if (!human) throw new Error('engine invariant: no human_agent dialog (check.ts requires one)');
      const ticketId = s.frame?.ticketId ?? s.lastTicketId;
      s.paused = null;
      startDialogWithTicket(turn, human, ticketId);
      return;
    }
    default: {
      const never: never = command;
      throw new Error(`unhandled command ${String(never)}`);
    }
  }
}

function startDialogWithTicket(turn: Turn, d: LoadedDialog, ticketId: string | null): void {
  // The ticket travels with the user into the handover so the agent sees it.
  turn.state.frame = { dialog: d.def.id, node: d.def.start, ticketId, retries: 0, history: [], opening: '', volunteered: [] };
  turn.trace.push(`dialog ${d.def.id} starts`);
  enterNode(turn, d, d.def.start);
}

/** Starts the intent's dialog the way its kind asks for. false when it has none, or it is the one running. */
export function routeIntent(turn: Turn, intent: string, opening: string): boolean {
  const s = turn.state;
  if (intent === 'human_agent') return runCommand(turn, 'human'), true;
  const d = turn.content.byIntent.get(intent);
  if (!d) return false;
  const current = s.frame ? dialogOf(turn, s.frame) : null;
  if (current?.def.id === d.def.id) return false;
  switch (d.def.kind) {
    case 'problem':
    case 'faq':
      // A new problem from idle means the user moved on from anything paused.
      if (!current && d.def.kind === 'problem') s.paused = null;
      if (current?.def.kind === 'problem' && d.def.kind === 'problem' && dropsTopicFirst(opening)) {
        // 「算了，我手机丢了」: the old problem is left (its ticket closed as abandoned), not kept for later.
        closeAbandoned(turn);
      } else if (current?.def.kind === 'problem') {
        s.paused = s.frame;
        if (d.def.kind === 'problem') {
          say(turn, turn.content.system.phrases.switchTopic, { extra: { topic: d.def.title[s.lang] } });
        }
      }
      startDialog(turn, d, opening);
      return true;
    case 'smalltalk': {
      const saved = s.frame;
      s.frame = null;
      startDialog(turn, d, opening);
      if (s.frame === null && saved) {
        s.frame = saved;
        if (d.def.question === 'options') offerOptionsAgain(turn);
        else repromptFrame(turn);
      }
      return true;
    }
    case 'closing':
      // 「再见」 mid-problem: its ticket is kept open, and checked on, never orphaned (leaving.ts).
      const saidBye = leaveOpenProblems(turn);
      s.paused = null;
      if (s.frame?.ticketId) s.lastTicketId = s.frame.ticketId;
      s.frame = null;
      if (!saidBye) startDialog(turn, d, opening);
      return true;
    default: {
      const never: never = d.def.kind;
      throw new Error(`unhandled dialog kind ${String(never)}`);
    }
  }
}
