import { describe, expect, it } from 'vitest';
import { featureKeys, NONE, trainSuggester } from '../../server/nlu/suggester.js';
import { NOW, realNlu } from './helpers.js';

const DATA = [
  { text: '手机很卡很慢', labels: ['lag'] },
  { text: '打游戏卡顿', labels: ['lag'] },
  { text: '反应特别慢', labels: ['lag'] },
  { text: '手机丢了', labels: ['theft'] },
  { text: '手机被偷了', labels: ['theft'] },
  { text: '手机找不到了', labels: ['theft'] },
  { text: '今天天气怎么样', labels: [NONE] },
  { text: '推荐一部电影', labels: [NONE] },
  { text: '卡了又像丢了', labels: ['lag', 'theft'] },
];

describe('the suggester', () => {
  it('keys Han characters, Han pairs and Latin words, each once', () => {
    const keys = featureKeys('卡卡 wifi 卡');
    expect(keys).toContain('卡'.charCodeAt(0));
    expect(keys).toContain('卡'.charCodeAt(0) * 0x10000 + '卡'.charCodeAt(0));
    expect(keys).toContain('w:wifi');
    expect(keys).toHaveLength(3);
    expect(featureKeys('!!! 123')).toEqual([]);
  });

  it('learns the classes of its data, and knows nothing of a text without a known feature', () => {
    const s = trainSuggester(DATA, [NONE, 'lag', 'theft'], { epochs: 20 });
    expect(s.best('最近手机特别卡')?.label).toBe('lag');
    expect(s.best('我的手机被人偷走了')?.label).toBe('theft');
    expect(s.best('明天天气')?.label).toBe(NONE);
    expect(s.best('zzz')).toBeNull();
    const p = s.best('手机很卡')!.probability;
    expect(p).toBeGreaterThan(0.5);
    expect(p).toBeLessThan(1);
  });

  it('trains the same weights from the same data (a seeded shuffle), other weights from another seed', () => {
    const classes = [NONE, 'lag', 'theft'];
    const a = trainSuggester(DATA, classes).best('手机卡了还丢了');
    expect(trainSuggester(DATA, classes).best('手机卡了还丢了')).toEqual(a);
    expect(trainSuggester(DATA, classes, { seed: 99 }).best('手机卡了还丢了')).not.toEqual(a);
  });

  it('in the real NLU: offers a topic only when no rule answered, and says why', async () => {
    const nlu = await realNlu();
    const guessed = nlu.understand('我的手机被人捡走了', { now: NOW });
    expect(guessed.intent).toBeNull();
    expect(guessed.suggestion).toMatchObject({ intent: 'theft' });
    expect(guessed.explanation.some((l) => l.startsWith('suggestion theft'))).toBe(true);
    expect(nlu.understand('手机被偷了', { now: NOW }).suggestion).toBeNull();
    // Small talk is never offered, nor a guess the classifier is unsure of.
    expect(nlu.understand('今天天气怎么样', { now: NOW }).suggestion).toBeNull();
  });

  it.each([
    ['携程的客服电话是多少', 'hotline'],
    ['my smartwatch is stuck on the boot logo', 'wont_boot'],
    ['macbook的屏幕一直闪', 'screen'],
    ['现在有信号了', 'no_network'],
  ])('never offers what the rules silenced on purpose: %s (not %s)', async (text, silenced) => {
    const r = (await realNlu()).understand(text, { now: NOW });
    expect(r.intent).toBeNull();
    // The rules saw the topic's words and took them back (another object, a `not` phrase), and say so.
    expect(r.explanation.some((l) => l.startsWith(`${silenced}: `) && /not the phone|vetoed/.test(l))).toBe(true);
    expect(r.suggestion).toBeNull();
  });
});
