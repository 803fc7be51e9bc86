/**
 * The signed-in desk: the header (views, presence, language, sign-out, the
 * connection), the queue and the agent's conversations on the left, and the
 * open view on the right. State comes from the socket; after a lost
 * connection the server's `queue`/`mine` redraw the lists and the open
 * conversation is read again.
 */
import type { AgentStatus, DeskOutage, QueueItem } from '../../../server/protocol.js';
import * as alerts from './alerts.js';
import * as api from './api.js';
import { connectDesk, type DeskConnection } from './connection.js';
import { ConversationView } from './conversationView.js';
import { fill, h } from './dom.js';
import { errorText, lang, setLang, t } from './i18n.js';
import { outageBanner } from './outageBanner.js';
import { sidebarView, tick } from './sidebar.js';
import { adminView, callbacksView, ticketsView } from './ticketsView.js';

type View = 'desk' | 'tickets' | 'callbacks' | 'admin';

export function startDesk(root: HTMLElement, session: api.Session, signOut: (why?: string) => void): void {
  const me = session.agent;
  const conn: DeskConnection = connectDesk();
  let view: View = 'desk';
  let presence: 'online' | 'away' = 'online';
  let connected = false;
  let waiting: QueueItem[] = [];
  let mine: QueueItem[] = [];
  let agents: AgentStatus[] = [];
  let callbacksPending = 0;
  let outage: DeskOutage | null = null;
  let seen: Set<string> | null = null; // waiting ids already announced; null before the first queue
  const unread = new Map<string, number>();
  let open: ConversationView | null = null;
  let flashText = '';
  let flashKind: 'error' | 'info' = 'info';
  let flashTimer: ReturnType<typeof setTimeout> | undefined;

  const header = h('header', { class: 'top' });
  const banner = h('div', { class: 'outage' });
  const side = h('div', { class: 'side' });
  const main = h('main', { class: 'main' });
  const flashEl = h('div', { class: 'flash', role: 'alert', hidden: true });
  fill(root, header, banner, h('div', { class: 'body' }, side, main), flashEl);

  // Redrawn when the server says so, and when a notice reaches its end.
  let bannerShows = '';
  const drawBanner = () => {
    const el = outageBanner(outage, Date.now());
    const shows = el ? `${lang}|${el.textContent}` : '';
    if (shows === bannerShows) return;
    bannerShows = shows;
    fill(banner, el ?? '');
  };

  const flash = (text: string, kind: 'error' | 'info' = 'info') => {
    flashText = text;
    flashKind = kind;
    flashEl.textContent = text;
    flashEl.dataset.kind = kind;
    flashEl.hidden = false;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => (flashEl.hidden = true), 6000);
  };
  const host = { conn, me, agents: () => agents, flash };

  const drawHeader = () => {
    const d = t();
    const tab = (v: View, label: string) => h('button', { class: 'tab', 'aria-current': view === v ? 'page' : undefined, onclick: () => show(v) }, label);
    fill(
      header,
      h('h1', {}, d.title),
      h('div', { class: 'tabs' }, tab('desk', d.queue), tab('tickets', d.tickets), tab('callbacks', d.callbacks), me.role === 'admin' && tab('admin', d.admin), me.role === 'admin' && h('button', { class: 'tab tab--reports', onclick: () => location.assign('/desk/reports') }, lang === 'zh' ? '运营报表' : 'Reports')),
      h('span', { class: `conn conn--${connected ? 'online' : 'offline'}` }, connected ? '' : d.disconnected),
      h(
        'div',
        { class: 'who' },
        alerts.mayAskToNotify() && h('button', { class: 'notify', onclick: () => void alerts.askToNotify().then(drawHeader) }, lang === 'zh' ? '开启通知' : 'Allow notifications'),
        h(
          'button',
          { class: `presence presence--${presence}`, 'aria-pressed': String(presence === 'online'), onclick: () => void setPresence(presence === 'online' ? 'away' : 'online') },
          presence === 'online' ? d.online : d.away,
        ),
        h('span', { class: 'me' }, me.name),
        h('button', { class: 'lang', onclick: () => switchLang() }, lang === 'zh' ? 'English' : '中文'),
        h('button', { class: 'logout', onclick: () => void logout() }, d.logout),
      ),
    );
  };

  const drawSide = () => {
    side.hidden = view !== 'desk';
    fill(side, view === 'desk' ? sidebarView({ waiting, mine, unread, openId: open?.sessionId ?? null, callbacksPending }, (id) => void openConversation(id), (id) => void claim(id), () => show('callbacks')) : '');
    alerts.titleWith(t().title, waiting.length);
  };

  const drawMain = () => {
    if (view === 'tickets') return fill(main, ticketsView(flash));
    if (view === 'callbacks') return fill(main, callbacksView(flash));
    if (view === 'admin') return fill(main, adminView(flash));
    fill(main, open ? open.el : h('p', { class: 'muted pick' }, t().pick));
  };

  const show = (v: View) => {
    view = v;
    if (v === 'desk' && open) unread.delete(open.sessionId);
    drawHeader();
    drawSide();
    drawMain();
  };

  const switchLang = () => {
    setLang(lang === 'zh' ? 'en' : 'zh');
    open?.render();
    show(view);
    drawBanner();
    if (flashText && !flashEl.hidden) flash(flashText, flashKind);
  };

  async function openConversation(id: string): Promise<void> {
    const r = await conn.request('open', { sessionId: id });
    if (!r.ok) return flash(errorText(r.code, r.message), 'error');
    unread.delete(id);
    open = new ConversationView(host, r.data.conversation);
    view = 'desk';
    show('desk');
  }

  async function claim(id: string): Promise<void> {
    const r = await conn.request('claim', { sessionId: id });
    if (!r.ok) {
      flash(errorText(r.code, r.message), 'error');
      return;
    }
    open = new ConversationView(host, r.data.conversation);
    show('desk');
    open.focus();
  }

  async function setPresence(p: 'online' | 'away'): Promise<void> {
    const r = await conn.request('presence', { presence: p });
    if (!r.ok) return flash(errorText(r.code, r.message), 'error');
    presence = p;
    drawHeader();
  }

  async function logout(): Promise<void> {
    conn.close();
    await api.logout();
    signOut();
  }

  conn.onState((state, code) => {
    if (code === 'UNAUTHORIZED') {
      conn.close();
      signOut(t().expired);
      return;
    }
    const was = connected;
    connected = state === 'online';
    drawHeader();
    if (connected && !was && open) {
      // Back after a lost connection: the server's copy is the truth.
      const id = open.sessionId;
      void conn.request('open', { sessionId: id }).then((r) => {
        if (r.ok && open?.sessionId === id) open.update(r.data.conversation);
      });
    }
  });
  conn.on('me', (e) => {
    // A new socket starts online; keep the agent's own choice.
    if (presence === 'away' && e.presence !== 'away') void setPresence('away');
    drawHeader();
  });
  conn.on('queue', (e) => {
    const fresh = seen ? e.waiting.filter((q) => !seen!.has(q.sessionId)) : [];
    seen = new Set(e.waiting.map((q) => q.sessionId));
    waiting = e.waiting;
    callbacksPending = e.callbacksPending;
    drawSide();
    if (fresh.length > 0) {
      alerts.beep();
      const q = fresh[0]!;
      alerts.notify(t().newWaiting, `${q.topic?.[lang] ?? q.intent ?? ''} ${q.summary}`.trim(), () => void openConversation(q.sessionId));
    }
  });
  conn.on('mine', (e) => {
    mine = e.conversations;
    drawSide();
  });
  conn.on('agents', (e) => {
    agents = e.agents;
  });
  conn.on('outage', (e) => {
    outage = e;
    drawBanner();
  });
  conn.on('user_message', (e) => {
    if (open?.sessionId === e.sessionId) open.userMessage(e.text, e.at);
    if (open?.sessionId !== e.sessionId || view !== 'desk') unread.set(e.sessionId, (unread.get(e.sessionId) ?? 0) + 1);
    if (document.hidden) alerts.beep();
    drawSide();
  });
  conn.on('typing', (e) => {
    if (open?.sessionId === e.sessionId) open.userTyping(e.typing);
  });
  conn.on('assigned', (e) => {
    const from = agents.find((a) => a.login === e.from)?.name ?? e.from ?? '';
    flash(e.by === 'transfer' ? t().assigned_transfer(from) : t().assigned_auto);
    alerts.beep();
    if (!open || open.sessionId === e.conversation.sessionId) {
      open = new ConversationView(host, e.conversation);
      if (view === 'desk') drawMain();
    }
    drawSide();
  });
  conn.on('released', (e) => {
    unread.delete(e.sessionId);
    if (open?.sessionId === e.sessionId) open.released(e.why);
    drawSide();
  });

  alerts.unlockSound();
  setInterval(() => {
    tick(side);
    drawBanner();
  }, 1000);
  show('desk');
}
