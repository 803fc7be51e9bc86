/**
 * Safety first: a hazard of data/safety.yaml (a wet phone) mentioned in any
 * typed message — the opening, or any step of any dialog — is answered with
 * its first aid before anything else, once per conversation. A dialog with its
 * own path for the hazard (`safety: { water: solve_water }`) is taken there.
 */
import type { Safety } from './schema.js';
import { containsUnnegated, onlyAcknowledges } from './match.js';
import { advance, dialogOf, menuButtons, say, type Turn } from './runner.js';

type Hazard = Safety['hazards'][string];

/** The first hazard whose unnegated keyword the text contains. */
export function findHazard(safety: Safety, text: string): { id: string; hazard: Hazard } | null {
  for (const [id, hazard] of Object.entries(safety.hazards)) {
    if (hazard.keywords.some((k) => containsUnnegated(text, k))) return { id, hazard };
  }
  return null;
}

/**
 * What the rest of the turn does after the safety check:
 * `done` — the turn is answered; `continue` — interpret the message as usual;
 * `answer_only` — the first aid was said mid-dialog: the message may still answer
 * the current question, but it starts no other topic.
 */
export type SafetyOutcome = 'done' | 'continue' | 'answer_only';

/** Gives first aid when `text` mentions a hazard not yet told; null when there is none. */
export function safetyFirst(turn: Turn, text: string, intentOf: () => string | null): SafetyOutcome | null {
  const found = findHazard(turn.content.safety, text);
  const s = turn.state;
  if (!found || s.hazardsTold?.includes(found.id)) return null;
  const { id, hazard } = found;
  s.hazardsTold = [...(s.hazardsTold ?? []), id];
  turn.trace.push(`hazard ${id}`);
  const alsoAsked = hazard.alsoAsked.some((k) => containsUnnegated(text, k));

  if (s.frame) {
    const d = dialogOf(turn, s.frame);
    const target = d.def.safety?.[id];
    if (target) {
      if (s.frame.node === target || s.frame.history.includes(target)) return null;
      advance(turn, d, target);
      return 'done';
    }
    say(turn, hazard.say);
    return alsoAsked ? 'continue' : 'answer_only';
  }

  const intent = intentOf();
  const d = intent ? turn.content.byIntent.get(intent) : undefined;
  if (d?.def.kind === 'problem' && d.def.safety?.[id]) {
    turn.hazard = id;
    return 'continue';
  }
  if (alsoAsked && d) {
    say(turn, hazard.say);
    return 'continue';
  }
  say(turn, hazard.say, { quickReplies: nextButtons(turn, hazard) });
  s.offer = 'first_aid';
  return 'done';
}

function nextButtons(turn: Turn, hazard: Hazard) {
  const lang = turn.state.lang;
  const next = hazard.next.map((n) => ({ label: n.label[lang], value: `intent:${n.intent}` }));
  const human = { label: turn.content.system.buttons.human[lang], value: 'cmd:human' };
  return next.length > 0 ? [...next, human] : [...menuButtons(turn), human];
}

/**
 * The message right after first aid given as an opening: 「还能用」 gets why the
 * phone must still be switched off and checked, 「好的」 a short note; both
 * offer the next steps again. false when the message is about something else.
 */
export function afterFirstAid(turn: Turn, text: string): boolean {
  const id = turn.state.hazardsTold?.at(-1);
  const hazard = id ? turn.content.safety.hazards[id] : undefined;
  if (!hazard || turn.state.frame) return false;
  const t = text.trim();
  const after = hazard.afterwards;
  if (after.stillWorks.keywords.some((k) => containsUnnegated(t, k)) && t.length <= 40) {
    turn.trace.push(`after first aid: the phone still works`);
    say(turn, after.stillWorks.say, { quickReplies: nextButtons(turn, hazard) });
    turn.state.offer = 'first_aid';
    return true;
  }
  if (onlyAcknowledges(t, turn.content.system.acknowledgements)) {
    turn.trace.push(`after first aid: noted`);
    say(turn, after.noted, { quickReplies: nextButtons(turn, hazard) });
    turn.state.offer = 'first_aid';
    return true;
  }
  return false;
}
