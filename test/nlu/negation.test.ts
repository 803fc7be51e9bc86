import { describe, expect, it } from 'vitest';
import { isNegatedEn, isNegatedZh, maskClauses, occursUnnegated } from '../../server/nlu/negation.js';
import { latinTokens } from '../../server/nlu/english.js';

const negatedZh = (text: string, phrase: string) => isNegatedZh(text, text.indexOf(phrase), phrase);

describe('Chinese negation', () => {
  it.each([
    ['不卡了', '卡了', true],
    ['已经没有丢', '丢', true],
    ['手机没被偷', '偷', true],
    ['也不再卡顿', '卡顿', true],
    ['手机很卡', '很卡', false],
    ['特别慢', '慢', false], // 特别 ends in 别, which is no negator here
    ['是不是卡顿', '卡顿', false], // a question, not a negation
    ['要不要收费', '收费', false],
    ['不，很卡', '很卡', false], // the negation belongs to another clause
    ['没有信号', '没有信号', false], // the phrase is itself the negation
  ])('%j: 「%s」 negated = %s', (text, phrase, expected) => {
    expect(negatedZh(text, phrase)).toBe(expected);
  });

  it('「没有」 inside 「有没有」 asks rather than states', () => {
    expect(occursUnnegated('有没有网', '没有')).toBe(false);
    expect(occursUnnegated('家里没有网', '没有')).toBe(true);
  });

  it('masks the clauses that contain a phrase, keeping the length', () => {
    const text = '信号满格但是网速很慢';
    const masked = maskClauses(text, ['信号满格']);
    expect(masked).toHaveLength(text.length);
    expect(masked.trim()).toBe('但是网速很慢');
  });
});

describe('English negation', () => {
  it.each([
    ['it is not laggy', 'laggi', true],
    ['no longer laggy', 'laggi', true],
    ['so laggy', 'laggi', false],
  ])('%j negates %s: %s', (text, stem, expected) => {
    const tokens = latinTokens(text);
    expect(isNegatedEn(tokens, tokens.findIndex((t) => t.stem === stem), [stem])).toBe(expected);
  });
});
