/**
 * The outage watch: the alerts the server's rule raised (a spike of "no
 * network" for one carrier, and province when users name it), the notices
 * in force, and a form to publish one with an end time. Polled while open.
 */
import { clock, fill, h } from '../../desk/src/dom.js';
import { errorText, lang } from '../../desk/src/i18n.js';
import { PROVINCE_NAMES } from '../../../server/nlu/entities/places.js';
import * as api from './api.js';
import { intentName, r } from './i18n.js';

const CARRIERS = ['cmcc', 'cucc', 'ctcc', 'cbn'] as const;
const carrierName = (c: string | null) => (c ? ((r() as unknown as Record<string, string>)[c] ?? c) : r().anyCarrier);

/** A datetime-local value, `hours` from now in the browser's time. */
function localInput(hours: number): string {
  const d = new Date(Date.now() + hours * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The outage tab; `stop` ends its polling when another tab opens. */
export function outageView(flash: (text: string, kind?: 'error' | 'info') => void): { el: HTMLElement; stop(): void } {
  const w = r();
  const alertsEl = h('section', { class: 'panel alerts' });
  const noticesEl = h('section', { class: 'panel notices' });
  const carrier = h('select', { name: 'carrier' }, h('option', { value: '' }, w.anyCarrier), CARRIERS.map((c) => h('option', { value: c }, carrierName(c))));
  const province = h('select', { name: 'province' }, h('option', { value: '' }, w.anyProvince), PROVINCE_NAMES.map((p) => h('option', { value: p }, p)));
  const endsAt = h('input', { type: 'datetime-local', name: 'endsAt', required: true, value: localInput(2) });
  const submit = h('button', { class: 'primary', type: 'submit' }, w.publish);
  const form = h(
    'form',
    {
      class: 'panel publish',
      onsubmit: (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        api
          .publishNotice({ carrier: carrier.value || null, province: province.value || null, endsAt: new Date(endsAt.value).toISOString() })
          .then(
            (n) => flash(`${w.published}：${n.text[lang]}`),
            (err: api.DeskError) => flash(errorText(err.code, err.message), 'error'),
          )
          .finally(() => {
            submit.disabled = false;
            void refresh();
          });
      },
    },
    h('h2', {}, w.publish),
    h('p', { class: 'muted' }, w.publishIntro),
    h('div', { class: 'form-row' }, h('label', {}, w.carrier, carrier), h('label', {}, w.province, province), h('label', {}, w.endsAt, endsAt), submit),
  );

  const alertItem = (a: api.OutageAlert) =>
    h(
      'li',
      { class: 'alert', 'data-key': a.key },
      h('strong', {}, `${a.province ?? ''}${a.province ? ' · ' : ''}${carrierName(a.carrier)} · ${intentName(a.intent)}`),
      h('span', {}, w.alertLine(a.current, Math.round(a.expected * 10) / 10)),
      h('span', { class: 'muted' }, `${w.since} ${clock(a.since, lang)}`),
      h('button', {
        type: 'button',
        onclick: () => {
          carrier.value = a.carrier ?? '';
          province.value = a.province ?? '';
          endsAt.focus();
        },
      }, w.publishFor),
    );
  const noticeItem = (n: api.Notice) =>
    h(
      'li',
      { class: 'notice-item', 'data-notice': n.id },
      h('p', {}, n.text[lang]),
      h('span', { class: 'muted' }, `${w.endsAt} ${clock(n.endsAt, lang)} · ${w.publishedBy} ${n.publishedBy}`),
      h('button', {
        type: 'button',
        onclick: () =>
          api.endNotice(n.id).then(
            () => (flash(w.ended), void refresh()),
            (err: api.DeskError) => flash(errorText(err.code, err.message), 'error'),
          ),
      }, w.endNotice),
    );

  async function refresh(): Promise<void> {
    try {
      const o = await api.outage();
      fill(
        alertsEl,
        h('h2', {}, w.alerts),
        h('p', { class: 'muted' }, w.rule(o.rule.windowMs / 60_000, o.rule.factor, o.rule.minCount)),
        o.alerts.length === 0 ? h('p', { class: 'muted' }, w.noAlerts) : h('ul', {}, o.alerts.map(alertItem)),
      );
      fill(noticesEl, h('h2', {}, w.notices), o.notices.length === 0 ? h('p', { class: 'muted' }, w.noNotices) : h('ul', {}, o.notices.map(noticeItem)));
    } catch (e) {
      const err = e as api.DeskError;
      fill(alertsEl, h('p', { class: 'error' }, errorText(err.code, err.message)));
    }
  }
  void refresh();
  const timer = setInterval(() => void refresh(), 30_000);
  return { el: h('div', { class: 'outage' }, alertsEl, noticesEl, form), stop: () => clearInterval(timer) };
}
