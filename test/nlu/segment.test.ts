import { describe, expect, it } from 'vitest';
import { realNlu } from './helpers.js';
import { simpleSegmenter } from '../../server/nlu/segmenter.js';

describe('jieba segmentation with the domain dictionary', () => {
  it.each([
    ['我的iphone15开不了机', ['iphone15', '开不了机']],
    ['wifi连不上', ['wifi']],
    ['5g信号时有时无', ['5g']],
    ['手机卡顿还死机', ['卡顿', '死机']],
    ['过了保修期怎么办三包', ['保修期', '三包']],
    ['误删了聊天记录', ['误删', '聊天记录']],
    ['我要转人工', ['转人工']],
  ])('%j keeps %j whole', async (text, words) => {
    const nlu = await realNlu();
    const tokens = nlu.understand(text).tokens;
    for (const w of words) expect(tokens).toContain(w);
  });

  it('segments the canonical text: joining the tokens gives it back', async () => {
    const nlu = await realNlu();
    for (const text of ['手机开不开机了', 'My iPhone 15 Pro 没有信号!']) {
      const r = nlu.understand(text);
      expect(r.tokens.join('')).toBe(r.normalized.replace(/\s/g, ''));
    }
  });

  it('the simple segmenter keeps ASCII runs whole and splits Han characters', () => {
    expect(simpleSegmenter.cut('iphone15开机 5g')).toEqual(['iphone15', '开', '机', '5g']);
  });
});
