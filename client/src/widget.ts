/**
 * Wires the pieces together: config → shadow root + shell + transcript +
 * composer, the connection, the hand-over to a person, and the public API the
 * loader exposes as `window.kefu`. Every user turn goes: bubble
 * (queued/sending) → connection outbox → ack → bot bubbles (none while a
 * person owns the conversation); server-initiated messages — agents',
 * notices, follow-ups — arrive on their own.
 */
import type { BotMessage, QuickReply, TranscriptEntry } from '../../server/protocol.js';
import { isTextTooLong } from './limits.js';
import { Connection, type ConnectionState, type SendResult } from './connection.js';
import type { ConversationStatus } from './conversationStatus.js';
import { Handover } from './handover.js';
import { accentInk, textColorOn, type WidgetConfig } from './config.js';
import { Emitter } from './emitter.js';
import { I18n, localeOf, type Strings } from './i18n.js';
import { localLocaleStore, localSessionStore, tabOpenStore } from './sessionStore.js';
import { createComposer } from './ui/composer.js';
import { MessageList, type UserBubble } from './ui/messageList.js';
import { createShell } from './ui/shell.js';
import css from './widget.css?inline';

/** What `message` listeners receive: every message shown live (not redrawn history). */
export interface MessageEvent {
  /** Who said it: the user, the assistant, a human agent, or the service (a notice). */
  role: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  message?: BotMessage;
}

export interface KefuEvents {
  message: (e: MessageEvent) => void;
  open: () => void;
  close: () => void;
  /** The first session is established (and its history redrawn). */
  ready: (e: { sessionId: string }) => void;
  connection: (state: ConnectionState) => void;
  /**
   * Who serves the conversation changed: the assistant, the queue for a person (place, rough wait), an
   * agent. A listener added after `ready` is called at once with the current one.
   */
  status: (status: ConversationStatus) => void;
}

/** The public API, `window.kefu`. */
export interface KefuApi {
  open(): void;
  close(): void;
  /** Send `text` as the user; false if it is empty or longer than the server's limit (500 characters as seen). */
  send(text: string): boolean;
  /** Subscribe; returns the unsubscribe function. A late `ready` or `status` listener is called at once. */
  on<K extends keyof KefuEvents>(event: K, fn: KefuEvents[K]): () => void;
}

const HOST_ID = 'kefu-widget-host';
/** 「新对话」 while waiting for a person waits this long at most for the queue to let go. */
const LEAVE_BEFORE_RESTART_MS = 3_000;

export function createWidget(config: WidgetConfig): KefuApi {
  const store = localSessionStore(config.server);
  const savedLocale = localLocaleStore(config.server);
  const panelState = tabOpenStore(config.server);
  // A resumed conversation keeps its language from the first frame; a new one starts in the page's.
  const i18n = new I18n((store.get() && savedLocale.get()) || config.locale);
  const events = new Emitter<KefuEvents>();

  const host = document.createElement('div');
  host.id = HOST_ID;
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow, css);
  const root = document.createElement('div');
  root.className = 'kefu';
  i18n.bind(() => (root.lang = i18n.locale));
  // `all: initial` on the host does not reset direction: a right-to-left page would mirror the widget.
  root.dir = 'ltr';
  root.dataset.position = config.position;
  root.style.setProperty('--kefu-accent', config.color);
  root.style.setProperty('--kefu-on-accent', textColorOn(config.color));
  root.style.setProperty('--kefu-accent-ink', accentInk(config.color));
  shadow.appendChild(root);

  let composerInput: HTMLTextAreaElement | null = null;
  let unread = 0;
  const shell = createShell(root, config, i18n, {
    focusTarget: () => focusTarget(),
    onToggle(open) {
      if (open) {
        unread = 0;
        shell.setUnread(0);
      }
      panelState.set(open ? 'open' : 'closed');
      events.emit(open ? 'open' : 'close');
    },
  });

  const list = new MessageList(shell.log, shell.live, {
    i18n,
    avatar: { image: config.avatar, brand: config.brand },
    onPick(reply: QuickReply, text = reply.label) {
      sendUser(text, reply.value);
      // The picked button is now disabled and has lost focus; keep it in the widget (Escape, Tab still work).
      const active = shadow.activeElement as HTMLButtonElement | null;
      if (!active || active.disabled) focusTarget()?.focus({ preventScroll: true });
    },
  });
  const composer = createComposer(
    i18n,
    (text) => sendUser(text),
    (text) => list.announce(text),
    (draft) => handover.draft(draft),
  );
  composerInput = composer.input;
  shell.composerSlot.appendChild(composer.form);

  const handover = new Handover({
    i18n,
    shell,
    list,
    composer,
    leaveQueue: () => connection.leaveQueue(),
    sendTyping: (typing) => connection.typing(typing),
    focusTarget: () => focusTarget(),
    onStatus: (status) => {
      refreshPending();
      events.emit('status', status);
    },
    onTypist: () => refreshPending(),
  });

  /**
   * Where focus goes in the panel: the input — except on a touch screen, where
   * focusing it would pull up the on-screen keyboard over the conversation
   * (and its buttons) before the user chose to type; there, the transcript.
   */
  function focusTarget(): HTMLElement | null {
    return window.matchMedia('(pointer: coarse)').matches ? shell.log : composerInput;
  }

  let state: ConnectionState = 'connecting';
  let emittedState: ConnectionState | undefined;
  let readySession: string | undefined;
  let historyDrawn = false;
  /** User bubbles waiting for an ack, to show queued vs sending and drive the typing dots. */
  const inFlight = new Set<UserBubble>();

  const refreshPending = () => {
    for (const bubble of inFlight) bubble.setStatus(state === 'online' ? 'sending' : 'queued');
    // The assistant's dots only when it is the one to answer: a message to a person (or the queue) is simply delivered.
    const botThinking = state === 'online' && inFlight.size > 0 && handover.status.mode === 'bot';
    shell.setTyping(handover.typist() ?? (botThinking ? { kind: 'bot' } : null));
  };

  /** The chrome speaks the conversation's language: the one its newest message was said in. */
  const followLanguage = (m: BotMessage) => {
    if (!m.lang) return;
    i18n.set(localeOf(m.lang));
    savedLocale.set(i18n.locale);
  };

  /**
   * Show a live server message (after `after`, or at the end); returns its row, null if it was a
   * duplicate. `at` and `role` are a transcript entry's, for one missed while offline.
   */
  const showBot = (m: BotMessage, after?: Element, at = new Date(), role?: TranscriptEntry['role']): HTMLElement | null => {
    // Before the user has said anything, it is the welcome: no reason to call them with a badge.
    const unprompted = !list.hasUserMessages();
    const row = list.addBot(m, at, 'live', after, role);
    if (!row) return null;
    if (m.from === 'agent') handover.agentSpoke();
    followLanguage(m);
    if (m.ticketId) shell.setTicket(m.ticketId);
    events.emit('message', { role: (row.dataset.role ?? 'bot') as MessageEvent['role'], text: m.text, message: m });
    if (!shell.isOpen() && !unprompted) shell.setUnread(++unread);
    return row;
  };

  const connection = new Connection({
    server: config.server,
    locale: () => i18n.locale,
    store,
    onState(next, refused) {
      state = next;
      shell.setConnection(next, refused);
      handover.setOnline(next === 'online');
      refreshPending();
      // A refused handshake changes what the banner says, not the state listeners are told about.
      if (next !== emittedState) {
        emittedState = next;
        events.emit('connection', next);
      }
    },
    async onSession({ sessionId, resumed, offered }) {
      if (resumed && !historyDrawn) {
        drawHistory(await connection.history());
      } else if (resumed) {
        catchUp(await connection.history());
      } else {
        // A new conversation: the assistant serves it, whatever the old one was doing.
        handover.reset();
        if (offered && historyDrawn) {
          // The old session was closed (idle too long): the server has already started a new one.
          list.disableChoices();
          list.addNotice((t) => t.sessionRestarted);
          shell.setTicket(undefined);
        }
      }
      // The status may have come while the transcript was read: the assistant's buttons drawn since do not answer either.
      if (handover.status.mode !== 'bot') list.disableChoices();
      historyDrawn = true;
      if (!readySession) {
        readySession = sessionId;
        events.emit('ready', { sessionId });
      }
    },
    onBotMessage: (m) => showBot(m),
    onStatus: (s) => handover.apply(s),
    onAgentTyping: (t) => handover.agentTyping(t),
  });

  /**
   * Back after a lost connection: what the server said meanwhile (an agent's
   * reply, a notice) was sent to no one; draw what is not shown yet.
   */
  function catchUp(entries: TranscriptEntry[]): void {
    for (const entry of entries) {
      if (entry.role !== 'user' && entry.message) showBot(entry.message, undefined, new Date(entry.at), entry.role);
    }
  }

  /** Redraw a resumed session's transcript (after a reload or a later visit). */
  function drawHistory(entries: TranscriptEntry[]): void {
    let lastUser: HTMLElement | undefined;
    for (const entry of entries) {
      const at = new Date(entry.at);
      if (entry.role === 'user') {
        const bubble = list.addUser(entry.text, at, 'history');
        bubble.setStatus('sent');
        lastUser = bubble.el;
        continue;
      }
      const m = entry.message ?? { id: `history:${entry.at}:${entry.text}`, text: entry.text };
      list.addBot(m, at, 'history', undefined, entry.role);
      if (m.lang && lastUser) lastUser.lang = localeOf(m.lang);
      lastUser = undefined;
      followLanguage(m);
      if (m.ticketId) shell.setTicket(m.ticketId);
    }
  }

  function sendUser(raw: string, payload?: string): boolean {
    const text = raw.trim();
    if (!text || isTextTooLong(text)) return false;
    const bubble = list.addUser(text, new Date());
    events.emit('message', { role: 'user', text });
    const message = { text, clientMessageId: randomId(), ...(payload ? { payload } : {}) };
    const attempt = () => {
      inFlight.add(bubble);
      refreshPending();
      void connection.send(message).then((result) => settle(bubble, result, attempt));
    };
    attempt();
    return true;
  }

  function settle(bubble: UserBubble, result: SendResult, retry: () => void): void {
    inFlight.delete(bubble);
    if (result.ok) {
      bubble.setStatus('sent');
      // The language the user wrote in is the one they were answered in.
      const lang = result.replies.find((r) => r.lang)?.lang;
      if (lang) bubble.el.lang = localeOf(lang);
      // Under the message they answer: with several queued messages, as the server's transcript has them.
      let anchor: Element = bubble.el;
      for (const reply of result.replies) anchor = showBot(reply, anchor) ?? anchor;
      list.reveal(bubble.el);
    } else if (result.error.code !== 'RESTARTED') {
      const code = result.error.code;
      const retryable = code !== 'SESSION_CLOSED' && code !== 'TEXT_TOO_LONG' && code !== 'EMPTY_TEXT';
      const reason = (t: Strings) => t.errors[code] ?? t.errors.default;
      bubble.setStatus('failed', { reason, onRetry: retryable ? retry : undefined });
      list.announce(reason(i18n.t));
    }
    refreshPending();
  }

  async function startOver(): Promise<void> {
    // No agent should take (or keep serving) a chat nobody is in: leave it first. Its notice and the
    // bot's answer come before the ack, so they are cleared with the rest.
    if (handover.status.mode !== 'bot') await connection.leaveQueue(LEAVE_BEFORE_RESTART_MS);
    handover.reset();
    inFlight.clear();
    list.clear();
    shell.setTicket(undefined);
    historyDrawn = true;
    connection.restart();
    focusTarget()?.focus();
  }
  shell.newConversation.addEventListener('click', async () => {
    // Nothing to lose before the user has said anything; otherwise the transcript would be gone for good.
    if (list.hasUserMessages() && !(await shell.confirmNewConversation())) return;
    await startOver();
  });

  const mount = () => {
    // A child of <html>, not <body>: a transform, filter or zoom on the page's body
    // (a mourning-day grayscale filter, an animation library) would otherwise make
    // the body, not the screen, what the widget's fixed panel is placed against.
    document.documentElement.appendChild(host);
    connection.start();
    // Open as the user left it in this tab (a reload), else as the page asks; without taking focus either way.
    const remembered = panelState.get();
    if (remembered ? remembered === 'open' : config.startOpen) shell.setOpen(true, false);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });

  return {
    open: () => shell.setOpen(true),
    close: () => shell.setOpen(false),
    send: (text) => sendUser(String(text)),
    on(event, fn) {
      const off = events.on(event, fn);
      if (event === 'ready' && readySession) (fn as KefuEvents['ready'])({ sessionId: readySession });
      if (event === 'status' && readySession) (fn as KefuEvents['status'])(handover.status);
      return off;
    },
  };
}

/** Constructable stylesheets are exempt from a host's CSP style-src; fall back to a <style> element. */
function adoptStyles(shadow: ShadowRoot, text: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = text;
    shadow.appendChild(style);
  }
}

function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
