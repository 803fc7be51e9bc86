/**
 * The widget's frame inside its shadow root: launcher bubble with an unread
 * badge, the dialog panel (header, connection banner, message log, typing
 * indicator, composer slot), and the open/close behaviour with its focus rules.
 */
import { h, icon, ICONS } from '../dom.js';
import { createConfirm } from './confirm.js';
import type { ConnectionState } from '../connection.js';
import type { Strings } from '../i18n.js';
import type { WidgetConfig } from '../config.js';

export interface Shell {
  launcher: HTMLButtonElement;
  panel: HTMLElement;
  log: HTMLElement;
  live: HTMLElement;
  typing: HTMLElement;
  composerSlot: HTMLElement;
  newConversation: HTMLButtonElement;
  /** Ask before a new conversation replaces this one; focus goes back to the button if not. */
  confirmNewConversation(): Promise<boolean>;
  isOpen(): boolean;
  /** Open or close; `focus` false when the page opens it on load (don't steal focus). */
  setOpen(open: boolean, focus?: boolean): void;
  setUnread(n: number): void;
  /** `refused`: offline because the server turned the handshake down (busy), not because the network is gone. */
  setConnection(state: ConnectionState, refused?: boolean): void;
  setTyping(on: boolean): void;
  /** The conversation's current ticket, kept in view in the header. */
  setTicket(id: string | undefined): void;
  scrollToEnd(): void;
}

export interface ShellCallbacks {
  onToggle(open: boolean): void;
  /** Focus target inside the panel when it opens (the composer's input). */
  focusTarget(): HTMLElement | null;
}

/** Below this width the panel fills the screen (keep in step with the media query in widget.css). */
export const FULL_SCREEN_BELOW = 480;

/** The panel's keyboard stops, in order: enabled buttons, links, the input, the scrollable log. */
function tabStops(panel: HTMLElement): HTMLElement[] {
  return [...panel.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], textarea, [tabindex="0"]')].filter(
    (el) => el.getClientRects().length > 0,
  );
}

export function createShell(root: HTMLElement, config: WidgetConfig, t: Strings, cb: ShellCallbacks): Shell {
  const title = config.title ?? t.title;
  const badge = h('span', { class: 'kefu-badge', hidden: true, 'aria-hidden': 'true' });
  const launcher = h(
    'button',
    { type: 'button', class: 'kefu-launcher', 'aria-label': t.openChat, 'aria-expanded': 'false', 'aria-controls': 'kefu-panel' },
    icon(ICONS.chat, 28),
    badge,
  );

  const avatar = config.avatar
    ? h('img', { class: 'kefu-avatar kefu-avatar--header', src: config.avatar, alt: '' })
    : h('span', { class: 'kefu-avatar kefu-avatar--header', 'aria-hidden': 'true' }, title.slice(0, 1));
  const statusText = h('span', {}, t.status.connecting);
  const ticketText = h('span', { class: 'kefu-header-ticket', hidden: true });
  const subtitle = h('span', { class: 'kefu-subtitle' }, statusText, ticketText);
  const newConversation = h(
    'button',
    { type: 'button', class: 'kefu-icon-button kefu-new', 'aria-label': t.newConversation, title: t.newConversation },
    icon(ICONS.refresh, 20),
  );
  const closeButton = h(
    'button',
    { type: 'button', class: 'kefu-icon-button kefu-close', 'aria-label': t.closeChat, title: t.closeChat },
    icon(ICONS.close, 20),
  );
  const header = h(
    'header',
    { class: 'kefu-header' },
    avatar,
    h('div', { class: 'kefu-heading' }, h('h2', { class: 'kefu-title', id: 'kefu-title' }, title), subtitle),
    newConversation,
    closeButton,
  );
  const banner = h('div', { class: 'kefu-banner', role: 'status', 'data-state': 'connecting' }, t.connecting);
  const confirmNew = createConfirm(t.confirmNew, t.newConversation, t.cancel);
  // A named region (not role=log, whose implicit live region would read everything twice with `live` below).
  const log = h('div', { class: 'kefu-log', role: 'region', tabindex: '0', 'aria-label': t.dialogLabel });
  const live = h('div', { class: 'kefu-sr-only', 'aria-live': 'polite', 'aria-atomic': 'false' });
  const typing = h(
    'div',
    { class: 'kefu-typing', hidden: true },
    h('span', { class: 'kefu-dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
    h('span', { class: 'kefu-sr-only' }, t.typing),
  );
  const composerSlot = h('div', { class: 'kefu-composer-slot' });
  const panel = h(
    'section',
    { class: 'kefu-panel', id: 'kefu-panel', role: 'dialog', 'aria-label': title },
    header,
    banner,
    confirmNew.el,
    log,
    typing,
    composerSlot,
    live,
  );
  root.append(panel, launcher);

  // Full screen on a phone: then the panel is modal (nothing of the page shows), so Tab must stay inside it.
  const fullScreen = window.matchMedia(`(max-width: ${FULL_SCREEN_BELOW}px)`);
  const syncModal = () => panel.setAttribute('aria-modal', String(fullScreen.matches));
  syncModal();
  fullScreen.addEventListener?.('change', syncModal);

  let open = false;
  const setOpen = (next: boolean, focus = true) => {
    if (next === open) return;
    open = next;
    root.dataset.open = String(open);
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', open ? t.closeChat : t.openChat);
    panel.toggleAttribute('inert', !open);
    if (open) {
      scrollToEnd();
      if (focus) cb.focusTarget()?.focus();
    } else if (focus) {
      launcher.focus();
    }
    cb.onToggle(open);
  };
  panel.toggleAttribute('inert', true);
  root.dataset.open = 'false';

  const scrollToEnd = () => {
    log.scrollTop = log.scrollHeight;
  };

  launcher.addEventListener('click', () => setOpen(!open));
  closeButton.addEventListener('click', () => setOpen(false));
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.isComposing) {
      e.stopPropagation();
      setOpen(false);
    } else if (e.key === 'Tab' && fullScreen.matches) {
      const stops = tabStops(panel);
      const active = (root.getRootNode() as ShadowRoot).activeElement;
      const wrapTo = e.shiftKey ? (active === stops[0] ? stops[stops.length - 1] : null) : active === stops[stops.length - 1] ? stops[0] : null;
      if (wrapTo) {
        e.preventDefault();
        wrapTo.focus();
      }
    }
  });

  return {
    launcher,
    panel,
    log,
    live,
    typing,
    composerSlot,
    newConversation,
    async confirmNewConversation() {
      const yes = await confirmNew.ask();
      if (!yes && open) newConversation.focus();
      return yes;
    },
    isOpen: () => open,
    setOpen,
    setUnread(n) {
      badge.hidden = n <= 0;
      badge.textContent = n > 99 ? '99+' : String(n);
      launcher.setAttribute('aria-label', open ? t.closeChat : n > 0 ? `${t.openChat} · ${t.unread(n)}` : t.openChat);
    },
    setConnection(state, refused = false) {
      const text = state === 'online' ? t.online : state === 'offline' ? (refused ? t.refused : t.offline) : t.connecting;
      banner.dataset.state = state;
      banner.textContent = text;
      statusText.textContent = t.status[state];
      root.dataset.connection = state;
    },
    setTyping(on) {
      const wasAtEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      typing.hidden = !on;
      if (wasAtEnd) scrollToEnd();
    },
    setTicket(id) {
      ticketText.hidden = !id;
      ticketText.textContent = id ? ` · ${t.ticket} ${id}` : '';
      ticketText.dataset.ticketId = id ?? '';
    },
    scrollToEnd,
  };
}
