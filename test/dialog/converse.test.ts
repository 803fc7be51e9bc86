/** Short conversations written inline with the shared harness, against the real bot. */
import { describe, expect, it } from 'vitest';
import { converse, sharedBot } from '../helpers/converse.js';

describe('inline conversations', () => {
  it('never asks for a carrier the user already named, and uses its hotline', async () => {
    const bot = await sharedBot();
    const { state, replies } = converse(bot, [
      ['我是联通的，手机没信号', /工单 T\d{8}-\d{4}[\s\S]*哪种情况/],
      ['完全没信号', /飞行模式/],
      ['还是不行', /中国联通客服热线 10010/],
    ]);
    expect(replies.flat().map((m) => m.text).join('\n')).not.toMatch(/哪家运营商/);
    expect(state.slots.carrier).toBe('cucc');
  });

  it('keeps a brand given mid-dialog for the hand-over', async () => {
    const bot = await sharedBot();
    converse(bot, [
      ['手机开不了机', /进过水或摔过/],
      ['我的是vivo，没进水也没摔', /完全没反应/],
      ['转人工', /交给人工客服[\s\S]*vivo 客服热线 400-678-9688/],
    ]);
  });
});
