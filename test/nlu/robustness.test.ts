import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_TEXT_LENGTH } from '../../server/protocol.js';
import { NOW, realNlu } from './helpers.js';
import type { NluResult } from '../../server/nlu/types.js';

function wellFormed(text: string, r: NluResult): void {
  expect(r.text).toBe(text);
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  expect(r.candidates.length).toBeLessThanOrEqual(5);
  if (r.intent !== null) expect(r.candidates[0]!.intent).toBe(r.intent);
  for (const e of r.entities) {
    expect(0 <= e.start && e.start <= e.end && e.end <= text.length).toBe(true);
  }
  expect(() => JSON.stringify(r)).not.toThrow();
}

describe('understand never throws', () => {
  it.each([
    [''],
    ['   '],
    ['😀😀😀'],
    ['\u200b\u200d\ufeff'],
    ['\ud800 lone surrogate'],
    ['。。。！！！'],
    ['卡'.repeat(10_000)],
    ['1'.repeat(10_000)],
    ['开不了机'.repeat(2_500)],
  ])('%j', async (text) => {
    const nlu = await realNlu();
    wellFormed(text, nlu.understand(text, { now: NOW }));
  });

  it('on arbitrary strings up to the protocol limit', async () => {
    const nlu = await realNlu();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: MAX_TEXT_LENGTH }), (text) => {
        wellFormed(text, nlu.understand(text, { now: NOW }));
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary mixes of domain words, digits and punctuation', async () => {
    const nlu = await realNlu();
    const piece = fc.constantFrom('手机', '开不了机', '不', '没有', '卡', '信号', '13812345678', '490154203237518', '上个月', 'iPhone 15', 'wifi', '，', '！', ' ', '買', '😀');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        wellFormed(text, nlu.understand(text, { now: NOW }));
      }),
      { numRuns: 300 },
    );
  });
});
