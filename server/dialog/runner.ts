/**
 * Moving through a dialog's nodes within one turn: entering a node, saying its
 * text, running its actions, following message/action nodes until one waits
 * for the user or the dialog ends. Works on the turn's private state copy.
 */
import type { Effect, TurnContext } from '../bot.types.js';
import type { BotMessage, QuickReply, Step } from '../protocol.js';
import { ACTIONS, type ActionEnv } from './actions.js';
import type { DialogContent, LoadedDialog } from './content.js';
import { continueHandover } from './handover.js';
import { containsUnnegated } from './match.js';
import type { DialogNode, DialogOption, LocalText, Slot, WaitingNode } from './schema.js';
import type { Frame, SessionState } from './state.js';
import { renderText, type TemplateEnv } from './templates.js';

/** One turn in progress. The engine creates it; runner and engine mutate it. */
export interface Turn {
  content: DialogContent;
  state: SessionState;
  ctx: TurnContext;
  now: Date;
  replies: BotMessage[];
  effects: Effect[];
  trace: string[];
  /** The message that started a dialog in this turn; it may already answer the first questions. */
  opening?: string;
  /** 返回上一步 in progress: the question re-entered is asked, never answered from the opening message. */
  back?: boolean;
  /** A hazard (data/safety.yaml) mentioned in this turn's opening: the dialog's own path for it is taken. */
  hazard?: string;
  /**
   * The question the user answered this turn (`dialog.node`) and how often it
   * had been re-asked: coming back to it (an invalid IMEI or date) is one more re-ask.
   */
  waitedAt?: { node: string; retries: number; loops: number };
  /** An action node ran this turn (a check such as validateImei): only then is coming back to the question a loop. */
  checked?: boolean;
  /**
   * The bot had been failing to place the user's messages when this turn came
   * (a person offered for it, out-of-scope twice, a question re-asked to the
   * limit): a hand-over now is for that, whatever the user typed.
   */
  stuck?: boolean;
}

/** Re-asks of one question (typed misses and loops back to it) before a person is offered. */
export const MAX_REASKS = 2;

/** Node chains longer than this are a content bug (check.ts rejects cycles without a waiting node). */
const MAX_HOPS = 50;

export interface SayOptions {
  step?: Step;
  intent?: string;
  quickReplies?: QuickReply[];
  rating?: boolean;
  extra?: TemplateEnv['extra'];
}

/** Renders and sends one message in the session's language. */
export function say(turn: Turn, text: LocalText, opts: SayOptions = {}): void {
  const { state } = turn;
  const rendered = renderText(text[state.lang], { content: turn.content, state, lang: state.lang, now: turn.now, extra: opts.extra, humans: turn.ctx.humans });
  const ticketId = opts.step ? (state.frame?.ticketId ?? undefined) : undefined;
  turn.replies.push({
    id: turn.ctx.newMessageId(),
    text: rendered,
    ...(opts.step ? { step: opts.step } : {}),
    ...(opts.intent ? { intent: opts.intent } : {}),
    ...(opts.quickReplies && opts.quickReplies.length > 0 ? { quickReplies: opts.quickReplies } : {}),
    ...(ticketId ? { ticketId } : {}),
    ...(opts.rating ? { rating: true } : {}),
    lang: state.lang,
  });
}

/** The dialog a frame runs (the state was validated against this content, so it exists). */
export const dialogOf = (turn: Turn, frame: Frame): LoadedDialog => {
  const d = turn.content.dialogs.get(frame.dialog);
  if (!d) throw new Error(`engine invariant: frame names unknown dialog ${frame.dialog}`);
  return d;
};

/** A node of a checked dialog. */
export const nodeOf = (d: LoadedDialog, id: string): DialogNode => {
  const n = d.def.nodes[id];
  if (!n) throw new Error(`engine invariant: ${d.def.id} has no node ${id}`);
  return n;
};

/** A node's options as quick replies in the session's language (hidden ones left out). */
export function optionButtons(turn: Turn, options: readonly DialogOption[]): QuickReply[] {
  return options.filter((o) => !o.hidden).map((o) => ({ label: o.label[turn.state.lang], value: o.value }));
}

const RATING_BUTTONS: QuickReply[] = [1, 2, 3, 4, 5].map((n) => ({ label: String(n), value: String(n) }));

/** Says a waiting node's question: its own text, or the n-th re-ask wording. */
export function promptNode(turn: Turn, d: LoadedDialog, node: WaitingNode, reask = 0): void {
  const fallback = turn.content.system.phrases.reaskGeneric;
  const base = { step: node.step, intent: d.def.intents[0]! };
  // The last re-ask of a choice: never a curt 「请点选」 — the question restated from its options, and a person offered.
  const shown = node.type === 'question' ? node.options.filter((o) => !o.hidden) : [];
  if (reask >= 2 && shown.length >= 2) {
    say(turn, turn.content.system.phrases.reaskChoice, { ...base, extra: { choices: choiceList(shown.map((o) => o.label[turn.state.lang]), turn.state.lang) }, quickReplies: optionButtons(turn, shown) });
    return;
  }
  const text = reask === 0 ? node.say : (node.reask[reask - 1] ?? node.reask[0] ?? joinText(fallback, node.say));
  if (node.type === 'rating') say(turn, text, { ...base, quickReplies: RATING_BUTTONS, rating: true });
  else say(turn, text, { ...base, quickReplies: optionButtons(turn, node.options) });
}

/** 「“A”、“B”还是“C”」 / `"A", "B" or "C"`: a choice said in a sentence. */
export function choiceList(labels: readonly string[], lang: 'zh' | 'en'): string {
  const q = labels.map((l) => (lang === 'zh' ? `“${l}”` : `"${l}"`));
  const last = q.pop()!;
  if (q.length === 0) return last;
  return lang === 'zh' ? `${q.join('、')}还是${last}` : `${q.join(', ')} or ${last}`;
}

function joinText(a: LocalText, b: LocalText): LocalText {
  return { zh: `${a.zh}${b.zh}`, en: `${a.en} ${b.en}` };
}

/** Runs a named action for `frame` (also a paused one) with the turn's state and effects. */
export function runAction(turn: Turn, d: LoadedDialog, frame: Frame, name: keyof typeof ACTIONS): string {
  const env: ActionEnv = {
    content: turn.content,
    state: turn.state,
    frame,
    dialog: d,
    lang: turn.state.lang,
    now: turn.now,
    ctx: turn.ctx,
    effects: turn.effects,
    stuck: turn.stuck === true,
  };
  const outcome = ACTIONS[name].run(env);
  turn.trace.push(`action ${name} → ${outcome}`);
  return outcome;
}

/** Starts a dialog at its first node; the user's message becomes the ticket summary. */
export function startDialog(turn: Turn, d: LoadedDialog, opening: string): void {
  delete turn.state.slots.note; // a note belongs to the dialog that asked for it
  turn.state.frame = { dialog: d.def.id, node: d.def.start, ticketId: null, retries: 0, history: [], opening, volunteered: [] };
  turn.trace.push(`dialog ${d.def.id} starts`);
  turn.opening = opening;
  enterNode(turn, d, d.def.start);
  delete turn.opening;
}

/**
 * Enters `nodeId` in the active frame and follows the dialog until a node
 * waits for the user or the dialog ends.
 */
export function enterNode(turn: Turn, d: LoadedDialog, nodeId: string): void {
  const frame = turn.state.frame;
  if (!frame) throw new Error('engine invariant: enterNode without a frame');
  let id = nodeId;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    const node = nodeOf(d, id);
    frame.node = id;
    frame.retries = 0;
    delete frame.loops;
    turn.trace.push(`node ${d.def.id}.${id} (${node.type}, ${node.step})`);
    let handover: string | null = null;
    for (const a of node.do) {
      const outcome = runAction(turn, d, frame, a);
      if (a === 'requestHuman') handover = outcome;
    }
    const next = visit[node.type](turn, d, frame, node as never);
    // A problem dialog's hand-over node has said its part; what follows depends on whether a person can come (handover.ts).
    if (handover !== null && turn.state.frame === frame && continueHandover(turn, d, handover)) return;
    if (next === null) return;
    id = next;
  }
  throw new Error(`engine invariant: more than ${MAX_HOPS} nodes in one turn in ${d.def.id}`);
}

/** What each node kind does on entry: the next node to enter, or null to stop (waiting or ended). */
type Visit<T extends DialogNode['type']> = (turn: Turn, d: LoadedDialog, frame: Frame, node: Extract<DialogNode, { type: T }>) => string | null;

const visit: { [T in DialogNode['type']]: Visit<T> } = {
  message: (turn, d, _f, node) => {
    say(turn, node.say, { step: node.step, intent: d.def.intents[0]! });
    return node.next;
  },
  question: (turn, d, frame, node) => {
    const safe = turn.hazard ? d.def.safety?.[turn.hazard] : undefined;
    const toSafety = safe ? node.options.find((o) => o.goto === safe) : undefined;
    if (toSafety) {
      turn.trace.push(`option ${toSafety.value} (hazard ${turn.hazard} in the opening)`);
      frame.history.push(frame.node);
      return toSafety.goto;
    }
    const known = turn.back ? null : answeredBySlots(node.options, turn.state.slots);
    if (known) {
      turn.trace.push(`option ${known.value} (slot already known)`);
      frame.history.push(frame.node);
      return known.goto;
    }
    const opening = openingFor(turn, frame);
    const answered = opening ? answeredByOpening(node.options, opening) : null;
    if (answered) {
      turn.trace.push(`option ${answered.value} (from the opening message)`);
      for (const [slot, value] of Object.entries(answered.set ?? {})) turn.state.slots[slot as Slot] = value;
      frame.history.push(frame.node); // 返回上一步 still reaches the question
      return answered.goto;
    }
    promptOrLoop(turn, d, frame, node);
    return null;
  },
  ask: (turn, d, frame, node) => {
    // An opening that asks something else than the slot (「七天无理由退货」) takes that option first.
    const opening = openingFor(turn, frame);
    const answered = opening ? answeredByOpening(node.options, opening) : null;
    if (answered) {
      turn.trace.push(`option ${answered.value} (from the opening message)`);
      for (const [slot, value] of Object.entries(answered.set ?? {})) turn.state.slots[slot as Slot] = value;
      frame.history.push(frame.node);
      return answered.goto;
    }
    if (turn.state.slots[node.slot] !== undefined) {
      turn.trace.push(`slot ${node.slot} known (${turn.state.slots[node.slot]}), not asked`);
      return node.next;
    }
    promptOrLoop(turn, d, frame, node);
    return null;
  },
  action: (turn, d, frame, node) => {
    turn.checked = true;
    const outcome = runAction(turn, d, frame, node.action);
    const next = node.outcomes[outcome];
    if (!next) throw new Error(`engine invariant: ${d.def.id} has no branch for ${node.action} → ${outcome}`);
    return next;
  },
  rating: (turn, d, _f, node) => {
    promptNode(turn, d, node);
    return null;
  },
  end: (turn, d, _f, node) => {
    if (node.say) say(turn, node.say, { step: node.step, intent: d.def.intents[0]! });
    endDialog(turn, d);
    return null;
  },
};

/**
 * Asks a question that is entered — unless the dialog came back to the one
 * just answered (an IMEI with a wrong check digit, an impossible date): that
 * counts as a re-ask, in the next wording, and after the last one a person or
 * another way on is offered, so the user is never sent round the same loop.
 */
function promptOrLoop(turn: Turn, d: LoadedDialog, frame: Frame, node: Extract<WaitingNode, { type: 'question' | 'ask' }>): void {
  const w = turn.waitedAt;
  // Back through a check (an invalid IMEI, a future date), not through a tip that returns to the question (「要多少钱」).
  if (!w || turn.back || !turn.checked || w.node !== `${d.def.id}.${frame.node}`) return promptNode(turn, d, node);
  delete turn.waitedAt; // one loop per turn
  frame.retries = w.retries;
  frame.loops = w.loops + 1;
  const failures = frame.retries + frame.loops;
  turn.trace.push(`back at ${w.node}: attempt #${failures + 1}`);
  if (failures <= MAX_REASKS) return promptNode(turn, d, node, failures);
  offerWayOut(turn, turn.content.system.phrases.loopOffer, node);
}

/** After repeated failure at a question: a person first, the question's own options (a skip) too, or 我再试试. */
export function offerWayOut(turn: Turn, text: LocalText, node: WaitingNode): void {
  const b = turn.content.system.buttons;
  const lang = turn.state.lang;
  turn.state.offer = 'human';
  const own = node.type === 'rating' ? [] : optionButtons(turn, node.options);
  say(turn, text, {
    step: node.step,
    quickReplies: [{ label: b.human[lang], value: 'cmd:human' }, ...(own.length > 0 ? own : [{ label: b.retry[lang], value: 'cmd:retry' }])],
  });
}

/**
 * The message that may answer the question being entered: the dialog's opening
 * message, as long as this question has not been reached before (a question
 * already asked, or re-entered by 返回上一步, is asked).
 */
function openingFor(turn: Turn, frame: Frame): string | null {
  if (turn.opening) return [turn.opening, ...(frame.volunteered ?? [])].join('\n');
  if (turn.back || frame.history.includes(frame.node)) return null;
  const said = [frame.opening, ...(frame.volunteered ?? [])].filter(Boolean).join('\n');
  return said || null;
}

/** The first option whose `whenSlot` the known slots satisfy (the brand is known: its own steps). */
export function answeredBySlots(options: readonly DialogOption[], slots: Partial<Record<Slot, string>>): DialogOption | null {
  return options.find((o) => o.whenSlot && Object.entries(o.whenSlot).some(([slot, values]) => values.includes(slots[slot as Slot] ?? ''))) ?? null;
}

/** The `fromOpening` option whose longest unnegated keyword the opening message contains. */
export function answeredByOpening(options: readonly DialogOption[], opening: string): DialogOption | null {
  let best: { option: DialogOption; length: number } | null = null;
  for (const o of options) {
    if (!o.fromOpening) continue;
    for (const k of o.keywords) {
      if (containsUnnegated(opening, k) && (!best || k.length > best.length)) best = { option: o, length: k.length };
    }
  }
  return best?.option ?? null;
}

/** Closes the active dialog; offers to go back to a paused one. */
export function endDialog(turn: Turn, d: LoadedDialog): void {
  const { state, content } = turn;
  if (state.frame?.ticketId) state.lastTicketId = state.frame.ticketId;
  state.frame = null;
  turn.trace.push(`dialog ${d.def.id} ends`);
  if (!state.paused || d.def.kind === 'smalltalk') return;
  // Handed to a person this turn: the user now waits for them, not for 要继续刚才…吗 (the paused problem stays paused).
  if (turn.effects.some((e) => e.type === 'handover')) return;
  const paused = content.dialogs.get(state.paused.dialog);
  if (!paused) {
    state.paused = null;
    return;
  }
  const b = content.system.buttons;
  state.offer = 'resume';
  say(turn, content.system.phrases.resumePrompt, {
    extra: { topic: paused.def.title[state.lang] },
    quickReplies: [
      { label: b.resume[state.lang], value: 'cmd:resume' },
      { label: b.drop[state.lang], value: 'cmd:drop' },
    ],
  });
}

/** The welcome/out-of-scope menu as quick replies. */
export function menuButtons(turn: Turn): QuickReply[] {
  return turn.content.system.menu.map((m) => ({ label: m.label[turn.state.lang], value: `intent:${m.intent}` }));
}

/** The node the active dialog waits at, when it waits for an answer. */
export function currentWaiting(turn: Turn): { dialog: LoadedDialog; node: WaitingNode } | null {
  const f = turn.state.frame;
  if (!f) return null;
  const dialog = dialogOf(turn, f);
  const node: DialogNode = nodeOf(dialog, f.node);
  return node.type === 'question' || node.type === 'ask' || node.type === 'rating' ? { dialog, node } : null;
}

/** Leaves the waiting node for `next`, remembering it for 返回上一步. */
export function advance(turn: Turn, d: LoadedDialog, next: string): void {
  const f = turn.state.frame!;
  f.history.push(f.node);
  enterNode(turn, d, next);
}
