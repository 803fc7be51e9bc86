/**
 * One conversation turn: (content, state, user input) → (new state, replies,
 * effects). Pure apart from the id allocation in `ctx`; the caller's state is
 * never mutated. Order of precedence: a quick-reply payload the bot offered,
 * a global command, then the NLU (slots, the current node's options, topic
 * changes, digressions), then re-asking.
 */
import type { TurnContext, TurnResult } from '../bot.types.js';
import type { NluResult } from '../nlu/types.js';
import type { DialogContent, LoadedDialog } from './content.js';
import { replyLanguage } from './language.js';
import { purchaseSpan } from './purchaseSpan.js';
import { afterFirstAid, safetyFirst } from './safety.js';
import { matchSelfService } from './selfService.js';
import { asksForService, asksIfBot, complainsAboutService, containsUnnegated, dropsTopic, isLukewarm, matchCommand, onlyAcknowledges, matchOptionByText, matchOptionDirect, parseRating, saysContinue, squash, type OptionMatch } from './match.js';
import { handlePayload, offerButtons, routeIntent, runCommand } from './routing.js';
import { advance, answeredByOpening, currentWaiting, MAX_REASKS, menuButtons, offerWayOut, promptNode, say, type Turn } from './runner.js';
import { FREE_TEXT_SLOTS, type Slot, type WaitingNode } from './schema.js';
import { enterHuman, HUMAN_NODES } from './handover.js';
import { dropCurrentTopic } from './leaving.js';
import type { SessionState } from './state.js';

export interface EngineInput {
  text: string;
  payload?: string;
  now: Date;
  /** Called at most once, only when the turn needs the NLU. */
  understand: (text: string) => NluResult;
}


const ENTITY_SLOTS: Readonly<Record<string, Slot>> = {
  carrier: 'carrier',
  brand: 'brand',
  model: 'model',
  purchase_date: 'purchase_date',
  imei: 'imei',
  imei_invalid: 'imei',
  phone: 'phone',
};

/** The opening message(s) of a conversation. */
export function welcomeReplies(content: DialogContent, state: SessionState, ctx: TurnContext, now: Date) {
  const turn = newTurn(content, structuredClone(state), ctx, now);
  say(turn, content.system.phrases.welcome, { quickReplies: menuButtons(turn) });
  return turn.replies;
}

function newTurn(content: DialogContent, state: SessionState, ctx: TurnContext, now: Date): Turn {
  return { content, state, ctx, now, replies: [], effects: [], trace: [] };
}

/** One user turn; see the file comment for the order in which input is interpreted. */
export function handleTurn(
  content: DialogContent,
  state: SessionState,
  input: EngineInput,
  ctx: TurnContext,
): TurnResult<SessionState> {
  const turn = newTurn(content, structuredClone(state), ctx, input.now);
  const s = turn.state;
  if (s.notice === 'content_changed') {
    say(turn, content.system.phrases.contentChanged);
    s.notice = null;
  }
  const offer = s.offer;
  s.offer = null;
  // Fallbacks in a row: the second one is worded differently and offers a person first.
  const missesBefore = s.misses ?? 0;
  s.misses = 0;
  // The first message settles the language (a pick keeps the one it was offered in).
  const firstMessage = !s.langSettled;
  s.langSettled = true;
  const waiting = currentWaiting(turn);
  if (waiting && s.frame) turn.waitedAt = { node: `${waiting.dialog.def.id}.${s.frame.node}`, retries: s.frame.retries, loops: s.frame.loops ?? 0 };
  turn.stuck = offer === 'human' || missesBefore >= 2 || (s.frame !== null && s.frame.retries + (s.frame.loops ?? 0) >= MAX_REASKS);

  // 1. A quick reply the bot offered: no NLU needed.
  if (input.payload && handlePayload(turn, input.payload, input.text)) return done(turn, null);
  const offered = offerButtons(turn, offer).find((b) => squash(b.label) === squash(input.text));
  if (offered && handlePayload(turn, offered.value, input.text)) return done(turn, null);
  if (waiting && waiting.node.type !== 'rating') {
    const m = matchOptionDirect(waiting.node.options, input, (o) => o.label[s.lang]);
    if (m) return takeOption(turn, waiting.dialog, m), done(turn, null);
  }
  if (waiting?.node.type === 'rating' && input.payload && parseRating('', input.payload)) {
    rate(turn, waiting.dialog, waiting.node, parseRating('', input.payload)!);
    return done(turn, null);
  }

  // Typed text (not a pick): the language may change before anything is said.
  if (!s.langLocked) s.lang = replyLanguage(input.text, s.lang, firstMessage);

  // Safety first: a wet phone gets first aid before any dialog step.
  let understood: NluResult | undefined;
  const understand = () => (understood ??= input.understand(input.text));
  const safety = safetyFirst(turn, input.text, () => understand().intent);
  if (safety === 'done') {
    // What else the message says (a brand, a date) is still remembered.
    const nlu = understand();
    fillSlots(turn, nlu, waiting?.node ?? null);
    return done(turn, nlu);
  }

  // Right after first aid as an opening: 「还能用」「好的」 answer it, not a new topic.
  if (offer === 'first_aid' && afterFirstAid(turn, input.text)) return done(turn, null);
  // 「开不了机了」 right after it: the dialog takes its own path for the hazard, without asking 进过水吗.
  if (offer === 'first_aid' && !s.frame) turn.hazard = s.hazardsTold?.at(-1);

  // 2. Global commands.
  const command = matchCommand(input.text);
  if (command) {
    turn.trace.push(`command ${command}`);
    runCommand(turn, command);
    return done(turn, null);
  }

  // 「你是机器人吗」: an honest answer, then the question that was pending.
  if (asksIfBot(input.text)) {
    turn.trace.push('asks whether the assistant is a bot');
    say(turn, content.system.phrases.botDisclosure);
    if (waiting) promptNode(turn, waiting.dialog, waiting.node);
    return done(turn, null);
  }
  // 「嗯继续」「好 继续吧」 to 要继续刚才…吗: the paused dialog resumes.
  if (offer === 'resume' && saysContinue(input.text)) {
    turn.trace.push('continue → resume');
    handlePayload(turn, 'cmd:resume', input.text);
    return done(turn, null);
  }
  // 「你们这也太慢了」 is about the service, not the phone: a complaint, never lag.
  if (complainsAboutService(input.text) && content.byIntent.has('complaint')) {
    turn.trace.push('about the service → complaint');
    if (routeIntent(turn, 'complaint', input.text)) return done(turn, null);
  }

  // 「算了」「换个问题」「never mind」: leaving the problem, unless it is an answer the question offers (「算了，不用回电」).
  if (dropsTopic(input.text) && !(waiting && waiting.node.type !== 'rating' && waiting.node.options.some((o) => o.keywords.some((k) => containsUnnegated(input.text, k))))) {
    turn.trace.push('drops the topic');
    if (offer === 'resume') handlePayload(turn, 'cmd:drop', input.text);
    else if (waiting?.node.type === 'rating') advance(turn, waiting.dialog, waiting.node.next); // no score, the dialog ends as it would
    else dropCurrentTopic(turn);
    return done(turn, null);
  }

  // 3. The NLU.
  const nlu = understand();
  turn.trace.push(`intent ${nlu.intent ?? '(none)'} ${nlu.confidence.toFixed(2)}${nlu.ambiguousWith ? ` ~ ${nlu.ambiguousWith}` : ''}`);
  fillSlots(turn, nlu, waiting?.node ?? null);

  // A yes/no to the offer the last message made (go back to the earlier topic? a human?).
  if ((offer === 'resume' || offer === 'human') && (nlu.intent === 'affirm' || nlu.intent === 'deny')) {
    const yes = offer === 'resume' ? 'cmd:resume' : 'cmd:human';
    const no = offer === 'resume' ? 'cmd:drop' : 'cmd:retry';
    handlePayload(turn, nlu.intent === 'affirm' ? yes : no, input.text);
    return done(turn, nlu);
  }

  if (waiting) {
    const { dialog, node } = waiting;
    if (node.type === 'rating') {
      const score = parseRating(input.text);
      if (score) return rate(turn, dialog, node, score), done(turn, nlu);
    } else {
      // 「行吧」「嗯」「差不多」 to 解决了吗 is not a yes: ask again, plainly.
      if (node.type === 'question' && node.step === 'confirm' && isLukewarm(input.text)) {
        turn.trace.push('lukewarm answer at a confirm step: asked again');
        say(turn, content.system.phrases.lukewarm);
        reask(turn, dialog, node); // counted: a third one offers a person
        return done(turn, nlu);
      }
      const m = matchOptionByText(node.options, nlu);
      // 「好的」「收到」「知道了」「谢谢」 right after the steps: the user is going to try them, not saying it is
      // fixed. The wait line with the question's buttons under it (dialogs/wait.yaml), the ticket left open.
      if (node.type === 'question' && node.step === 'confirm' && (!m || m.by === 'intent') && onlyAcknowledges(input.text, content.system.acknowledgements)) {
        turn.trace.push('an acknowledgement at a confirm step: the user is trying the steps, not saying it is solved');
        if (routeIntent(turn, 'wait', input.text)) return done(turn, nlu);
      }
      // 「好的，帮我预约吧」 "yes please book" to 解决了吗: a yes to something else (a repair, a person), not "fixed": asked again.
      if (node.step === 'confirm' && m?.by === 'intent' && m.option.intents.includes('affirm') && asksForService(input.text)) {
        turn.trace.push('a yes that asks for a repair or a person at a confirm step: asked again');
        say(turn, content.system.phrases.lukewarm);
        reask(turn, dialog, node);
        return done(turn, nlu);
      }
      // A bare yes/no beside what answers a later question (「对 很烫」): that answer is kept, this question asked again.
      const later = !m || m.by === 'intent' ? answersLaterQuestion(dialog, s.frame!.node, input.text) : null;
      if (later) {
        s.frame!.volunteered = [...(s.frame!.volunteered ?? []), input.text];
        turn.trace.push(`volunteered: answers ${later} later`);
        say(turn, content.system.phrases.volunteeredNoted);
        promptNode(turn, dialog, node);
        return done(turn, nlu);
      }
      if (m) return takeOption(turn, dialog, m), done(turn, nlu);
      if (node.type === 'ask') {
        // Asked to describe something, whatever the user writes is the answer.
        if (FREE_TEXT_SLOTS.has(node.slot) && input.text.trim()) s.slots[node.slot] = input.text.trim();
        if (s.slots[node.slot] !== undefined) {
          turn.trace.push(`slot ${node.slot} = ${s.slots[node.slot]}`);
          return advance(turn, dialog, node.next), done(turn, nlu);
        }
      }
    }
  }


  // After first aid mid-dialog, the current question is asked again rather than a new topic started.
  if (safety === 'answer_only' && waiting) {
    promptNode(turn, waiting.dialog, waiting.node);
    return done(turn, nlu);
  }

  // 4. Two close intents: ask which — unless the first is a question asked about a fault that is the second
  // (a dialog with `answersOverFaults`, 「屏幕碎了，能保修吗」): that question is the one answered.
  const askedAboutFault =
    nlu.intent !== null && nlu.ambiguousWith !== null && content.byIntent.get(nlu.intent)?.def.answersOverFaults === true && content.byIntent.get(nlu.ambiguousWith)?.def.kind === 'problem';
  if (askedAboutFault) turn.trace.push(`${nlu.intent} asked about a fault (${nlu.ambiguousWith}): ${nlu.intent}`);
  if (nlu.intent && nlu.ambiguousWith && !askedAboutFault) {
    const a = content.byIntent.get(nlu.intent);
    const b = content.byIntent.get(nlu.ambiguousWith);
    if (a && b && a !== b) {
      const [ta, tb] = [a.def.title[s.lang], b.def.title[s.lang]];
      say(turn, content.system.phrases.ambiguous, {
        extra: { optionA: ta, optionB: tb },
        quickReplies: [
          { label: ta, value: `intent:${nlu.intent}` },
          { label: tb, value: `intent:${nlu.ambiguousWith}` },
        ],
      });
      return done(turn, nlu);
    }
  }

  // 5. An intent with a dialog: start, switch topic or digress.
  if (nlu.intent && routeIntent(turn, nlu.intent, input.text)) return done(turn, nlu);

  // Bills, plans, number services, broadband: the carrier's self-service routes and a person, never a dead end.
  const selfService = nlu.intent === 'affirm' || nlu.intent === 'deny' ? null : matchSelfService(content, input.text);
  if (selfService) {
    turn.trace.push(`self-service topic ${selfService.id}`);
    const human = { label: content.system.buttons.human[s.lang], value: 'cmd:human' };
    say(turn, selfService.say, { step: 'consult', quickReplies: waiting ? [] : [human] });
    if (waiting) promptNode(turn, waiting.dialog, waiting.node);
    return done(turn, nlu);
  }

  // 6. Nothing fits: the bot did not understand (reports count these as fallbacks), unless a plain yes/no with nothing asked.
  if (waiting) reask(turn, waiting.dialog, waiting.node);
  else if (nlu.intent === 'affirm' || nlu.intent === 'deny' || onlyAcknowledges(input.text, content.system.acknowledgements)) return say(turn, content.system.phrases.anythingElse, { quickReplies: menuButtons(turn) }), done(turn, nlu);
  else {
    const human = { label: content.system.buttons.human[s.lang], value: 'cmd:human' };
    s.misses = missesBefore + 1;
    // No rule answered, but the suggester has a likely topic: asked, one tap to start it (still counted as not understood).
    const suggested = nlu.suggestion && nlu.suggestion.intent !== 'human_agent' ? content.byIntent.get(nlu.suggestion.intent) : undefined;
    if (suggested) {
      const topic = suggested.def.title[s.lang];
      turn.trace.push(`suggested ${nlu.suggestion!.intent} (p=${nlu.suggestion!.probability.toFixed(2)})`);
      const offer = { label: topic, value: `intent:${nlu.suggestion!.intent}` };
      say(turn, content.system.phrases.suggest, { extra: { topic }, quickReplies: s.misses > 1 ? [human, offer] : [offer, human] });
    } else if (s.misses > 1) say(turn, content.system.phrases.outOfScopeAgain, { quickReplies: [human, ...menuButtons(turn)] });
    else say(turn, content.system.phrases.outOfScope, { quickReplies: [...menuButtons(turn), human] });
  }
  return { ...done(turn, nlu), understood: false };
}

function done(turn: Turn, nlu: NluResult | null): TurnResult<SessionState> {
  return { state: turn.state, replies: turn.replies, effects: turn.effects, nlu, trace: turn.trace };
}

/** Words that make a date in passing a purchase date: 「去年3月买的」, not 「昨天掉水里了」. */
const PURCHASE_CUE = /买|购|入手|到手|bought|purchased|got it|got the phone/i;

/**
 * Entities in any message fill slots, whatever the current node asked, so
 * nothing known is asked again. A date counts as the purchase date only when
 * the purchase date is being asked or the message speaks of buying.
 */
function fillSlots(turn: Turn, nlu: NluResult, waiting: WaitingNode | null): void {
  const askedDate = waiting?.type === 'ask' && waiting.slot === 'purchase_date';
  for (const e of nlu.entities) {
    const slot = ENTITY_SLOTS[e.type];
    if (!slot) continue;
    if (slot === 'purchase_date' && !askedDate && !PURCHASE_CUE.test(nlu.text)) {
      turn.trace.push(`entity ${e.type}=${e.value} ignored: not said to be the purchase date`);
      continue;
    }
    turn.state.slots[slot] = e.value;
    turn.trace.push(`entity ${e.type}=${e.value} → slot ${slot}`);
    if (slot === 'purchase_date') {
      const span = purchaseSpan(nlu.text.slice(e.start, e.end), e.value);
      if (span) turn.state.purchaseSpan = span;
      else delete turn.state.purchaseSpan;
    }
  }
}

/** Another question of the dialog whose `fromOpening` option this message answers (so it need not be asked). */
function answersLaterQuestion(d: LoadedDialog, current: string, text: string): string | null {
  for (const [id, node] of Object.entries(d.def.nodes)) {
    if (id === current || (node.type !== 'question' && node.type !== 'ask')) continue;
    if (answeredByOpening(node.options, text)) return id;
  }
  return null;
}

function takeOption(turn: Turn, d: LoadedDialog, m: OptionMatch): void {
  turn.trace.push(`option ${m.option.value} (by ${m.by}: ${m.detail})`);
  // A chip under a free-text question (「尽快」「明天上午」) is that answer, in the user's language.
  const waiting = currentWaiting(turn)?.node;
  if (waiting?.type === 'ask' && FREE_TEXT_SLOTS.has(waiting.slot) && !m.option.set) turn.state.slots[waiting.slot] = m.option.label[turn.state.lang];
  for (const [slot, value] of Object.entries(m.option.set ?? {})) turn.state.slots[slot as Slot] = value;
  advance(turn, d, m.option.goto);
}

function rate(turn: Turn, d: LoadedDialog, node: Extract<WaitingNode, { type: 'rating' }>, score: 1 | 2 | 3 | 4 | 5): void {
  const f = turn.state.frame!;
  turn.effects.push({ type: 'rating', ticketId: f.ticketId ?? turn.state.lastTicketId, score });
  turn.trace.push(`rating ${score}`);
  turn.state.servedBy = null;
  // 1–2 stars: an apology, what went wrong, and a person (handover.ts), instead of a thank-you.
  if (score <= 2) return enterHuman(turn, HUMAN_NODES.lowRating);
  say(turn, turn.content.system.phrases.ratingThanks, { step: node.step, intent: d.def.intents[0]! });
  advance(turn, d, node.next);
}

function reask(turn: Turn, d: LoadedDialog, node: WaitingNode): void {
  const f = turn.state.frame!;
  f.retries += 1;
  // Coming back to the question with an invalid answer (loops) counts too.
  const failures = f.retries + (f.loops ?? 0);
  turn.trace.push(`unrecognised answer #${failures}`);
  // A score is optional: after one re-ask the dialog moves on rather than offering a human.
  if (node.type === 'rating' && f.retries > 1) {
    turn.trace.push('rating skipped');
    return advance(turn, d, node.next);
  }
  if (failures <= MAX_REASKS) return promptNode(turn, d, node, failures);
  const b = turn.content.system.buttons;
  const phrases = turn.content.system.phrases;
  const text = failures > MAX_REASKS + 1 ? phrases.offerHumanAgain : phrases.offerHuman;
  // Asked for a value (an IMEI, a date), its own way on (先跳过, 不记得了) is offered beside a person.
  if (node.type === 'ask' && node.options.some((o) => !o.hidden)) return offerWayOut(turn, text, node);
  turn.state.offer = 'human';
  say(turn, text, {
    quickReplies: [
      { label: b.human[turn.state.lang], value: 'cmd:human' },
      { label: b.retry[turn.state.lang], value: 'cmd:retry' },
    ],
  });
}

