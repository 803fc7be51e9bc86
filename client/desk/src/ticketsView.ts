/**
 * Tickets (service, complaint, call-back): filters, the list, and one
 * ticket's detail with every status change and note and its conversation;
 * the call-backs due, marked done by the agent who calls.
 */
import * as api from './api.js';
import { clock, fill, h } from './dom.js';
import { errorText, lang, t } from './i18n.js';
import { lineView, lines } from './transcript.js';

const STATUSES = ['open', 'resolved', 'escalated', 'closed'];
const KINDS = ['service', 'complaint', 'callback'];
const word = (k: string) => (t() as unknown as Record<string, string>)[k] ?? k.replace(/^\w+_/, '');

export function ticketsView(flash: (s: string, k?: 'error' | 'info') => void): HTMLElement {
  const d = t();
  const root = h('section', { class: 'tickets' });
  const list = h('div', { class: 'ticket-list' });
  const detail = h('div', { class: 'ticket-detail' });
  const select = (name: string, options: string[], prefix: string) =>
    h('label', {}, (d as unknown as Record<string, string>)[name] ?? name, h('select', { name }, h('option', { value: '' }, d.all), options.map((o) => h('option', { value: o }, word(`${prefix}_${o}`)))));
  const form = h(
    'form',
    { class: 'filters', onsubmit: (e: Event) => (e.preventDefault(), void load()) },
    select('status', STATUSES, 'st'),
    select('kind', KINDS, 'k'),
    h('label', {}, d.intent, h('input', { name: 'intent', size: 12 })),
    h('label', {}, d.from, h('input', { name: 'from', type: 'date' })),
    h('label', {}, d.to, h('input', { name: 'to', type: 'date' })),
    h('label', {}, d.idSearch, h('input', { name: 'id', type: 'search', size: 14 })),
    h('button', { class: 'primary', type: 'submit' }, d.search),
  );
  const load = async () => {
    const f = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
    try {
      const rows = await api.tickets(f, lang);
      fill(
        list,
        rows.length === 0
          ? h('p', { class: 'muted' }, d.noTickets)
          : h(
              'table',
              {},
              h('thead', {}, h('tr', {}, [d.ticket, d.kind, d.status, d.intent, d.summary, d.updated].map((c) => h('th', {}, c)))),
              h('tbody', {}, rows.map((r) => h('tr', { class: 'ticket-row', 'data-id': r.id, onclick: () => void show(r.id) }, h('td', {}, r.id), h('td', {}, word(`k_${r.kind}`)), h('td', {}, word(`st_${r.status}`)), h('td', { title: r.intent }, r.topic ?? r.intent), h('td', { class: 'clip' }, r.summary), h('td', {}, clock(r.updatedAt, lang))))),
            ),
      );
    } catch (e) {
      flash(errorText((e as api.DeskError).code), 'error');
    }
  };
  const show = async (id: string) => {
    try {
      const { ticket, conversation } = await api.ticketDetail(id);
      fill(
        detail,
        h('h2', {}, `${ticket.id} · ${word(`k_${ticket.kind}`)} · ${word(`st_${ticket.status}`)}`),
        h('p', {}, h('strong', {}, `${d.summary}：`), ticket.summary),
        ticket.tried.length > 0 && h('div', {}, h('strong', {}, d.tried), h('ol', {}, ticket.tried.map((s) => h('li', {}, s)))),
        h('h3', {}, d.history),
        h('ol', { class: 'ticket-history' }, h('li', {}, `${clock(ticket.createdAt, lang)} · ${d.opened}`), ticket.notes.map((n) => h('li', {}, `${clock(n.at, lang)} · ${word(`st_${n.status}`)} · ${n.by}`, n.note && h('div', { class: 'muted' }, n.note)))),
        h('h3', {}, d.conversation),
        h('ol', { class: 'log log--static' }, lines(conversation.transcript, conversation.notes).map(lineView)),
      );
    } catch (e) {
      flash(errorText((e as api.DeskError).code), 'error');
    }
  };
  fill(root, form, h('div', { class: 'tickets-body' }, list, detail));
  void load();
  return root;
}

export function callbacksView(flash: (s: string, k?: 'error' | 'info') => void): HTMLElement {
  const d = t();
  const root = h('section', { class: 'callbacks' });
  const shown = new Map<number, string>(); // numbers this agent asked for in full, to call
  const load = async () => {
    try {
      const rows = await api.callbacks();
      fill(
        root,
        h('h2', {}, d.callbacks),
        h('p', { class: 'muted' }, d.callHint),
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, [d.ticket, d.phone, d.preferred, d.reason, d.status, ''].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            rows.map((r) =>
              h(
                'tr',
                { class: 'callback-row', 'data-id': String(r.id) },
                h('td', {}, r.ticketId),
                h('td', { class: 'phone' }, shown.has(r.id) ? h('a', { href: `tel:${shown.get(r.id)}` }, shown.get(r.id)) : r.phone),
                h('td', {}, r.preferredTime),
                h('td', { class: 'clip' }, r.reason),
                h('td', {}, `${word(`cb_${r.status}`)}${r.doneBy ? ` · ${r.doneBy}` : ''}`),
                h(
                  'td',
                  {},
                  r.status === 'pending' && [
                    !shown.has(r.id) && h('button', { class: 'call-now', title: d.callHint, onclick: () => void reveal(r.id) }, d.callNow),
                    h('button', { class: 'primary', onclick: () => void finish(r.id, 'done') }, d.markDone),
                    h('button', { onclick: () => void finish(r.id, 'failed') }, d.markFailed),
                  ],
                ),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      flash(errorText((e as api.DeskError).code), 'error');
    }
  };
  const reveal = async (id: number) => {
    try {
      shown.set(id, await api.callbackNumber(id));
      await load();
    } catch (e) {
      flash(errorText((e as api.DeskError).code), 'error');
    }
  };
  const finish = async (id: number, status: 'done' | 'failed') => {
    try {
      await api.finishCallback(id, status);
      await load();
    } catch (e) {
      flash(errorText((e as api.DeskError).code), 'error');
    }
  };
  void load();
  return root;
}

export function adminView(flash: (s: string, k?: 'error' | 'info') => void): HTMLElement {
  const d = t();
  const root = h('section', { class: 'admin' });
  void Promise.all([api.agents(), api.audit()]).then(
    ([agents, audit]) =>
      fill(
        root,
        h('h2', {}, d.agents),
        h('table', {}, h('tbody', {}, (agents as Record<string, unknown>[]).map((a) => h('tr', {}, h('td', {}, String(a.login)), h('td', {}, String(a.name)), h('td', {}, word(String(a.presence))), h('td', {}, `${d.load} ${String(a.load)}/${String(a.capacity)}`))))),
        h('h2', {}, d.audit),
        h('table', {}, h('thead', {}, h('tr', {}, [d.time, d.by, d.action, d.ticket, d.detail].map((c) => h('th', {}, c)))), h('tbody', {}, audit.map((e) => h('tr', {}, h('td', {}, clock(e.at, lang)), h('td', {}, e.agent), h('td', {}, e.action), h('td', {}, e.ticketId ?? ''), h('td', { class: 'clip' }, e.detail))))),
      ),
    (e: api.DeskError) => flash(errorText(e.code), 'error'),
  );
  return root;
}
