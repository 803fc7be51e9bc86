/** The left column: who waits (with a ticking wait time) and the agent's own conversations (with unread counts). */
import type { QueueItem } from '../../../server/protocol.js';
import { elapsed, h } from './dom.js';
import { lang, t } from './i18n.js';

export interface SidebarState {
  waiting: QueueItem[];
  mine: QueueItem[];
  unread: Map<string, number>;
  openId: string | null;
  callbacksPending: number;
}

function item(q: QueueItem, s: SidebarState, waiting: boolean, open: (id: string) => void, claim: (id: string) => void): HTMLElement {
  const d = t();
  const unread = s.unread.get(q.sessionId) ?? 0;
  return h(
    'li',
    { class: `item${s.openId === q.sessionId ? ' item--open' : ''}`, 'data-session': q.sessionId },
    h(
      'button',
      { class: 'item-open', onclick: () => open(q.sessionId) },
      h('span', { class: 'item-top' }, h('strong', {}, q.topic?.[lang] ?? q.intent ?? d.conversation), waiting && h('span', { class: 'wait', 'data-since': q.waitingSince }, elapsed(q.waitingSince))),
      h('span', { class: 'item-summary' }, q.summary),
      h('span', { class: 'item-meta muted' }, [q.ticketId, q.lang === 'zh' ? d.zh : d.en, q.intent].filter(Boolean).join(' · ')),
      unread > 0 && h('span', { class: 'badge', 'aria-label': String(unread) }, String(unread)),
    ),
    waiting && h('button', { class: 'primary claim', onclick: () => claim(q.sessionId) }, d.claim),
  );
}

export function sidebarView(s: SidebarState, open: (id: string) => void, claim: (id: string) => void, showCallbacks: () => void): HTMLElement {
  const d = t();
  return h(
    'nav',
    { class: 'sidebar' },
    h(
      'section',
      { class: 'queue' },
      h('h2', {}, `${d.queue}（${s.waiting.length}）`),
      s.waiting.length === 0 ? h('p', { class: 'muted' }, d.noneWaiting) : h('ol', {}, s.waiting.map((q) => item(q, s, true, open, claim))),
      s.callbacksPending > 0 && h('button', { class: 'callbacks-due link', onclick: showCallbacks }, d.callbacksDue(s.callbacksPending)),
    ),
    h(
      'section',
      { class: 'mine' },
      h('h2', {}, `${d.mine}（${s.mine.length}）`),
      s.mine.length === 0 ? h('p', { class: 'muted' }, d.noneMine) : h('ul', {}, s.mine.map((q) => item(q, s, false, open, claim))),
    ),
  );
}

/** Advances every wait time shown. */
export function tick(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('.wait[data-since]')) el.textContent = elapsed(el.dataset.since!);
}
