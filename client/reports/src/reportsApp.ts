/**
 * The signed-in reports page: the header (tabs, language, back to the desk),
 * the range (from, to, by day or hour) with the CSV exports for it, and the
 * open tab. The address holds the tab and the range, so a report is a link.
 */
import { fill, h } from '../../desk/src/dom.js';
import { logout, type Session } from '../../desk/src/api.js';
import { errorText, lang, setLang, t } from '../../desk/src/i18n.js';
import * as api from './api.js';
import { disposeCharts } from './charts.js';
import { conversationView } from './conversation.js';
import { funnelsView } from './funnels.js';
import { r } from './i18n.js';
import { inboxView } from './inbox.js';
import { outageView } from './outage.js';
import { overviewView } from './overview.js';
import { chinaDay, parseRoute, routeHref, type Route, type Tab } from './route.js';

/** How often the open tab asks for its numbers again. */
const REFRESH_MS = 30_000;

/** Draws the reports for the signed-in admin `me` into `root`; `signOut` runs after signing out. */
export function startReports(root: HTMLElement, me: Session['agent'], signOut: () => void): void {
  let route: Route = parseRoute(location);
  let stop: () => void = () => {};
  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  const header = h('header', { class: 'top' });
  const bar = h('div', { class: 'range-bar' });
  const main = h('main', { class: 'main reports-main' });
  const flashEl = h('div', { class: 'flash', role: 'alert', hidden: true });
  fill(root, header, bar, main, flashEl);

  const flash = (text: string, kind: 'error' | 'info' = 'info') => {
    flashEl.textContent = text;
    flashEl.dataset.kind = kind;
    flashEl.hidden = false;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => (flashEl.hidden = true), 6000);
  };

  // Pages this page pushed: "back" from a conversation stays on the page when it came from it.
  let pushed = 0;
  const go = (next: Route, push = true) => {
    route = next;
    if (push) {
      history.pushState(null, '', routeHref(next));
      pushed++;
    }
    draw();
  };
  window.addEventListener('popstate', () => go(parseRoute(location), false));

  // The outage watch's alerts show on its tab whichever tab is open.
  let alertCount = 0;
  const watchAlerts = () =>
    api.outage().then(
      (o) => {
        if (o.alerts.length === alertCount) return;
        alertCount = o.alerts.length;
        drawHeader();
      },
      () => undefined,
    );
  setInterval(() => !document.hidden && void watchAlerts(), REFRESH_MS);

  const drawHeader = () => {
    const w = r();
    document.title = w.title;
    const tab = (t: Tab, badge = 0) =>
      h(
        'a',
        { class: 'tab button', 'data-tab': t, href: routeHref({ tab: t, range: route.range }), 'aria-current': route.tab === t ? 'page' : undefined, onclick: (e: MouseEvent) => (e.preventDefault(), go({ tab: t, range: route.range })) },
        w[`tab_${t}`],
        badge > 0 && h('span', { class: 'tab-badge', 'aria-label': w.alerts }, String(badge)),
      );
    fill(
      header,
      h('h1', {}, w.title),
      h('nav', { class: 'tabs' }, tab('overview'), tab('funnels'), tab('inbox'), tab('outage', alertCount)),
      h(
        'div',
        { class: 'who' },
        h('span', { class: 'me' }, me.name),
        h('a', { class: 'button', href: '/desk' }, w.backToDesk),
        h('button', { class: 'lang', onclick: () => (setLang(lang === 'zh' ? 'en' : 'zh'), draw()) }, lang === 'zh' ? 'English' : '中文'),
        h('button', { class: 'logout', onclick: () => void logout().then(signOut) }, t().logout),
      ),
    );
  };

  const drawBar = () => {
    const w = r();
    const from = h('input', { type: 'date', name: 'from', value: route.range.from, required: true });
    const to = h('input', { type: 'date', name: 'to', value: route.range.to, required: true });
    const by = h('select', { name: 'by' }, h('option', { value: 'day', selected: route.range.by === 'day' }, w.byDay), h('option', { value: 'hour', selected: route.range.by === 'hour' }, w.byHour));
    const set = (range: api.Range) => {
      // Said here in the page's language; the server refuses the same ranges (400).
      if (range.to < range.from) return flash(w.reversed, 'error');
      if ((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1 > 366) return flash(w.tooLong, 'error');
      go({ ...route, range } as Route);
    };
    const csv = (file: 'conversations' | 'tickets' | 'ratings') => h('a', { class: 'button csv', href: api.csvLink(file, route.range), download: '', 'data-csv': file }, w[`csv_${file}`]);
    fill(
      bar,
      h(
        'form',
        { class: 'range', onsubmit: (e: Event) => (e.preventDefault(), set({ from: from.value, to: to.value, by: by.value === 'hour' ? 'hour' : 'day' })) },
        h('label', {}, w.from, from),
        h('label', {}, w.to, to),
        h('label', {}, w.by, by),
        h('button', { class: 'primary', type: 'submit' }, w.apply),
        h('button', { type: 'button', onclick: () => set({ from: chinaDay(0), to: chinaDay(0), by: 'hour' }) }, w.today),
        h('button', { type: 'button', onclick: () => set({ from: chinaDay(6), to: chinaDay(0), by: 'day' }) }, w.last7),
      ),
      h('div', { class: 'exports' }, h('span', { class: 'muted' }, w.exportCsv), csv('conversations'), csv('tickets'), csv('ratings')),
    );
  };

  const failed = (e: api.DeskError) => fill(main, h('p', { class: 'error' }, errorText(e.code, e.message)));

  function draw(): void {
    stop();
    stop = () => {};
    disposeCharts();
    drawHeader();
    drawBar();
    const w = r();
    const current = route;
    const still = () => current === route;
    bar.hidden = current.tab === 'outage' || current.tab === 'conversation';
    fill(main, h('p', { class: 'muted loading' }, w.loading));
    // Redrawn only when the numbers changed, so the page fills as conversations happen without flicker.
    const polled = <T,>(load: () => Promise<T>, view: (x: T) => HTMLElement) => {
      let last = '';
      const show = () =>
        load().then((x) => {
          const json = JSON.stringify(x);
          if (!still() || json === last) return;
          last = json;
          disposeCharts();
          fill(main, view(x));
        }, (e: api.DeskError) => still() && failed(e));
      void show();
      const timer = setInterval(() => !document.hidden && void show(), REFRESH_MS);
      stop = () => clearInterval(timer);
    };
    if (current.tab === 'overview') polled(() => api.stats(current.range), overviewView);
    else if (current.tab === 'funnels') polled(() => api.funnels(current.range, lang), (f) => funnelsView(f, api.csvLink('funnels', current.range, lang)));
    else if (current.tab === 'inbox') {
      const v = inboxView({ range: current.range, flash, open: (link) => go(parseRoute(new URL(`${link}?${new URLSearchParams({ ...current.range })}`, location.href))) });
      stop = v.stop;
      fill(main, v.el);
    } else if (current.tab === 'outage') {
      const v = outageView(flash);
      stop = v.stop;
      fill(main, v.el);
    } else if ('sessionId' in current) fill(main, conversationView(current.sessionId, () => (pushed > 0 ? history.back() : go({ tab: 'inbox', range: current.range }))));
  }

  draw();
  void watchAlerts();
}
