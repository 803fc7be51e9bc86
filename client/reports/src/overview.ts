/**
 * The overview: the numbers of GET /api/desk/stats as cards, the trend by
 * day or hour, the intents and the CSAT distribution. Nothing is computed
 * here but formatting: the page shows the API's own numbers.
 */
import { h } from '../../desk/src/dom.js';
import type { Durations, Stats } from './api.js';
import { barsChart, COLORS, groupedChart, seriesChart } from './charts.js';
import { duration, intentName, percent, r } from './i18n.js';

function metric(key: string, label: string, value: string, sub = ''): HTMLElement {
  return h(
    'div',
    { class: 'metric', 'data-metric': key },
    h('span', { class: 'metric-label' }, label),
    h('strong', { class: 'metric-value' }, value),
    sub && h('span', { class: 'metric-sub muted' }, sub),
  );
}

function timing(key: string, label: string, d: Durations): HTMLElement {
  const w = r();
  return metric(key, label, duration(d.median), `${w.p90} ${duration(d.p90)} · ${w.samples(d.count)}`);
}

/** The overview of one stats answer: cards, then the charts (none when the range is empty). */
export function overviewView(s: Stats): HTMLElement {
  const w = r();
  const noticesReached = Object.values(s.notices).reduce((a, b) => a + b, 0);
  const cards = h(
    'section',
    { class: 'metrics', 'aria-label': w.tab_overview },
    metric('conversations', w.conversations, String(s.conversations)),
    metric('containmentRate', w.containment, percent(s.containmentRate), w.ofConversations(s.contained, s.conversations)),
    metric('handoverRate', w.handover, percent(s.handoverRate), w.ofConversations(s.handovers, s.conversations)),
    metric('fallbackRate', w.fallback, percent(s.fallbackRate), w.ofTurns(s.fallbacks, s.turns)),
    metric('csat', w.csatAverage, s.csat.average === null ? '—' : s.csat.average.toFixed(2), w.ratings(s.csat.count)),
    timing('queueWait', w.queueWait, s.queue.wait),
    timing('firstResponse', w.firstResponse, s.agents.firstResponse),
    timing('resolution', w.resolution, s.agents.resolution),
    metric('abandoned', w.abandoned, String(s.queue.abandoned), percent(s.queue.abandonmentRate)),
    metric('callbacks', w.callbacks, String(s.callbacks.requested), w.callbacksLine(s.callbacks.pending, s.callbacks.done)),
    metric('complaints', w.complaints, String(s.complaints)),
    metric('notices', w.noticesReached, String(noticesReached)),
  );
  if (s.conversations === 0) return h('div', { class: 'overview' }, cards, h('p', { class: 'muted empty' }, w.noData));

  const buckets = s.series.map((p) => p.bucket);
  // One count per conversation: the topic it opened with (answers such as 「是的」 are never counted).
  const intents = [...Object.entries(s.intents).map(([id, value]) => ({ name: intentName(id), value })), ...(s.noTopic > 0 ? [{ name: w.noTopic, value: s.noTopic }] : [])];
  const stars = ['1', '2', '3', '4', '5'] as const;
  return h(
    'div',
    { class: 'overview' },
    cards,
    h(
      'section',
      { class: 'panel panel--wide', 'data-chart': 'trend' },
      h('h2', {}, w.trend),
      seriesChart(w.trend, buckets, [
        { name: w.trendContained, values: s.series.map((p) => p.contained), color: COLORS.good, kind: 'bar' },
        { name: w.trendHandover, values: s.series.map((p) => p.handovers), color: COLORS.warn, kind: 'bar' },
        { name: w.trendFallback, values: s.series.map((p) => p.fallbacks), color: COLORS.bad, kind: 'line' },
      ]),
    ),
    h('div', { class: 'panels' },
      h('section', { class: 'panel', 'data-chart': 'intents' }, h('h2', {}, w.intents), h('p', { class: 'muted chart-note' }, w.intentsNote), intents.length ? barsChart(w.intents, intents) : h('p', { class: 'muted' }, w.none)),
      h(
        'section',
        { class: 'panel', 'data-chart': 'csat' },
        h('h2', {}, w.csat),
        groupedChart(w.csat, stars.map((n) => w.stars(n)), [
          { name: `${w.csatBot} · ${s.csat.bot.count}`, values: stars.map((n) => s.csat.bot.distribution[n]), color: COLORS.brand },
          { name: `${w.csatAgent} · ${s.csat.agent.count}`, values: stars.map((n) => s.csat.agent.distribution[n]), color: COLORS.good },
        ]),
      ),
    ),
  );
}
