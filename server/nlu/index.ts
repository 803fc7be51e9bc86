/**
 * The NLU's front door: `loadNlu()` reads and compiles intents/ once, and the
 * returned `understand()` runs the pipeline
 * normalise → entities → whole pinyin → typo fixes → English words of a
 * Chinese message → synonyms → segment → match.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadIntentContent, type IntentContent, type IntentFile } from './content.js';
import { buildFallback, type Fallback } from './fallback.js';
import { findEntities } from './entities/index.js';
import { buildNameFinder } from './entities/lexicon.js';
import { isMainlyEnglish, latinTokens } from './english.js';
import { commonEnglishWords } from './englishWords.js';
import type { MappedText } from './mappedText.js';
import { buildIntentMatcher, MARGIN, THRESHOLD } from './matchIntent.js';
import { normalize } from './normalize.js';
import { NONE, trainSuggester, type LabelledText } from './suggester.js';
import { buildPinyinReader } from './pinyinInput.js';
import { buildSynonymRewriter } from './synonyms.js';
import { buildTypoCorrector } from './typos.js';
import type { Nlu, NluResult, Segmenter, Suggestion, UnderstandOptions } from './types.js';
import { Understood } from './understood.js';

export { normalize } from './normalize.js';
export { simpleSegmenter } from './segmenter.js';
export { MARGIN, THRESHOLD } from './matchIntent.js';
export { ContentError, ContentErrors } from '../content/yamlFile.js';
export type { MappedText } from './mappedText.js';
export type * from './types.js';

const LATIN_LETTER = /[a-z]/;

/** intents/ at the repository root. */
export const DEFAULT_INTENTS_DIR = fileURLToPath(new URL('../../intents/', import.meta.url));

export interface LoadNluOptions {
  intentsDir?: string;
  /** Defaults to nodejieba with the domain dictionary (loaded once per process). */
  segmenter?: Segmenter;
}

/**
 * Loads, validates (throwing ContentErrors with file:line field) and compiles
 * the intent content, and returns the NLU built on it.
 */
export async function loadNlu(options: LoadNluOptions = {}): Promise<Nlu> {
  const content = loadIntentContent(options.intentsDir ?? DEFAULT_INTENTS_DIR);
  const segmenter = options.segmenter ?? (await import('./jiebaSegmenter.js')).jiebaSegmenter(domainWords(content));
  return buildNlu(content, segmenter);
}

/**
 * Words jieba must keep whole: the dictionary's, and nothing else (synonym
 * targets include function words such as 不 and 的, which must not be boosted).
 */
function domainWords(content: IntentContent): string[] {
  return content.dictionary.words;
}

/** Every Latin word an intent's rules mention: what a Latin slip may be corrected towards. */
function latinWordsOf(f: IntentFile): string[] {
  const texts = [...Object.keys(f.english), ...Object.keys(f.exact), ...f.together.flatMap((t) => t.all)];
  return texts.flatMap((t) => t.toLowerCase().match(/[a-z]+/g) ?? []);
}

/** The suggester must be at least this sure of a problem or question before it is offered (README, "A statistical layer"). */
export const SUGGEST_MIN = 0.6;

/** The suggester over the labelled lines, the intents' examples and the out-of-scope examples, asked only when no rule answered. */
function buildSuggester(content: IntentContent, prepare: (text: string) => string) {
  const classes = [NONE, ...content.intents.map((i) => i.data.id)];
  // Small talk and dialog answers are learnt (so that 「谢谢」 is not taken for a problem) but never offered.
  const offered = new Set<string>(content.intents.filter((i) => i.data.kind === 'problem' || i.data.kind === 'faq').map((i) => i.data.id));
  const data: LabelledText[] = [
    ...content.labelled.map((l) => ({ text: prepare(l.text), labels: l.expected })),
    ...content.intents.flatMap((i) => i.data.examples.map((e) => ({ text: prepare(e), labels: [i.data.id] }))),
    ...content.outOfScope.map((e) => ({ text: prepare(e), labels: [NONE] })),
  ];
  const model = trainSuggester(data, classes);
  return {
    suggest(canonical: string, ruledOut: ReadonlySet<string>, explanation: string[]): Suggestion | null {
      const guess = model.best(canonical);
      if (!guess || !offered.has(guess.label) || guess.probability < SUGGEST_MIN || ruledOut.has(guess.label)) return null;
      const probability = Math.round(guess.probability * 1000) / 1000;
      explanation.push(`suggestion ${guess.label} (p=${probability.toFixed(2)}): no rule answered, the suggester's guess is offered as a question`);
      return { intent: guess.label, probability };
    },
  };
}

/** Compiles validated content into an Nlu. Exposed for tools that load content themselves. */
export function buildNlu(content: IntentContent, segmenter: Segmenter): Nlu {
  const files = content.intents.map((i) => i.data);
  const matcher = buildIntentMatcher(files, content.objects);
  const typos = buildTypoCorrector({
    homophoneTerms: content.dictionary.homophones.terms,
    homophoneExceptions: content.dictionary.homophones.except,
    latinTargets: content.dictionary.latin,
    latinLongTargets: files.flatMap((f) => latinWordsOf(f)),
    latinKnown: [...content.dictionary.english_known, ...commonEnglishWords()],
  });
  const pinyinReader = buildPinyinReader([...content.dictionary.homophones.terms, ...content.dictionary.pinyin]);
  const synonyms = buildSynonymRewriter(content.synonyms);
  const mixed = buildSynonymRewriter(content.mixed);
  const names = buildNameFinder(content.entities);
  /**
   * Whole pinyin read as Chinese and typos fixed (`corrected`, what the
   * language is judged on), then in a Chinese message its English words in
   * Chinese, then synonyms (`canonical`).
   */
  const canonicalOf = (base: MappedText, notes: string[]): { english: boolean; canonical: MappedText } => {
    // No Latin letter: no pinyin to read, no Latin slip, no English word to put in Chinese.
    const latin = LATIN_LETTER.test(base.text);
    const corrected = typos.correct(latin ? pinyinReader.read(base, notes) : base, notes);
    const english = latin && isMainlyEnglish(corrected.text);
    const chinese = english || !latin ? corrected : mixed.rewrite(corrected, notes);
    return { english, canonical: synonyms.rewrite(chinese, notes) };
  };
  const prepare = (text: string, notes: string[]) => canonicalOf(normalize(text), notes).canonical;
  const fallback: Fallback = buildFallback(files, content.outOfScope, (text) => {
    const canonical = prepare(text, []).text;
    return { canonical, tokens: segmenter.cut(canonical) };
  });
  const suggester = buildSuggester(content, (text) => prepare(text, []).text);
  const contentHash = createHash('sha256')
    .update(content.sources.map((s) => `${s.file}\n${s.text}`).join('\n'))
    .digest('hex')
    .slice(0, 16);

  /** The intents this call's rules kept low on purpose: one set for every call, emptied before each (a call never runs inside another). */
  const ruledOut = new Set<string>();

  function understand(text: string, options: UnderstandOptions = {}): NluResult {
    const now = options.now ?? new Date();
    const base = normalize(text);
    const explanation: string[] = [];
    const entities = findEntities(text, base, now, names);
    const { english, canonical } = canonicalOf(base, explanation);
    // The rules match on the text, not on words: jieba cuts only when the fallback or a reader needs the words.
    let tokens: string[] | undefined;
    if (ruledOut.size > 0) ruledOut.clear();
    let candidates = matcher.match(canonical.text, latinTokens(canonical.text), explanation, ruledOut);
    if ((candidates[0]?.score ?? 0) < THRESHOLD) {
      // An unnamed arrow: tsx (esbuild keepNames) gives a named local closure a name with defineProperty on every call.
      candidates = fallback.suggest(canonical.text, () => (tokens ??= segmenter.cut(canonical.text)), candidates, explanation, ruledOut);
    }
    const best = candidates[0];
    const second = candidates[1];
    const intent = best && best.score >= THRESHOLD ? best.intent : null;
    const ambiguousWith =
      intent && second && second.score >= THRESHOLD && best!.score - second.score < MARGIN ? second.intent : null;
    const suggestion = intent ? null : suggester.suggest(canonical.text, ruledOut, explanation);
    // 「shouji diule」 is Chinese typed without an IME.
    const lang = english ? 'en' : 'zh';
    return new Understood(
      text, canonical.text, lang, segmenter, tokens, intent, best?.score ?? 0, candidates.slice(0, 5), ambiguousWith, suggestion, entities, explanation,
    );
  }

  return { understand, contentHash, intents: matcher.intents };
}
