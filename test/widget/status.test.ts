/**
 * The hand-over's pure parts, without a browser: the queue and agent lines
 * in both languages, which status changes are said to screen readers, what
 * a `status` payload must look like to be drawn, and how often the user's
 * typing is told to the agent.
 */
import { describe, expect, it } from 'vitest';
import { parseStatus, sameStatus, shouldAnnounce, statusLine, type ConversationStatus } from '../../client/src/conversationStatus.js';
import { stringsFor } from '../../client/src/i18n.js';
import { TYPING_IDLE_MS, TYPING_REFRESH_MS, TypingNotifier, type TypingTimers } from '../../client/src/typingNotifier.js';

const zh = stringsFor('zh-CN');
const en = stringsFor('en');
const queued = (position: number, etaMinutes: number): ConversationStatus => ({ mode: 'queued', position, etaMinutes });
const agent = (agentName: string): ConversationStatus => ({ mode: 'agent', agentName });
const BOT: ConversationStatus = { mode: 'bot' };

describe('the status line', () => {
  it.each([
    [queued(3, 4), '正在为您转接人工客服，您前面还有 2 位，预计等待约 4 分钟', 'Connecting you to an agent — 2 people ahead of you, estimated wait about 4 minutes'],
    [queued(2, 1), '正在为您转接人工客服，您前面还有 1 位，预计等待约 1 分钟', 'Connecting you to an agent — 1 person ahead of you, estimated wait about 1 minute'],
    [queued(1, 1), '正在为您转接人工客服，您是下一位，预计等待约 1 分钟', "Connecting you to an agent — you're next, estimated wait about 1 minute"],
    [queued(1, 0), '正在为您转接人工客服，您是下一位，预计等待不到 1 分钟', "Connecting you to an agent — you're next, estimated wait under a minute"],
    [agent('小王'), '客服小王正在为您服务', '小王 from customer service is helping you'],
    [agent('客服小李'), '客服小李正在为您服务', '客服小李 from customer service is helping you'],
    [agent(''), '人工客服正在为您服务', 'An agent is helping you'],
    [BOT, null, null],
  ])('%j → %s / %s', (status, chinese, english) => {
    expect(statusLine(status, zh)).toBe(chinese);
    expect(statusLine(status, en)).toBe(english);
  });

  it('names the agent in the header, the typing indicator and before their messages', () => {
    expect([zh.agentHeader('小王'), zh.agentTyping('小王'), zh.agentSaid('小王')]).toEqual(['客服小王', '小王正在输入…', '客服小王说：']);
    expect([en.agentHeader('Lily'), en.agentTyping('Lily'), en.agentSaid('Lily')]).toEqual(['Agent Lily', 'Lily is typing…', 'Agent Lily said: ']);
    expect([zh.agentHeader(''), zh.agentTyping(''), en.agentTyping('')]).toEqual(['人工客服', '客服正在输入…', 'The agent is typing…']);
  });
});

describe('what is said to screen readers', () => {
  it.each([
    ['the wait begins', BOT, queued(3, 4), true],
    ['the agent went away and the chat is queued again', agent('小王'), queued(1, 1), true],
    ['one step up the queue', queued(3, 4), queued(2, 3), false],
    ['next in line', queued(2, 2), queued(1, 1), true],
    ['still next, a new estimate', queued(1, 2), queued(1, 1), false],
    ['an agent joins (their notice says it)', queued(1, 1), agent('小王'), false],
    ['back to the bot (the notice says it)', queued(1, 1), BOT, false],
    ['a transfer (the notice says it)', agent('小王'), agent('小李'), false],
  ])('%s → %s', (_, prev, next, said) => {
    expect(shouldAnnounce(prev, next)).toBe(said);
  });
});

describe('parseStatus', () => {
  it.each([
    [{ mode: 'bot' }, BOT],
    [{ mode: 'queued', position: 2, etaMinutes: 3 }, queued(2, 3)],
    [{ mode: 'queued', position: 1, etaMinutes: 0, extra: 'x' }, queued(1, 0)],
    [{ mode: 'agent', agentName: ' 小王 ' }, agent('小王')],
  ])('reads %j', (raw, status) => {
    expect(parseStatus(raw)).toEqual(status);
  });

  it.each([null, undefined, 'queued', 3, {}, { mode: 'queued' }, { mode: 'queued', position: 0, etaMinutes: 1 }, { mode: 'queued', position: 1.5, etaMinutes: 1 }, { mode: 'queued', position: 1, etaMinutes: -1 }, { mode: 'queued', position: '1', etaMinutes: 1 }, { mode: 'agent' }, { mode: 'agent', agentName: 7 }, { mode: 'closed' }])(
    'refuses %j',
    (raw) => {
      expect(parseStatus(raw)).toBeNull();
    },
  );

  it('tells changes from repeats (the server says the same place again when another conversation moves)', () => {
    expect(sameStatus(queued(2, 3), queued(2, 3))).toBe(true);
    expect(sameStatus(queued(2, 3), queued(2, 2))).toBe(false);
    expect(sameStatus(agent('小王'), agent('小王'))).toBe(true);
    expect(sameStatus(agent('小王'), agent('小李'))).toBe(false);
    expect(sameStatus(BOT, { mode: 'bot' })).toBe(true);
    expect(sameStatus(BOT, queued(1, 1))).toBe(false);
  });
});

/** A clock and timers the test moves by hand. */
function manualTimers(): TypingTimers & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++next;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout(id) {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = until;
    },
  };
}

describe('TypingNotifier', () => {
  const setUp = () => {
    const sent: [number, boolean][] = [];
    const timers = manualTimers();
    const notifier = new TypingNotifier((typing) => sent.push([timers.now(), typing]), timers);
    notifier.setEnabled(true);
    /** Type a keystroke every `every` ms for `ms` ms. */
    const typeFor = (ms: number, every = 150) => {
      let draft = 'x';
      for (let t = 0; t < ms; t += every) {
        notifier.draft((draft += 'x'));
        timers.advance(every);
      }
    };
    return { sent, timers, notifier, typeFor };
  };

  it('says "typing" once when a draft starts, again every few seconds while it goes on, and "stopped" after a pause', () => {
    const { sent, timers, typeFor } = setUp();
    typeFor(7_000);
    expect(sent.filter(([, t]) => t).map(([at]) => at)).toEqual([0, TYPING_REFRESH_MS, 2 * TYPING_REFRESH_MS]);
    expect(sent.some(([, t]) => !t)).toBe(false);
    timers.advance(TYPING_IDLE_MS);
    expect(sent.at(-1)![1]).toBe(false);
    expect(sent.filter(([, t]) => !t)).toHaveLength(1);
    // Typing again after the pause starts over at once.
    typeFor(300);
    expect(sent.at(-1)![1]).toBe(true);
  });

  it('says "stopped" at once when the message is sent or the input emptied, and nothing more after it', () => {
    const { sent, timers, notifier, typeFor } = setUp();
    typeFor(500);
    notifier.draft(''); // the composer clears the input after a send
    expect(sent.map(([, t]) => t)).toEqual([true, false]);
    timers.advance(TYPING_IDLE_MS * 2);
    notifier.stop();
    expect(sent.map(([, t]) => t)).toEqual([true, false]);
    notifier.draft('   ');
    expect(sent).toHaveLength(2);
  });

  it('says nothing while no agent serves the chat, and nothing when one stops serving it mid-draft', () => {
    const { sent, timers, notifier, typeFor } = setUp();
    notifier.setEnabled(false);
    typeFor(5_000);
    expect(sent).toEqual([]);
    notifier.setEnabled(true);
    typeFor(300);
    expect(sent.map(([, t]) => t)).toEqual([true]);
    notifier.setEnabled(false); // the agent closed: nobody to tell
    timers.advance(TYPING_IDLE_MS * 2);
    expect(sent.map(([, t]) => t)).toEqual([true]);
  });

  it('never passes on the draft itself: only booleans leave it', () => {
    const seen: unknown[] = [];
    const notifier = new TypingNotifier((...args: unknown[]) => seen.push(args), manualTimers());
    notifier.setEnabled(true);
    notifier.draft('我的手机号是 13812345678');
    notifier.stop();
    expect(seen).toEqual([[true], [false]]);
  });
});
