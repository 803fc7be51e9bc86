/**
 * Carrier questions outside the six problems (dialogs/data/self-service.yaml):
 * a message no dialog took that names a bill, a plan, a number service or
 * broadband gets the carrier's official self-service routes, never the
 * out-of-scope dead end.
 */
import type { Lang } from '../nlu/types.js';
import type { DialogContent } from './content.js';
import { containsUnnegated } from './match.js';
import type { SelfService } from './schema.js';

export type SelfServiceTopic = SelfService['topics'][number];

/** The topic whose longest unnegated keyword the message contains. */
export function matchSelfService(content: DialogContent, text: string): SelfServiceTopic | null {
  let best: { topic: SelfServiceTopic; length: number } | null = null;
  for (const topic of content.selfService.topics) {
    for (const k of topic.keywords) {
      if (containsUnnegated(text, k) && (!best || k.length > best.length)) best = { topic, length: k.length };
    }
  }
  return best?.topic ?? null;
}

const t = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);

/** The known carrier's app and hotline, else every carrier's. */
export function carrierRoutes(content: DialogContent, carrierId: string | undefined, lang: Lang): string {
  const known = carrierId ? content.hotlines.carriers[carrierId] : undefined;
  if (known) {
    return t(lang, `${known.channels?.zh ?? `${known.name.zh} App`}（或拨打 ${known.hotline}）`, `${known.channels?.en ?? `the ${known.name.en} app`} (or by calling ${known.hotline})`);
  }
  const all = Object.values(content.hotlines.carriers).map((c) => t(lang, `${c.name.zh} App / ${c.hotline}`, `${c.name.en}: its app or ${c.hotline}`));
  return t(lang, `您所用运营商的官方 App 或热线（${all.join('、')}）`, `your carrier's app or hotline (${all.join('; ')})`);
}

/** Where the 携号转网 SMS goes: the known carrier's number, else each carrier's. */
export function portOutNumber(content: DialogContent, carrierId: string | undefined, lang: Lang): string {
  const sms = content.selfService.carriers;
  const known = carrierId ? sms[carrierId] : undefined;
  if (carrierId && known) return known.portOutSms;
  const list = Object.entries(sms).map(([id, v]) => `${content.hotlines.carriers[id]?.name[lang] ?? id} ${v.portOutSms}`);
  return t(lang, `您号码所属运营商的客服号码（${list.join('、')}）`, `your number's carrier (${list.join(', ')})`);
}
