/**
 * The NLU's contract with everything that calls it (dialog engine, REPL,
 * server, CLI tools). Plain data only: no class instances, nothing that
 * cannot be JSON-serialised.
 */

/** Language a reply should be written in. */
export type Lang = 'zh' | 'en';

/** Splits normalised text into words. The real one wraps nodejieba; tests may fake it. */
export interface Segmenter {
  /** Words of `text` in order; joining them gives `text` back (whitespace aside). */
  cut(text: string): string[];
}

export type EntityType =
  | 'carrier' // cmcc | cucc | ctcc | cbn
  | 'brand' // huawei | honor | xiaomi | oppo | vivo | apple | samsung | oneplus | meizu | ...
  | 'model' // e.g. "iPhone 15 Pro", "Mate 60"
  | 'purchase_date' // ISO date YYYY-MM-DD, resolved against the `now` given to understand()
  | 'imei' // 15 digits with a valid Luhn check digit
  | 'imei_invalid' // 15 digits whose Luhn check digit is wrong
  | 'phone'; // mainland mobile number, 11 digits starting with 1

export interface Entity {
  type: EntityType;
  /** Canonical value: an id (`cmcc`, `apple`), an ISO date, or the digits. */
  value: string;
  /** UTF-16 offsets into the ORIGINAL text given to understand(): text.slice(start, end) is what the user typed. */
  start: number;
  end: number;
}

export interface IntentScore {
  intent: string;
  /** 0..1 */
  score: number;
}

export interface NluResult {
  /** The text as given. */
  text: string;
  /** After normalisation (NFKC, Traditional→Simplified, lower-case Latin, whitespace collapsed, synonyms applied). */
  normalized: string;
  /** Language of the utterance: 'en' when it is mainly Latin-script English, else 'zh'. */
  lang: Lang;
  tokens: string[];
  /** Best intent, or null when nothing reaches the threshold (out of scope). */
  intent: string | null;
  confidence: number;
  /** All intents with a non-zero score, best first (at most 5). Two close ones mean "ask which". */
  candidates: IntentScore[];
  /**
   * The runner-up when it is too close to call (within the NLU's margin of the
   * best): the dialog then asks 「您是想问 A 还是 B？」. null when the best is clear.
   */
  ambiguousWith: string | null;
  /**
   * When no intent was found: a problem or question the suggester (a
   * classifier trained on labelled real messages) thinks likely, to be offered
   * as a question (「您是想咨询“…”吗？」), never answered as if understood. null otherwise.
   */
  suggestion: Suggestion | null;
  entities: Entity[];
  /** Why the intent was chosen: rule ids / keywords that fired, typo corrections, negations. For --trace. */
  explanation: string[];
}

export interface Suggestion {
  intent: string;
  /** The classifier's probability, 0..1. */
  probability: number;
}

export interface UnderstandOptions {
  /** Reference time for relative dates (「上个月买的」). Defaults to the current time. */
  now?: Date;
}

/** What every caller holds: one object, built once at start-up. */
export interface Nlu {
  understand(text: string, options?: UnderstandOptions): NluResult;
  /** Hash of the intent content, part of the content version stored with sessions. */
  readonly contentHash: string;
  /** Ids of all known intents. */
  readonly intents: readonly string[];
}
