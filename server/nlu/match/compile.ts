/**
 * Compiling the intent files into the matcher's lookup tables, once at load: every rule string into one
 * trie, phrase rules by string id, co-occurrence parts numbered as slots, English words as stem ids,
 * exact answers by key, `not` and `unless` words by string id.
 */
import { KIND_RANK, type IntentFile, type ObjectsFile } from '../content.js';
import { stemPhrase } from '../english.js';
import { EN_NEGATORS, ZH_ONLY_ASKING, ZH_PREVENTING } from '../negation.js';
import { buildPhraseIndex } from '../phraseIndex.js';
import { exactKey } from '../shortAnswers.js';
import { OTHER, PHONE } from './constants.js';
import { dense } from './lists.js';
import type { CompiledIntent, IntentTables, PhraseRule } from './tables.js';

const LATIN_CHAR = /[a-z0-9]/;

/**
 * Compiles the intent files into lookup tables. `objects` says what a problem can be about (the phone)
 * and what else users lose or break. The numbering (rules, slots, stems) follows the files' order, which
 * is the order hits are counted and reported in.
 */
export function compileIntents(files: readonly IntentFile[], objects: ObjectsFile): IntentTables {
  const phoneWords = objects.phone.map((w) => w.toLowerCase());
  const otherObjects = objects.other.map((w) => w.toLowerCase());
  const phraseRules: PhraseRule[] = [];
  const raw = files.map((f, index) => {
    for (const [key, weight] of Object.entries(f.phrases)) {
      const anchored = key.startsWith('^');
      const phrase = (anchored ? key.slice(1) : key).toLowerCase();
      phraseRules.push({
        phrase, intent: index, weight, anchored, order: phraseRules.length,
        latinStart: LATIN_CHAR.test(phrase[0]!), latinEnd: LATIN_CHAR.test(phrase.at(-1)!),
        note: `${f.id}: phrase 「${phrase}」 (${weight})`,
        negatedNote: `${f.id}: negated 「${phrase}」`,
        longNote: `${f.id}: 「${phrase}」 only mentioned in a long message`,
      });
    }
    return f.together.map((t) => t.all.map((part) => part.split('|').map((a) => a.trim().toLowerCase()).filter(Boolean)));
  });
  const isEnglishAlt = (a: string) => /^[a-z0-9' ]+$/.test(a);
  const index = buildPhraseIndex([
    ...phraseRules.map((r) => r.phrase),
    ...raw.flat(3).filter((a) => !isEnglishAlt(a)),
    ...files.flatMap((f) => f.not.map((n) => n.toLowerCase())),
    ...otherObjects,
    ...phoneWords,
    ...files.flatMap((f) => f.unless.map((u) => u.toLowerCase())),
    // Not rules, but asked of every message: the walk says whether they are there.
    ...ZH_PREVENTING,
    ...ZH_ONLY_ASKING,
  ]);
  const phoneIds = phoneWords.map((w) => index.idOf(w));
  const roleOfId = new Uint8Array(Math.max(0, ...phoneIds, ...otherObjects.map((o) => index.idOf(o))) + 1);
  for (const id of phoneIds) if (id >= 0) roleOfId[id]! |= PHONE;
  for (const o of otherObjects) if (index.idOf(o) >= 0) roleOfId[index.idOf(o)]! |= OTHER;
  const rulesById = dense<PhraseRule[]>(index.size);
  for (const r of phraseRules) (rulesById[index.idOf(r.phrase)] ??= []).push(r);
  let slots = 0;
  let togetherRules = 0;
  const ruleOfSlot: number[] = [];
  const slotsOf = dense<number[]>(index.size);
  const stemIds = new Map<string, number>();
  const idsOf = (stems: readonly string[]): number[] =>
    stems.map((st) => stemIds.get(st) ?? (stemIds.set(st, stemIds.size), stemIds.size - 1));
  let enSlotsByStem: (number[] | undefined)[] = [];
  const compiled: CompiledIntent[] = files.map((f, i) => ({
    id: f.id,
    rank: KIND_RANK[f.kind],
    problem: f.kind === 'problem',
    english: Object.entries(f.english).map(([text, weight]) => ({
      stems: stemPhrase(text), ids: idsOf(stemPhrase(text)), text, weight, note: `${f.id}: english "${text}" (${weight})`, negatedNote: `${f.id}: negated "${text}"`,
    })),
    together: f.together.map((t, k) => ({
      weight: t.weight,
      clause: t.clause,
      saysNot: raw[i]![k]!.some((alts) => alts.some((a) => isEnglishAlt(a) && stemPhrase(a).some((st) => EN_NEGATORS.has(st)))),
      label: t.all.join(' + '),
      index: togetherRules++,
      note: `${f.id}: together ${t.all.join(' + ')} (${t.weight})`,
      longNote: `${f.id}: ${t.all.join(' + ')} only mentioned in a long message`,
      parts: raw[i]![k]!.map((alts) => {
        const zh = alts.filter((a) => !isEnglishAlt(a));
        const en = alts.filter(isEnglishAlt).map(stemPhrase);
        const part = { slot: slots++, zh, zhIds: zh.map((a) => index.idOf(a)), en, enIds: en.map(idsOf) };
        ruleOfSlot[part.slot] = togetherRules - 1;
        for (const ids of part.enIds) {
          if (ids.length === 0) continue;
          const list = (enSlotsByStem[ids[0]!] ??= []);
          if (!list.includes(part.slot)) list.push(part.slot);
        }
        for (const id of part.zhIds) (slotsOf[id] ??= []).push(part.slot);
        return part;
      }),
    })),
    exact: new Map(Object.entries(f.exact).map(([k, w]) => [exactKey(k.toLowerCase()), w])),
    not: f.not.map((n) => ({ phrase: n.toLowerCase(), id: index.idOf(n.toLowerCase()) })),
    unless: f.unless.map((u) => ({ phrase: u.toLowerCase(), id: index.idOf(u.toLowerCase()) })),
    beats: f.beats,
    beatenBy: files.flatMap((other, j) => (other.beats.includes(f.id) ? [j] : [])),
    maxChars: f.maxChars,
    longMinWeight: f.longMinWeight ?? 0,
  }));

  const exactByKey = new Map<string, [number, number][]>();
  compiled.forEach((c, i) => {
    for (const [k, w] of c.exact) {
      const list = exactByKey.get(k);
      if (list) list.push([i, w]);
      else exactByKey.set(k, [[i, w]]);
    }
  });
  const englishByStem = dense<number[]>(stemIds.size);
  compiled.forEach((c, i) => {
    c.english.forEach((e, k) => {
      if (e.ids.length > 0) (englishByStem[e.ids[0]!] ??= []).push(i, k);
    });
  });
  // Built while the stems were numbered; now that their number is known, without holes.
  enSlotsByStem = Array.from({ length: stemIds.size }, (_, id) => enSlotsByStem[id]);
  const partCount = new Uint16Array(togetherRules);
  const intentOfRule = new Uint16Array(togetherRules);
  compiled.forEach((c, i) => {
    for (const t of c.together) {
      partCount[t.index] = t.parts.length;
      intentOfRule[t.index] = i;
    }
  });
  const notIntentsOf = dense<number[]>(index.size);
  const unlessIntentsOf = dense<number[]>(index.size);
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
    unlessIntentsOf,
  };
}
