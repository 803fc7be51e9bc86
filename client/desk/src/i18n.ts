/** The desk's own words, in Chinese and English; the choice is remembered. */
const zh = {
  title: 'kefu 客服工作台',
  login: '登录', loginName: '账号', password: '密码', logout: '退出登录',
  BAD_CREDENTIALS: '账号或密码不正确。',
  RATE_LIMITED: '尝试次数过多，请稍后再试。',
  expired: '登录已过期，请重新登录。',
  UNAUTHORIZED: '登录已过期，请重新登录。',
  ALREADY_CLAIMED: '这个对话已被其他客服接待。',
  NOT_QUEUED: '这个对话已不在排队中。',
  NOT_YOURS: '这个对话不由您接待。',
  AT_CAPACITY: '您接待的对话已达上限，请先结束一个。',
  AGENT_UNAVAILABLE: '对方不在线或已满，无法转接。',
  SESSION_CLOSED: '这个对话已结束。',
  EMPTY_TEXT: '内容不能为空。',
  TEXT_TOO_LONG: '内容太长了。',
  NOT_FOUND: '没有找到。',
  FORBIDDEN: '没有权限。',
  failed: '操作失败，请重试。',
  online: '在线', away: '离开', offline: '离线',
  connecting: '正在连接…', disconnected: '连接已断开，正在重连…',
  queue: '排队中', mine: '我的对话', tickets: '工单', callbacks: '回电', admin: '管理',
  noneWaiting: '暂无排队的对话', noneMine: '暂无接待中的对话',
  waited: '已等待', claim: '接待', open: '查看',
  callbacksDue: (n: number) => `${n} 个回电待处理`,
  card: '转接卡片', intent: '意图', reason: '转人工原因', summary: '用户原话', tried: '已建议用户尝试', ticket: '工单号', lang: '语言',
  alsoOpen: '本次会话中还未解决', status_open: '处理中', status_escalated: '已转人工',
  why_asked: '用户要求转人工', why_unsolved: '建议的步骤没能解决问题', why_stuck: '机器人多次没能理解用户的回答', why_complaint: '投诉，需要人工处理',
  slot_carrier: '运营商', slot_brand: '品牌', slot_model: '型号', slot_purchase_date: '购买日期', slot_imei: 'IMEI', slot_phone: '手机号',
  none: '无',
  zh: '中文', en: 'English',
  user: '用户', bot: '智能助手', system: '系统',
  note: '内部备注', noteHint: '仅客服可见，永不发给用户', addNote: '添加备注',
  notes: '内部备注（用户看不到）',
  replyPlaceholder: '回复用户…（Enter 发送，Shift+Enter 换行）',
  notePlaceholder: '写内部备注…（用户看不到）',
  send: '发送', reply: '回复用户', canned: '快捷回复',
  transfer: '转接', transferTo: '转接给…', noAgents: '没有其他在线客服',
  handBack: '交回智能助手', close: '结束对话', resolved: '已解决', unresolved: '未解决',
  closeAs: '结束为：',
  userTyping: '用户正在输入…',
  released_closed: '对话已结束。', released_handed_back: '已交回智能助手。', released_transferred: '已转接给其他客服。',
  released_away: '您离开太久，对话已回到排队中。', released_user_left: '用户已离开对话。',
  assigned_auto: '系统为您分配了一个新对话。', assigned_transfer: (from: string) => `${from} 把一个对话转给了您。`,
  readOnly: '只读：这个对话不由您接待。',
  newWaiting: '新的排队对话', pick: '从左侧选择一个对话。',
  filters: '筛选', status: '状态', kind: '类型', from: '从', to: '到', search: '查询', idSearch: '工单号', all: '全部',
  st_open: '处理中', st_resolved: '已解决', st_escalated: '已升级', st_closed: '已关闭',
  k_service: '服务', k_complaint: '投诉', k_callback: '回电',
  created: '创建', updated: '更新', history: '记录', by: '经办',
  conversation: '对话', noTickets: '没有符合条件的工单',
  cb_pending: '待回电', cb_done: '已回电', cb_failed: '未接通', cb_cancelled: '已取消',
  phone: '电话', preferred: '希望时间', opened: '工单创建', markDone: '标记已回电', markFailed: '未接通', callNow: '回电', callHint: '完整号码只显示给回电的客服',
  agents: '客服', audit: '操作记录', load: '接待中', capacity: '上限', role: '角色', action: '操作', detail: '详情', time: '时间',
  outageNotice: '故障通知', outageNoticeHint: '机器人会先把这条通知告诉受影响的用户',
  outageAlert: '疑似故障',
  outageAlertLine: (who: string, now: number, usual: number) => `${who}“没信号”的报告激增：最近 15 分钟 ${now} 起，平时约 ${usual} 起。`,
  outageAnywhere: '部分地区', cmcc: '中国移动', cucc: '中国联通', ctcc: '中国电信', cbn: '中国广电', anyCarrier: '各运营商',
} as const;

type Dict = { [K in keyof typeof zh]: (typeof zh)[K] extends (...a: infer A) => string ? (...a: A) => string : string };

const en: Dict = {
  title: 'kefu agent desk',
  login: 'Sign in', loginName: 'Login', password: 'Password', logout: 'Sign out',
  BAD_CREDENTIALS: 'Wrong login or password.',
  RATE_LIMITED: 'Too many attempts. Please wait a while and try again.',
  expired: 'Your session has expired. Please sign in again.',
  UNAUTHORIZED: 'Your session has expired. Please sign in again.',
  ALREADY_CLAIMED: 'Another agent has already taken this conversation.',
  NOT_QUEUED: 'This conversation is no longer waiting.',
  NOT_YOURS: 'This conversation is not yours.',
  AT_CAPACITY: 'You serve as many conversations as allowed. Close one first.',
  AGENT_UNAVAILABLE: 'That agent is offline or full.',
  SESSION_CLOSED: 'This conversation has ended.',
  EMPTY_TEXT: 'Write something first.',
  TEXT_TOO_LONG: 'That is too long.',
  NOT_FOUND: 'Not found.',
  FORBIDDEN: 'Not allowed.',
  failed: 'That did not work. Please try again.',
  online: 'Online', away: 'Away', offline: 'Offline',
  connecting: 'Connecting…', disconnected: 'Connection lost, reconnecting…',
  queue: 'Waiting', mine: 'My conversations', tickets: 'Tickets', callbacks: 'Call-backs', admin: 'Admin',
  noneWaiting: 'Nobody is waiting', noneMine: 'You serve no conversation',
  waited: 'Waiting', claim: 'Take', open: 'View',
  callbacksDue: (n) => `${n} call-back${n === 1 ? '' : 's'} due`,
  card: 'Hand-over card', intent: 'Intent', reason: 'Why a person', summary: 'In the user’s words', tried: 'Already suggested', ticket: 'Ticket', lang: 'Language',
  alsoOpen: 'Also open in this chat', status_open: 'open', status_escalated: 'handed to a person',
  why_asked: 'The user asked for a person', why_unsolved: 'The suggested steps did not solve it', why_stuck: 'The assistant kept failing to understand the user', why_complaint: 'A complaint: a person must handle it',
  slot_carrier: 'Carrier', slot_brand: 'Brand', slot_model: 'Model', slot_purchase_date: 'Bought on', slot_imei: 'IMEI', slot_phone: 'Phone',
  none: 'none',
  zh: '中文', en: 'English',
  user: 'User', bot: 'Assistant', system: 'System',
  note: 'Internal note', noteHint: 'Agents only, never shown to the user', addNote: 'Add note',
  notes: 'Internal notes (never shown to the user)',
  replyPlaceholder: 'Reply to the user… (Enter sends, Shift+Enter new line)',
  notePlaceholder: 'Internal note… (the user never sees it)',
  send: 'Send', reply: 'Reply', canned: 'Canned replies',
  transfer: 'Transfer', transferTo: 'Transfer to…', noAgents: 'No other agent online',
  handBack: 'Hand back to the assistant', close: 'Close', resolved: 'Resolved', unresolved: 'Not resolved',
  closeAs: 'Close as:',
  userTyping: 'The user is typing…',
  released_closed: 'The conversation is closed.', released_handed_back: 'Handed back to the assistant.', released_transferred: 'Transferred to another agent.',
  released_away: 'You were away too long; the conversation went back to the queue.', released_user_left: 'The user left the conversation.',
  assigned_auto: 'A new conversation was assigned to you.', assigned_transfer: (from) => `${from} transferred a conversation to you.`,
  readOnly: 'Read-only: this conversation is not yours.',
  newWaiting: 'New waiting conversation', pick: 'Pick a conversation on the left.',
  filters: 'Filters', status: 'Status', kind: 'Kind', from: 'From', to: 'To', search: 'Search', idSearch: 'Ticket id', all: 'All',
  st_open: 'Open', st_resolved: 'Resolved', st_escalated: 'Escalated', st_closed: 'Closed',
  k_service: 'Service', k_complaint: 'Complaint', k_callback: 'Call-back',
  created: 'Created', updated: 'Updated', history: 'History', by: 'By',
  conversation: 'Conversation', noTickets: 'No ticket matches',
  cb_pending: 'Pending', cb_done: 'Called', cb_failed: 'No answer', cb_cancelled: 'Cancelled',
  phone: 'Phone', preferred: 'Preferred time', opened: 'Ticket opened', markDone: 'Mark called', markFailed: 'No answer', callNow: 'Call back', callHint: 'The full number is shown only to the agent who calls',
  agents: 'Agents', audit: 'Audit log', load: 'Serving', capacity: 'Capacity', role: 'Role', action: 'Action', detail: 'Detail', time: 'Time',
  outageNotice: 'Outage notice', outageNoticeHint: 'the bot gives it first to the users it affects',
  outageAlert: 'Possible outage',
  outageAlertLine: (who, now, usual) => `"No network" reports from ${who} have spiked: ${now} in the last 15 minutes, usually about ${usual}.`,
  outageAnywhere: 'some areas', cmcc: 'China Mobile', cucc: 'China Unicom', ctcc: 'China Telecom', cbn: 'China Broadnet', anyCarrier: 'every carrier',
};

export type Lang = 'zh' | 'en';
const KEY = 'kefu-desk:lang';

export let lang: Lang = (() => {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch { /* storage blocked: follow the browser */ }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
})();

export function setLang(next: Lang): void {
  lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch { /* not remembered, still switched */ }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** The current language's words. */
export function t(): Dict {
  return lang === 'zh' ? (zh as unknown as Dict) : en;
}

/** A protocol error's code in words (the server's message when the desk has none of its own). */
export function errorText(code: string, message?: string): string {
  const d = t() as unknown as Record<string, unknown>;
  const s = d[code];
  return typeof s === 'string' ? s : message || t().failed;
}
