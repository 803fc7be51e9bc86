/**
 * The message input. Works with Chinese IMEs: Enter that confirms a pinyin
 * candidate (composition in progress, or keyCode 229 which some browsers
 * report for the confirming keystroke) must not send. Shift+Enter is a new
 * line; a counter appears near the length limit.
 */
import { h, icon, ICONS } from '../dom.js';
import type { Strings } from '../i18n.js';

export interface Composer {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
}

/** Show the counter from this share of the limit on. */
const COUNTER_FROM = 0.8;

/**
 * `announce` tells screen readers about the limit twice — when the counter
 * appears and when the limit is reached — rather than the counter being a live
 * region that would talk over every keystroke near the limit.
 */
export function createComposer(t: Strings, maxLength: number, onSubmit: (text: string) => boolean, announce: (text: string) => void): Composer {
  const input = h('textarea', {
    id: 'kefu-input',
    class: 'kefu-input',
    rows: 1,
    maxlength: maxLength,
    placeholder: t.placeholder,
    enterkeyhint: 'send',
    autocomplete: 'off',
  });
  const counter = h('span', { class: 'kefu-counter', id: 'kefu-counter', hidden: true });
  const send = h('button', { type: 'submit', class: 'kefu-send', 'aria-label': t.send, title: t.send, disabled: true }, icon(ICONS.send, 22));
  const form = h(
    'form',
    { class: 'kefu-composer' },
    h('label', { class: 'kefu-sr-only', for: 'kefu-input' }, t.inputLabel),
    input,
    counter,
    send,
  );
  input.setAttribute('aria-describedby', 'kefu-counter');

  let composing = false;
  input.addEventListener('compositionstart', () => (composing = true));
  input.addEventListener('compositionend', () => (composing = false));

  const refresh = () => {
    const used = input.value.length;
    send.disabled = input.value.trim() === '';
    const wasHidden = counter.hidden;
    const wasFull = counter.classList.contains('kefu-counter--full');
    counter.hidden = used < maxLength * COUNTER_FROM;
    if (used >= maxLength && !wasFull) announce(t.counterFull(maxLength));
    else if (!counter.hidden && wasHidden) announce(t.counterLeft(maxLength - used));
    counter.textContent = t.counter(used, maxLength);
    counter.classList.toggle('kefu-counter--full', used >= maxLength);
    // Grow with the text up to the CSS max-height, then scroll.
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  };

  const submit = () => {
    const text = input.value.trim();
    if (!text) return;
    if (onSubmit(text)) {
      input.value = '';
      refresh();
    }
  };

  input.addEventListener('input', refresh);
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    if (composing || e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    submit();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  return { form, input };
}
