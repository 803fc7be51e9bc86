/**
 * The outage banner above the queue: the notices in force, so that an agent
 * tells users what the bot already told them, and the spikes the outage
 * watch detected that no notice covers yet. From the desk socket's `outage`
 * event; a notice past its end is hidden without waiting for the server.
 */
import type { DeskOutage } from '../../../server/protocol.js';
import { h } from './dom.js';
import { lang, t } from './i18n.js';

type Alert = DeskOutage['alerts'][number];
type Notice = DeskOutage['notices'][number];

const CARRIERS = ['cmcc', 'cucc', 'ctcc', 'cbn'] as const;

/** Whether a notice already speaks for the alert's users. */
const covers = (n: Notice, a: Alert) => n.intent === a.intent && (n.carrier === null || n.carrier === a.carrier) && (n.province === null || n.province === a.province);

function who(a: Alert): string {
  const d = t();
  const carrier = CARRIERS.find((c) => c === a.carrier);
  const name = carrier ? d[carrier] : d.anyCarrier;
  return lang === 'zh' ? `${a.province ?? ''}${name}` : `${name}${a.province ? ` in ${a.province}` : ''}`;
}

/** The banner for `o` at `now` (ms), or null when there is nothing to say. */
export function outageBanner(o: DeskOutage | null, now: number): HTMLElement | null {
  if (!o) return null;
  const d = t();
  const [colon, open, close] = lang === 'zh' ? ['：', '（', '）'] : [': ', ' (', ')'];
  const notices = o.notices.filter((n) => Date.parse(n.endsAt) > now);
  const alerts = o.alerts.filter((a) => !notices.some((n) => covers(n, a)));
  if (notices.length === 0 && alerts.length === 0) return null;
  return h(
    'section',
    { class: 'outage-banner', role: 'status', 'aria-live': 'polite' },
    notices.map((n) =>
      h('p', { class: 'outage-notice', 'data-notice': n.id }, h('strong', {}, `${d.outageNotice}${colon}`), n.text[lang], h('span', { class: 'muted' }, `${open}${d.outageNoticeHint}${close}`)),
    ),
    alerts.map((a) => h('p', { class: 'outage-alert', 'data-alert': a.key }, h('strong', {}, `${d.outageAlert}${colon}`), d.outageAlertLine(who(a), a.current, a.expected))),
  );
}
