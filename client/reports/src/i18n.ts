/** The reports page's words, in Chinese and English; the language is the desk's (one choice, remembered). */
import { lang } from '../../desk/src/i18n.js';

const zh = {
  title: 'kefu 运营报表',
  backToDesk: '返回工作台',
  notAdmin: '只有管理员可以查看运营报表。',
  tab_overview: '概览', tab_funnels: '对话漏斗', tab_inbox: '待改进语句', tab_outage: '故障监测',
  from: '从', to: '到', by: '粒度', byDay: '按天', byHour: '按小时', apply: '查询',
  last7: '近 7 天', today: '今天',
  exportCsv: '导出 CSV', csv_conversations: '对话', csv_tickets: '工单', csv_ratings: '评价', csv_funnels: '导出漏斗 CSV',
  loading: '正在加载…', reversed: '结束日期不能早于开始日期。', tooLong: '一次最多查询 366 天。',
  conversations: '对话数', containment: '机器人独立解决率', handover: '转人工率', fallback: '未理解率',
  csatAverage: '满意度均分', complaints: '投诉', callbacks: '回电', callbacksLine: (p: number, d: number) => `待回电 ${p} · 已回电 ${d}`,
  ofTurns: (n: number, d: number) => `${n} / ${d} 轮`, ofConversations: (n: number, d: number) => `${n} / ${d} 个对话`,
  ratings: (n: number) => `${n} 个评价`,
  queueWait: '排队等待', firstResponse: '客服首次响应', resolution: '客服解决时长', abandoned: '排队中放弃',
  median: '中位数', p90: 'P90', samples: (n: number) => `${n} 个样本`,
  trend: '对话趋势', trendContained: '机器人解决', trendHandover: '转人工', trendFallback: '未理解轮次',
  intents: '对话的开场问题', intentsNote: '每个对话按用户最先提出的问题计一次；“是的”“不用了”这类回答和问候不算。', noTopic: '未提出问题', csat: '满意度分布', csatBot: '仅机器人', csatAgent: '有人工参与', stars: (n: string) => `${n} 分`,
  noticesReached: '故障通知送达',
  none: '无', noData: '这段时间没有数据',
  funnelsIntro: '每个问题对话走到了哪一步，以及用户在哪个问题处转人工、离开或不被理解（鼠标停在问题上可看节点编号）。',
  entered: (n: number) => `${n} 个对话`,
  step_consult: '咨询', step_accept: '受理', step_analyse: '分析', step_solve: '解决', step_confirm: '确认', step_follow_up: '回访', step_rated: '已评价',
  givesUpHandover: '在此转人工', givesUpAbandoned: '在此离开', givesUpNotUnderstood: '在此未被理解',
  inboxIntro: '机器人没听懂的话，以及用户转人工前的最后一句（已脱敏），按相似度分组。给一组标上意图或“超出范围”，再导出补丁交给内容团队。',
  inboxEmpty: '这段时间没有待改进的语句',
  times: (n: number) => `${n} 次`, openConversation: '查看对话', labelAs: '标注为', pickLabel: '请选择…', save: '保存', labelled: '已标注', unlabelled: '未标注',
  why_not_understood: '未理解', why_before_handover: '转人工前',
  outOfScope: '超出范围',
  exportPatch: '导出补丁', patchIntro: '评测语句（加到 test/fixtures/nlu-eval.tsv）和超出范围的例句（加到 intents/lexicon/out_of_scope.yaml），npm run check 会检查它们。',
  patchEval: '评测语句', patchOutOfScope: '超出范围的例句', patchCount: (n: number) => `共 ${n} 条`,
  alerts: '故障告警', noAlerts: '目前没有告警', alertLine: (now: number, usual: number) => `最近 15 分钟 ${now} 起，平时约 ${usual} 起`, since: '开始于',
  notices: '生效中的故障通知', noNotices: '目前没有生效的通知', endsAt: '预计恢复', publishedBy: '发布人', endNotice: '结束通知',
  publish: '发布故障通知', carrier: '运营商', province: '省份', anyCarrier: '全部运营商', anyProvince: '全部地区', publishIntro: '通知生效期间，报告“没信号”的受影响用户会先收到这条通知，再开始排查。',
  publishFor: '对这条告警发布通知', published: '通知已发布', ended: '通知已结束',
  rule: (w: number, f: number, m: number) => `规则：最近 ${w} 分钟的起数 ≥ ${m}，且 ≥ 平时的 ${f} 倍时告警。`,
  cmcc: '中国移动', cucc: '中国联通', ctcc: '中国电信', cbn: '中国广电',
  conversation: '对话', back: '返回',
} as const;

type Dict = { [K in keyof typeof zh]: (typeof zh)[K] extends (...a: infer A) => string ? (...a: A) => string : string };

const en: Dict = {
  title: 'kefu reports',
  backToDesk: 'Back to the desk',
  notAdmin: 'Only admins can see the reports.',
  tab_overview: 'Overview', tab_funnels: 'Funnels', tab_inbox: 'Fix-the-bot inbox', tab_outage: 'Outage watch',
  from: 'From', to: 'To', by: 'By', byDay: 'Day', byHour: 'Hour', apply: 'Show',
  last7: 'Last 7 days', today: 'Today',
  exportCsv: 'Export CSV', csv_conversations: 'Conversations', csv_tickets: 'Tickets', csv_ratings: 'Ratings', csv_funnels: 'Export funnels CSV',
  loading: 'Loading…', reversed: 'The end date is before the start date.', tooLong: 'At most 366 days at a time.',
  conversations: 'Conversations', containment: 'Containment', handover: 'Hand-over rate', fallback: 'Fallback rate',
  csatAverage: 'CSAT average', complaints: 'Complaints', callbacks: 'Call-backs', callbacksLine: (p, d) => `${p} pending · ${d} done`,
  ofTurns: (n, d) => `${n} of ${d} turns`, ofConversations: (n, d) => `${n} of ${d} conversations`,
  ratings: (n) => `${n} ratings`,
  queueWait: 'Wait in queue', firstResponse: 'Agent first response', resolution: 'Agent resolution', abandoned: 'Left while queued',
  median: 'Median', p90: 'P90', samples: (n) => `${n} samples`,
  trend: 'Conversations over time', trendContained: 'Bot solved', trendHandover: 'Handed over', trendFallback: 'Turns not understood',
  intents: 'What conversations opened with', intentsNote: 'Each conversation counts once, by the first problem or question the user raised; answers such as "yes" or "no" and greetings do not count.', noTopic: 'No topic raised', csat: 'CSAT distribution', csatBot: 'Bot only', csatAgent: 'With an agent', stars: (n) => `${n} star${n === '1' ? '' : 's'}`,
  noticesReached: 'Outage notices delivered',
  none: 'None', noData: 'No data in this range',
  funnelsIntro: 'How far each problem dialog got, and the questions at which users asked for a person, left, or were not understood (hover a question for its node id).',
  entered: (n) => `${n} conversations`,
  step_consult: 'Consult', step_accept: 'Accept', step_analyse: 'Analyse', step_solve: 'Solve', step_confirm: 'Confirm', step_follow_up: 'Follow-up', step_rated: 'Rated',
  givesUpHandover: 'Asked for a person here', givesUpAbandoned: 'Left here', givesUpNotUnderstood: 'Not understood here',
  inboxIntro: 'What the bot did not understand, and the last line before users asked for a person (masked), grouped by similarity. Label a group with an intent or "out of scope", then export the patch for the content team.',
  inboxEmpty: 'Nothing to fix in this range',
  times: (n) => `${n}×`, openConversation: 'Open conversation', labelAs: 'Label as', pickLabel: 'Choose…', save: 'Save', labelled: 'Labelled', unlabelled: 'Not labelled',
  why_not_understood: 'not understood', why_before_handover: 'before hand-over',
  outOfScope: 'Out of scope',
  exportPatch: 'Export patch', patchIntro: 'Evaluation lines (for test/fixtures/nlu-eval.tsv) and out-of-scope examples (for intents/lexicon/out_of_scope.yaml); npm run check checks them.',
  patchEval: 'Evaluation lines', patchOutOfScope: 'Out-of-scope examples', patchCount: (n) => `${n} lines`,
  alerts: 'Outage alerts', noAlerts: 'No alert now', alertLine: (now, usual) => `${now} in the last 15 minutes, usually about ${usual}`, since: 'Since',
  notices: 'Notices in force', noNotices: 'No notice in force', endsAt: 'Expected fix', publishedBy: 'Published by', endNotice: 'End notice',
  publish: 'Publish an outage notice', carrier: 'Carrier', province: 'Province', anyCarrier: 'Every carrier', anyProvince: 'Everywhere', publishIntro: 'While it holds, affected users who report no signal get this notice first, before troubleshooting.',
  publishFor: 'Publish a notice for this alert', published: 'Notice published', ended: 'Notice ended',
  rule: (w, f, m) => `Rule: alert when the last ${w} minutes have at least ${m} reports and at least ${f}× the usual rate.`,
  cmcc: 'China Mobile', cucc: 'China Unicom', ctcc: 'China Telecom', cbn: 'China Broadnet',
  conversation: 'Conversation', back: 'Back',
};

/** The current language's words. */
export function r(): Dict {
  return lang === 'zh' ? (zh as unknown as Dict) : en;
}

const INTENTS: Record<string, [string, string]> = {
  wont_boot: ['开不了机', "Won't boot"], lag: ['卡顿', 'Slow / lag'], no_network: ['没信号', 'No network'], data_loss: ['数据丢失', 'Data loss'],
  theft: ['丢失被盗', 'Lost or stolen'], warranty: ['保修', 'Warranty'], hotline: ['客服电话', 'Hotline'], channels: ['服务渠道', 'Service channels'],
  fee: ['话费', 'Charges'], human_agent: ['转人工', 'Human agent'], complaint: ['投诉', 'Complaint'], greeting: ['问候', 'Greeting'],
  thanks: ['感谢', 'Thanks'], goodbye: ['再见', 'Goodbye'], affirm: ['肯定', 'Yes'], deny: ['否定', 'No'], out_of_scope: ['超出范围', 'Out of scope'],
  lockout: ['手机被锁', 'Locked phone'], screen: ['屏幕问题', 'Screen'],
  hardware: ['功能故障', 'Phone functions'],
};

/** An intent's (or dialog's) name in the page's language, with its id when they differ. */
export function intentName(id: string): string {
  const n = INTENTS[id];
  return n ? n[lang === 'zh' ? 0 : 1] : id;
}

/** 0.75 → 75%; null (nothing to divide by) → —. */
export const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

/** Milliseconds as 45 秒 / 3 分 20 秒 / 1 小时 5 分 (or 45 s / 3 min 20 s / 1 h 5 min); null → —. */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  const zhLang = lang === 'zh';
  if (s < 60) return zhLang ? `${s} 秒` : `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return zhLang ? `${m} 分 ${s % 60} 秒` : `${m} min ${s % 60} s`;
  return zhLang ? `${Math.floor(m / 60)} 小时 ${m % 60} 分` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
