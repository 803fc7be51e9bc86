/**
 * The line above the transcript while a person is involved: the place in the
 * queue and the rough wait, with a button to stop waiting and go back to the
 * assistant; then the agent who serves the chat. Hidden while the assistant
 * does. Not a live region — it changes with every step of the queue; the
 * widget says the changes worth saying (see conversationStatus.ts).
 */
import { BOT_STATUS, statusLine, type ConversationStatus } from '../conversationStatus.js';
import { h } from '../dom.js';
import type { I18n, Strings } from '../i18n.js';

export interface StatusBar {
  el: HTMLElement;
  set(status: ConversationStatus): void;
  /** Whether the leave button can be used now (connected, no leave already under way). */
  setLeaveEnabled(on: boolean): void;
  /** Leaving failed (offline, no answer): said in the line until the status changes. */
  showLeaveFailed(): void;
  /** Whether the leave button has focus (it goes away with the queue: focus must go somewhere). */
  hasFocus(): boolean;
}

export function createStatusBar(i18n: I18n, onLeave: () => void): StatusBar {
  const text = h('span', { class: 'kefu-handover-text' });
  const leave = h('button', { type: 'button', class: 'kefu-leave', hidden: true });
  const el = h('div', { class: 'kefu-handover', hidden: true, 'data-mode': 'bot' }, h('i', { class: 'kefu-handover-dot', 'aria-hidden': 'true' }), text, leave);
  // aria-disabled, not disabled: a focused button that is disabled drops the focus to the page.
  leave.addEventListener('click', () => {
    if (leave.getAttribute('aria-disabled') !== 'true') onLeave();
  });

  let status: ConversationStatus = BOT_STATUS;
  let failed = false;
  const draw = (t: Strings) => {
    const line = failed && status.mode === 'queued' ? t.leaveQueueFailed : statusLine(status, t);
    el.hidden = line === null;
    el.dataset.mode = status.mode;
    text.textContent = line ?? '';
    leave.textContent = t.leaveQueue;
    leave.hidden = status.mode !== 'queued';
  };
  i18n.bind(draw);

  return {
    el,
    set(next) {
      status = next;
      failed = false;
      draw(i18n.t);
    },
    setLeaveEnabled(on) {
      leave.setAttribute('aria-disabled', String(!on));
    },
    showLeaveFailed() {
      failed = true;
      draw(i18n.t);
    },
    hasFocus: () => (el.getRootNode() as ShadowRoot | Document).activeElement === leave,
  };
}
