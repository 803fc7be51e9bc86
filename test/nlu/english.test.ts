import { describe, expect, it } from 'vitest';
import { isMainlyEnglish, latinTokens, stem, stemPhrase } from '../../server/nlu/english.js';

describe('English tokens', () => {
  it('opens contractions, with or without the apostrophe', () => {
    expect(latinTokens("my phone won't turn on").map((t) => t.word)).toEqual(['my', 'phone', 'will', 'not', 'turn', 'on']);
    expect(latinTokens('it doesnt work').map((t) => t.word)).toEqual(['it', 'does', 'not', 'work']);
    expect(latinTokens("it's laggy").map((t) => t.word)).toEqual(['it', 'is', 'laggy']);
  });

  it('stems inflections onto one form', () => {
    expect(stem('turned')).toBe(stem('turn'));
    expect(stem('turning')).toBe(stem('turn'));
    expect(stem('freezes')).toBe(stem('freezing'));
    expect(stem('crashes')).toBe(stem('crash'));
    expect(stemPhrase("Won't turn on")).toEqual(['will', 'not', 'turn', 'on']);
  });

  it('keeps ASCII model words whole and gives offsets', () => {
    const t = latinTokens('我的iphone15和5g');
    expect(t.map((x) => [x.word, x.start, x.end])).toEqual([
      ['iphone15', 2, 10],
      ['5g', 11, 13],
    ]);
  });

  it.each([
    ['my phone is so slow', true],
    ['hi', true],
    ['ok', true],
    ['我的iphone15开不了机', false],
    ['wifi连不上', false],
    ['手机卡顿', false],
    ['', false],
    ['😀', false],
  ])('isMainlyEnglish(%j) = %s', (text, expected) => {
    expect(isMainlyEnglish(text)).toBe(expected);
  });
});
