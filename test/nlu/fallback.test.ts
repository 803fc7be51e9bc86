import { describe, expect, it } from 'vitest';
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { buildFallback, compileBayes, features } from '../../server/nlu/fallback.js';
import { intentFileSchema } from '../../server/nlu/content.js';
import { simpleSegmenter } from '../../server/nlu/segmenter.js';

const files = [
  intentFileSchema.parse({ id: 'lag', kind: 'problem', description: 'x', examples: ['手机很卡很慢', '运行卡顿', '反应特别慢', '打开应用很慢'] }),
  intentFileSchema.parse({ id: 'theft', kind: 'problem', description: 'x', examples: ['手机被偷了', '手机丢了', '被人偷走了手机', '小偷偷了我的手机'] }),
  // Small talk is not learned from: too short to generalise.
  intentFileSchema.parse({ id: 'thanks', kind: 'smalltalk', description: 'x', examples: ['谢谢'] }),
];
const fallback = buildFallback(files, ['今天天气怎么样', '推荐一部电影', '讲个笑话吧'], (text) => ({ canonical: text, tokens: simpleSegmenter.cut(text) }));
const suggest = (text: string, candidates: { intent: string; score: number }[]) => {
  const explanation: string[] = [];
  return { candidates: fallback.suggest(text, () => simpleSegmenter.cut(text), candidates, explanation), explanation };
};

describe('statistical fallback', () => {
  it('scores every class exactly as natural does (the same doubles, the same order), words outside the vocabulary ignored', () => {
    const natural = new BayesClassifier();
    const docs: [string, string][] = [['手机很卡很慢', 'lag'], ['运行卡顿 5 g', 'lag'], ['手机被偷了 5', 'theft'], ['小偷偷了我的手机', 'theft'], ['今天天气怎么样', 'none']];
    for (const [text, label] of docs) natural.addDocument(features(text, simpleSegmenter.cut(text)), label);
    natural.train();
    const compiled = compileBayes(natural as never);
    for (const text of ['手机很慢', '手机丢了 5', '天气 10 很卡', '完全陌生的话', '']) {
      const f = features(text, simpleSegmenter.cut(text));
      expect(compiled(f)).toEqual(natural.getClassifications(f));
    }
  });

  it('lifts a weak rule candidate it agrees with just over the threshold, and says so', () => {
    const r = suggest('打开应用反应特别慢', [{ intent: 'lag', score: 0.4 }]);
    expect(r.candidates[0]).toEqual({ intent: 'lag', score: 0.65 });
    expect(r.explanation[0]).toMatch(/^lag: fallback classifier agrees \(p=[01]\.\d\d\) → 0\.65$/);
  });

  it('never invents an intent no rule saw', () => {
    expect(suggest('打开应用反应特别慢', []).candidates).toEqual([]);
    const weakOther = [{ intent: 'theft', score: 0.3 }];
    expect(suggest('打开应用反应特别慢', weakOther).candidates).toEqual(weakOther);
  });

  it('needs to be very sure: a vaguer phrasing is left alone', () => {
    const weak = [{ intent: 'lag', score: 0.4 }];
    expect(suggest('这手机反应好慢', weak).candidates).toEqual(weak);
  });

  it('leaves out-of-scope-looking text alone', () => {
    const weak = [{ intent: 'lag', score: 0.3 }];
    expect(suggest('今天天气怎么样', weak).candidates).toEqual(weak);
  });

  it('features are words plus Han bigrams', () => {
    expect(features('手机很卡', ['手机', '很', '卡'])).toEqual(['手机', '很', '卡', '手机', '机很', '很卡']);
  });
});
