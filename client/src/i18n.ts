/**
 * The widget's own UI strings (bot text comes from the server, already
 * localised), and the chrome's current language: it starts as the page's and
 * then follows the conversation's, which every bot message states (`lang`).
 */
import type { BotMessage, ErrorCode } from '../../server/protocol.js';

export type Locale = 'zh-CN' | 'en';

export interface Strings {
  title: string;
  openChat: string;
  closeChat: string;
  dialogLabel: string;
  newConversation: string;
  confirmNew: string;
  cancel: string;
  inputLabel: string;
  placeholder: string;
  send: string;
  connecting: string;
  online: string;
  offline: string;
  /** Offline because the server refused the connection (too many at once); the widget retries by itself. */
  refused: string;
  /** Who answers, under the title: says plainly that it is an automatic assistant. */
  assistant: string;
  /** Under the title while the conversation waits for a person (the assistant is silent then). */
  waitingForAgent: string;
  /** Under the title while an agent serves the conversation. */
  agentHeader: (name: string) => string;
  /** Short connection states for the header, after `assistant` (online needs no words: a dot shows it). */
  status: Record<'connecting' | 'online' | 'offline', string>;
  queued: string;
  failed: string;
  retry: string;
  ticket: string;
  typing: string;
  /** The agent's typing indicator, shown (not only read out). */
  agentTyping: (name: string) => string;
  /** The line above the transcript while waiting: `ahead` is how many are served first (0: next). */
  queueStatus: (ahead: number, etaMinutes: number) => string;
  /** The line above the transcript while an agent serves the conversation. */
  agentServing: (name: string) => string;
  /** The button that stops waiting and goes back to the bot. */
  leaveQueue: string;
  leaveQueueFailed: string;
  /** The input's placeholder while waiting: what the user writes now is read by the agent who takes the chat. */
  placeholderQueued: string;
  /** Said before each message to screen readers, so a reader walking the transcript knows who spoke. */
  youSaid: string;
  botSaid: string;
  /** `name` is the agent's display name (「小王」), possibly empty. */
  agentSaid: (name: string) => string;
  systemSaid: string;
  quickReplies: string;
  ratingGroup: string;
  star: (n: number) => string;
  unread: (n: number) => string;
  counter: (used: number, max: number) => string;
  counterLeft: (left: number) => string;
  counterFull: (max: number) => string;
  /** The counter's text once the draft is over the limit (it cannot be sent). */
  counterOver: (over: number) => string;
  /** Said to screen readers when the draft goes over the limit, and on an attempt to send it. */
  counterTooLong: (max: number, over: number) => string;
  sessionRestarted: string;
  errors: Partial<Record<ErrorCode | 'TIMEOUT', string>> & { default: string };
}

const zh: Strings = {
  title: '在线客服',
  openChat: '打开在线客服',
  closeChat: '关闭对话窗口',
  dialogLabel: '在线客服对话',
  newConversation: '新对话',
  confirmNew: '开始新对话后，当前的对话记录将不再显示。',
  cancel: '取消',
  inputLabel: '输入消息',
  placeholder: '请输入您的问题',
  send: '发送',
  connecting: '正在连接客服…',
  online: '已连接',
  offline: '网络已断开，正在重新连接…',
  refused: '当前咨询人数较多，稍后将自动重新连接…',
  assistant: '智能助手',
  waitingForAgent: '等待人工客服',
  agentHeader: (name) => agentTitle(name),
  status: { connecting: '连接中', online: '在线', offline: '离线' },
  queued: '等待网络，恢复后自动发送',
  failed: '发送失败',
  retry: '重试',
  ticket: '工单号',
  typing: '智能助手正在输入…',
  agentTyping: (name) => `${name || '客服'}正在输入…`,
  queueStatus: (ahead, eta) =>
    `正在为您转接人工客服，${ahead > 0 ? `您前面还有 ${ahead} 位` : '您是下一位'}，${eta > 0 ? `预计等待约 ${eta} 分钟` : '预计等待不到 1 分钟'}`,
  agentServing: (name) => `${agentTitle(name)}正在为您服务`,
  leaveQueue: '返回智能助手',
  leaveQueueFailed: '暂时无法取消排队，请稍后重试',
  placeholderQueued: '先说说您的问题，客服接入后会看到',
  youSaid: '我说：',
  botSaid: '智能助手说：',
  agentSaid: (name) => `${agentTitle(name)}说：`,
  systemSaid: '通知：',
  quickReplies: '快捷回复',
  ratingGroup: '满意度评分',
  star: (n) => `${n} 星`,
  unread: (n) => `${n} 条未读消息`,
  counter: (used, max) => `${used}/${max}`,
  counterLeft: (left) => `还可以输入 ${left} 字`,
  counterFull: (max) => `已达到 ${max} 字上限`,
  counterOver: (over) => `超出 ${over} 字`,
  counterTooLong: (max, over) => `已超过 ${max} 字上限，请删减 ${over} 字后再发送`,
  sessionRestarted: '之前的对话已结束，已为您开始新的对话。',
  errors: {
    RATE_LIMITED: '发送太频繁，请稍后重试',
    TEXT_TOO_LONG: '消息太长了',
    EMPTY_TEXT: '消息不能为空',
    SESSION_CLOSED: '对话已结束，这条消息未发送',
    TIMEOUT: '客服响应超时',
    default: '发送失败，请重试',
  },
};

const en: Strings = {
  title: 'Customer service',
  openChat: 'Open customer service chat',
  closeChat: 'Close chat',
  dialogLabel: 'Customer service chat',
  newConversation: 'New chat',
  confirmNew: 'Start a new chat? This conversation will no longer be shown.',
  cancel: 'Cancel',
  inputLabel: 'Type a message',
  placeholder: 'Type your question',
  send: 'Send',
  connecting: 'Connecting…',
  online: 'Connected',
  offline: 'Offline — reconnecting…',
  refused: 'The service is busy — reconnecting shortly…',
  assistant: 'Virtual assistant',
  waitingForAgent: 'Waiting for an agent',
  agentHeader: (name) => (name ? `Agent ${name}` : 'Customer service agent'),
  status: { connecting: 'Connecting', online: 'Online', offline: 'Offline' },
  queued: 'Waiting for the network; will send automatically',
  failed: 'Not sent',
  retry: 'Retry',
  ticket: 'Ticket',
  typing: 'The assistant is typing…',
  agentTyping: (name) => (name ? `${name} is typing…` : 'The agent is typing…'),
  queueStatus: (ahead, eta) =>
    `Connecting you to an agent — ${ahead > 0 ? `${ahead === 1 ? '1 person' : `${ahead} people`} ahead of you` : "you're next"}, estimated wait ${
      eta > 0 ? `about ${eta === 1 ? '1 minute' : `${eta} minutes`}` : 'under a minute'
    }`,
  agentServing: (name) => (name ? `${name} from customer service is helping you` : 'An agent is helping you'),
  leaveQueue: 'Back to the assistant',
  leaveQueueFailed: "Couldn't leave the queue — please try again",
  placeholderQueued: 'Describe the problem while you wait',
  youSaid: 'You said: ',
  botSaid: 'The assistant said: ',
  agentSaid: (name) => (name ? `Agent ${name} said: ` : 'An agent said: '),
  systemSaid: 'Notice: ',
  quickReplies: 'Quick replies',
  ratingGroup: 'Satisfaction rating',
  star: (n) => (n === 1 ? '1 star' : `${n} stars`),
  unread: (n) => (n === 1 ? '1 unread message' : `${n} unread messages`),
  counter: (used, max) => `${used}/${max}`,
  counterLeft: (left) => (left === 1 ? '1 character left' : `${left} characters left`),
  counterFull: (max) => `Limit of ${max} characters reached`,
  counterOver: (over) => `${over} too many`,
  counterTooLong: (max, over) =>
    `Over the ${max}-character limit: remove ${over === 1 ? '1 character' : `${over} characters`} to send`,
  sessionRestarted: 'Your previous chat has ended, so a new one has started.',
  errors: {
    RATE_LIMITED: 'Too many messages — please wait a moment',
    TEXT_TOO_LONG: 'That message is too long',
    EMPTY_TEXT: 'The message is empty',
    SESSION_CLOSED: 'The chat had ended; not sent',
    TIMEOUT: 'No answer from the server',
    default: 'Sending failed — please retry',
  },
};

/** An agent as Chinese speakers name them: 客服小王 (a name that already says 客服 is kept; none: 人工客服). */
function agentTitle(name: string): string {
  if (!name) return '人工客服';
  return name.startsWith('客服') ? name : `客服${name}`;
}

/**
 * Pick the UI locale: an explicit `data-locale`, else the host page's `<html lang>`
 * (the widget should speak the page's language), else the browser's.
 */
export function pickLocale(explicit: string | null | undefined, pageLang: string, browserLangs: readonly string[]): Locale {
  for (const candidate of [explicit, pageLang, ...browserLangs]) {
    if (!candidate) continue;
    const lower = candidate.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function stringsFor(locale: Locale): Strings {
  return locale === 'en' ? en : zh;
}

/** The chrome's locale for a bot message's `lang`. */
export function localeOf(lang: NonNullable<BotMessage['lang']>): Locale {
  return lang === 'en' ? 'en' : 'zh-CN';
}

/**
 * The chrome's current language, and everything drawn in it: each piece of UI
 * binds a function that (re)writes its labels, run at once and again whenever
 * the conversation changes language.
 */
export class I18n {
  private readonly bound = new Set<(t: Strings) => void>();

  constructor(private current: Locale) {}

  get locale(): Locale {
    return this.current;
  }

  get t(): Strings {
    return stringsFor(this.current);
  }

  /** Run `draw` now and on every change of language; returns the function that stops it. */
  bind(draw: (t: Strings) => void): () => void {
    draw(this.t);
    this.bound.add(draw);
    return () => {
      this.bound.delete(draw);
    };
  }

  /** Switch to `locale`; false (nothing redrawn) when the chrome is in it already. */
  set(locale: Locale): boolean {
    if (locale === this.current) return false;
    this.current = locale;
    const t = this.t;
    for (const draw of [...this.bound]) draw(t);
    return true;
  }
}
