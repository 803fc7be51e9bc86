/**
 * The transcript as DOM: user and bot bubbles with time stamps, quick-reply
 * buttons (disabled once the conversation moves on), the rating stars, the
 * ticket chip, delivery status with retry, and the live region that announces
 * bot messages to screen readers. Bot messages are deduplicated by id.
 */
import type { BotMessage, QuickReply } from '../../../server/protocol.js';
import { h } from '../dom.js';
import type { Locale, Strings } from '../i18n.js';
import { renderRichText } from '../richText.js';
import { createRating, scoreOf, showScore, splitRating } from './rating.js';

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** Handle on a user bubble, to show its delivery state. */
export interface UserBubble {
  el: HTMLElement;
  setStatus(status: DeliveryStatus, failure?: { reason: string; onRetry?: () => void }): void;
}

/** Where a message goes: redrawn history sits above anything typed in this page view. */
export type Section = 'history' | 'live';

export interface MessageListOptions {
  strings: Strings;
  locale: Locale;
  avatar?: string;
  botInitial: string;
  /** A quick reply or star was picked; `text` is what the user's bubble should say (the label by default). */
  onPick(reply: QuickReply, text?: string): void;
}

export class MessageList {
  private readonly sections: Record<Section, HTMLElement>;
  private readonly seen = new Set<string>();
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
    const bubble = h('div', { class: 'kefu-bubble' }, h('div', { class: 'kefu-text kefu-text--plain' }, text));
    const el = h(
      'div',
      { class: 'kefu-row kefu-row--user', 'data-role': 'user' },
      h('div', { class: 'kefu-stack' }, h('span', { class: 'kefu-sr-only' }, this.opts.strings.youSaid), bubble, h('div', { class: 'kefu-meta' }, status, this.time(at))),
    );
    this.sections[section].appendChild(el);
    this.scroll();
    const t = this.opts.strings;
    return {
      el,
      setStatus(next, failure) {
        el.dataset.status = next;
        status.replaceChildren();
        if (next === 'queued') status.append(t.queued);
        if (next === 'failed') {
          status.append(failure?.reason ?? t.failed);
          if (failure?.onRetry) {
            const retry = h('button', { type: 'button', class: 'kefu-retry' }, t.retry);
            retry.addEventListener('click', failure.onRetry, { once: true });
            status.append(' ', retry);
          }
        }
      },
    };
  }

  /**
   * Add a bot message, at the end of `section` or right after `after` (a reply
   * goes under the message it answers, even when later messages were queued
   * below it). Returns its row, or null (drawing nothing) if its id was already shown.
   */
  addBot(m: BotMessage, at: Date, section: Section = 'live', after?: Element): HTMLElement | null {
    if (this.seen.has(m.id)) return null;
    this.seen.add(m.id);
    const t = this.opts.strings;
    const bubble = h('div', { class: 'kefu-bubble' }, h('div', { class: 'kefu-text' }, renderRichText(m.text)));
    // The bot repeats the ticket id on every message of a ticketed conversation; show the chip when it is new.
    if (m.ticketId && m.ticketId !== this.lastTicket) {
      this.lastTicket = m.ticketId;
      bubble.appendChild(
        h('div', { class: 'kefu-ticket', 'data-ticket-id': m.ticketId }, h('span', { class: 'kefu-ticket-label' }, t.ticket), ' ', h('strong', {}, m.ticketId)),
      );
    }
    const replies = m.quickReplies ?? [];
    let rest = replies;
    if (m.rating) {
      const split = splitRating(replies);
      rest = split.rest;
      bubble.appendChild(createRating(split.scores, t, (reply, score) => this.opts.onPick(reply, t.star(score))));
    }
    if (rest.length > 0) {
      const group = h('div', { class: 'kefu-choices kefu-quick', role: 'group', 'aria-label': t.quickReplies });
      for (const reply of rest) {
        const button = h('button', { type: 'button', class: 'kefu-quick-reply', 'data-value': reply.value }, reply.label);
        button.addEventListener('click', () => {
          button.setAttribute('aria-pressed', 'true');
          this.opts.onPick(reply);
        });
        group.appendChild(button);
      }
      bubble.appendChild(group);
    }
    const avatar = this.opts.avatar
      ? h('img', { class: 'kefu-avatar', src: this.opts.avatar, alt: '' })
      : h('span', { class: 'kefu-avatar', 'aria-hidden': 'true' }, this.opts.botInitial);
    const el = h(
      'div',
      {
        class: 'kefu-row kefu-row--bot',
        'data-role': 'bot',
        'data-message-id': m.id,
        'data-step': m.step,
        'data-intent': m.intent,
        'data-ticket-id': m.ticketId,
      },
      avatar,
      h('div', { class: 'kefu-stack' }, h('span', { class: 'kefu-sr-only' }, t.botSaid), bubble, h('div', { class: 'kefu-meta' }, this.time(at))),
    );
    // Only the newest question's buttons are live; and a reply that lands above
    // something the user said later belongs to a turn already passed.
    if (el.querySelector('.kefu-choices')) this.disableChoices();
    if (after?.isConnected) after.after(el);
    else this.sections[section].appendChild(el);
    if (followedByUser(el)) this.disableChoices(el);
    if (section === 'live') this.announce(m.text);
    this.scroll();
    return el;
  }

  /** A line from the widget itself (not the bot). */
  addNotice(text: string): void {
    this.sections.live.appendChild(h('div', { class: 'kefu-notice', role: 'note' }, text));
    this.scroll();
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
    this.sections.history.replaceChildren();
    this.sections.live.replaceChildren();
    this.live.replaceChildren();
    this.seen.clear();
    this.lastTicket = undefined;
  }

  /** Say `text` to screen readers (bot messages, and what went wrong with the user's). */
  announce(text: string): void {
    this.live.appendChild(h('p', {}, text));
    // Keep the region short: screen readers only need what is new.
    while (this.live.childElementCount > 3) this.live.firstElementChild?.remove();
  }

  private time(at: Date): HTMLTimeElement {
    const sameDay = at.toDateString() === new Date().toDateString();
    const label = at.toLocaleString(this.opts.locale, {
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

function followedByUser(row: Element): boolean {
  for (let next = row.nextElementSibling; next; next = next.nextElementSibling) {
    if (next.classList.contains('kefu-row--user')) return true;
  }
  return false;
}
