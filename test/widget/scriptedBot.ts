/**
 * The real bot with a few scripted lines on top, for widget tests of what the
 * server cannot say yet or says too rarely to reach quickly: a welcome that
 * offers 转人工 (its text is content), a human agent joining with a notice
 * (as the agent desk will send them), a message dense with numbers, ids and
 * dates, long replies, and an English rating. Every other turn, and what the
 * chips send, goes to the real bot.
 */
import type { BotMessage } from '../../server/protocol.js';
import type { AnyBot } from '../../server/conversation/index.js';
import type { TurnContext } from '../../server/bot.types.js';
import { loadRealBot, startTestServer } from '../helpers/startServer.js';

type Script = (ctx: TurnContext) => Omit<BotMessage, 'id'>[];

/** A line that names ticket ids and dates at many offsets, so some land where a line must wrap. */
const tokenLine = (i: number) => `${'好'.repeat(i)}工单 T20261203-${String(i).padStart(4, '0')} 于 2027-04-0${(i % 9) + 1} 登记。`;

export const SCRIPTED = {
  /** A notice and two messages from agent 小王, the second with chips. */
  agentJoins: '测试：客服接入',
  /** Hotlines and service numbers that must be tel: links, and ids, IMEIs, dates, prices, models that must not. */
  numbers: '测试：号码与工单',
  /** Three replies together taller than a phone's screen. */
  longReplies: '测试：长回复',
  /** An English rating question (stars). */
  englishRating: 'test: rating',
} as const;

/** The tel: links `SCRIPTED.numbers` must give, in order. */
export const NUMBERS_TEL = [
  'tel:110', 'tel:120', 'tel:95017', 'tel:95188', 'tel:10086', 'tel:10010', 'tel:10000', 'tel:10099', 'tel:12315',
  'tel:4001005678', 'tel:8008308300', 'tel:+8610086', 'tel:+8610010',
];
/** Text in `SCRIPTED.numbers` that is no phone number. */
export const NUMBERS_NOT_TEL = ['T20261203-0001', '2027-04-03', '35693803*******', 'SM-G9910', '1099 元', '120 分钟', '10000 mAh'];

const SCRIPTS: Record<string, Script> = {
  [SCRIPTED.agentJoins]: () => [
    { text: '客服小王已接入对话', from: 'system', lang: 'zh' },
    { text: '您好，我是客服小王，前面的情况我都看到了。', from: 'agent', agentName: '小王', lang: 'zh' },
    {
      text: '请问手机现在能充上电吗？',
      from: 'agent',
      agentName: '小王',
      lang: 'zh',
      quickReplies: [
        { label: '能充电', value: 'agent:yes' },
        { label: '充不进', value: 'agent:no' },
      ],
    },
  ],
  [SCRIPTED.numbers]: () => [
    {
      lang: 'zh',
      text: [
        '紧急情况请拨打 110 报警、120 急救；冻结微信支付拨打 95017，支付宝 95188。',
        '运营商：中国移动 10086、中国联通 10010、中国电信 10000、中国广电 10099；投诉 12315。',
        // (Mobile numbers would reach the widget masked: the server masks them in every reply.)
        '品牌热线 400-100-5678 或 800-830-8300；境外请拨 +86 10086 或 +86-10010。',
        '工单 T20261203-0001 已于 2026-12-03 登记，主机保修至 2027-04-03。',
        'IMEI 35693803*******，型号 SM-G9910，价格 1099 元，充电 120 分钟，电池 10000 mAh。',
        ...Array.from({ length: 12 }, (_, i) => tokenLine(i)),
      ].join('\n'),
    },
  ],
  [SCRIPTED.longReplies]: () =>
    [1, 2, 3].map((n) => ({
      lang: 'zh' as const,
      text: `第 ${n} 部分：\n` + Array.from({ length: 6 }, (_, i) => `${i + 1}. 这一步的说明比较长，需要在手机上占好几行才能显示完整。`).join('\n'),
    })),
  [SCRIPTED.englishRating]: () => [
    {
      lang: 'en',
      step: 'follow_up',
      rating: true,
      text: 'Please rate this conversation from 1 to 5.',
      quickReplies: [1, 2, 3, 4, 5].map((n) => ({ label: String(n), value: `rate:${n}` })),
    },
  ],
};

/** `bot` with the scripted lines answered by script and 转人工 added to the welcome's chips. */
export function withScripts(bot: AnyBot): AnyBot {
  return {
    contentVersion: bot.contentVersion,
    publicNumbers: bot.publicNumbers,
    languageOf: (state) => bot.languageOf(state),
    describe: (state) => bot.describe(state),
    slotsOf: (state) => bot.slotsOf(state),
    slotText: (slot, value, lang) => bot.slotText(slot, value, lang),
    render: (state, text, now) => bot.render(state, text, now),
    topicOf: (intent, lang) => bot.topicOf(intent, lang),
    newSession: (o) => bot.newSession(o),
    restore: (json) => bot.restore(json),
    welcome(state, ctx) {
      const messages = bot.welcome(state, ctx);
      const menu = messages.findLast((m) => m.quickReplies?.length);
      if (menu && !menu.quickReplies!.some((r) => r.value === 'cmd:human')) menu.quickReplies!.push({ label: '转人工', value: 'cmd:human' });
      return messages;
    },
    handle(state, input, ctx) {
      const script = input.payload ? undefined : SCRIPTS[input.text];
      if (!script) return bot.handle(state, input, ctx);
      return { state, replies: script(ctx).map((m) => ({ id: ctx.newMessageId(), ...m })), effects: [], nlu: null, trace: [] };
    },
  };
}

/** A kefu test server whose bot is the real one with the scripts above. */
export async function startScriptedKefu(env: Record<string, string> = {}) {
  return startTestServer(env, { bot: withScripts(await loadRealBot()) });
}
