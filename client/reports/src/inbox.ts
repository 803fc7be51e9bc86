/**
 * The fix-the-bot inbox: groups of lines the bot did not place, with counts
 * and a link to a conversation; an admin labels a group with an intent or
 * "out of scope", and exports the labelled lines as a patch for the content.
 */
import { fill, h } from '../../desk/src/dom.js';
import { errorText } from '../../desk/src/i18n.js';
import * as api from './api.js';
import { intentName, r } from './i18n.js';

export interface InboxHost {
  range: api.Range;
  flash(text: string, kind?: 'error' | 'info'): void;
  /** Opens a conversation on this page (the group's link). */
  open(link: string): void;
}

/** A YAML list item for intents/lexicon/out_of_scope.yaml; quoted (JSON is YAML) when YAML would read it otherwise. */
export function yamlItem(text: string): string {
  const plain = !/^[-?:,[\]{}#&*!|>'"%@\s]|[:#]\s|:$|\s$/.test(text) && !text.startsWith('`');
  return `  - ${plain ? text : JSON.stringify(text)}`;
}

function download(name: string, text: string, label: string): HTMLElement {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  return h('a', { class: 'button', href: url, download: name }, label);
}

function patchView(p: Awaited<ReturnType<typeof api.inboxPatch>>, day: string): HTMLElement {
  const w = r();
  const yaml = p.outOfScope.map(yamlItem).join('\n') + (p.outOfScope.length ? '\n' : '');
  return h(
    'section',
    { class: 'panel patch' },
    h('h2', {}, `${w.exportPatch} · ${w.patchCount(p.count)}`),
    h('p', { class: 'muted' }, w.patchIntro),
    h('h3', {}, w.patchEval),
    h('pre', { class: 'patch-eval' }, p.evaluation),
    download(`kefu-inbox-${day}.tsv`, p.evaluation, `${w.patchEval} (.tsv)`),
    h('h3', {}, w.patchOutOfScope),
    h('pre', { class: 'patch-oos' }, yaml || w.none),
    p.outOfScope.length > 0 && download(`kefu-out-of-scope-${day}.yaml`, yaml, `${w.patchOutOfScope} (.yaml)`),
  );
}

function groupView(g: api.InboxGroup, labels: string[], host: InboxHost, redraw: () => void): HTMLElement {
  const w = r();
  // The current label, else the dialog most of the lines were in (a line before a hand-over often belongs there); never a silent default.
  const dialogs = new Map<string, number>();
  for (const l of g.lines) if (l.dialog && labels.includes(l.dialog)) dialogs.set(l.dialog, (dialogs.get(l.dialog) ?? 0) + 1);
  const suggested = g.label ?? [...dialogs].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const choice = h(
    'select',
    { name: 'label', 'aria-label': w.labelAs, onchange: () => (save.disabled = !choice.value) },
    h('option', { value: '', disabled: true }, w.pickLabel),
    labels.map((l) => h('option', { value: l }, l === 'out_of_scope' ? w.outOfScope : `${intentName(l)} · ${l}`)),
  );
  choice.value = suggested;
  const save = h('button', {
    class: 'primary',
    onclick: () => {
      save.disabled = true;
      api.label([...new Set(g.lines.map((l) => l.text))], choice.value).then(
        () => redraw(),
        (e: api.DeskError) => {
          save.disabled = false;
          host.flash(errorText(e.code, e.message), 'error');
        },
      );
    },
  }, w.save);
  save.disabled = !choice.value;
  const link = (href: string, text: string) => h('a', { href, onclick: (e: MouseEvent) => { if (e.button === 0 && !e.metaKey && !e.ctrlKey) { e.preventDefault(); host.open(href); } } }, text);
  const whys = [...new Set(g.lines.map((l) => l.why))];
  return h(
    'li',
    { class: 'group', 'data-group': g.id, 'data-count': String(g.count) },
    h(
      'div',
      { class: 'group-head' },
      h('span', { class: 'group-count', title: w.times(g.count) }, String(g.count)),
      h('strong', { class: 'group-text' }, g.text),
      whys.map((x) => h('span', { class: `chip why--${x}` }, (w as unknown as Record<string, string>)[`why_${x}`] ?? x)),
      h('span', { class: `group-label${g.label ? ' group-label--done' : ''}` }, g.label ? `${w.labelled}：${g.label === 'out_of_scope' ? w.outOfScope : intentName(g.label)}` : w.unlabelled),
    ),
    h(
      'div',
      { class: 'group-actions' },
      link(g.link, w.openConversation),
      h('label', {}, w.labelAs, choice),
      save,
    ),
    g.lines.length > 1 &&
      h(
        'details',
        {},
        h('summary', {}, w.times(g.lines.length)),
        h('ul', { class: 'group-lines' }, g.lines.map((l) => h('li', {}, link(`/desk/reports/conversations/${encodeURIComponent(l.sessionId)}`, l.text), l.node && h('span', { class: 'muted' }, ` · ${l.dialog}/${l.node}`)))),
      ),
  );
}

/** The inbox tab; asks again every 30 s until the admin starts choosing labels (a redraw would undo the choice). */
export function inboxView(host: InboxHost): { el: HTMLElement; stop(): void } {
  const w = r();
  const el = h('div', { class: 'inbox', onchange: () => (touched = true) }, h('p', { class: 'muted' }, w.loading));
  const patch = h('div', { class: 'patch-slot' });
  let touched = false;
  let last = '';
  const draw = () =>
    api.inbox(host.range).then(
      (x) => {
        const json = JSON.stringify(x);
        if (json === last) return;
        last = json;
        touched = false;
        fill(
          el,
          h('p', { class: 'muted intro' }, w.inboxIntro),
          h(
            'div',
            { class: 'inbox-actions' },
            h('button', {
              class: 'export-patch',
              onclick: () => api.inboxPatch(host.range).then((p) => fill(patch, patchView(p, host.range.to)), (e: api.DeskError) => host.flash(errorText(e.code, e.message), 'error')),
            }, w.exportPatch),
          ),
          x.groups.length === 0 ? h('p', { class: 'muted empty' }, w.inboxEmpty) : h('ol', { class: 'groups' }, x.groups.map((g) => groupView(g, x.labels, host, () => void draw()))),
          patch,
        );
      },
      (e: api.DeskError) => fill(el, h('p', { class: 'error' }, errorText(e.code, e.message))),
    );
  void draw();
  const timer = setInterval(() => !document.hidden && !touched && void draw(), 30_000);
  return { el, stop: () => clearInterval(timer) };
}
