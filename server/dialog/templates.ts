/**
 * `{name}` placeholders in dialog text. Each name is a function of the
 * session and the reference data; text naming any other template is rejected
 * at load (check.ts), so rendering never meets an unknown name.
 */
import type { HumanAvailability } from '../bot.types.js';
import type { Lang } from '../nlu/types.js';
import type { DialogContent } from './content.js';
import type { SessionState } from './state.js';
import { maskEntityValue } from '../privacy/mask.js';
import { warrantyRules, warrantyStatus, warrantySummary } from './warranty.js';
import { carrierRoutes, portOutNumber } from './selfService.js';
import { spacedBetween, spacedZh } from './cjkSpacing.js';

export interface TemplateEnv {
  content: DialogContent;
  state: SessionState;
  lang: Lang;
  now: Date;
  /** Values only the engine knows at that moment: `topic`, `optionA`, `optionB`. */
  extra?: Partial<Record<'topic' | 'optionA' | 'optionB' | 'ticketId' | 'choices', string>>;
  /** Whether people are at the desk (the turn's context); absent: not known. */
  humans?: () => HumanAvailability;
}

type Render = (env: TemplateEnv) => string;
const t = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);

const carrier = (env: TemplateEnv) => {
  const id = env.state.slots.carrier;
  return id ? env.content.hotlines.carriers[id] : undefined;
};
const brand = (env: TemplateEnv) => {
  const id = env.state.slots.brand;
  return id ? env.content.hotlines.brands[id] : undefined;
};
/** The conversation is about the phone itself: the problem dialog it is in, or came from to the human dialog, declares `hotline: brand`. */
const aboutThePhone = (env: TemplateEnv) => {
  const f = env.state.frame;
  const id = f?.about ?? f?.dialog;
  return id !== undefined && env.content.dialogs.get(id)?.def.hotline === 'brand';
};
const findDevice = (env: TemplateEnv) => {
  const id = env.state.slots.brand;
  return id ? env.content.findDevice.brands[id] : undefined;
};
const statusOf = (e: TemplateEnv) => {
  const date = e.state.slots.purchase_date;
  return date
    ? warrantyStatus(date, e.now, e.content.warranty, e.lang, { brand: e.state.slots.brand, span: e.state.purchaseSpan })
    : null;
};

/** The part the dialog's opening asked about (「屏幕坏了能保修吗」 → the screen, part of the main unit). */
const askedPart = (e: TemplateEnv) => {
  const opening = (e.state.frame?.opening ?? '').toLowerCase();
  return e.content.warranty.asked.find((a) => a.keywords.some((k) => opening.includes(k.toLowerCase())));
};

const withNote = (hotline: string, note: { zh: string; en: string } | undefined, lang: Lang) =>
  !note ? hotline : lang === 'zh' ? `${hotline}（${note.zh}）` : `${hotline} (${note.en})`;

const allCarrierHotlines = (e: TemplateEnv) =>
  Object.values(e.content.hotlines.carriers)
    .map((c) => `${c.name[e.lang]} ${c.hotline}`)
    .join(e.lang === 'zh' ? '、' : ', ');

const repairRoute = (e: TemplateEnv, what: 'book' | 'progress' | 'price') => {
  const r = e.content.warranty.repair;
  if (!r) return t(e.lang, '品牌官网或官方服务 App', "the brand's website or service app");
  const id = e.state.slots.brand;
  return ((id ? r.brands[id] : undefined) ?? r.fallback)[what][e.lang];
};

/** Every template name the content may use. Missing data renders as a generic phrase, never as `{name}`. */
export const TEMPLATES: Readonly<Record<string, Render>> = {
  ticketId: (e) => e.extra?.ticketId ?? e.state.frame?.ticketId ?? e.state.lastTicketId ?? t(e.lang, '（暂无工单）', '(no ticket yet)'),
  carrierName: (e) => carrier(e)?.name[e.lang] ?? t(e.lang, '您的运营商', 'your carrier'),
  /** Unknown carrier: every carrier's number, so the user still has one to call. */
  carrierHotline: (e) => {
    const c = carrier(e);
    return c ? withNote(c.hotline, c.note, e.lang) : allCarrierHotlines(e);
  },
  carrierChannels: (e) => carrier(e)?.channels?.[e.lang] ?? t(e.lang, '运营商官方 App', "the carrier's app"),
  allCarrierHotlines: (e) => allCarrierHotlines(e),
  carrierRoutes: (e) => carrierRoutes(e.content, e.state.slots.carrier, e.lang),
  portOutNumber: (e) => portOutNumber(e.content, e.state.slots.carrier, e.lang),
  /** A clause for reaching the carrier from abroad: its verified roaming line, else its app or website (a bare 10010 with +86 is charged and may not connect). */
  roamingHotline: (e) => {
    const c = carrier(e);
    if (c?.roaming) return t(e.lang, spacedZh`拨打${c.name.zh}国际漫游服务热线 ${c.roaming.hotline}（${c.roaming.note.zh}）`, `call ${c.name.en}'s international roaming line ${c.roaming.hotline} (${c.roaming.note.en})`);
    if (c) return t(e.lang, spacedZh`连上 Wi-Fi 后在${c.channels?.zh ?? spacedZh`${c.name.zh} App`}里联系在线客服，或拨打${c.name.zh}官网公布的境外服务热线`, `use the online chat in ${c.channels?.en ?? `the ${c.name.en} app`} on Wi-Fi, or call the overseas line on ${c.name.en}'s website`);
    const cm = Object.values(e.content.hotlines.carriers).find((x) => x.roaming);
    const example = cm?.roaming ? t(e.lang, spacedZh`（如${cm.name.zh} ${cm.roaming.hotline}，${cm.roaming.note.zh}）`, ` (${cm.name.en}: ${cm.roaming.hotline}, ${cm.roaming.note.en})`) : '';
    return t(e.lang, `连上 Wi-Fi 后在运营商 App 里联系在线客服，或拨打运营商官网公布的境外服务热线${example}`, `use your carrier's app on Wi-Fi, or call the overseas line on its website${example}`);
  },
  brandName: (e) => brand(e)?.name[e.lang] ?? t(e.lang, '手机品牌', 'brand'), // 「an official brand service centre」
  brandHotline: (e) => {
    const b = brand(e);
    return b ? withNote(b.hotline, b.note, e.lang) : t(e.lang, '品牌官方客服热线', "the brand's official hotline");
  },
  /** 「（可拨打华为客服热线 950800 预约）」 when the brand is known, else nothing. */
  brandHotlineHint: (e) => {
    const b = brand(e);
    if (!b) return '';
    return e.lang === 'zh'
      ? spacedZh`（可拨打${b.name.zh}客服热线 ${withNote(b.hotline, b.note, 'zh')} 预约）`
      : ` (call ${b.name.en} on ${withNote(b.hotline, b.note, 'en')} to book)`;
  },
  findDeviceService: (e) => (findDevice(e) ?? e.content.findDevice.fallback).service[e.lang],
  findDeviceAfterErase: (e) => (findDevice(e)?.afterErase ?? e.content.findDevice.fallback.afterErase)[e.lang],
  findDeviceOffline: (e) => findDevice(e)?.offline?.[e.lang] ?? '',
  findDeviceUrl: (e) => {
    const f = findDevice(e);
    return f ? withNote(f.url, f.note, e.lang) : t(e.lang, '品牌官网', "the brand's website");
  },
  purchaseDate: (e) => {
    const span = e.state.purchaseSpan;
    if (span) return t(e.lang, `${span.from} 至 ${span.to} 之间`, `a day between ${span.from} and ${span.to}`);
    return e.state.slots.purchase_date ?? t(e.lang, '购买日期', 'the purchase date');
  },
  imei: (e) => e.state.slots.imei ?? 'IMEI',
  /** 「您问的屏幕属于主机：在保修期内（至 …）」 when the opening named a part; else nothing. */
  askedPart: (e) => {
    const a = askedPart(e);
    const status = statusOf(e);
    const part = a && status?.parts.find((p) => p.id === a.part);
    if (!a || !part) return '';
    const name = a.name[e.lang];
    const same = name === part.name;
    const head = e.lang === 'zh' ? (same ? `您问的${name}：` : `您问的${name}属于${part.name}：`) : same ? `The ${name.toLowerCase()} you asked about: ` : `The ${name.toLowerCase()} you asked about is part of the ${part.name.toLowerCase()}: `;
    if (part.coveredIfFrom) {
      return head + t(e.lang, `如果是 ${part.coveredIfFrom} 及以后买的，还在保修期内（最晚至 ${part.until}），非人为损坏的故障可以免费维修。\n`, `if bought on ${part.coveredIfFrom} or later it is still covered (at most until ${part.until}) and a fault not caused by damage is repaired free.\n`);
    }
    return part.covered
      ? head + t(e.lang, `在保修期内（至 ${part.until}），非人为损坏的故障可以免费维修。\n`, `covered until ${part.until}; a fault not caused by damage is repaired free.\n`)
      : head + t(e.lang, `保修期已于 ${part.until} 结束，维修一般需要付费。\n`, `its warranty ended on ${part.until}, so a repair is normally charged.\n`);
  },
  /** The brand's own policy when data/warranty.yaml has one; else that brands may give more than the statutory minimum. */
  brandPolicy: (e) => {
    const id = e.state.slots.brand;
    const p = id ? e.content.warranty.brands[id] : undefined;
    const floor = t(e.lang, '以上三包期限是国家规定的最低标准', 'These statutory periods are a minimum');
    return p
      ? t(e.lang, `${floor}；${p.policy.zh}`, `${floor}; ${p.policy.en}`)
      : t(e.lang, `${floor}，品牌官方政策可能更长，以品牌官网为准。`, `${floor}; the brand's own policy may give more — check the brand's website.`);
  },
  /** 「退换货还需要带齐包装盒和全部配件」 only while a return or exchange is still possible. */
  exchangeBring: (e) => {
    const s = statusOf(e);
    return s?.canExchange ? t(e.lang, '退换货还需要带齐包装盒和全部配件。', 'For a return or exchange, bring the box and all accessories too.') : '';
  },
  /** 「华为官方售后服务中心」「OPPO 官方售后服务中心」 / "an official Huawei service centre"; "the brand's official service centre" when the brand is unknown. */
  brandCentre: (e) => {
    const b = brand(e);
    return b ? t(e.lang, spacedZh`${b.name.zh}官方售后服务中心`, `an official ${b.name.en} service centre`) : t(e.lang, '品牌官方售后服务中心', "the brand's official service centre");
  },
  /** The brand's official route to book a repair or mail it in (data/warranty.yaml `repair`); the fallback's for other brands. */
  brandRepairBook: (e) => repairRoute(e, 'book'),
  /** Where the brand shows a repair's progress. */
  brandRepairProgress: (e) => repairRoute(e, 'progress'),
  /** Where the brand lists its repair and part prices. */
  brandRepairPrice: (e) => repairRoute(e, 'price'),
  warrantySummary: (e) => {
    const date = e.state.slots.purchase_date;
    const status = date ? warrantyStatus(date, e.now, e.content.warranty, e.lang, { brand: e.state.slots.brand, span: e.state.purchaseSpan }) : null;
    return status
      ? warrantySummary(status, e.content.warranty, e.lang)
      : t(e.lang, '（需要购买日期才能计算）', '(the purchase date is needed to work this out)');
  },
  /** The 三包 windows themselves, for when the purchase date is not known. */
  warrantyRules: (e) => warrantyRules(e.content.warranty, e.lang),
  warrantyBring: (e) => e.content.warranty.bring[e.lang],
  warrantyNotCovered: (e) => e.content.warranty.notCovered[e.lang],
  warrantySource: (e) => e.content.warranty.source[e.lang],
  /**
   * The line that can help when no person can take the chat: the user's
   * carrier's (and their brand's, for the phone itself) when known, else
   * every carrier's.
   */
  fittingHotline: (e) => {
    const c = carrier(e);
    const b = brand(e);
    const cLine = c ? t(e.lang, spacedZh`${c.name.zh}客服热线 ${withNote(c.hotline, c.note, 'zh')}`, `${c.name.en} on ${withNote(c.hotline, c.note, 'en')}`) : '';
    const bLine = b ? t(e.lang, spacedZh`${b.name.zh}客服热线 ${withNote(b.hotline, b.note, 'zh')}`, `${b.name.en} on ${withNote(b.hotline, b.note, 'en')}`) : '';
    // A fault of the phone itself (the problem the user came from says so): its maker's line, never the carrier's.
    if (aboutThePhone(e)) return bLine || t(e.lang, '手机品牌的官方客服热线（品牌官网或手机自带的服务 App 里都能找到）', "the phone maker's official support line (on its website or in the phone's own support app)");
    if (cLine && bLine) return t(e.lang, spacedZh`${cLine}（手机本身的问题可拨打${bLine}）`, `${cLine} (for the phone itself, ${bLine})`);
    return cLine || bLine || t(e.lang, `运营商客服热线（${allCarrierHotlines(e)}）`, `your carrier (${allCarrierHotlines(e)})`);
  },
  /** The call-back number as the user may see it again: masked (the agent who calls sees it in full on the desk). */
  callbackPhone: (e) => (e.state.slots.phone ? maskEntityValue('phone', e.state.slots.phone) : t(e.lang, '您的手机号', 'your number')),
  /**
   * After hours, when people are back (「人工客服明天 09:00 开始接待。」), China time;
   * empty when that is not known.
   */
  deskOpens: (e) => {
    const h = e.humans?.();
    if (!h || h.available || !h.opensAt) return '';
    const when = opensIn(h.opensAt, e.now, e.lang);
    return t(e.lang, `人工客服${when}开始接待。`, ` Agents are back ${when} (China time).`);
  },
  /** The agent whose service is being rated. */
  agentName: (e) => e.state.servedBy ?? t(e.lang, '人工客服', 'our agent'),
  topic: (e) => e.extra?.topic ?? '',
  optionA: (e) => e.extra?.optionA ?? '',
  optionB: (e) => e.extra?.optionB ?? '',
  choices: (e) => e.extra?.choices ?? '',
  /** 「工单…我先帮您结案了」 the first time in a conversation, 「…也一并结案了」 after that: never the same line twice in a row. */
  resolvedNote: (e) => {
    const p = e.content.system.phrases;
    return renderText(((e.state.resolvedCount ?? 0) > 1 ? p.resolvedNoteAgain : p.resolvedNote)[e.lang], e);
  },
};

const chinaParts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `at` said from `now`, both as China calendar days: 今天/明天/后天 09:00, else 12月7日（周一）09:00. */
export function opensIn(at: Date, now: Date, lang: Lang): string {
  const parts = (d: Date) => Object.fromEntries(chinaParts.formatToParts(d).map((p) => [p.type, p.value]));
  const a = parts(at);
  const n = parts(now);
  const dayOf = (p: Record<string, string>) => Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day));
  const days = Math.round((dayOf(a) - dayOf(n)) / 86_400_000);
  const hm = `${a.hour}:${a.minute}`;
  const weekday = new Date(dayOf(a)).getUTCDay();
  if (lang === 'zh') {
    if (days <= 0) return `今天 ${hm} `;
    if (days === 1) return `明天 ${hm} `;
    if (days === 2) return `后天 ${hm} `;
    return `${Number(a.month)}月${Number(a.day)}日（周${'日一二三四五六'[weekday]}）${hm} `;
  }
  if (days <= 0) return `today at ${hm}`;
  if (days === 1) return `tomorrow at ${hm}`;
  return `on ${EN_WEEKDAYS[weekday]} ${Number(a.day)} ${EN_MONTHS[Number(a.month) - 1]} at ${hm}`;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names used in `text` that are not templates. */
export function unknownTemplates(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !(name in TEMPLATES));
}

/**
 * Fills every `{name}`; unknown names are left as written (check.ts keeps them
 * out of content). A value is spaced from Chinese beside it when it starts or
 * ends with Latin text (「登录了 OPPO 账号」, 「登录了华为账号」), so the text
 * itself writes no space around a name that may be Chinese.
 */
export function renderText(text: string, env: TemplateEnv): string {
  return text.replace(PLACEHOLDER, (whole, name: string, at: number) => {
    const render = TEMPLATES[name];
    return render ? spacedBetween(text[at - 1], render(env), text[at + whole.length]) : whole;
  });
}
