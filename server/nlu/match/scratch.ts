/**
 * The matcher's mutable state, made once per matcher and reused by every call (a call never runs inside
 * another): typed arrays, stamps and lists filled from 0 and read up to a count, so a call allocates
 * nothing for them. One object of one class, so every stage reads it through one hidden class.
 */
import type { LatinToken } from '../english.js';
import type { TextOccurrences } from '../phraseIndex.js';
import { Evidence } from './evidence.js';
import type { Clause, IntentTables, PhraseRule } from './tables.js';

export class MatchScratch {
  /** The walk over a call's whole text, and over a text with clauses blanked out (read before the next). */
  readonly scanWhole: (text: string) => TextOccurrences;
  readonly scanMasked: (text: string) => TextOccurrences;
  /** This call's exact-answer weight per intent (undefined: none). */
  readonly exactHere: (number | undefined)[];
  /**
   * Intents that have an exact answer the key starts with: only those can string the key together from
   * their answers (composerStamp[i] === composeCall: intent i is one of this call's).
   */
  readonly composers: number[] = [];
  // The stamps (here and below) are call counts kept as doubles, which count exactly far beyond any
  // process's calls: a 32-bit stamp would come round after four billion and mark what it did not see.
  readonly composerStamp: Float64Array;
  composeCall = 0;
  /** seenStem[id] === stemCall: the stem has been seen among this collect's tokens. */
  readonly seenStem: Float64Array;
  stemCall = 0;
  readonly present: Uint8Array;
  readonly negatedFrom: number[] = [];
  readonly negatedTo: number[] = [];
  negatedCount = 0;
  readonly hitAt: number[] = [];
  readonly hitRule: PhraseRule[] = [];
  hitCount = 0;
  /** counted[rule.order] === countedCall: the phrase rule has counted in this collect. */
  readonly counted: Float64Array;
  countedCall = 0;
  /**
   * maybe[slot]: the part has a Chinese alternative in the text or an English one whose first stem is a word
   * of it; per co-occurrence rule, how many of its parts may be there (all of them, or the rule cannot hold).
   */
  readonly maybe: Uint8Array;
  readonly partsMaybe: Uint16Array;
  /** The co-occurrence rules all of whose parts may be there (by index; sorted, they are in intent and rule order). */
  readonly complete: number[] = [];
  /** The rules starting at one offset of the text, in rule order: here[0, hereCount). */
  readonly here: PhraseRule[] = [];
  hereCount = 0;
  /** The evidence of the whole text, and of one intent's text with its vetoed clauses blanked out. */
  readonly evidence: Evidence;
  readonly masked: Evidence;
  /** Intents with a negated hit or a `not` phrase (「手机没丢」): the user said it is not that. */
  readonly denied: Uint8Array;
  /** silenced[i] === 1: a `not` phrase, another object or an `unless` word took evidence away from intent i this call. */
  readonly silenced: Uint8Array;
  readonly scores: Float64Array;
  readonly damped: Float64Array;
  /** English phrases whose first stem is in the message, per intent, in rule order. */
  readonly englishHere: number[][];
  /** How many of each intent's englishHere list are this collect's. */
  readonly englishCount: Uint16Array;
  /** inWhole[id] === wholeCall: indexed string `id` occurs in this call's whole text. */
  readonly inWhole: Float64Array;
  /** inCollect[id] === collectCall: indexed string `id` occurs in the text of this collect (the whole or a masked one). */
  readonly inCollect: Float64Array;
  collectCall = 0;
  wholeCall = 0;
  /** notHere[i] === wholeCall: one of intent i's `not` phrases is in the whole text; unlessHere the same for `unless`. */
  readonly notHere: Float64Array;
  readonly unlessHere: Float64Array;
  /** What `match` learnt of this call's text before collecting its rule hits. */
  key = '';
  contentLength = 0;
  isLong = false;
  onlyAsking = false;
  /** The clauses of this collect's text, split when a rule first asks for them. */
  clauses: Clause[] | null = null;

  constructor(t: IntentTables) {
    const n = t.compiled.length;
    this.scanWhole = t.index.scanner();
    this.scanMasked = t.index.scanner();
    this.exactHere = t.compiled.map(() => undefined);
    this.composerStamp = new Float64Array(n);
    this.seenStem = new Float64Array(t.stemIds.size);
    this.present = new Uint8Array(t.slots);
    this.counted = new Float64Array(t.phraseRuleCount);
    this.maybe = new Uint8Array(t.slots);
    this.partsMaybe = new Uint16Array(t.togetherRules);
    this.evidence = new Evidence(n);
    this.masked = new Evidence(n);
    this.denied = new Uint8Array(n);
    this.silenced = new Uint8Array(n);
    this.scores = new Float64Array(n);
    this.damped = new Float64Array(n);
    this.englishHere = t.compiled.map(() => []);
    this.englishCount = new Uint16Array(n);
    this.inWhole = new Float64Array(t.index.size);
    this.inCollect = new Float64Array(t.index.size);
    this.notHere = new Float64Array(n);
    this.unlessHere = new Float64Array(n);
  }
}

/** Tokens of a text with no Latin word, and their stem ids: shared empty lists, never written. */
export const NO_IDS: number[] = [];
export const NO_TOKENS: readonly LatinToken[] = [];
