/**
 * A conversation can stop after any turn, its state go through JSON (as a
 * store would save it) and bot.restore(), and continue exactly as if it had
 * never stopped: same replies, same effects, same final state. Checked for
 * every cut point of every scripted conversation.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryTurnContext } from '../../server/bot.js';
import { loadConversations, play, sharedBot } from '../helpers/converse.js';

const conversations = loadConversations();

describe.each(conversations.map((c) => [c.file, c] as const))('%s', (_file, conv) => {
  it('continues identically after a save/restore at every turn', async () => {
    const bot = await sharedBot();
    const reference = play(bot, conv, { ctx: createMemoryTurnContext() });
    for (let cut = 1; cut < conv.turns.length; cut++) {
      const resumed = play(bot, conv, { ctx: createMemoryTurnContext(), restoreAfter: new Set([cut]) });
      for (let i = cut; i < reference.length; i++) {
        expect(resumed[i]!.replies, `cut after turn ${cut}, turn ${i + 1}`).toEqual(reference[i]!.replies);
        expect(resumed[i]!.effects, `cut after turn ${cut}, turn ${i + 1}`).toEqual(reference[i]!.effects);
      }
      expect(resumed.at(-1)!.state).toEqual(reference.at(-1)!.state);
    }
  });

  it('survives a save/restore after every single turn', async () => {
    const bot = await sharedBot();
    const reference = play(bot, conv);
    const every = new Set(conv.turns.map((_, i) => i + 1));
    const resumed = play(bot, conv, { restoreAfter: every });
    expect(resumed.map((r) => [r.replies, r.effects])).toEqual(reference.map((r) => [r.replies, r.effects]));
  });
});
