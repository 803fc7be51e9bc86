/**
 * The NLU's hand-written fast paths give exactly what the plain definitions
 * they replace give, on random text mixing everything a message can hold:
 * Han (Simplified and Traditional), particles, Latin of both cases, digits,
 * full-width forms, punctuation, spaces and tabs, invisible characters,
 * emoji, astral Han, lone surrogates, Han radicals and 〇.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findDates, findDatesWithoutPretests } from '../../server/nlu/entities/dates.js';
import { isMainlyEnglish } from '../../server/nlu/english.js';
import { collapseRepeats, contentUnits, exactKey } from '../../server/nlu/shortAnswers.js';
import { mapped } from '../../server/nlu/mappedText.js';
import { pointUnits } from '../../server/nlu/codeUnits.js';
import { buildNameFinder, type NameSpan } from '../../server/nlu/entities/lexicon.js';
import { clauseSpans, CLAUSE_PUNCTUATION } from '../../server/nlu/negation.js';
import { buildPhraseIndex } from '../../server/nlu/phraseIndex.js';
import type { EntitiesFile } from '../../server/nlu/content.js';
import { toSimplified, toSimplifiedWithoutPretest } from '../../server/nlu/toSimplified.js';

const POOL = [
  ...'手机开不了机没信号卡顿丢了保修坏的是不有没有了吗呢啊吧哦呀哈啦喔哇嘛噢',
  ...'手機開不了機沒訊號網路記憶體後裡麼鍊覆乾',
  ...'abcxyzABCXYZ019ＡＢ１２',
  ...' \t\n,.!?，。！？、~…「」()', '\u200b', '\ufeff', '\u00ad',
  '😭', '🙂', '𠀀', '𪚥', '\ud800', '\udc00', '⺀', '〇', '々', '²', 'é', 'ß',
];
const text = fc.array(fc.constantFrom(...POOL), { maxLength: 40 }).map((cs) => cs.join(''));
const runs = { numRuns: 3000 };

function exactKeyByRegex(t: string): string {
  return t
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/(?<=\p{Script=Han})\s+|\s+(?=\p{Script=Han})/gu, '')
    .replace(/[啊吧呢哦噢嘛呀哈啦喔哇]+$/u, '');
}

function isMainlyEnglishByRegex(t: string): boolean {
  let han = 0;
  let latin = 0;
  for (const ch of t) {
    if (/[a-z]/i.test(ch)) latin++;
    else if (/\p{Script=Han}/u.test(ch)) han++;
  }
  return latin >= 2 && latin > han * 3;
}

/**
 * The name finder as it was written before its phrase trie: blockers claim
 * their spans, then models, then every name, longest first, at each of its
 * occurrences (found by indexOf) that is free and whole.
 */
function findNamesByIndexOf(file: EntitiesFile, text: string): NameSpan[] {
  const names: { name: string; type: 'carrier' | 'brand'; value: string }[] = [];
  for (const [value, list] of Object.entries(file.carriers)) for (const n of list ?? []) names.push({ name: n.toLowerCase(), type: 'carrier', value });
  for (const [value, list] of Object.entries(file.brands)) for (const n of list) names.push({ name: n.toLowerCase(), type: 'brand', value });
  names.sort((a, b) => b.name.length - a.name.length);
  const taken = new Uint8Array(text.length);
  const free = (from: number, to: number) => taken.subarray(from, to).every((t) => t === 0);
  const whole = (from: number, to: number) =>
    !(/[a-z0-9]/.test(text[from] ?? '') && from > 0 && /[a-z]/.test(text[from - 1]!)) &&
    !(/[a-z0-9]/.test(text[to - 1] ?? '') && /[a-z]/.test(text[to] ?? ''));
  const occurrences = (name: string) => {
    const at: number[] = [];
    for (let p = text.indexOf(name); p >= 0; p = text.indexOf(name, p + 1)) at.push(p);
    return at;
  };
  for (const b of file.not_names) for (const p of occurrences(b.toLowerCase())) taken.fill(1, p, p + b.length);
  const out: NameSpan[] = [];
  for (const m of file.models) {
    for (const x of text.matchAll(new RegExp(m.pattern, 'giu'))) {
      const to = x.index + x[0].trimEnd().length;
      if (!free(x.index, to) || !whole(x.index, to)) continue;
      taken.fill(1, x.index, to);
      out.push({ type: 'model', value: x[0].trim().replace(/\s+/g, ' '), from: x.index, to });
      out.push({ type: 'brand', value: m.brand, from: x.index, to });
    }
  }
  for (const n of names) {
    for (const p of occurrences(n.name)) {
      if (!free(p, p + n.name.length) || !whole(p, p + n.name.length)) continue;
      taken.fill(1, p, p + n.name.length);
      out.push({ type: n.type, value: n.value, from: p, to: p + n.name.length });
    }
  }
  const seen = new Set<string>();
  return out
    .filter((x) => !seen.has(`${x.type}:${x.value}:${x.from}`) && seen.add(`${x.type}:${x.value}:${x.from}`))
    .sort((a, b) => a.from - b.from || a.type.localeCompare(b.type));
}

/** What collapseRepeats is defined as (its doc comment): a unit of one or two characters said again right away, once. */
const collapseRepeatsByRegex = (s: string): string => s.replace(/(.{1,2}?)\1+/gsu, '$1');

describe('fast paths', () => {
  it('exactKey is the regex definition', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(exactKey(t)).toBe(exactKeyByRegex(t));
      }),
      runs,
    );
  });

  it('contentUnits counts Han characters and Latin words as the regexes do', () => {
    fc.assert(
      fc.property(text, (t) => {
        const s = t.toLowerCase();
        expect(contentUnits(s)).toBe((s.match(/\p{Script=Han}/gu)?.length ?? 0) + (s.match(/[a-z0-9]+/g)?.length ?? 0));
      }),
      runs,
    );
  });

  it('isMainlyEnglish counts letters and Han characters as the regexes do', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(isMainlyEnglish(t)).toBe(isMainlyEnglishByRegex(t));
      }),
      runs,
    );
  });

  it('collapseRepeats leaves a text with no repeat as it is, and collapses one that has', () => {
    expect(collapseRepeats('手机开不了机')).toBe('手机开不了机');
    expect(collapseRepeats('对对对')).toBe('对');
    expect(collapseRepeats('没有没有')).toBe('没有');
    fc.assert(
      fc.property(text, (t) => {
        const s = t.replace(/[\ud800-\udfff]/g, '');
        expect(collapseRepeats(s)).toBe(collapseRepeatsByRegex(s));
      }),
      runs,
    );
  });

  it('the Traditional pre-test never changes a conversion', () => {
    fc.assert(
      fc.property(text, (t) => {
        const fast = toSimplified(mapped(t));
        const full = toSimplifiedWithoutPretest(mapped(t));
        expect(fast.text).toBe(full.text);
        expect(fast.starts).toEqual(full.starts);
        expect(fast.ends).toEqual(full.ends);
      }),
      runs,
    );
  });

  it('the phrase index finds every occurrence, in text order, shorter strings first at one start', () => {
    const strings = ['手机', '手机开不了机', '开不了', '开不了机', '没信号', '信号', 'wifi', 'wi', '機', '😭', '不', '了机', '没'];
    const index = buildPhraseIndex(strings);
    fc.assert(
      fc.property(text, (t) => {
        const s = t.toLowerCase();
        const expected: [number, number][] = [];
        const byLength = strings.map((w, id) => ({ w, id })).sort((a, b) => a.w.length - b.w.length);
        for (let p = 0; p < s.length; p++) for (const { w, id } of byLength) if (s.startsWith(w, p)) expected.push([p, id]);
        const occ = index.scan(s);
        expect(occ.starts.map((p, k) => [p, occ.ids[k]])).toEqual(expected);
        for (let id = 0; id < strings.length; id++) {
          expect(occ.at(id)).toEqual(expected.filter(([, i]) => i === id).map(([p]) => p));
          expect(occ.has(id)).toBe(occ.at(id).length > 0);
        }
      }),
      runs,
    );
  });

  it('pointUnits is whether codePointAt reads a surrogate pair', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (let i = 0; i < t.length; i++) expect(pointUnits(t, i, t.length)).toBe((t.codePointAt(i) ?? 0) > 0xffff ? 2 : 1);
      }),
      runs,
    );
  });

  it('the clause spans are the regex split', () => {
    fc.assert(
      fc.property(text, (t) => {
        const spans = clauseSpans(t);
        const clauses = spans.filter((_, k) => k % 2 === 0).map((from, k) => t.slice(from, spans[2 * k + 1]));
        expect(clauses).toEqual(t.split(CLAUSE_PUNCTUATION).filter(Boolean));
      }),
      runs,
    );
  });

  it('the phrase index finds strings below a node with many children', () => {
    // 「x」 has a child for every letter and digit: its list of children is searched in halves.
    const strings = [...'abcxyz019ABC', ...'defghijklmnopqrstuvw2345678'].map((c) => `x${c.toLowerCase()}`).concat(['xa手机', 'xz9', 'x']);
    const index = buildPhraseIndex(strings);
    fc.assert(
      fc.property(text, (t) => {
        const s = t.toLowerCase();
        const expected: [number, number][] = [];
        const byLength = [...new Set(strings)].map((w) => ({ w, id: index.idOf(w) })).sort((a, b) => a.w.length - b.w.length || a.id - b.id);
        for (let p = 0; p < s.length; p++) for (const { w, id } of byLength) if (s.startsWith(w, p)) expected.push([p, id]);
        const occ = index.scan(s);
        expect(occ.starts.map((p, k) => [p, occ.ids[k]])).toEqual(expected);
      }),
      runs,
    );
  });

  it('the name finder finds what an indexOf per name finds', () => {
    const file: EntitiesFile = {
      carriers: { cmcc: ['中国移动', '移动', 'cmcc', 'china mobile'], cucc: ['联通'], ctcc: ['电信'], cbn: ['广电'] },
      brands: { apple: ['苹果', 'iphone'], xiaomi: ['小米', 'mi', 'xiaomi'], honor: ['荣耀'] },
      not_names: ['移动数据', '吃苹果', '王者荣耀', '没电信号', 'mine'],
      models: [{ brand: 'apple', pattern: '(?:iphone|苹果) ?(?:\\d{1,2}|x)' }],
    };
    const finder = buildNameFinder(file);
    const pieces = [
      '中国', '移动', '数据', '电信', '号', '没电', '信号', 'cmcc', 'china', ' ', 'mobile', '苹果', '吃', 'iphone', '15', 'x', '小米',
      'mi', 'ne', 'xiaomi', '荣耀', '王者', 'a', '手机', '，', '😭',
    ];
    const nameText = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(nameText, (t) => {
        expect(finder.find(t)).toEqual(findNamesByIndexOf(file, t));
      }),
      { numRuns: 5000 },
    );
  });

  it('the date rules\' pre-tests never drop a date', () => {
    // Pieces of every date rule, so that random joins of them make dates, near misses and partial ones.
    const pieces = [
      ...'年月日号天周前后上下这本今去双买购入拿用了个半多初底末中旬十一二两三四五六七八九0123',
      '星期', '礼拜', '入手', '拿到', '以前', '之前', '不到', '大概', '2025', '2025-03-05', '2024/3/5', '11', '618',
      'last ', 'this ', 'ago', ' ', 'months ', 'year', 'week', 'yesterday', 'today', 'the day before ', 'in ', 'on ',
      'march', 'may', 'dec', 'sept', '5th ', 'of ', ', ', 'a ', 'two ', 'half a ',
    ];
    const dateText = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((cs) => cs.join(''));
    const now = new Date('2026-03-15T04:00:00Z');
    fc.assert(
      fc.property(dateText, (t) => {
        expect(findDates(t, now)).toEqual(findDatesWithoutPretests(t, now));
      }),
      { numRuns: 20000 },
    );
  });
});
