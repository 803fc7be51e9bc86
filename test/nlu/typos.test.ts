import { describe, expect, it } from 'vitest';
import { buildTypoCorrector, pinyinKey } from '../../server/nlu/typos.js';
import { mapped } from '../../server/nlu/mappedText.js';
import { commonEnglishWords } from '../../server/nlu/englishWords.js';
import { loadNlu } from '../../server/nlu/index.js';

const corrector = buildTypoCorrector({
  homophoneTerms: ['卡顿', '保修', '死机', '信号'],
  homophoneExceptions: ['司机', '新号'],
  latinTargets: ['wifi', 'iphone'],
  latinLongTargets: ['laggy', 'warranty', 'stolen', 'deleted'],
  latinKnown: ['last', 'phone'],
});

function fix(text: string): { text: string; notes: string[] } {
  const notes: string[] = [];
  return { text: corrector.correct(mapped(text), notes).text, notes };
}

describe('typo correction', () => {
  it.each([
    ['手机卡吨了', '手机卡顿了'],
    ['还在保休期吗', '还在保修期吗'],
    ['又四机了', '又死机了'],
    ['wify连不上', 'wifi连不上'],
    ['my phone is lagy', 'my phone is lagy'], // four letters: too short to guess beyond the curated list
    ['it is so laggyy', 'it is so laggy'],
    ['under waranty', 'under warranty'],
    ['my iphnoe was stolen', 'my iphone was stolen'],
  ])('%j → %j', (input, expected) => {
    expect(fix(input).text).toBe(expected);
  });

  it.each([['打车的司机'], ['办了个新号'], ['last week'], ['卡顿'], ['hello'], ['i delete them']])('leaves %j alone', (input) => {
    expect(fix(input)).toEqual({ text: input, notes: [] });
  });

  it('reports what it corrected', () => {
    expect(fix('卡吨').notes).toEqual(['typo: 卡吨→卡顿']);
  });

  it('keys Han strings by toneless pinyin', () => {
    expect(pinyinKey('卡顿')).toBe(pinyinKey('卡吨'));
    expect(pinyinKey('wifi')).toBeNull();
  });
});

describe('common English words are never typos', () => {
  const withWords = buildTypoCorrector({
    homophoneTerms: [],
    homophoneExceptions: [],
    latinTargets: ['wifi'],
    latinLongTargets: ['dropped', 'stolen', 'signal'],
    latinKnown: commonEnglishWords(),
  });
  const fixWith = (text: string) => withWords.correct(mapped(text), []).text;

  it.each([['it stopped'], ['the single sim'], ['he stole it']])('leaves %j alone', (input) => {
    expect(fixWith(input)).toBe(input);
  });

  it.each([
    ['singal is weak', 'signal is weak'],
    ['wify is down', 'wifi is down'],
  ])('still corrects %j', (input, expected) => {
    expect(fixWith(input)).toBe(expected);
  });

  it('reads "it just stopped working" as a no, not as "it works"', async () => {
    const nlu = await loadNlu();
    expect(nlu.understand('it just stopped working').intent).toBe('deny');
    expect(nlu.understand('yes it works now').intent).toBe('affirm');
  });
});
