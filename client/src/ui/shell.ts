/**
 * The widget's frame inside its shadow root: launcher bubble with an unread
 * badge, the dialog panel (header saying who answers, connection banner, a
 * slot for the queue or agent line, message log, typing indicator, composer
 * slot), and the open/close behaviour with its focus rules.
 */
import { h, icon, ICONS } from '../dom.js';
import { createConfirm } from './confirm.js';
import type { ConnectionState } from '../connection.js';
import type { ConversationStatus } from '../conversationStatus.js';
import type { I18n, Strings } from '../i18n.js';
import { agentAvatar, botAvatar } from './author.js';
import type { WidgetConfig } from '../config.js';

export interface Shell {
  launcher: HTMLButtonElement;
  panel: HTMLElement;
  log: HTMLElement;
  live: HTMLElement;
  typing: HTMLElement;
  /** Between the banner and the log: the queue or agent line. */
  statusSlot: HTMLElement;
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
  /** Who is typing: the assistant (dots only, while a reply is awaited), an agent (dots and their name), or nobody. */
  setTyping(who: Typist | null): void;
  /** Who serves the conversation: the header's avatar and line say it. */
  setServedBy(status: ConversationStatus): void;
  /** The conversation's current ticket, kept in view in the header. */
  setTicket(id: string | undefined): void;
  scrollToEnd(): void;
}

export type Typist = { kind: 'bot' } | { kind: 'agent'; name: string };

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

export function createShell(root: HTMLElement, config: WidgetConfig, i18n: I18n, cb: ShellCallbacks): Shell {
  const badge = h('span', { class: 'kefu-badge', hidden: true, 'aria-hidden': 'true' });
  const launcher = h(
    'button',
    { type: 'button', class: 'kefu-launcher', 'aria-expanded': 'false', 'aria-controls': 'kefu-panel' },
    icon(ICONS.chat, 28),
    badge,
  );

  const assistantFace = botAvatar({ image: config.avatar, brand: config.brand }, 'kefu-avatar--header');
  let avatar: HTMLElement = assistantFace;
  const titleText = h('h2', { class: 'kefu-title', id: 'kefu-title' });
  const statusText = h('span', { class: 'kefu-status-text' });
  // The ticket id is never cut: on a narrow header 「工单号」 goes first, then the whole id (it is in the chat too).
  const ticketLabel = h('span', { class: 'kefu-header-ticket-label' });
  const ticketValue = h('span', { class: 'kefu-header-ticket-id' });
  const ticketText = h('span', { class: 'kefu-header-ticket', hidden: true }, ticketLabel, ticketValue);
  const subtitle = h('span', { class: 'kefu-subtitle' }, h('i', { class: 'kefu-dot', 'aria-hidden': 'true' }), statusText, ticketText);
  const newConversation = h('button', { type: 'button', class: 'kefu-icon-button kefu-new' }, icon(ICONS.refresh, 20));
  const closeButton = h('button', { type: 'button', class: 'kefu-icon-button kefu-close' }, icon(ICONS.close, 20));
  const header = h(
    'header',
    { class: 'kefu-header' },
    avatar,
    h('div', { class: 'kefu-heading' }, titleText, subtitle),
    newConversation,
    closeButton,
  );
  const banner = h('div', { class: 'kefu-banner', role: 'status', 'data-state': 'connecting' });
  const confirmNew = createConfirm(i18n);
  // A named region (not role=log, whose implicit live region would read everything twice with `live` below).
  const log = h('div', { class: 'kefu-log', role: 'region', tabindex: '0' });
  const live = h('div', { class: 'kefu-sr-only', 'aria-live': 'polite', 'aria-atomic': 'false' });
  const typingText = h('span', { class: 'kefu-typing-text' });
  const typing = h('div', { class: 'kefu-typing', hidden: true }, h('span', { class: 'kefu-dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), typingText);
  const statusSlot = h('div', { class: 'kefu-status-slot' });
  const composerSlot = h('div', { class: 'kefu-composer-slot' });
  const panel = h(
    'section',
    { class: 'kefu-panel', id: 'kefu-panel', role: 'dialog' },
    header,
    banner,
    confirmNew.el,
    statusSlot,
    log,
    typing,
    composerSlot,
    live,
  );
  root.append(panel, launcher);

  let open = false;
  let unread = 0;
  let connection: { state: ConnectionState; refused: boolean } = { state: 'connecting', refused: false };
  let ticket: string | undefined;
  let servedBy: ConversationStatus = { mode: 'bot' };
  let typist: Typist | null = null;

  let ticketWord = '';
  const fitTicket = () => {
    if (ticketText.hidden) return;
    const overflows = () => ticketText.scrollWidth > ticketText.clientWidth + 1;
    ticketText.dataset.fit = 'full';
    ticketLabel.textContent = ` · ${ticketWord} `;
    if (!overflows()) return;
    ticketText.dataset.fit = 'short';
    ticketLabel.textContent = ' · ';
    if (overflows()) ticketText.dataset.fit = 'none';
  };
  // Everything the chrome says, drawn again when the conversation changes language.
  const drawLauncher = (t: Strings) =>
    launcher.setAttribute('aria-label', open ? t.closeChat : unread > 0 ? `${t.openChat} · ${t.unread(unread)}` : t.openChat);
  const drawConnection = (t: Strings) => {
    const { state, refused } = connection;
    banner.dataset.state = state;
    banner.textContent = state === 'online' ? t.online : state === 'offline' ? (refused ? t.refused : t.offline) : t.connecting;
    const who = servedBy.mode === 'agent' ? t.agentHeader(servedBy.agentName) : servedBy.mode === 'queued' ? t.waitingForAgent : t.assistant;
    statusText.textContent = state === 'online' ? who : `${who} · ${t.status[state]}`;
    fitTicket();
  };
  // The assistant's dots are read as words only to screen readers; an agent's name shows, as in any chat with a person.
  const drawTyping = (t: Strings) => {
    typingText.textContent = typist?.kind === 'agent' ? t.agentTyping(typist.name) : t.typing;
    typingText.className = typist?.kind === 'agent' ? 'kefu-typing-text' : 'kefu-sr-only';
  };
  const drawTicket = (t: Strings) => {
    ticketText.hidden = !ticket;
    ticketWord = t.ticket;
    ticketValue.textContent = ticket ?? '';
    ticketText.dataset.ticketId = ticket ?? '';
    fitTicket();
  };
  if (typeof ResizeObserver !== 'undefined') new ResizeObserver(fitTicket).observe(subtitle);
  i18n.bind((t) => {
    // The host's own title stays as the host wrote it; the default one follows the conversation.
    const title = config.title ?? t.title;
    titleText.textContent = title;
    panel.setAttribute('aria-label', title);
    log.setAttribute('aria-label', t.dialogLabel);
    drawTyping(t);
    for (const [button, label] of [
      [newConversation, t.newConversation],
      [closeButton, t.closeChat],
    ] as const) {
      button.setAttribute('aria-label', label);
      button.title = label;
    }
    drawLauncher(t);
    drawConnection(t);
    drawTicket(t);
  });

  // Full screen on a phone: then the panel is modal (nothing of the page shows), so Tab must stay inside it.
  const fullScreen = window.matchMedia(`(max-width: ${FULL_SCREEN_BELOW}px)`);
  const syncModal = () => panel.setAttribute('aria-modal', String(fullScreen.matches));
  syncModal();
  fullScreen.addEventListener?.('change', syncModal);

  const setOpen = (next: boolean, focus = true) => {
    if (next === open) return;
    open = next;
    root.dataset.open = String(open);
    launcher.setAttribute('aria-expanded', String(open));
    drawLauncher(i18n.t);
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
    statusSlot,
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
      unread = n;
      badge.hidden = n <= 0;
      badge.textContent = n > 99 ? '99+' : String(n);
      drawLauncher(i18n.t);
    },
    setConnection(state, refused = false) {
      connection = { state, refused };
      drawConnection(i18n.t);
      root.dataset.connection = state;
    },
    setTyping(who) {
      if (who?.kind === typist?.kind && (who?.kind !== 'agent' || (typist?.kind === 'agent' && who.name === typist.name))) return;
      const wasAtEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      typist = who;
      typing.hidden = who === null;
      typing.dataset.who = who?.kind ?? '';
      drawTyping(i18n.t);
      if (wasAtEnd) scrollToEnd();
    },
    setServedBy(status) {
      servedBy = status;
      // An agent's initial in the header while they serve the chat; the assistant's face otherwise.
      const face = status.mode === 'agent' ? agentAvatar(status.agentName) : assistantFace;
      if (face !== avatar) {
        if (face !== assistantFace) face.classList.add('kefu-avatar--header');
        avatar.replaceWith(face);
        avatar = face;
      }
      drawConnection(i18n.t);
    },
    setTicket(id) {
      ticket = id;
      drawTicket(i18n.t);
    },
    scrollToEnd,
  };
}
