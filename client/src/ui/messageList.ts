/**
 * The transcript as DOM: the user's, the assistant's and human agents'
 * messages grouped by author (one avatar and one time stamp per group), the
 * service's notices as centred lines, quick-reply chips under the message
 * (disabled once the conversation moves on), the rating stars, the ticket
 * chip, delivery status with retry, and the live region that announces new
 * messages to screen readers. Server messages are deduplicated by id; the
 * widget's own labels follow the chrome's language.
 */
import type { BotMessage, QuickReply, TranscriptEntry } from '../../../server/protocol.js';
import { h } from '../dom.js';
import { localeOf, type I18n, type Strings } from '../i18n.js';
import { renderRichText } from '../richText.js';
import { agentAvatar, authorKey, authorOf, botAvatar, sameGroup, type Author, type AvatarOptions } from './author.js';
import { createRating, scoreOf, showScore, splitRating } from './rating.js';

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** Handle on a user bubble, to show its delivery state. */
export interface UserBubble {
  el: HTMLElement;
  /** `reason` is drawn in the chrome's language, also after it changes. */
  setStatus(status: DeliveryStatus, failure?: { reason: (t: Strings) => string; onRetry?: () => void }): void;
}

/** Where a message goes: redrawn history sits above anything typed in this page view. */
export type Section = 'history' | 'live';

export interface MessageListOptions {
  i18n: I18n;
  /** The assistant's face. */
  avatar: AvatarOptions;
  /** A quick reply or star was picked; `text` is what the user's bubble should say (the label by default). */
  onPick(reply: QuickReply, text?: string): void;
}

export class MessageList {
  private readonly sections: Record<Section, HTMLElement>;
  private readonly seen = new Set<string>();
  /** Label bindings of the rows drawn, dropped with them. */
  private unbind: (() => void)[] = [];
  private lastTicket: string | undefined;

  constructor(
    private readonly log: HTMLElement,
    private readonly live: HTMLElement,
    private readonly opts: MessageListOptions,
  ) {
    this.sections = {
      history: h('div', { class: 'kefu-section', 'data-section': 'history' }),
      live: h('div', { class: 'kefu-section', 'data-section': 'live' }),
    };
    log.append(this.sections.history, this.sections.live);
  }

  /** Add what the user said. */
  addUser(text: string, at: Date, section: Section = 'live'): UserBubble {
    // An answer to the rating shows on its stars, also when typed or redrawn from history.
    const stars = [...this.log.querySelectorAll('.kefu-stars')].find((g) => g.querySelector('.kefu-star:not([disabled])'));
    const score = stars ? scoreOf({ label: text, value: '' }) : undefined;
    if (stars && score) showScore(stars, score);
    this.disableChoices();
    const status = h('span', { class: 'kefu-status' });
    const said = h('span', { class: 'kefu-sr-only' });
    const bubble = h('div', { class: 'kefu-bubble' }, h('div', { class: 'kefu-text kefu-text--plain' }, text));
    const el = this.row({ kind: 'user' }, at, h('div', { class: 'kefu-stack' }, said, bubble, h('div', { class: 'kefu-meta' }, status, this.time(at))));
    let current: { status: DeliveryStatus; failure?: Parameters<UserBubble['setStatus']>[1] } = { status: 'sending' };
    const draw = (t: Strings) => {
      said.textContent = t.youSaid;
      status.replaceChildren();
      if (current.status === 'queued') status.append(t.queued);
      if (current.status === 'failed') {
        status.append(current.failure?.reason(t) ?? t.failed);
        const onRetry = current.failure?.onRetry;
        if (onRetry) {
          const retry = h('button', { type: 'button', class: 'kefu-retry' }, t.retry);
          retry.addEventListener('click', () => onRetry(), { once: true });
          status.append(' ', retry);
        }
      }
    };
    this.label(draw);
    this.insert(el, section);
    return {
      el,
      setStatus: (next, failure) => {
        el.dataset.status = next;
        current = { status: next, failure };
        draw(this.opts.i18n.t);
      },
    };
  }

  /**
   * Add a server message (the assistant's, an agent's or a notice), at the end
   * of `section` or right after `after` (a reply goes under the message it
   * answers, even when later messages were queued below it). `role` is the
   * transcript's, for a redrawn entry. Returns its row, or null (drawing
   * nothing) if its id was already shown.
   */
  addBot(m: BotMessage, at: Date, section: Section = 'live', after?: Element, role?: TranscriptEntry['role']): HTMLElement | null {
    if (this.seen.has(m.id)) return null;
    this.seen.add(m.id);
    const author = authorOf(m, role);
    const el = author.kind === 'system' ? this.systemRow(m, at) : this.messageRow(m, author, at);
    if (m.lang) el.lang = localeOf(m.lang);
    for (const [key, value] of Object.entries({ messageId: m.id, step: m.step, intent: m.intent, ticketId: m.ticketId })) {
      if (value) el.dataset[key] = value;
    }
    // Only the newest question's buttons are live; and a reply that lands above
    // something the user said later belongs to a turn already passed.
    if (el.querySelector('.kefu-choices')) this.disableChoices();
    this.insert(el, section, after);
    if (followedByUser(el)) this.disableChoices(el);
    if (section === 'live') this.announce(author.kind === 'agent' ? this.opts.i18n.t.agentSaid(author.name) + m.text : m.text);
    return el;
  }

  /** A line from the widget itself (not the server). */
  addNotice(text: (t: Strings) => string): void {
    const el = h('div', { class: 'kefu-notice', role: 'note' });
    this.label((t) => (el.textContent = text(t)));
    this.insert(el, 'live');
  }

  /** Buttons belong to the turn they were offered in: once the user moves on, they go inert. */
  disableChoices(within: Element = this.log): void {
    for (const button of within.querySelectorAll<HTMLButtonElement>('.kefu-choices button:not([disabled])')) {
      button.disabled = true;
    }
  }

  hasUserMessages(): boolean {
    return this.log.querySelector('.kefu-row--user') !== null;
  }

  /** Forget everything (a new conversation). */
  clear(): void {
    for (const stop of this.unbind.splice(0)) stop();
    this.sections.history.replaceChildren();
    this.sections.live.replaceChildren();
    this.live.replaceChildren();
    this.seen.clear();
    this.lastTicket = undefined;
  }

  /** Say `text` to screen readers (new messages, and what went wrong with the user's). */
  announce(text: string): void {
    this.live.appendChild(h('p', {}, text));
    // Keep the region short: screen readers only need what is new.
    while (this.live.childElementCount > 3) this.live.firstElementChild?.remove();
  }

  /**
   * Scroll so that `row` (the user's message) is at the top when what follows
   * it is taller than the view, else to the end: several long replies arriving
   * at once are read from the first, not from the bottom of the last.
   */
  reveal(row: Element): void {
    if (!row.isConnected) return this.scroll();
    const end = this.log.scrollHeight - this.log.clientHeight;
    const top = this.log.scrollTop + row.getBoundingClientRect().top - this.log.getBoundingClientRect().top - 8;
    this.log.scrollTop = Math.max(0, Math.min(end, top));
  }

  private messageRow(m: BotMessage, author: Extract<Author, { kind: 'bot' | 'agent' }>, at: Date): HTMLElement {
    const said = h('span', { class: 'kefu-sr-only' });
    const bubble = h('div', { class: 'kefu-bubble' }, h('div', { class: 'kefu-text' }, renderRichText(m.text)));
    // The bot repeats the ticket id on every message of a ticketed conversation; show the chip when it is new.
    if (m.ticketId && m.ticketId !== this.lastTicket) {
      this.lastTicket = m.ticketId;
      const label = h('span', { class: 'kefu-ticket-label' });
      this.label((t) => (label.textContent = t.ticket));
      bubble.appendChild(h('div', { class: 'kefu-ticket', 'data-ticket-id': m.ticketId }, label, ' ', h('strong', {}, m.ticketId)));
    }
    const replies = m.quickReplies ?? [];
    let rest = replies;
    if (m.rating) {
      const split = splitRating(replies);
      rest = split.rest;
      bubble.appendChild(createRating(split.scores, (draw) => this.label(draw), (reply, score) => this.opts.onPick(reply, this.opts.i18n.t.star(score))));
    }
    // Chips under the message, not inside it: they are the user's next words, and big enough to tap.
    let chips: HTMLElement | undefined;
    if (rest.length > 0) {
      chips = h('div', { class: 'kefu-choices kefu-quick', role: 'group' });
      for (const reply of rest) {
        const button = h('button', { type: 'button', class: 'kefu-quick-reply', 'data-value': reply.value }, reply.label);
        button.addEventListener('click', () => {
          button.setAttribute('aria-pressed', 'true');
          this.opts.onPick(reply);
        });
        chips.appendChild(button);
      }
    }
    const group = chips;
    const agent = author.kind === 'agent' ? author.name : undefined;
    this.label((t) => {
      said.textContent = agent === undefined ? t.botSaid : t.agentSaid(agent);
      group?.setAttribute('aria-label', t.quickReplies);
    });
    const name = agent ? h('span', { class: 'kefu-name', 'aria-hidden': 'true' }, agent) : null;
    const avatar = agent === undefined ? botAvatar(this.opts.avatar) : agentAvatar(agent);
    return this.row(author, at, avatar, h('div', { class: 'kefu-stack' }, said, name, bubble, chips, h('div', { class: 'kefu-meta' }, this.time(at))));
  }

  /** The service's own line (「客服小王已接入」, a queue position): centred, no avatar. */
  private systemRow(m: BotMessage, at: Date): HTMLElement {
    const said = h('span', { class: 'kefu-sr-only' });
    this.label((t) => (said.textContent = t.systemSaid));
    return this.row({ kind: 'system' }, at, said, h('div', { class: 'kefu-text' }, renderRichText(m.text)));
  }

  private row(author: Author, at: Date, ...children: (HTMLElement | null | undefined)[]): HTMLElement {
    return h(
      'div',
      {
        class: `kefu-row kefu-row--${author.kind}`,
        'data-role': author.kind,
        'data-author': authorKey(author),
        'data-at': at.getTime(),
        role: author.kind === 'system' ? 'note' : undefined,
      },
      ...children,
    );
  }

  private insert(el: HTMLElement, section: Section, after?: Element): void {
    if (after?.isConnected) after.after(el);
    else this.sections[section].appendChild(el);
    this.regroup(el);
    this.scroll();
  }

  /** Mark the first and last row of each group around `el` (CSS shows the avatar on the first, the time on the last). */
  private regroup(el: HTMLElement): void {
    const items = [...this.log.querySelectorAll<HTMLElement>('.kefu-row, .kefu-notice')];
    const i = items.indexOf(el);
    for (const j of [i - 1, i, i + 1]) {
      const row = items[j];
      if (!row?.classList.contains('kefu-row')) continue;
      row.classList.toggle('kefu-row--first', !joins(items[j - 1], row));
      row.classList.toggle('kefu-row--last', !joins(row, items[j + 1]));
    }
  }

  private label(draw: (t: Strings) => void): void {
    this.unbind.push(this.opts.i18n.bind(draw));
  }

  private time(at: Date): HTMLTimeElement {
    const sameDay = at.toDateString() === new Date().toDateString();
    const label = at.toLocaleString(this.opts.i18n.locale, {
      ...(sameDay ? {} : { month: 'numeric', day: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    return h('time', { class: 'kefu-time', datetime: at.toISOString() }, label);
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function joins(a: HTMLElement | undefined, b: HTMLElement | undefined): boolean {
  if (!a?.classList.contains('kefu-row') || !b?.classList.contains('kefu-row')) return false;
  const read = (el: HTMLElement) => ({ author: el.dataset.author ?? '', at: Number(el.dataset.at) });
  return sameGroup(read(a), read(b));
}

function followedByUser(row: Element): boolean {
  for (let next = row.nextElementSibling; next; next = next.nextElementSibling) {
    if (next.classList.contains('kefu-row--user')) return true;
  }
  return false;
}
