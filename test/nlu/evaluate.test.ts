import { describe, expect, it } from 'vitest';
import { evaluate, formatReport, parseEvalSet } from '../../server/nlu/evaluate.js';
import type { Nlu, NluResult } from '../../server/nlu/types.js';

/** A lookup-table NLU: the report's arithmetic is under test here, not understanding. */
function tableNlu(answers: Record<string, string | null>, offers: Record<string, string> = {}): Nlu {
  return {
    contentHash: 'test',
    intents: ['lag', 'theft', 'greeting'],
    understand(text): NluResult {
      const intent = answers[text] ?? null;
      return {
        text, normalized: text, lang: 'zh', tokens: [], intent, confidence: intent ? 0.9 : 0.1,
        candidates: intent ? [{ intent, score: 0.9 }] : [], ambiguousWith: null,
        suggestion: offers[text] ? { intent: offers[text]!, probability: 0.7 } : null, entities: [], explanation: [],
      };
    },
  };
}

const TSV = ['# comment', '', 'lag\t好卡', 'lag\t很慢', 'theft|lag\t丢了', 'none\t天气', 'none\t笑话', 'greeting\t你好'].join('\n');

describe('evaluation report', () => {
  it('parses expected alternatives, comments and reports bad lines', () => {
    const { cases, errors } = parseEvalSet(TSV + '\nno tab here');
    expect(cases).toHaveLength(6);
    expect(cases[2]).toEqual({ line: 5, expected: ['theft', 'lag'], text: '丢了' });
    expect(errors).toEqual([{ line: 9, message: 'no TAB between expected and text' }]);
  });

  it('reports a label that is no intent instead of counting its line as a miss', () => {
    const { cases, errors } = parseEvalSet('lagg\t好卡\nnone|thnaks\t谢\nlag\t卡', ['lag', 'thanks']);
    expect(cases.map((c) => c.text)).toEqual(['卡']);
    expect(errors).toEqual([
      { line: 1, message: 'unknown intent "lagg"' },
      { line: 2, message: 'unknown intent "thnaks"' },
    ]);
  });

  it('computes accuracy, per-intent figures, out-of-scope precision/recall and confusions', () => {
    const nlu = tableNlu({ 好卡: 'lag', 很慢: null, 丢了: 'lag', 天气: null, 笑话: 'greeting', 你好: 'greeting' });
    const r = evaluate(nlu, parseEvalSet(TSV).cases);
    expect(r.total).toBe(6);
    expect(r.correct).toBe(4); // 好卡, 丢了 (lag accepted), 天气, 你好
    expect(r.accuracy).toBeCloseTo(4 / 6);
    const lag = r.perIntent.find((s) => s.intent === 'lag')!;
    expect(lag).toMatchObject({ precision: 1, recall: 2 / 3, support: 3 });
    const greeting = r.perIntent.find((s) => s.intent === 'greeting')!;
    expect(greeting.precision).toBe(0.5);
    expect(r.outOfScope).toMatchObject({ precision: 0.5, recall: 0.5, predicted: 2, actual: 2, hits: 1 });
    // In scope: 好卡, 很慢, 丢了, 你好; all but 很慢 got an intent.
    expect(r.inScope).toEqual({ recall: 0.75, answered: 3, actual: 4 });
    expect(r.confusions).toEqual([
      { expected: 'lag', got: 'none', count: 1 },
      { expected: 'none', got: 'greeting', count: 1 },
    ]);
    const text = formatReport('x.tsv', r);
    expect(text).toContain('intent accuracy 66.7 %');
    expect(text).toContain('in scope: recall 75.0 % (3/4 given an intent)');
    expect(text).toMatch(/line\s+4 {2}lag → none \(0\.10\) {2}很慢/);
  });

  it('counts the suggester\'s offers: made, right, and in-scope lines left without an intent that a right one rescues', () => {
    const nlu = tableNlu({ 好卡: 'lag', 很慢: null, 丢了: null, 天气: null, 笑话: null, 你好: 'greeting' }, { 很慢: 'lag', 丢了: 'theft', 天气: 'lag' });
    const r = evaluate(nlu, parseEvalSet(TSV).cases);
    expect(r.suggestions).toEqual({ made: 3, right: 2, rescued: 2, inScopeMissed: 2 });
    const text = formatReport('x.tsv', r);
    expect(text).toContain('suggestions when not understood: 3 offered, 2 right (66.7 %); 2 of 2 in-scope lines left without an intent got a right one');
    expect(text).toMatch(/lag → none \(0\.10\) \[offered lag\] {2}很慢/);
    expect(text).not.toContain('trained on these lines');
    expect(formatReport('x.tsv', r, { suggesterTrainedOn: true })).toContain('the suggester was trained on these lines');
  });
});
