/**
 * A one-line question with two buttons, shown in the panel under the header
 * (not a browser dialog, which some in-app browsers suppress). Used before
 * 「新对话」 wipes a conversation the user cannot get back.
 */
import { h } from '../dom.js';

export interface ConfirmStrip {
  el: HTMLElement;
  /** Show the question; resolves true for OK, false for cancel or Escape. */
  ask(): Promise<boolean>;
}

export function createConfirm(text: string, okLabel: string, cancelLabel: string): ConfirmStrip {
  const ok = h('button', { type: 'button', class: 'kefu-confirm-ok' }, okLabel);
  const cancel = h('button', { type: 'button', class: 'kefu-confirm-cancel' }, cancelLabel);
  const question = h('span', { class: 'kefu-confirm-text', id: 'kefu-confirm-text' }, text);
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
