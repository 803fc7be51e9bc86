/**
 * `npm run check`, intents part: everything that loads but is still wrong,
 * each problem located by file, line and field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentError, ContentErrors, readYamlFile } from '../content/yamlFile.js';
import { LEXICON_DIR, loadIntentContent, type IntentContent } from './content.js';
import { parseEvalSet } from './evaluate.js';
import { DEFAULT_INTENTS_DIR, buildNlu } from './index.js';
import { contentUnits, exactKey } from './shortAnswers.js';
import { normalize } from './normalize.js';
import { simpleSegmenter } from './segmenter.js';
import { buildSynonymRewriter } from './synonyms.js';

/**
 * All problems in intents/ (default: the repository's): schema errors, an
 * example claimed by two intents or also listed as out of scope, dictionary
 * and homophone words (and Chinese words for English ones) no rule uses,
 * synonym variants with two canonical forms,
 * an intent beating itself, examples the rules do not classify as their
 * own intent (out-of-scope examples that get one), and rule or example text
 * that is a line of the evaluation set (`evalFile`; skipped when absent).
 */
export function checkIntentContent(dir: string = DEFAULT_INTENTS_DIR, evalFile: string = DEFAULT_EVAL_FILE): ContentError[] {
  let content: IntentContent;
  try {
    content = loadIntentContent(dir);
  } catch (e) {
    if (e instanceof ContentErrors) return e.problems;
    if (e instanceof ContentError) return [e];
    throw e;
  }
  return [
    ...checkExamples(content),
    ...checkLexicon(content),
    ...checkRuleSpelling(content),
    ...checkEvalOverlap(content, evalFile),
    ...checkClassification(content),
  ];
}

/** The held-out evaluation set, which no rule or example may copy. */
export const DEFAULT_EVAL_FILE = fileURLToPath(new URL('../../test/fixtures/nlu-eval.tsv', import.meta.url));

/** How an utterance compares to another: normalised, punctuation, spaces and trailing particles dropped. */
const utteranceKey = (s: string) => exactKey(normalize(s).text);

/** A rule entry up to this many units (Han characters or Latin words) is a keyword, not a sentence. */
const KEYWORD_UNITS = 4;

/**
 * The evaluation set measures phrasings nobody wrote a rule for: an example
 * (or out-of-scope example) that equals one of its lines after normalisation
 * makes that line a self-test, and so does an exact answer, phrase or English
 * phrase longer than a keyword. A keyword (「转人工」「你好」「nope」) stays
 * allowed as a rule even when a user typed nothing else: short answers and
 * greetings are a closed vocabulary, not copied sentences.
 */
function checkEvalOverlap(content: IntentContent, evalFile: string): ContentError[] {
  if (!existsSync(evalFile)) return [];
  const evalLines = new Map<string, number>();
  for (const c of parseEvalSet(readFileSync(evalFile, 'utf8')).cases) {
    const k = utteranceKey(c.text);
    if (k && !evalLines.has(k)) evalLines.set(k, c.line);
  }
  const problems: ContentError[] = [];
  const report = (file: string, line: number | null, field: string, text: string, keywordsAllowed = false) => {
    const key = utteranceKey(text);
    if (keywordsAllowed && contentUnits(key) <= KEYWORD_UNITS) return;
    const at = evalLines.get(key);
    if (at !== undefined) problems.push(new ContentError(file, line, field, `"${text}" is line ${at} of the evaluation set ${evalFile}`));
  };
  for (const intent of content.intents) {
    const { data, file } = intent;
    data.examples.forEach((text, i) => report(file, intent.exampleLine(i), `examples[${i}]`, text));
    for (const field of ['exact', 'phrases', 'english'] as const) {
      for (const key of Object.keys(data[field])) {
        report(file, intent.lineOf([field, key]), `${field}.${key}`, key.replace(/^\^/, ''), true);
      }
    }
  }
  const oosFile = join(content.dir, LEXICON_DIR, 'out_of_scope.yaml');
  const oos = readYamlFile(oosFile);
  content.outOfScope.forEach((text, i) => {
    const at = evalLines.get(utteranceKey(text));
    if (at !== undefined) problems.push(oos.error(['examples', i], `"${text}" is line ${at} of the evaluation set ${evalFile}`));
  });
  return problems;
}

const exampleKey = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

function checkExamples(content: IntentContent): ContentError[] {
  const problems: ContentError[] = [];
  const owner = new Map<string, string>();
  for (const intent of content.intents) {
    const { id } = intent.data;
    intent.data.examples.forEach((text, i) => {
      const k = exampleKey(text);
      const other = owner.get(k);
      if (other !== undefined && other !== id) {
        problems.push(new ContentError(intent.file, intent.exampleLine(i), `examples[${i}]`, `"${text}" is also an example of ${other}`));
      }
      owner.set(k, id);
    });
    if (intent.data.beats.includes(intent.data.id)) {
      problems.push(new ContentError(intent.file, intent.lineOf(['beats']), 'beats', `${id} cannot beat itself`));
    }
  }
  const oosFile = join(content.dir, LEXICON_DIR, 'out_of_scope.yaml');
  const oos = readYamlFile(oosFile);
  content.outOfScope.forEach((text, i) => {
    const other = owner.get(exampleKey(text));
    if (other) problems.push(oos.error(['examples', i], `"${text}" is out of scope here but an example of ${other}`));
  });
  return problems;
}

/** Every piece of rule text, lower-cased: what a dictionary word must appear in. */
function ruleTexts(content: IntentContent): string[] {
  const texts: string[] = [];
  for (const { data } of content.intents) {
    texts.push(...Object.keys(data.phrases), ...Object.keys(data.english), ...Object.keys(data.exact), ...data.not);
    for (const t of data.together) texts.push(...t.all.flatMap((p) => p.split('|')));
  }
  for (const [canonical, variants] of Object.entries(content.synonyms)) texts.push(canonical, ...variants);
  for (const names of Object.values(content.entities.carriers)) texts.push(...(names ?? []));
  for (const names of Object.values(content.entities.brands)) texts.push(...names);
  for (const m of content.entities.models) texts.push(m.pattern);
  return texts.map((t) => t.toLowerCase());
}

function checkLexicon(content: IntentContent): ContentError[] {
  const problems: ContentError[] = [];
  const texts = ruleTexts(content);
  const used = (word: string) => texts.some((t) => t.includes(word.toLowerCase()));
  const dictFile = join(content.dir, LEXICON_DIR, 'dictionary.yaml');
  const dict = readYamlFile(dictFile);
  content.dictionary.words.forEach((w, i) => {
    if (!used(w)) problems.push(dict.error(['words', i], `dictionary word "${w}" appears in no rule`));
  });
  content.dictionary.homophones.terms.forEach((w, i) => {
    if (!used(w)) problems.push(dict.error(['homophones', 'terms', i], `homophone term "${w}" appears in no rule`));
  });
  content.dictionary.pinyin.forEach((w, i) => {
    if (!used(w)) problems.push(dict.error(['pinyin', i], `pinyin word "${w}" appears in no rule`));
  });
  const mixedFile = readYamlFile(join(content.dir, LEXICON_DIR, 'mixed.yaml'));
  for (const [canonical, variants] of Object.entries(content.mixed)) {
    if (!used(canonical)) problems.push(mixedFile.error([canonical], `"${canonical}" (for ${variants.join(', ')}) appears in no rule`));
  }
  const synFile = join(content.dir, LEXICON_DIR, 'synonyms.yaml');
  const syn = readYamlFile(synFile);
  const canonicalOf = new Map<string, string>();
  for (const [canonical, variants] of Object.entries(content.synonyms)) {
    variants.forEach((v, i) => {
      const key = v.toLowerCase();
      const other = canonicalOf.get(key);
      if (other !== undefined && other !== canonical) {
        problems.push(syn.error([canonical, i], `variant "${v}" is also listed under "${other}"`));
      }
      if (key === canonical.toLowerCase()) problems.push(syn.error([canonical, i], `variant "${v}" is its own canonical form`));
      canonicalOf.set(key, canonical);
    });
  }
  return problems;
}

/**
 * Rules are matched against normalised, synonym-rewritten text: a phrase that
 * normalisation or a synonym would rewrite can never match as written.
 */
function checkRuleSpelling(content: IntentContent): ContentError[] {
  const problems: ContentError[] = [];
  const synonyms = buildSynonymRewriter(content.synonyms);
  const mixed = buildSynonymRewriter(content.mixed);
  // English words inside a Chinese phrase are rewritten as in a Chinese message.
  const canonical = (s: string) => {
    const m = normalize(s);
    return synonyms.rewrite(/\p{Script=Han}/u.test(s) ? mixed.rewrite(m, []) : m, []).text;
  };
  for (const intent of content.intents) {
    const { data } = intent;
    const fields: [string, string[]][] = [
      ['phrases', Object.keys(data.phrases)],
      ['exact', Object.keys(data.exact)],
      ['not', data.not],
    ];
    for (const [field, list] of fields) {
      list.forEach((phrase, i) => {
        const bare = phrase.startsWith('^') ? phrase.slice(1) : phrase;
        const c = canonical(bare);
        if (c === bare.toLowerCase()) return;
        const path = field === 'not' ? [field, i] : [field, phrase];
        problems.push(
          new ContentError(intent.file, intent.lineOf(path), field === 'not' ? `not[${i}]` : `${field}.${phrase}`, `"${phrase}" is read as "${c}" before matching; write that instead`),
        );
      });
    }
  }
  return problems;
}

/** Examples must come out as their own intent; out-of-scope examples as null. */
function checkClassification(content: IntentContent): ContentError[] {
  const problems: ContentError[] = [];
  const nlu = buildNlu(content, simpleSegmenter);
  const now = new Date('2026-01-01T00:00:00Z');
  for (const intent of content.intents) {
    intent.data.examples.forEach((text, i) => {
      const r = nlu.understand(text, { now });
      if (r.intent !== intent.data.id) {
        problems.push(
          new ContentError(intent.file, intent.exampleLine(i), `examples[${i}]`, `"${text}" is understood as ${r.intent ?? 'null'}, not ${intent.data.id}`),
        );
      }
    });
  }
  const oos = readYamlFile(join(content.dir, LEXICON_DIR, 'out_of_scope.yaml'));
  content.outOfScope.forEach((text, i) => {
    const r = nlu.understand(text, { now });
    if (r.intent !== null) problems.push(oos.error(['examples', i], `"${text}" is out of scope but understood as ${r.intent}`));
  });
  return problems;
}
