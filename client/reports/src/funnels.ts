/** Where the bot gives up: per problem dialog, how many reached each step, and the nodes where users left it. */
import { STEPS } from '../../../server/protocol.js';
import { h } from '../../desk/src/dom.js';
import type { Funnel } from './api.js';
import { barsChart, COLORS } from './charts.js';
import { intentName, r } from './i18n.js';

const stepName = (step: string) => (r() as unknown as Record<string, string>)[`step_${step}`] ?? step;

function nodes(title: string, kind: string, list: Funnel['handover']): HTMLElement {
  return h(
    'div',
    { class: 'gives-up', 'data-kind': kind },
    h('h3', {}, title),
    list.length === 0 ? h('p', { class: 'muted' }, r().none) : h('ol', {}, list.map((n) => h('li', {}, h('code', {}, n.node), ` ${r().times(n.count)}`))),
  );
}

/** One panel per dialog, most entered first: its steps as bars, and its give-up nodes. */
export function funnelsView(funnels: Funnel[]): HTMLElement {
  const w = r();
  if (funnels.length === 0) return h('p', { class: 'muted empty' }, w.noData);
  return h(
    'div',
    { class: 'funnels' },
    h('p', { class: 'muted intro' }, w.funnelsIntro),
    funnels.map((f) =>
      h(
        'section',
        { class: 'panel funnel', 'data-dialog': f.dialog },
        h('h2', {}, `${intentName(f.dialog)}`, h('span', { class: 'muted' }, ` ${f.dialog} · ${w.entered(f.entered)}`)),
        h(
          'div',
          { class: 'funnel-body' },
          barsChart(intentName(f.dialog), [...STEPS, 'rated'].map((s) => ({ name: stepName(s), value: f.reached[s] ?? 0 })), COLORS.brand, true),
          h('div', { class: 'funnel-nodes' }, nodes(w.givesUpHandover, 'handover', f.handover), nodes(w.givesUpAbandoned, 'abandoned', f.abandoned), nodes(w.givesUpNotUnderstood, 'notUnderstood', f.notUnderstood)),
        ),
      ),
    ),
  );
}
