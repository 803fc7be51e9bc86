/**
 * A one-line question with two buttons, shown in the panel under the header
 * (not a browser dialog, which some in-app browsers suppress). Used before
 * 「新对话」 wipes a conversation the user cannot get back.
 */
import { h } from '../dom.js';
import type { I18n } from '../i18n.js';

export interface ConfirmStrip {
  el: HTMLElement;
  /** Show the question; resolves true for OK, false for cancel or Escape. */
  ask(): Promise<boolean>;
}

export function createConfirm(i18n: I18n): ConfirmStrip {
  const ok = h('button', { type: 'button', class: 'kefu-confirm-ok' });
  const cancel = h('button', { type: 'button', class: 'kefu-confirm-cancel' });
  const question = h('span', { class: 'kefu-confirm-text', id: 'kefu-confirm-text' });
  i18n.bind((t) => {
    question.textContent = t.confirmNew;
    ok.textContent = t.newConversation;
    cancel.textContent = t.cancel;
  });
  const el = h(
    'div',
    { class: 'kefu-confirm', role: 'group', 'aria-labelledby': 'kefu-confirm-text', hidden: true },
    question,
    h('span', { class: 'kefu-confirm-actions' }, cancel, ok),
  );

  let settle: ((answer: boolean) => void) | undefined;
  const done = (answer: boolean) => {
    el.hidden = true;
    const resolve = settle;
    settle = undefined;
    resolve?.(answer);
  };
  ok.addEventListener('click', () => done(true));
  cancel.addEventListener('click', () => done(false));
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation(); // Escape answers the question; it does not close the panel
    done(false);
  });

  return {
    el,
    ask() {
      done(false); // a question still open counts as cancelled
      el.hidden = false;
      ok.focus();
      return new Promise((resolve) => (settle = resolve));
    },
  };
}
