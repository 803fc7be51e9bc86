/**
 * The dialog engine with hand-made NLU results: precedence of payloads and
 * commands, slots, negation, re-asks, ambiguity, language, effects, purity.
 */
import { describe, expect, it } from 'vitest';
import { createBot, createMemoryTurnContext } from '../../server/bot.js';
import type { TurnInput } from '../../server/bot.types.js';
import { readDialogContent } from '../../server/dialog/content.js';
import type { SessionState } from '../../server/dialog/state.js';
import { fakeNlu, type FakeReading } from './fakeNlu.js';

const { content } = readDialogContent();
if (!content) throw new Error('dialogs/ does not load');
const NOW = new Date('2026-11-24T10:00:00+08:00');

function setup(table: Record<string, FakeReading> = {}) {
  const nlu = fakeNlu({
    手机开不了机: { intent: 'wont_boot' },
    手机没信号: { intent: 'no_network' },
    我是移动的没信号: { intent: 'no_network', entities: [{ type: 'carrier', value: 'cmcc' }] },
    手机很卡: { intent: 'lag' },
    ...table,
  });
  const bot = createBot(nlu, content!);
  const ctx = createMemoryTurnContext();
  let state = bot.newSession();
  const send = (text: string, extra: Partial<TurnInput> = {}) => {
    const r = bot.handle(state, { text, now: NOW, ...extra }, ctx);
    state = r.state;
    return r;
  };
  return { bot, nlu, ctx, send, get state() { return state; }, set state(s: SessionState) { state = s; } };
}

const texts = (r: { replies: { text: string }[] }) => r.replies.map((m) => m.text).join('\n');

describe('precedence', () => {
  it('takes an offered quick reply by payload without asking the NLU', () => {
    const t = setup();
    t.send('手机开不了机');
    const before = t.nlu.calls.length;
    const r = t.send('whatever the label was', { payload: 'water' });
    expect(t.nlu.calls.length).toBe(before);
    expect(r.nlu).toBeNull();
    expect(t.state.frame?.node).toBe('confirm_service');
  });

  it('treats a payload the node did not offer as typed text', () => {
    const t = setup({ 'stale button': {} });
    t.send('手机开不了机');
    const r = t.send('stale button', { payload: 'no_such_value' });
    expect(t.nlu.calls).toContain('stale button');
    expect(t.state.frame?.node).toBe('ask_damage');
    expect(r.trace.join(' ')).toMatch(/unrecognised answer #1/);
  });

  it('handles 转人工 before the NLU and before the dialog', () => {
    const t = setup();
    t.send('手机很卡');
    const before = t.nlu.calls.length;
    const r = t.send('转人工');
    expect(t.nlu.calls.length).toBe(before);
    expect(r.effects.map((e) => e.type)).toEqual(['ticket_updated', 'handover']);
    expect(r.effects[0]).toMatchObject({ status: 'escalated', ticketId: 'T20261124-0001' });
  });

  it('starts a dialog from a menu payload', () => {
    const t = setup();
    const r = t.send('保修咨询', { payload: 'intent:warranty' });
    expect(r.nlu).toBeNull();
    expect(t.state.frame).toMatchObject({ dialog: 'warranty', node: 'ask_brand' });
  });
});

describe('slots', () => {
  it('never asks for a carrier it was already told', () => {
    const t = setup();
    const r = t.send('我是移动的没信号');
    expect(t.state.slots.carrier).toBe('cmcc');
    expect(t.state.frame?.node).toBe('ask_scope');
    expect(texts(r)).not.toMatch(/哪家运营商/);
  });

  it('fills slots from entities in any message, even an unrecognised answer', () => {
    const t = setup({ 我用的华为: { entities: [{ type: 'brand', value: 'huawei' }] } });
    t.send('手机开不了机');
    t.send('我用的华为');
    expect(t.state.slots.brand).toBe('huawei');
  });

  it('asks for a carrier when unknown, once it matters, and a carrier button fills it', () => {
    const t = setup({ 还是不行: { intent: 'deny' } });
    expect(texts(t.send('手机没信号'))).not.toMatch(/哪家运营商/);
    t.send('完全没信号', { payload: 'no_signal' });
    expect(texts(t.send('还是不行'))).toMatch(/哪家运营商/);
    t.send('中国联通', { payload: 'cucc' });
    expect(t.state.slots.carrier).toBe('cucc');
    expect(t.state.frame?.node).toBe('confirm_account');
  });

  it('answers a later question from the opening message, but asks it again after 返回上一步', () => {
    const t = setup({ 我在国外上不了网: { intent: 'no_network' } });
    const first = texts(t.send('我在国外上不了网'));
    expect(first).toMatch(/哪家运营商/);
    expect(first).not.toMatch(/哪种情况/);
    const second = texts(t.send('中国移动', { payload: 'cmcc' }));
    expect(second).toMatch(/数据漫游/);
    expect(t.state.frame?.node).toBe('confirm_roaming');
    expect(texts(t.send('返回上一步'))).toMatch(/哪家运营商/);
    expect(texts(t.send('返回上一步'))).toMatch(/哪种情况/);
    expect(t.state.frame?.node).toBe('ask_scope');
    expect(t.state.frame?.history).toEqual([]);
  });

  it('forgets an IMEI with a wrong check digit and asks again', () => {
    const t = setup({
      手机被偷了: { intent: 'theft', entities: [{ type: 'brand', value: 'apple' }, { type: 'carrier', value: 'ctcc' }] },
      '123456789012345': { entities: [{ type: 'imei_invalid', value: '123456789012345' }] },
    });
    t.send('手机被偷了');
    t.send('开启了', { payload: 'enabled' });
    expect(t.state.frame?.node).toBe('ask_imei');
    const r = t.send('123456789012345');
    expect(texts(r)).toMatch(/校验位不对/);
    expect(t.state.slots.imei).toBeUndefined();
    expect(t.state.frame?.node).toBe('ask_imei');
  });
});

describe('answers', () => {
  it('does not take a negated keyword: 「没有进水」 is "no damage"', () => {
    const t = setup();
    t.send('手机开不了机');
    t.send('没有进水');
    expect(t.state.frame?.node).toBe('ask_symptom');
  });

  it('re-asks in other words twice, then offers a human; a new node resets the count', () => {
    const t = setup();
    const first = texts(t.send('手机开不了机'));
    const a = texts(t.send('香蕉'));
    const b = texts(t.send('葡萄干'));
    expect(new Set([first.split('\n').at(-1), a, b]).size).toBe(3);
    const c = t.send('西瓜');
    expect(texts(c)).toMatch(/转接人工客服/);
    expect(c.replies[0]!.quickReplies?.map((q) => q.value)).toEqual(['cmd:human', 'cmd:retry']);
    t.send('重试', { payload: 'cmd:retry' });
    t.send('都没有', { payload: 'no_damage' });
    expect(t.state.frame).toMatchObject({ node: 'ask_symptom', retries: 0 });
  });

  it('asks which of two close intents, only when both have dialogs', () => {
    const t = setup({
      丢了: { intent: 'theft', ambiguousWith: 'data_loss' },
      好像是: { intent: 'wont_boot', ambiguousWith: 'affirm' },
    });
    const r = t.send('丢了');
    expect(r.replies[0]!.quickReplies?.map((q) => q.value)).toEqual(['intent:theft', 'intent:data_loss']);
    expect(t.state.frame).toBeNull();
    t.send('好像是');
    expect(t.state.frame?.dialog).toBe('wont_boot');
  });

  it("offers the suggester's topic when nothing was understood, a person first on a repeat miss, and never starts it unasked", () => {
    const t = setup({
      猜一下: { suggestion: { intent: 'lag', probability: 0.7 } },
      再猜一下: { suggestion: { intent: 'lag', probability: 0.7 } },
      要人: { suggestion: { intent: 'human_agent', probability: 0.9 } },
    });
    const first = t.send('猜一下');
    expect(first.understood).toBe(false);
    expect(first.replies[0]!.quickReplies?.map((q) => q.value)).toEqual(['intent:lag', 'cmd:human']);
    expect(first.trace).toContain('suggested lag (p=0.70)');
    expect(t.state.frame).toBeNull();
    expect(t.send('再猜一下').replies[0]!.quickReplies?.map((q) => q.value)).toEqual(['cmd:human', 'intent:lag']);
    // A guessed "a person, please" is not offered as a topic: the usual out-of-scope answer already offers one.
    expect(t.send('要人').replies[0]!.text).not.toContain('您是想说');
    t.send('', { payload: 'intent:lag' });
    expect(t.state.frame?.dialog).toBe('lag');
  });

  it('parses ratings and records them on the ticket', () => {
    const t = setup();
    t.send('手机很卡');
    t.send('快满了');
    t.send('流畅了');
    const bad = t.send('还行吧');
    expect(bad.effects).toEqual([]);
    const r = t.send('给四星');
    expect(r.effects[0]).toEqual({ type: 'rating', ticketId: 'T20261124-0001', score: 4 });
    expect(r.effects[1]).toMatchObject({ type: 'follow_up', ticketId: 'T20261124-0001', dueAt: '2026-11-25T02:00:00.000Z' });
  });
});

describe('welcome', () => {
  it('says what kefu can help with, in the session language, with the common problems as buttons', () => {
    const t = setup();
    const [zh] = t.bot.welcome(t.bot.newSession(), t.ctx);
    expect(zh!.text).toMatch(/开不了机.*卡顿.*没信号.*数据丢失.*手机丢失或被盗.*保修/);
    expect(zh!.quickReplies?.map((q) => q.value)).toEqual(
      ['wont_boot', 'lag', 'no_network', 'data_loss', 'theft', 'warranty', 'hotline'].map((i) => `intent:${i}`),
    );
    const [en] = t.bot.welcome(t.bot.newSession({ lang: 'en' }), t.ctx);
    expect(en!.text).toMatch(/^Hello, I'm the customer-service assistant/);
    expect(en!.quickReplies?.[0]).toEqual({ label: "Won't turn on", value: 'intent:wont_boot' });
  });
});

describe('follow-up', () => {
  it('schedules a check-in 24 h later whose buttons work when the user answers it', () => {
    const t = setup();
    t.send('手机很卡');
    t.send('快满了');
    t.send('流畅了');
    const r = t.send('5', { payload: '5' });
    const f = r.effects.find((e) => e.type === 'follow_up');
    if (!f || f.type !== 'follow_up') throw new Error('no follow_up effect');
    expect(f.message).toMatchObject({ step: 'follow_up', ticketId: 'T20261124-0001', intent: 'lag' });
    // The dialog's own check-in question, not the generic one.
    expect(f.message.text).toBe('您好，这里是客服小助手。关于工单 T20261124-0001，您的手机现在用起来还卡吗？');
    const [ok, notOk] = f.message.quickReplies!;
    expect(texts(t.send(ok!.label, { payload: ok!.value }))).toMatch(/感谢您的反馈/);
    const again = t.send(notOk!.label, { payload: notOk!.value });
    expect(again.effects.map((e) => e.type)).toEqual(['ticket_updated', 'handover']);
    expect(again.effects[1]).toMatchObject({ ticketId: 'T20261124-0001' });
  });
});

describe('volunteered slots', () => {
  it('keeps an IMEI, a brand and a purchase date given while something else was asked', () => {
    const t = setup({
      '是华为的，去年买的，串号490154203237518': {
        entities: [
          { type: 'brand', value: 'huawei' },
          { type: 'purchase_date', value: '2025-11-01' },
          { type: 'imei', value: '490154203237518' },
        ],
      },
    });
    t.send('手机开不了机');
    t.send('是华为的，去年买的，串号490154203237518');
    expect(t.state.frame?.node).toBe('ask_damage');
    expect(t.state.slots).toMatchObject({ brand: 'huawei', purchase_date: '2025-11-01', imei: '490154203237518' });
  });

  it('does not take a date in passing for the purchase date', () => {
    const t = setup({ 昨天掉水里了: { entities: [{ type: 'purchase_date', value: '2026-11-23' }] } });
    t.send('手机开不了机');
    const r = t.send('昨天掉水里了');
    expect(t.state.slots.purchase_date).toBeUndefined();
    expect(r.trace.join(' ')).toMatch(/not said to be the purchase date/);
  });
});

describe('language', () => {
  it('follows the user into English and back, unless locked', () => {
    const t = setup({ 'my phone is slow': { intent: 'lag', lang: 'en' } });
    expect(texts(t.send('my phone is slow'))).toMatch(/ticket T20261124-0001/);
    expect(t.state.lang).toBe('en');
    const r = t.send('随便');
    expect(t.state.lang).toBe('zh');
    expect(texts(r)).toMatch(/存储/);
    t.state = { ...t.state, lang: 'en', langLocked: true };
    expect(texts(t.send('随便说说'))).toMatch(/[A-Za-z]{4}/);
  });

  it('stays Chinese on 「no」, 「ok」 and picks; switches only on clearly English text', () => {
    const t = setup({ no: { intent: 'deny' }, 'it is still not working': { intent: 'deny' } });
    t.send('手机开不了机');
    expect(texts(t.send('no'))).toMatch(/按电源键时/);
    expect(t.state).toMatchObject({ lang: 'zh', frame: { node: 'ask_symptom' } });
    expect(texts(t.send('ok'))).toMatch(/屏幕是一点反应都没有/);
    expect(texts(t.send('No response at all'))).toMatch(/苹果 iPhone，还是安卓/);
    expect(texts(t.send('Android'))).toMatch(/原装充电器/);
    expect(t.state.lang).toBe('zh');
    expect(texts(t.send('it is still not working'))).toMatch(/can't enter recovery mode/);
    expect(t.state.lang).toBe('en');
    expect(texts(t.send('解决了', { payload: 'solved' }))).toMatch(/glad it's sorted/);
  });

  it('lets the first message decide, and keeps the language over a restart', () => {
    const t = setup({ hello: { intent: 'greeting' } });
    expect(texts(t.send('hello'))).toMatch(/^Hello/);
    expect(t.state.lang).toBe('en');
    expect(texts(t.send('restart'))).toMatch(/start over/);
    expect(texts(t.send('ok'))).toMatch(/[A-Za-z]{4}/);
    expect(t.state.lang).toBe('en');
  });

  it('does not let a first-turn pick change the language', () => {
    const t = setup();
    t.send('开不了机', { payload: 'intent:wont_boot' });
    expect(texts(t.send('no'))).toMatch(/按电源键时/);
  });

  it('reads saved sessions from before langSettled as settled', () => {
    const t = setup();
    const { langSettled: _, ...old } = t.state;
    expect(t.bot.restore(JSON.parse(JSON.stringify(old))).langSettled).toBe(true);
  });

  it('writes the follow-up in the session language', () => {
    const t = setup({ 'my phone is slow': { intent: 'lag', lang: 'en' } });
    t.send('my phone is slow');
    t.send('Nearly full');
    t.send("Yes, it's better");
    const r = t.send('5', { payload: '5' });
    const f = r.effects.find((e) => e.type === 'follow_up');
    expect(f && f.type === 'follow_up' && f.message.text).toMatch(/^Hello, this is the customer-service assistant\. About ticket T20261124-0001/);
  });
});

describe('state', () => {
  it('never mutates the state it is given', () => {
    const t = setup();
    t.send('手机开不了机');
    const frozen = structuredClone(t.state);
    const copy = JSON.stringify(frozen);
    t.bot.handle(deepFreeze(frozen), { text: '都没有', now: NOW }, t.ctx);
    expect(JSON.stringify(frozen)).toBe(copy);
  });

  it('rejects garbage on restore', () => {
    const t = setup();
    expect(() => t.bot.restore({ frame: 42 })).toThrow(/invalid session state/);
    expect(() => t.bot.restore('nope')).toThrow(/invalid session state/);
  });

  it('goes on at the same node when only other content changed (a rolling deploy)', () => {
    const t = setup();
    t.send('我是移动的没信号');
    const saved = JSON.parse(JSON.stringify(t.state));
    // Other intents and another dialog changed: the global hash differs, no_network's version does not.
    const lag = content!.dialogs.get('lag')!;
    const changed = { ...content!, dialogs: new Map(content!.dialogs).set('lag', { ...lag, def: { ...lag.def, title: { ...lag.def.title, zh: '手机卡顿' } } }) };
    const newer = createBot(fakeNlu({ 手机很卡: { intent: 'lag' } }, 'fake-2'), changed);
    expect(newer.contentVersion).not.toBe(t.bot.contentVersion);
    const restored = newer.restore(saved);
    expect(restored).toMatchObject({ frame: saved.frame, notice: null, slots: { carrier: 'cmcc' }, contentVersion: newer.contentVersion });
    // And back on the old content (the next turn on a process not yet deployed): still the same node.
    expect(t.bot.restore(JSON.parse(JSON.stringify(restored)))).toMatchObject({ frame: saved.frame, notice: null });
  });

  it('goes on at a node that still exists when its own dialog changed, its way back pruned to nodes that exist', () => {
    const t = setup({ 今天天气不错: {} });
    t.send('手机开不了机');
    t.send('进水了', { payload: 'water' });
    t.send('今天天气不错');
    const saved = JSON.parse(JSON.stringify(t.state)) as SessionState;
    expect(saved.frame).toMatchObject({ node: 'confirm_service', history: ['ask_damage'], retries: 1 });
    const { dialog, node } = saved.frame!;
    const d = content!.dialogs.get(dialog)!;
    const kept = Object.fromEntries(Object.entries(d.def.nodes).filter(([id]) => id === node || !saved.frame!.history.includes(id)));
    const changed = { ...content!, dialogs: new Map(content!.dialogs).set(dialog, { ...d, def: { ...d.def, nodes: kept } }) };
    const restored = createBot(t.nlu, changed).restore(saved);
    expect(restored.frame).toMatchObject({ dialog, node, history: [], retries: 0 });
    expect(restored.notice).toBeNull();
    expect(restored.dialogVersions?.[dialog]).not.toBe(saved.dialogVersions?.[dialog]);
  });

  it('restarts gracefully when the saved node vanished in a deploy, keeping slots and telling the user', () => {
    const t = setup();
    t.send('我是移动的没信号');
    const saved = JSON.parse(JSON.stringify(t.state)) as SessionState;
    const { dialog, node } = saved.frame!;
    const d = content!.dialogs.get(dialog)!;
    const nodes = Object.fromEntries(Object.entries(d.def.nodes).filter(([id]) => id !== node));
    const newer = createBot(fakeNlu({ 手机很卡: { intent: 'lag' } }), { ...content!, dialogs: new Map(content!.dialogs).set(dialog, { ...d, def: { ...d.def, nodes } }) });
    const restored = newer.restore(saved);
    expect(restored).toMatchObject({ frame: null, notice: 'content_changed', slots: { carrier: 'cmcc' } });
    const r = newer.handle(restored, { text: '手机很卡', now: NOW }, t.ctx);
    expect(r.replies[0]!.text).toMatch(/系统刚刚更新/);
    expect(r.state.frame?.dialog).toBe('lag');
  });

  it('restarts gracefully when the saved node no longer exists', () => {
    const t = setup();
    t.send('手机开不了机');
    const saved = { ...t.state, frame: { ...t.state.frame!, node: 'gone' } };
    expect(t.bot.restore(saved)).toMatchObject({ frame: null, notice: 'content_changed' });
  });

  it('numbers tickets per day in China time', () => {
    const ctx = createMemoryTurnContext();
    expect(ctx.nextTicketId(new Date('2026-11-24T01:00:00Z'))).toBe('T20261124-0001');
    expect(ctx.nextTicketId(new Date('2026-11-24T15:59:00Z'))).toBe('T20261124-0002');
    expect(ctx.nextTicketId(new Date('2026-11-24T16:00:00Z'))).toBe('T20261125-0001');
    expect(ctx.newMessageId()).not.toBe(ctx.newMessageId());
  });
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

describe('{resolvedNote}', () => {
  it('closes the first ticket plainly and a later one as "also", never the same line twice', () => {
    const resolved = content!.dialogs.get('lag')!.def.nodes.resolved as { say: { zh: string; en: string } };
    const before = resolved.say;
    resolved.say = { zh: '太好了！{resolvedNote}', en: 'Great! {resolvedNote}' };
    try {
      const t = setup();
      t.send('手机很卡');
      t.send('快满了', { payload: 'full' });
      const first = texts(t.send('流畅了', { payload: 'solved' }));
      expect(first).toMatch(/工单 T\d{8}-0001 我先帮您结案了/);
      t.send('5', { payload: '5' });
      t.send('手机很卡');
      t.send('快满了', { payload: 'full' });
      const second = texts(t.send('流畅了', { payload: 'solved' }));
      expect(second).toMatch(/这个工单（T\d{8}-0002）也一并帮您结案了/);
      expect(second).not.toMatch(/我先帮您结案了/);
    } finally {
      resolved.say = before;
    }
  });
});
