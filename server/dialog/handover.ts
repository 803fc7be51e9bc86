/**
 * Where a conversation goes when a person is asked for: the human_agent
 * dialog's node for the outcome of `requestHuman` — in the queue for a person
 * (the dialog ends, nothing is rated yet: the person's service is rated when
 * they close), or told honestly that nobody can come now, with the fitting
 * hotline and a call-back. Problem dialogs run `requestHuman` in their own
 * hand-over node and are continued here; a 1–2 star rating anywhere is
 * continued here too (an apology, what went wrong, a person).
 */
import type { LoadedDialog } from './content.js';
import { enterNode, type Turn } from './runner.js';

/** The dialog that owns hand-over, call-back and rating of a person's service. */
export const HUMAN_DIALOG = 'human_agent';

/** Node of the human dialog for each outcome of requestHuman; and the other entry points the engine uses. */
export const HUMAN_NODES = {
  queued: 'queued',
  after_hours: 'after_hours',
  no_agent: 'no_agent',
  full: 'full',
  waited: 'waited',
  // After a problem's own hand-over line (「工单…会一并交给人工客服」): why nobody can come now, said as a continuation.
  afterHoursHanded: 'after_hours_handed',
  noAgentHanded: 'no_agent_handed',
  fullHanded: 'full_handed',
  rateAgent: 'rate_agent',
  lowRating: 'low_rating',
  backFromAgent: 'back_from_agent',
  backFromQueue: 'back_from_queue',
} as const;

/** Every node the engine enters by name (check.ts makes sure they exist). */
export const HUMAN_ENTRY_NODES: readonly string[] = Object.values(HUMAN_NODES);

/**
 * Leaves the current dialog (its ticket stays the conversation's last one)
 * and enters the human dialog at `node`, carrying the ticket and the user's
 * words. A paused dialog stays paused: the user may come back to it.
 */
export function enterHuman(turn: Turn, node: string): void {
  const human = turn.content.dialogs.get(HUMAN_DIALOG);
  if (!human || !human.def.nodes[node]) throw new Error(`engine invariant: ${HUMAN_DIALOG} has no node ${node}`);
  const s = turn.state;
  const from = s.frame;
  const ticketId = from?.ticketId ?? s.lastTicketId;
  if (from?.ticketId) s.lastTicketId = from.ticketId;
  if (from) turn.trace.push(`dialog ${from.dialog} ends: ${HUMAN_DIALOG}.${node} takes over`);
  const about = from && from.dialog !== HUMAN_DIALOG ? from.dialog : from?.about;
  s.frame = { dialog: HUMAN_DIALOG, node, ticketId, retries: 0, history: [], opening: from?.opening ?? '', volunteered: [], ...(about ? { about } : {}) };
  enterNode(turn, human, node);
}

/**
 * Where a problem's hand-over continues for each outcome of requestHuman. The
 * problem has just said that the ticket goes to a person, so "nobody can come
 * now" is said as a continuation of that (「只是现在…」), not as a fresh apology.
 */
const HANDED_NODES: Readonly<Record<string, string>> = {
  queued: HUMAN_NODES.queued,
  after_hours: HUMAN_NODES.afterHoursHanded,
  no_agent: HUMAN_NODES.noAgentHanded,
  full: HUMAN_NODES.fullHanded,
};

/** After a problem dialog's own hand-over node ran requestHuman: on to what its outcome means. */
export function continueHandover(turn: Turn, d: LoadedDialog, outcome: string): boolean {
  if (d.def.id === HUMAN_DIALOG) return false; // the human dialog branches on the outcome itself
  const node = HANDED_NODES[outcome];
  if (!node) return false;
  enterHuman(turn, node);
  return true;
}
