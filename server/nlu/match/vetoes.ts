/**
 * Clauses that do not count: a `not` phrase silences its own clause, a clause about something other than
 * the phone raises no problem, and `unless` words take a message about something else out of an intent.
 */
import { latinTokens } from '../english.js';
import { maskClauses } from '../negation.js';
import type { TextOccurrences } from '../phraseIndex.js';
import { collect } from './collect.js';
import { OTHER } from './constants.js';
import type { MatchScratch } from './scratch.js';
import type { CompiledIntent, IntentTables } from './tables.js';
import { hasWord, mentionsOf } from './whole.js';
import { unnegatedIn } from './occurrences.js';

/** A `not` phrase that says the problem is absent or over, not merely elsewhere. */
const DENIAL = /[不没未无]|了$/u;

/**
 * A `not` phrase (「信号没问题」) silences its own clause only: 「信号满格但是网速很慢」 still counts.
 * Something other than the phone (「钱包被偷了」「电脑开不了机」) raises no problem in its clause,
 * unless the clause names the phone too (「钱包和手机都被偷了」).
 */
export function silenceClauses(
  t: IntentTables, s: MatchScratch, whole: TextOccurrences, canonical: string, phoneNamed: boolean, explanation: string[],
): void {
  const others = mentionsOf(t, whole, OTHER) ? t.otherIds.filter(({ id }) => s.inWhole[id] === s.wholeCall).map(({ o }) => o) : null;
  // Something else named and the phone nowhere: a clause that names nothing is about that thing too
  // ("[Lenok] … Watch is stuck … Afterwards it's stuck on the splash screen").
  const onlyElsewhere = others !== null && !phoneNamed;
  for (let i = 0; i < t.compiled.length; i++) {
    if (s.evidence.count[i] === 0) continue;
    const c = t.compiled[i]!;
    if (onlyElsewhere && c.problem) {
      drop(s, i, `${c.id}: about ${others.map((o) => `「${o}」`).join('')}, not the phone (named nowhere)`, explanation);
      continue;
    }
    const vetoes = s.notHere[i] === s.wholeCall ? vetoesIn(s, whole, c) : null;
    const elsewhere = c.problem ? others : null;
    if (vetoes !== null || elsewhere !== null) recollectMasked(t, s, i, canonical, vetoes ?? [], elsewhere ?? [], others ?? [], explanation);
  }
}

/** Intent c's `not` phrases said (not negated or asked) in the whole text; null when none. */
function vetoesIn(s: MatchScratch, whole: TextOccurrences, c: CompiledIntent): string[] | null {
  let vetoes: string[] | null = null;
  for (const n of c.not) if (s.inWhole[n.id] === s.wholeCall && unnegatedIn(whole, n.id, n.phrase)) (vetoes ??= []).push(n.phrase);
  return vetoes;
}

/** Intent i's evidence again, from the text with the clauses of its vetoes and of other objects blanked out. */
function recollectMasked(
  t: IntentTables, s: MatchScratch, i: number, canonical: string, vetoes: readonly string[], elsewhere: readonly string[], others: readonly string[],
  explanation: string[],
): void {
  const c = t.compiled[i]!;
  // 「手机没丢」「不卡了」「手机找到了」 deny the problem; 「手机里」「上网」 only point elsewhere.
  if (vetoes.some((v) => DENIAL.test(v))) s.denied[i] = 1;
  const vetoed = vetoes.length > 0 ? maskClauses(canonical, vetoes) : canonical;
  const rest = elsewhere.length > 0 ? maskClauses(vetoed, elsewhere, (clause) => namesPhone(clause, others, t.phoneWords)) : vetoed;
  if (rest === canonical) return;
  s.silenced[i] = 1;
  if (vetoed !== canonical) explanation.push(`${c.id}: vetoed in its clause by ${vetoes.map((v) => `「${v}」`).join('')}`);
  if (rest !== vetoed) explanation.push(`${c.id}: about ${elsewhere.map((o) => `「${o}」`).join('')}, not the phone`);
  collect(t, s, s.scanMasked(rest), latinTokens(rest), i, s.masked, explanation);
  s.evidence.copy(s.masked, i);
}

/** 「光纤入户，每晚网速骤慢」: about home broadband, not the phone, when no phone word is there. */
export function dropAboutElsewhere(t: IntentTables, s: MatchScratch, explanation: string[]): void {
  for (let i = 0; i < t.compiled.length; i++) {
    const c = t.compiled[i]!;
    if (s.evidence.count[i] === 0 || s.unlessHere[i] !== s.wholeCall) continue;
    const about = c.unless.find((u) => s.inWhole[u.id] === s.wholeCall);
    if (!about) continue;
    drop(s, i, `${c.id}: about 「${about.phrase}」, not the phone`, explanation);
  }
}

/** Intent i counts for nothing in this message, and the explanation says why. */
function drop(s: MatchScratch, i: number, why: string, explanation: string[]): void {
  explanation.push(why);
  s.evidence.clear(i);
  s.silenced[i] = 1;
}

/** Whether `clause` names the phone outside the words for other things (手机壳 holds 手机 but is no phone). */
function namesPhone(clause: string, others: readonly string[], phoneWords: readonly string[]): boolean {
  const rest = others.reduce((text, o) => text.replaceAll(o, ' '), clause);
  return phoneWords.some((w) => hasWord(rest, w));
}
