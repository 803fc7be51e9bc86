/**
 * The compiled intent tables: what `compileIntents` makes of the intent files once, and every stage of a
 * match only reads.
 */
import type { LatinToken } from '../english.js';
import type { PhraseIndex } from '../phraseIndex.js';

/** One part of a co-occurrence rule: its alternatives, Chinese by index id, English by stem ids. */
export interface Part {
  /** Position of this part among all parts of all co-occurrence rules. */
  slot: number;
  zh: string[];
  /** Index ids of `zh`. */
  zhIds: number[];
  en: string[][];
  /** Stem ids of `en`. */
  enIds: number[][];
}

/** One weighted phrase of an intent, with what a hit needs checked and the notes it writes, made once. */
export interface PhraseRule {
  phrase: string;
  intent: number;
  weight: number;
  /** Counts only at the very start of the utterance (「还是卡」 as an answer). */
  anchored: boolean;
  /** Position among all phrase rules: the order hits are reported in at one offset. */
  order: number;
  /** Whether the phrase begins / ends with a Latin letter or digit (and so must not touch another). */
  latinStart: boolean;
  latinEnd: boolean;
  /** Explanation lines, made once: a hit, a negated hit, a hit too weak for a long message. */
  note: string;
  negatedNote: string;
  longNote: string;
}

/**
 * One clause of a text, for a co-occurrence rule that must hold within a clause: its span of the text,
 * its own text, and its Latin tokens with their stem ids.
 */
export interface Clause {
  from: number;
  to: number;
  text: string;
  tokens: readonly LatinToken[];
  ids: readonly number[];
}

/** One intent's rules, compiled. */
export interface CompiledIntent {
  id: string;
  rank: number;
  problem: boolean;
  english: { stems: string[]; ids: number[]; text: string; weight: number; note: string; negatedNote: string }[];
  /**
   * `index`: the rule's position among all co-occurrence rules. `saysNot`: one part is an English
   * negator ("not|can't"), so a word it negates is what the rule means ("calls … can't hear"), no denial.
   */
  together: { parts: Part[]; weight: number; label: string; clause: boolean; index: number; saysNot: boolean; note: string; longNote: string }[];
  exact: Map<string, number>;
  not: { phrase: string; id: number }[];
  unless: { phrase: string; id: number }[];
  beats: string[];
  /** The intents whose `beats` name this one, in intent order. */
  beatenBy: number[];
  maxChars: number | undefined;
  longMinWeight: number;
}

/**
 * Every intent's rules as lookups by indexed string, stem and slot: built once by `compileIntents`,
 * then only read (a call's mutable state is its `MatchScratch`).
 */
export interface IntentTables {
  /** The intents, in file order: an intent's number is its position here. */
  readonly compiled: readonly CompiledIntent[];
  /** How many phrase rules there are (their `order` runs from 0). */
  readonly phraseRuleCount: number;
  /** One trie over every rule string, `not`, `unless` and object word, and the asked-of-every-message words. */
  readonly index: PhraseIndex;
  /** The words for the phone, lower-case. */
  readonly phoneWords: readonly string[];
  /** The words for other objects, with their index ids. */
  readonly otherIds: readonly { o: string; id: number }[];
  /** Index ids of ZH_PREVENTING and ZH_ONLY_ASKING. */
  readonly preventingIds: readonly number[];
  readonly onlyAskingIds: readonly number[];
  /** What an indexed string is, besides a rule string: a word for the phone (PHONE) or for something else (OTHER). */
  readonly roleOfId: Uint8Array;
  /** Phrase rules by the index id of their phrase, in rule order. */
  readonly rulesById: readonly (PhraseRule[] | undefined)[];
  /** How many co-occurrence parts (slots) and rules there are. */
  readonly slots: number;
  readonly togetherRules: number;
  /** The co-occurrence rule each part belongs to. */
  readonly ruleOfSlot: readonly number[];
  /** slotsOf[id]: the parts that indexed string `id` is an alternative of. */
  readonly slotsOf: readonly (number[] | undefined)[];
  /** Every stem of the English rules, numbered: tokens are compared by number. */
  readonly stemIds: ReadonlyMap<string, number>;
  /** By stem id: the parts with an English alternative that begins with it. */
  readonly enSlotsByStem: readonly (number[] | undefined)[];
  /** English phrases by the id of their first stem: intent, phrase index, intent, phrase index… in rule order. */
  readonly englishByStem: readonly (number[] | undefined)[];
  /** Every intent's exact answers by key: [intent, weight], in intent order. */
  readonly exactByKey: ReadonlyMap<string, [number, number][]>;
  /** The longest key of an exact answer: a longer key is none. */
  readonly longestExact: number;
  /** The code units an exact answer of one to three units begins with: what a composition can begin with. */
  readonly composableFirst: ReadonlySet<number>;
  /** Per co-occurrence rule (by index): how many parts it has, and its intent. */
  readonly partCount: Uint16Array;
  readonly intentOfRule: Uint16Array;
  /** By indexed string: the intents that have it as a `not` phrase, and as an `unless` word. */
  readonly notIntentsOf: readonly (number[] | undefined)[];
  readonly unlessIntentsOf: readonly (number[] | undefined)[];
}

/** Whether an intent's rule is allowed in an utterance of `contentLength` units (`maxChars`). */
export function allowed(c: CompiledIntent, contentLength: number): boolean {
  return c.maxChars === undefined || contentLength <= c.maxChars;
}
