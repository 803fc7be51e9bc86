/**
 * Where the bot gives up: per problem dialog, how many reached each step, and
 * the nodes where users left it — each named by the question it asks, in the
 * page's language (the server's names); its id shows on hover and in the CSV.
 */
import { STEPS } from '../../../server/protocol.js';
import { h } from '../../desk/src/dom.js';
import type { Funnel } from './api.js';
import { barsChart, COLORS } from './charts.js';
import { intentName, r } from './i18n.js';

const stepName = (step: string) => (r() as unknown as Record<string, string>)[`step_${step}`] ?? step;

function nodes(dialog: string, title: string, kind: string, list: Funnel['handover']): HTMLElement {
  const item = (n: Funnel['handover'][number]) =>
    h(
      'li',
      { 'data-node': n.node, title: `${dialog}.${n.node}` },
      n.title ? h('span', { class: 'node-title' }, n.title) : h('code', {}, n.node),
      h('span', { class: 'muted' }, ` ${r().times(n.count)}`),
    );
  return h('div', { class: 'gives-up', 'data-kind': kind }, h('h3', {}, title), list.length === 0 ? h('p', { class: 'muted' }, r().none) : h('ol', {}, list.map(item)));
}

/** One panel per dialog, most entered first: its steps as bars, and its give-up nodes; `csv` is the funnels' export. */
export function funnelsView(funnels: Funnel[], csv: string): HTMLElement {
  const w = r();
  if (funnels.length === 0) return h('p', { class: 'muted empty' }, w.noData);
  return h(
    'div',
    { class: 'funnels' },
    h('p', { class: 'muted intro' }, w.funnelsIntro, ' ', h('a', { class: 'button csv', href: csv, download: '', 'data-csv': 'funnels' }, w.csv_funnels)),
    funnels.map((f) =>
      h(
        'section',
        { class: 'panel funnel', 'data-dialog': f.dialog },
        h('h2', {}, f.title ?? intentName(f.dialog), h('span', { class: 'muted' }, ` ${f.dialog} · ${w.entered(f.entered)}`)),
        h(
          'div',
          { class: 'funnel-body' },
          barsChart(f.title ?? intentName(f.dialog), [...STEPS, 'rated'].map((s) => ({ name: stepName(s), value: f.reached[s] ?? 0 })), COLORS.brand, true),
          h('div', { class: 'funnel-nodes' }, nodes(f.dialog, w.givesUpHandover, 'handover', f.handover), nodes(f.dialog, w.givesUpAbandoned, 'abandoned', f.abandoned), nodes(f.dialog, w.givesUpNotUnderstood, 'notUnderstood', f.notUnderstood)),
        ),
      ),
    ),
  );
}
