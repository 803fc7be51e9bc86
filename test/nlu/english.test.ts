import { describe, expect, it } from 'vitest';
import { isMainlyEnglish, latinTokens, stem, stemPhrase } from '../../server/nlu/english.js';
import { fastNlu, NOW } from './helpers.js';

describe('English tokens', () => {
  it('opens contractions, with or without the apostrophe', () => {
    expect(latinTokens("my phone won't turn on").map((t) => t.word)).toEqual(['my', 'phone', 'will', 'not', 'turn', 'on']);
    expect(latinTokens('it doesnt work').map((t) => t.word)).toEqual(['it', 'does', 'not', 'work']);
    expect(latinTokens("it's laggy").map((t) => t.word)).toEqual(['it', 'is', 'laggy']);
    // The typographic apostrophe a phone keyboard types, at the same offsets.
    expect(latinTokens('they don\u2019t hear me').map((t) => [t.word, t.start, t.end])).toEqual([
      ['they', 0, 4],
      ['do', 5, 10],
      ['not', 5, 10],
      ['hear', 11, 15],
      ['me', 16, 18],
    ]);
  });

  it('stems inflections onto one form', () => {
    expect(stem('turned')).toBe(stem('turn'));
    expect(stem('turning')).toBe(stem('turn'));
    expect(stem('freezes')).toBe(stem('freezing'));
    expect(stem('crashes')).toBe(stem('crash'));
    expect(stemPhrase("Won't turn on")).toEqual(['will', 'not', 'turn', 'on']);
    // Irregular forms meet their base form.
    expect(stem('froze')).toBe(stem('freeze'));
    expect(stem('stolen')).toBe(stem('steal'));
    expect(stem('lost')).toBe(stem('lose'));
    expect(stem('heard')).toBe(stem('hear'));
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

describe('English words in a Chinese message', () => {
  it.each([
    ['手机boot不起来', 'wont_boot'],
    ['signal好差', 'no_network'],
    ['手机wifi connect不上', 'no_network'],
    ['升级后一直reboot', 'wont_boot'],
    ['客服free吗', 'fee'],
    // An English message keeps its words for the English rules.
    ['no signal at all', 'no_network'],
    ['my phone keeps crashing', 'lag'],
    // A rule that asks for a negator ("call + hear + not") counts the word the negator governs.
    ['when I call my brother he doesn\u2019t hear me', 'hardware'],
  ])('%j → %s', async (text, intent) => {
    expect((await fastNlu()).understand(text, { now: NOW }).intent).toBe(intent);
  });

  it('rewrites them only in a mainly Chinese message', async () => {
    const nlu = await fastNlu();
    expect(nlu.understand('信号好差 signal时有时无', { now: NOW }).normalized).toBe('信号好差 信号时有时无');
    expect(nlu.understand('the signal is weak', { now: NOW }).normalized).toBe('the signal is weak');
  });
});

describe('English: a problem that has stopped', () => {
  it.each([
    ['it stopped lagging after the update', null],
    ['my phone has stopped freezing', null],
    ["it won't stop freezing", 'lag'],
    ['it never stops lagging', 'lag'],
    ['it just stopped working', 'deny'],
  ])('%j → %s', async (text, intent) => {
    expect((await fastNlu()).understand(text, { now: NOW }).intent).toBe(intent);
  });
});
