/**
 * The intents/ content: zod schemas (the single source of truth for the file
 * formats) and the loader that reads and validates every file, reporting all
 * problems with file, line and field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { z } from 'zod';
import { ContentError, ContentErrors, parseWith, readYamlFile } from '../content/yamlFile.js';
import { parseLabelled } from './labelledSet.js';

/** The intent ids the rest of kefu relies on; an intents/ file must use one of them. */
export const INTENT_IDS = [
  'wont_boot', 'lag', 'no_network', 'data_loss', 'theft', 'warranty',
  'hotline', 'channels', 'fee', 'human_agent', 'complaint',
  'greeting', 'thanks', 'goodbye', 'affirm', 'deny', 'lockout', 'screen', 'hardware', 'wait',
] as const;
export const intentIdSchema = z.enum(INTENT_IDS);
export type IntentId = z.infer<typeof intentIdSchema>;

/**
 * How an intent competes: a problem or FAQ hit outranks small talk, which
 * outranks a bare dialog answer (「好的，谢谢」 is thanks; 「你好，手机开不了机」 is wont_boot).
 */
export const KIND_RANK = { problem: 2, faq: 2, smalltalk: 1, answer: 0 } as const;
const kindSchema = z.enum(['problem', 'faq', 'smalltalk', 'answer']);

const weight = z.number().gt(0).lte(1);
const nonEmpty = z.string().trim().min(1);

export const intentFileSchema = z.strictObject({
  id: intentIdSchema,
  kind: kindSchema,
  description: nonEmpty,
  /** Chinese (or mixed) substrings of the normalised text → weight; a leading ^ anchors one at the start. */
  phrases: z.record(nonEmpty, weight).default({}),
  /** English phrases → weight; matched word by word after stemming, up to two words apart. */
  english: z.record(nonEmpty, weight).default({}),
  /** Co-occurrence: each part (alternatives separated by `|`) must occur somewhere in the utterance. */
  together: z
    .array(
      z.strictObject({
        all: z.array(nonEmpty).min(2),
        weight,
        /** All parts within one clause (no punctuation between): 「照片丢了」 but not 「手机丢了，照片呢」. */
        clause: z.boolean().default(false),
      }),
    )
    .default([]),
  /** The whole utterance, once punctuation and trailing particles (啊吧呢…) are stripped. */
  exact: z.record(nonEmpty, weight).default({}),
  /** Phrases that mean the opposite (「不卡了」): when one occurs, the intent does not fire. */
  not: z.array(nonEmpty).default([]),
  /**
   * Words that, anywhere in a message that names no phone word (lexicon/objects.yaml),
   * keep this intent from firing: 「光纤入户，每晚网速骤慢」 is home broadband, not the phone's network.
   */
  unless: z.array(nonEmpty).default([]),
  /** Intents this one wins over when both fire (fee beats hotline in 「打客服电话收费吗」). */
  beats: z.array(intentIdSchema).default([]),
  /** Phrases and co-occurrences count only in utterances this short (Han characters and Latin words): dialog answers. */
  maxChars: z.number().int().positive().optional(),
  /**
   * In a long message (a story, not a question: over LONG_UNITS Han characters
   * and Latin words), phrases and co-occurrences weaker than this do not count: 「打10010催了好几次」
   * mentions the hotline, it does not ask for it.
   */
  longMinWeight: weight.optional(),
  /** Example utterances: documentation, training data for the fallback, and self-tests. */
  examples: z.array(nonEmpty).min(1),
});
export type IntentFile = z.infer<typeof intentFileSchema>;

export const dictionaryFileSchema = z.strictObject({
  /** Words added to jieba's dictionary so they come out whole. */
  words: z.array(nonEmpty),
  /** Terms whose same-pinyin slips are corrected (卡吨 → 卡顿), and real words that merely sound alike. */
  homophones: z.strictObject({ terms: z.array(nonEmpty), except: z.array(nonEmpty).default([]) }),
  /** Words also read when typed in toneless pinyin (shouji diule → 手机丢了), besides the homophone terms. */
  pinyin: z.array(nonEmpty).default([]),
  /** Latin words corrected by edit distance (wify → wifi) besides the words of English phrases. */
  latin: z.array(nonEmpty).default([]),
  /** English words that must never be "corrected" into a domain word, besides the common-English list (englishWords.ts). */
  english_known: z.array(nonEmpty).default([]),
});
export type DictionaryFile = z.infer<typeof dictionaryFileSchema>;

/** canonical → variants; the variants are rewritten to the canonical form before matching. */
export const synonymsFileSchema = z.record(nonEmpty, z.array(nonEmpty).min(1));
export type SynonymsFile = z.infer<typeof synonymsFileSchema>;

const HAN_WORD = /\p{Script=Han}/u;
/**
 * Chinese word → the English words a Chinese message may use in its place
 * (「手机boot不起来」「signal好差」); rewritten only in mainly Chinese messages.
 */
export const mixedFileSchema = z
  .record(nonEmpty, z.array(nonEmpty.regex(/^[A-Za-z][A-Za-z' -]*$/, 'a variant must be an English word or phrase')).min(1))
  .superRefine((table, ctx) => {
    for (const key of Object.keys(table)) {
      if (!HAN_WORD.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'the canonical form must be Chinese' });
    }
  });

const regexSource = nonEmpty.refine((s) => {
  try {
    new RegExp(s, 'u');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const entitiesFileSchema = z.strictObject({
  /** carrier id → names. */
  carriers: z.record(z.enum(['cmcc', 'cucc', 'ctcc', 'cbn']), z.array(nonEmpty).min(1)),
  /** brand id → names. */
  brands: z.record(nonEmpty, z.array(nonEmpty).min(1)),
  /** Longer words containing a name that are not that entity (移动数据 is not China Mobile). */
  not_names: z.array(nonEmpty).default([]),
  /** Model patterns (case-insensitive regex over the normalised text), with the brand they imply. */
  models: z.array(z.strictObject({ brand: nonEmpty, pattern: regexSource })).default([]),
});
export type EntitiesFile = z.infer<typeof entitiesFileSchema>;

/**
 * What a problem is about: a clause naming something `other` (a wallet, a
 * computer) and no `phone` word outside it raises no problem intent.
 */
export const objectsFileSchema = z.strictObject({
  phone: z.array(nonEmpty).min(1),
  other: z.array(nonEmpty).min(1),
});
export type ObjectsFile = z.infer<typeof objectsFileSchema>;

export const outOfScopeFileSchema = z.strictObject({
  /** Utterances that must come out as null (no intent): the fallback's negative class and a self-test. */
  examples: z.array(nonEmpty).min(1),
});

/** An intent file together with where it came from, for error messages. */
export interface LoadedIntent {
  file: string;
  data: IntentFile;
  /** Line of `examples[i]`, for located checks. */
  exampleLine(i: number): number | null;
  lineOf(path: (string | number)[]): number | null;
}

export interface IntentContent {
  dir: string;
  intents: LoadedIntent[];
  dictionary: DictionaryFile;
  synonyms: SynonymsFile;
  /** Chinese word → English words used for it inside Chinese messages. */
  mixed: SynonymsFile;
  entities: EntitiesFile;
  objects: ObjectsFile;
  outOfScope: string[];
  /** Real users' labelled messages (intents/labelled/*.tsv): what the suggester learns from, besides the examples. */
  labelled: LabelledMessage[];
  /** Every file's text in a stable order, for the content hash. */
  sources: { file: string; text: string }[];
}

export const LEXICON_DIR = 'lexicon';
export const LABELLED_DIR = 'labelled';

export interface LabelledMessage {
  text: string;
  /** Intent ids or `none`. */
  expected: string[];
  file: string;
  line: number;
}

/** intents/labelled/*.tsv (the directory is optional); bad lines become located problems. */
function readLabelled(dir: string, problems: ContentError[], sources: { file: string; text: string }[]): LabelledMessage[] {
  const at = join(dir, LABELLED_DIR);
  if (!existsSync(at)) return [];
  const out: LabelledMessage[] = [];
  for (const name of readdirSync(at).filter((n) => n.endsWith('.tsv')).sort()) {
    const file = join(at, name);
    const text = readFileSync(file, 'utf8');
    sources.push({ file: `${LABELLED_DIR}/${name}`, text });
    const { cases, errors } = parseLabelled(text, INTENT_IDS);
    for (const e of errors) problems.push(new ContentError(file, e.line, '', e.message));
    for (const c of cases) out.push({ text: c.text, expected: c.expected, file, line: c.line });
  }
  return out;
}

/**
 * Reads and validates intents/: one `<id>.yaml` per intent plus the lexicon
 * files. Throws ContentErrors listing every problem found.
 */
export function loadIntentContent(dir: string): IntentContent {
  const problems: ContentError[] = [];
  const sources: { file: string; text: string }[] = [];
  const read = <T>(file: string, schema: z.ZodType<T>): { value: T; lineOf: (p: (string | number)[]) => number | null } | null => {
    try {
      const src = readYamlFile(file);
      sources.push({ file: basename(file), text: JSON.stringify(src.data) });
      return { value: parseWith(src, schema), lineOf: src.lineOf };
    } catch (e) {
      if (e instanceof ContentErrors) problems.push(...e.problems);
      else if (e instanceof ContentError) problems.push(e);
      else problems.push(new ContentError(file, null, '', (e as Error).message));
      return null;
    }
  };

  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  } catch (e) {
    throw new ContentErrors([new ContentError(dir, null, '', `cannot read intents directory: ${(e as Error).message}`)]);
  }
  const intents: LoadedIntent[] = [];
  const stems = new Set(names.map((n) => n.replace(/\.(ya?ml|json)$/, '')));
  for (const name of names) {
    const file = join(dir, name);
    const r = read(file, intentFileSchema);
    if (!r) continue;
    const stem = name.replace(/\.(ya?ml|json)$/, '');
    if (stem !== r.value.id) {
      problems.push(new ContentError(file, r.lineOf(['id']), 'id', `id "${r.value.id}" does not match the file name "${stem}"`));
    }
    intents.push({ file, data: r.value, exampleLine: (i) => r.lineOf(['examples', i]), lineOf: r.lineOf });
  }
  for (const id of INTENT_IDS) {
    if (!stems.has(id) && !intents.some((i) => i.data.id === id)) {
      problems.push(new ContentError(join(dir, `${id}.yaml`), null, '', `intent "${id}" has no file`));
    }
  }
  const lex = (n: string) => join(dir, LEXICON_DIR, n);
  const dictionary = read(lex('dictionary.yaml'), dictionaryFileSchema);
  const synonyms = read(lex('synonyms.yaml'), synonymsFileSchema);
  const mixed = read(lex('mixed.yaml'), mixedFileSchema);
  const entities = read(lex('entities.yaml'), entitiesFileSchema);
  const objects = read(lex('objects.yaml'), objectsFileSchema);
  const outOfScope = read(lex('out_of_scope.yaml'), outOfScopeFileSchema);
  const labelled = readLabelled(dir, problems, sources);
  if (problems.length > 0 || !dictionary || !synonyms || !mixed || !entities || !objects || !outOfScope) throw new ContentErrors(problems);
  return {
    dir,
    intents,
    dictionary: dictionary.value,
    synonyms: synonyms.value,
    mixed: mixed.value,
    entities: entities.value,
    objects: objects.value,
    outOfScope: outOfScope.value.examples,
    labelled,
    sources,
  };
}
