/** Matching typed text against commands, keywords and ratings. */
import { describe, expect, it } from 'vitest';
import { asksForService, containsUnnegated, dropsTopic, dropsTopicFirst, matchCommand, parseRating } from '../../server/dialog/match.js';
import { isValidImei } from '../../server/core/luhn.js';

describe('matchCommand', () => {
  it.each([
    ['重新开始', 'restart'], ['从头开始吧', 'restart'], ['restart', 'restart'], ['Start over', 'restart'],
    ['返回上一步', 'back'], ['上一步', 'back'], ['go back', 'back'], ['Back', 'back'],
    ['转人工', 'human'], ['我要转人工', 'human'], ['人工客服', 'human'], ['talk to a human please', 'human'],
    ['手机开不了机', null], ['返回键坏了', null], ['人工智能', null], ['background apps', null],
  ] as const)('%s → %s', (text, cmd) => {
    expect(matchCommand(text)).toBe(cmd);
  });
});

describe('containsUnnegated', () => {
  it.each([
    ['手机进水了', '进水', true], ['没有进水', '进水', false], ['没进水', '进水', false], ['不是摔的', '摔', false],
    ['摔了一下', '摔', true], ['it got wet', 'wet', true], ["it didn't get wet", 'wet', false], ['no water at all', 'water', false],
    ['waterproof case', 'water', false], ['it works', 'work', true],
  ] as const)('%s has %s: %s', (text, kw, expected) => {
    expect(containsUnnegated(text, kw)).toBe(expected);
  });
});

describe('parseRating', () => {
  it.each([
    ['5', undefined, 5], ['给4分', undefined, 4], ['五星', undefined, 5], ['三颗星', undefined, 3], ['非常满意', undefined, 5],
    ['5 stars', undefined, 5], ['x', '2', 2], ['还行', undefined, null], ['6', undefined, null], ['3或4', undefined, null], ['10086', undefined, null],
  ] as const)('%s (payload %s) → %s', (text, payload, score) => {
    expect(parseRating(text, payload)).toBe(score);
  });
});

describe('isValidImei', () => {
  it.each([
    ['490154203237518', true], ['356938035643809', true], ['490154203237519', false], ['12345678901234', false], ['49015420323751a', false],
  ] as const)('%s → %s', (imei, ok) => {
    expect(isValidImei(imei)).toBe(ok);
  });
});

describe('dropsTopic / dropsTopicFirst', () => {
  it.each([
    ['算了', true, false], ['那算了吧', true, false], ['换个问题', true, false], ['不说这个了', true, false], ['算了，我问问别的吧', true, false],
    ['好吧 换个问题', true, false], ['我想问别的问题', true, false], ['never mind', true, false], ['Forget it.', true, false],
    ['something else', true, false], ['can I ask something else?', true, false],
    ['算了，我手机丢了', false, true], ['算了 手机还是开不了机', false, true], ['never mind, my phone was stolen', false, true],
    ['不用了', false, false], ['还是不行', false, false], ['算', false, false], ['我问一下保修', false, false], ['算了一下话费', false, false],
  ] as const)('%s: drops %s, drops then goes on %s', (text, alone, first) => {
    expect(dropsTopic(text)).toBe(alone);
    expect(dropsTopicFirst(text)).toBe(first);
  });
});

describe('asksForService', () => {
  it('hears a request for a repair or a person beside a yes, not a plain yes', () => {
    for (const t of ['好的，那帮我预约吧', '嗯 我想送修', '可以，转人工吧', 'yes please book', 'ok, I want it repaired', 'yes, a person please']) expect(asksForService(t), t).toBe(true);
    for (const t of ['好了', '解决了，谢谢', 'yes', "yes it's fixed", 'ok thanks', 'personally I think it works now']) expect(asksForService(t), t).toBe(false);
  });
});
