import { describe, expect, it } from 'vitest';
import { isNegatedEn, isNegatedZh, maskClauses, occursUnnegated } from '../../server/nlu/negation.js';
import { latinTokens } from '../../server/nlu/english.js';
import { fastNlu, NOW } from './helpers.js';

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
    ['开不了机，不是没信号', '没信号', true], // 「不是」 denies the whole statement
    ['并不是没有信号', '没有信号', true],
    ['是不是没信号', '没信号', false], // a question
    ['不没信号', '没信号', false],
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
    // A verb in between: what fails, not what is denied.
    ["can't get mobile data to work", 'mobil', false],
    ["couldn't use the wifi", 'wifi', false],
  ])('%j negates %s: %s', (text, stem, expected) => {
    const tokens = latinTokens(text);
    expect(isNegatedEn(tokens, tokens.findIndex((t) => t.stem === stem), [stem])).toBe(expected);
  });
});

describe('a problem the user does not have', () => {
  it.each([
    ['怎么防止手机被偷', null],
    ['how do i prevent my phone from being stolen', null],
    ['手机没丢，我就是想问问怎么开启查找手机功能', null],
    ['手机不卡了，就是想问问怎么清理内存', null],
    // Denying one thing and reporting another is still a problem; so is only asking.
    ['手机没丢，被偷了', 'theft'],
    ['手机丢了，我想问问怎么定位', 'theft'],
    // A one-clause question about a setting; 「怎么…都…」 is "however I try".
    ['怎么开启wifi热点？', null],
    ['how do i turn off 5g', null],
    ['手机怎么设置双卡', null], // the phone named first
    ['我的手机上怎么开启热点', null],
    ['手机怎么设置都上不了网', 'no_network'],
    ['怎么设置网络都连不上', 'no_network'],
    ['怎么打开手机，开不了机了', 'wont_boot'],
  ])('%j → %s', async (text, intent) => {
    expect((await fastNlu()).understand(text, { now: NOW }).intent).toBe(intent);
  });
});

describe('look-alike words', () => {
  it.each([
    ['打电话对方听不见，信号只有一格', 'no_network'], // 听不见 holds no 不见 (theft)
    ['抢购的手机什么时候发货', null],
    ['手机丢人了，这么老的款', null],
    ['等你们回复等到花都谢了', 'complaint'], // no thanks
    ['my son wants a new phone for his birthday', null], // Porter would read "his" as "hi"
    ['电话费怎么交', null], // 电话 and 话费 overlap in 电话费
  ])('%j → %s', async (text, intent) => {
    expect((await fastNlu()).understand(text, { now: NOW }).intent).toBe(intent);
  });
});
