/**
 * Matching what the user said against what the bot just offered, before and
 * besides the NLU: global commands, option labels and keywords (with a
 * negation guard), rating scores.
 */
import type { NluResult } from '../nlu/types.js';
import type { DialogOption } from './schema.js';

export type Command = 'restart' | 'back' | 'human';

/** Text reduced for exact comparisons: lower case, no spaces or punctuation. */
export function squash(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

const COMMANDS: Readonly<Record<Command, { exact: string[]; contains: string[] }>> = {
  restart: {
    exact: ['重新开始', '从头开始', '重来', '重新来', 'restart', 'startover', 'reset'],
    contains: ['重新开始', '从头开始', 'start over', 'start again'],
  },
  back: {
    exact: ['返回上一步', '上一步', '返回', '回到上一步', '退回上一步', 'back', 'goback', 'previousstep'],
    contains: ['返回上一步', '回到上一步', '上一个问题', 'go back', 'previous step', 'previous question'],
  },
  human: {
    exact: ['转人工', '人工', '人工客服', '真人', '转人工客服', 'human', 'agent', 'humanagent', 'operator'],
    contains: ['转人工', '人工客服', '真人客服', '找人工', 'human agent', 'real person', 'talk to a human', 'talk to a person', 'speak to a human', 'speak to someone'],
  },
};

/** 重新开始 / 返回上一步 / 转人工 and their English forms, typed anywhere. */
export function matchCommand(text: string): Command | null {
  const sq = squash(text.replace(/^(请|帮我|我要|我想|麻烦)+/, ''));
  const lower = text.toLowerCase();
  for (const [cmd, { exact, contains }] of Object.entries(COMMANDS) as [Command, (typeof COMMANDS)[Command]][]) {
    if (exact.includes(sq) || contains.some((c) => lower.includes(c))) return cmd;
  }
  return null;
}

const ZH_NEGATION = /(没有|没|不是|不|未|无|别)[过了]?$/;
const EN_NEGATION = /\b(no|not|never|didn't|did not|hasn't|has not|haven't|have not|wasn't|isn't|don't|doesn't|without)\b[\w\s']{0,12}$/;

/** Where `keyword` occurs in `text` without a negation right before it (「没有进水」 does not count). */
export function containsUnnegated(text: string, keyword: string): boolean {
  const hay = text.toLowerCase();
  const needle = keyword.toLowerCase();
  const latin = /^[\x20-\x7e]+$/.test(needle);
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    if (latin) {
      const before = hay[i - 1];
      const after = hay[i + needle.length];
      if ((before && /[a-z0-9]/.test(before)) || (after && /[a-z0-9]/.test(after) && !/^s$/.test(after))) continue;
      if (EN_NEGATION.test(hay.slice(Math.max(0, i - 24), i))) continue;
    } else if (ZH_NEGATION.test(hay.slice(Math.max(0, i - 3), i))) {
      continue;
    }
    return true;
  }
  return false;
}

/** How the option was picked, for --trace. */
export interface OptionMatch {
  option: DialogOption;
  by: 'payload' | 'label' | 'keyword' | 'entity' | 'intent';
  detail: string;
}

/** A quick reply's payload or exact label, with no NLU needed. */
export function matchOptionDirect(
  options: readonly DialogOption[],
  input: { text: string; payload?: string },
  labelOf: (o: DialogOption) => string,
): OptionMatch | null {
  if (input.payload) {
    const o = options.find((x) => x.value === input.payload);
    if (o) return { option: o, by: 'payload', detail: o.value };
  }
  const sq = squash(input.text);
  if (sq) {
    const o = options.find((x) => squash(labelOf(x)) === sq || squash(x.label.zh) === sq || squash(x.label.en) === sq);
    if (o) return { option: o, by: 'label', detail: sq };
  }
  return null;
}

/** Keywords first (the longest unnegated one wins), then entities, then the NLU's intent. */
export function matchOptionByText(options: readonly DialogOption[], nlu: NluResult): OptionMatch | null {
  let best: OptionMatch | null = null;
  for (const o of options) {
    for (const k of o.keywords) {
      if ((containsUnnegated(nlu.text, k) || containsUnnegated(nlu.normalized, k)) && (!best || k.length > best.detail.length)) {
        best = { option: o, by: 'keyword', detail: k };
      }
    }
  }
  if (best) return best;
  for (const o of options) {
    const when = o.whenSlot as Readonly<Record<string, readonly string[]>> | undefined;
    const e = nlu.entities.find((x) => (o.entities as readonly string[]).includes(x.type) || when?.[x.type]?.includes(x.value));
    if (e) return { option: o, by: 'entity', detail: `${e.type}=${e.value}` };
  }
  if (nlu.intent) {
    const o = options.find((x) => x.intents.includes(nlu.intent!));
    if (o) return { option: o, by: 'intent', detail: nlu.intent };
  }
  return null;
}

/** Particles that may trail an acknowledgement word (「好的呀」「知道啦」). */
const PARTICLES = /^[的啦了呀哈吧呢啊嘛]+/u;

/** Whether `text` is only one to three of `words` (「好的」「嗯知道了」"ok thanks"), compared squashed. */
export function onlyAcknowledges(text: string, words: readonly string[]): boolean {
  let rest = squash(text);
  if (rest.length === 0) return false;
  for (let n = 0; n < 3 && rest.length > 0; n++) {
    const w = words.reduce((best, k) => (k.length > best.length && rest.startsWith(k) ? k : best), '');
    if (!w) return false;
    rest = rest.slice(w.length).replace(PARTICLES, '');
  }
  return rest.length === 0;
}

/** A resigned or half answer (「行吧」「嗯」「还行吧」「差不多」) to 解决了吗: asked again, never taken as solved. */
const LUKEWARM = new Set([
  '行吧', '好吧', '嗯', '嗯嗯', '嗯吧', '嗯嗯哦', '嗯哦', '哦', '哦哦', '噢', '额', '呃', '还行', '还行吧', '差不多', '差不多吧', '凑合', '凑合吧', '算是吧', '应该吧', '可能吧', '也许吧',
  '一般', '一般般', '马马虎虎', '就那样', '还好吧', '好像吧', '大概吧', '勉强', '勉强吧', '嗯还行', '嗯行吧', '行吧行吧',
  'ok', 'okay', 'kindof', 'sortof', 'iguess', 'maybe', 'meh', 'hmm', 'sorta', 'kinda', 'somewhat', 'notreally', 'moreorless',
]);
export function isLukewarm(text: string): boolean {
  return LUKEWARM.has(squash(text).replace(/[~～]+$/, ''));
}

/** 「帮我预约」「我要送修」「转人工」 "please book", "get it repaired": the user wants service, whatever yes came with it. */
export function asksForService(text: string): boolean {
  const t = text.toLowerCase();
  return /预约|送修|寄修|维修|去售后|修一下|转人工|找人工|人工客服|\bbook\b|booking|appointment|\brepair|service cent(?:re|er)|\bperson\b|\bhuman\b|\bagent\b/.test(t);
}

/** 「嗯继续」「好 继续吧」「接着来」「go on」: a yes to going back to the paused question. */
export function saysContinue(text: string): boolean {
  const t = text.toLowerCase();
  if (/不用|不要|别|算了|不继续|no\b|don't|not now/.test(t)) return false;
  return /继续|接着|刚才那个|刚才的问题|回到刚才|\bcontinue\b|\bcarry on\b|\bgo on\b|\bgo back\b|\bresume\b/.test(t);
}

/** 「你是机器人吗」「你是真人吗」「are you a bot」: asking who answers, which gets an honest answer. */
export function asksIfBot(text: string): boolean {
  const t = text.toLowerCase();
  return /(你|您)(是|是不是|到底是)(不是)?(机器人|真人|人工|人|ai|程序|自动回复)|是(机器人|真人|人工)(吗|么|嘛|还是)|机器人(吗|么|嘛)|\bare you (a |an )?(bot|robot|human|real person|real|ai|machine|person)\b|\bam i (talking|chatting|speaking) (to|with) (a )?(bot|robot|human|real person|machine)/.test(t);
}

/** The service, not the phone (「你们这也太慢了」「客服效率太低」「this bot is useless」): a complaint, not lag. */
export function complainsAboutService(text: string): boolean {
  const t = text.toLowerCase();
  if (/手机|网速|系统|游戏|app|应用|开机|充电|信号|phone|internet|wifi|app\b/.test(t)) return false;
  return /(你们|你|客服|服务|机器人|小助手|回复|处理|效率|人工)[^，。！？,.!?]{0,6}(太慢|好慢|真慢|慢死|这么慢|慢吞吞|没用|垃圾|太差|好差|真差|差劲|敷衍|不行)|(太慢|好慢|真慢)了?[!！]*$|\b(this|the|your) (bot|service|assistant|support)\b.{0,12}\b(useless|slow|terrible|awful|rubbish|bad)\b|\b(you're|you are) (so )?(slow|useless)\b/.test(t);
}

const ZH_SCORES: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** A 1–5 score in 「5」「五星」「给4分」「5 stars」; null when there is none or several. */
export function parseRating(text: string, payload?: string): 1 | 2 | 3 | 4 | 5 | null {
  const pick = (n: number) => (n >= 1 && n <= 5 ? (n as 1 | 2 | 3 | 4 | 5) : null);
  if (payload && /^[1-5]$/.test(payload)) return pick(Number(payload));
  const s = text.normalize('NFKC');
  const digits = s.match(/(?<!\d)[0-9](?!\d)/g) ?? [];
  if (digits.length === 1) return pick(Number(digits[0]));
  if (digits.length === 0) {
    const zh = [...s.matchAll(/([一二两三四五])\s*(星|分|颗星)/g)];
    if (zh.length === 1) return pick(ZH_SCORES[zh[0]![1]!] ?? 0);
    if (/非常满意|很满意/.test(s)) return 5;
  }
  return null;
}

/** Leading words that soften a leave-taking (「那算了」「好吧 换个问题」「ok never mind」). */
const DROP_LEAD = '(?:那|那就|那还是|还是|哎|唉|嗯|好吧|行吧|我|ok|okay|oh|well|um|actually)*';
const DROP_CORE =
  '(?:算了|算啦|换个问题|换一个问题|换个话题|不说这个了|不说了|不聊这个了|不聊了|不问这个了|不问了|先不弄了|不弄了|先不处理了|不处理了|不想弄了|' +
  '(?:我)?(?:想|要)?(?:问问|问|说|聊)(?:点|个|一下)?(?:别的|其他的?|另一个|另外一个)(?:问题|事|事情)?|' +
  'nevermind|forgetit|forgetaboutit|nvm|skipthat|dropit|somethingelse|anotherquestion|adifferentquestion|differentquestion|' +
  '(?:iwantto|iwant|idliketo|canI|cani|letme|letus|lets)?(?:ask|talk)(?:about)?(?:something|somethingelse|anotherthing|adifferentthing)(?:else)?)';
const DROP_TAIL = '(?:吧|了|啊|呀|哈|呢|please|then|instead|thanks|thankyou)*';
const DROP_TOPIC = new RegExp(`^${DROP_LEAD}(?:${DROP_CORE}${DROP_TAIL})+$`);

/**
 * 「算了」「换个问题」「不说这个了」「never mind」「something else」 said on their own:
 * leaving the current problem rather than answering it. A message that goes
 * on to name a new problem (「算了，我手机丢了」) is not this: it switches topic.
 */
export function dropsTopic(text: string): boolean {
  const sq = squash(text);
  return sq.length > 0 && DROP_TOPIC.test(sq);
}

/** 「算了，我手机丢了」: a leave-taking that goes on to something else — the old problem is dropped, not paused. */
const DROP_THEN = new RegExp(`^${DROP_LEAD}(?:${DROP_CORE}${DROP_TAIL})+.`);
export function dropsTopicFirst(text: string): boolean {
  if (dropsTopic(text) || !DROP_THEN.test(squash(text))) return false;
  // Some words up to a pause (「算了，」「never mind,」) say nothing but the leave-taking.
  const parts = text.trim().split(/([，,。.!！;；\s]+)/);
  for (let i = 1; i < parts.length; i += 2) {
    if (dropsTopic(parts.slice(0, i).join(''))) return true;
  }
  return false;
}
