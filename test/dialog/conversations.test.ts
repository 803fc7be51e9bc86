/**
 * Every scripted conversation under test/dialogs/, against the real NLU and
 * the real dialogs: what the bot says, offers and records at each turn.
 */
import { describe, expect, it } from 'vitest';
import { PROBLEM_INTENTS } from '../../server/dialog/check.js';
import { createMemoryTurnContext } from '../../server/bot.js';
import { assertTurn, loadConversations, play, sharedBot } from '../helpers/converse.js';

const conversations = loadConversations();

describe.each(conversations.map((c) => [c.file, c] as const))('%s', (_file, conv) => {
  it(conv.name, async () => {
    const bot = await sharedBot();
    const records = play(bot, conv);
    records.forEach((rec, i) => assertTurn(conv, i, rec));
  });
});

describe('coverage of the scripts themselves', () => {
  it('walks every problem dialog through all six steps in Chinese, and some in English', async () => {
    const bot = await sharedBot();
    const steps = new Map<string, Set<string>>();
    for (const conv of conversations) {
      for (const rec of play(bot, conv)) {
        for (const m of rec.replies) {
          if (!m.intent || !m.step) continue;
          const key = `${m.intent}/${/[\u3400-\u9fff]/.test(m.text) ? 'zh' : 'en'}`;
          if (!steps.has(key)) steps.set(key, new Set(['consult'])); // the user's own message is the consult step
          steps.get(key)!.add(m.step);
        }
      }
    }
    const six = ['consult', 'accept', 'analyse', 'solve', 'confirm', 'follow_up'];
    for (const intent of PROBLEM_INTENTS) {
      expect([...(steps.get(`${intent}/zh`) ?? [])].sort(), intent).toEqual([...six].sort());
    }
    const english = [...steps.entries()].filter(([k, v]) => k.endsWith('/en') && v.size === 6);
    expect(english.length).toBeGreaterThanOrEqual(4);
  });
});

describe('what the scripts record on the ticket', () => {
  const statuses = async (file: string) => {
    const conv = conversations.find((c) => c.file === file)!;
    const bot = await sharedBot();
    return play(bot, conv).flatMap((rec) => rec.effects.flatMap((e) => (e.type === 'ticket_updated' ? [`${e.status}: ${e.note}`] : [])));
  };

  it('「我自己去售后」 leaves the ticket open, awaiting the service centre — never resolved', async () => {
    for (const file of ['wont_boot-water-self.yaml', 'data_loss-no-backup-self.yaml']) {
      const s = await statuses(file);
      expect(s, file).toContain('open: awaiting the service centre');
      expect(s.filter((x) => x.startsWith('resolved')), file).toEqual([]);
    }
  });

  it('lukewarm answers resolve nothing; the explicit answer does', async () => {
    expect(await statuses('confirm-lukewarm.yaml')).toEqual(['resolved: resolved by self-service']);
  });

  it('a theft is never resolved by advice: 「都清楚了」 leaves the ticket open, advised, until the follow-up', async () => {
    for (const file of ['theft-advised-open.yaml', 'theft-advised-english.yaml', 'theft.yaml']) {
      expect(await statuses(file), file).toEqual(['open: advised: the user takes the steps; open until the follow-up']);
    }
  });

  it('「再见」 mid-problem keeps the ticket open and schedules its check-in; after the problem is solved it changes nothing', async () => {
    const conv = (file: string) => conversations.find((c) => c.file === file)!;
    const bot = await sharedBot();
    for (const file of ['goodbye-mid-problem.yaml', 'goodbye-mid-problem-english.yaml', 'goodbye-paused.yaml']) {
      const last = play(bot, conv(file)).at(-1)!;
      const updates = last.effects.flatMap((e) => (e.type === 'ticket_updated' ? [`${e.ticketId} ${e.status}`] : []));
      const followUps = last.effects.flatMap((e) => (e.type === 'follow_up' ? [e.ticketId] : []));
      expect(updates, file).toEqual([expect.stringMatching(/^T\d{8}-0001 open$/)]);
      expect(followUps, file).toEqual([expect.stringMatching(/^T\d{8}-0001$/)]);
    }
    expect(await statuses('goodbye-after-resolved.yaml')).toEqual(['resolved: resolved by self-service']);
  });

  it('「算了」「换个问题」「never mind」 close the problem\'s ticket as abandoned', async () => {
    for (const file of ['cancel-topic.yaml', 'cancel-english.yaml', 'cancel-other-question.yaml', 'cancel-paused.yaml', 'cancel-not-an-answer.yaml']) {
      const s = await statuses(file);
      expect(s.length, file).toBeGreaterThan(0);
      for (const x of s) expect(x, file).toMatch(/^closed: abandoned/);
    }
  });

  it('「已经处理好了」 under the 24-hour check-in gives the ticket its end: resolved, or closed after a theft', async () => {
    const bot = await sharedBot();
    const cases: [string, string][] = [
      ['theft-advised-open.yaml', 'closed: the user confirmed at the follow-up that the steps are done'],
      ['goodbye-mid-problem.yaml', 'resolved: confirmed solved by the user at the follow-up'],
    ];
    for (const [file, expected] of cases) {
      const records = play(bot, conversations.find((c) => c.file === file)!);
      const followUp = records.flatMap((r) => r.effects).find((e) => e.type === 'follow_up');
      if (followUp?.type !== 'follow_up') throw new Error(`${file}: no follow-up scheduled`);
      const yes = followUp.message.quickReplies!.find((q) => q.value.startsWith('cmd:followup_ok'))!;
      const r = bot.handle(records.at(-1)!.state, { text: yes.label, payload: yes.value, now: new Date(followUp.dueAt) }, createMemoryTurnContext());
      const updates = r.effects.flatMap((e) => (e.type === 'ticket_updated' ? [`${e.ticketId} ${e.status}: ${e.note}`] : []));
      expect(updates, file).toEqual([`${followUp.ticketId} ${expected}`]);
      expect(r.replies.map((m) => m.text).join('\n'), file).toMatch(/感谢您的反馈/);
    }
  });

  it('a paused problem the user does not go back to is closed as abandoned', async () => {
    expect(await statuses('resume-continue.yaml')).toEqual(['closed: abandoned: the user did not go back to it']);
  });
});
