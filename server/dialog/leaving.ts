/**
 * Leaving a problem before its end, so no ticket is orphaned:
 * 「算了」「换个问题」 closes the ticket as abandoned (as 不用了 to the resume
 * offer does) and asks what else; 「再见」 keeps it open, says so and how to
 * come back, and schedules the dialog's own check-in. A ticket that already
 * has its end (resolved, awaiting the service centre, advised, with a person)
 * is left as it is.
 */
import type { LoadedDialog } from './content.js';
import { dialogOf, endDialog, menuButtons, runAction, say, type Turn } from './runner.js';
import type { Frame } from './state.js';

/** The problem frames (active, paused) whose ticket has no end yet. */
function openProblems(turn: Turn): { frame: Frame; dialog: LoadedDialog }[] {
  const s = turn.state;
  return [s.frame, s.paused]
    .filter((f): f is Frame => f !== null)
    .map((frame) => ({ frame, dialog: dialogOf(turn, frame) }))
    .filter(({ frame, dialog }) => dialog.def.kind === 'problem' && frame.ticketId !== null);
}

/** Says the current problem is left; its ticket, if it has no end yet, is closed as abandoned. The frame stays for the caller. */
export function closeAbandoned(turn: Turn): void {
  const f = turn.state.frame;
  if (!f) return;
  const d = dialogOf(turn, f);
  const closes = d.def.kind === 'problem' && f.ticketId !== null && !f.settled;
  if (closes) {
    turn.effects.push({ type: 'ticket_updated', ticketId: f.ticketId!, status: 'closed', note: `abandoned: the user left the problem at ${d.def.id}.${f.node}` });
  }
  turn.trace.push(`topic dropped: ${d.def.id}.${f.node}${closes ? ', ticket closed as abandoned' : ''}`);
  say(turn, closes ? turn.content.system.phrases.topicDropped : turn.content.system.phrases.topicDroppedNoTicket);
}

/** 「算了」「换个问题」「never mind」: the current problem is left politely; a paused one is offered again. */
export function dropCurrentTopic(turn: Turn): void {
  const s = turn.state;
  const { phrases } = turn.content.system;
  const f = s.frame;
  if (!f) {
    say(turn, phrases.anythingElse, { quickReplies: menuButtons(turn) });
    return;
  }
  const d = dialogOf(turn, f);
  closeAbandoned(turn);
  const paused = s.paused !== null;
  endDialog(turn, d); // offers the paused problem again, if there is one
  if (!paused) say(turn, phrases.anythingElse, { quickReplies: menuButtons(turn) });
}

/**
 * 「再见」 with a problem not finished: its ticket stays open (noted), the user
 * is told so and how to come back — in place of the plain goodbye — and the
 * dialog's check-in is scheduled. A problem already settled but not at its end
 * (at the rating) still gets the check-in its end would have scheduled.
 * true when the goodbye was said here.
 */
export function leaveOpenProblems(turn: Turn): boolean {
  const left: string[] = [];
  for (const { frame, dialog } of openProblems(turn)) {
    if (!frame.settled) {
      turn.effects.push({ type: 'ticket_updated', ticketId: frame.ticketId!, status: 'open', note: `left mid-dialog at ${dialog.def.id}.${frame.node}: open, follow-up scheduled` });
      turn.trace.push(`goodbye mid-problem: ${frame.ticketId} kept open`);
      left.push(frame.ticketId!);
    }
    runAction(turn, dialog, frame, 'scheduleFollowUp');
  }
  if (left.length === 0) return false;
  const ticketId = left.join(turn.state.lang === 'zh' ? '、' : ' and ');
  say(turn, turn.content.system.phrases.leftOpen, { step: 'follow_up', intent: 'goodbye', extra: { ticketId } });
  return true;
}
