/**
 * The message input. Works with Chinese IMEs: Enter that confirms a pinyin
 * candidate (composition in progress, or keyCode 229 which some browsers
 * report for the confirming keystroke) must not send. Shift+Enter is a new
 * line; a counter appears near the length limit.
 *
 * Length is the server's rule (see limits.ts): characters as the writer sees
 * them, so 500 emoji or flags fit. The textarea's `maxlength` counts UTF-16
 * units, so it is only the server's hard cap; past 500 characters the counter
 * says how many are over and the text cannot be sent.
 */
import { h, icon, ICONS } from '../dom.js';
import type { I18n, Strings } from '../i18n.js';
import { countCharacters, isTextTooLong, MAX_LENGTH, MAX_UNITS } from '../limits.js';

export interface Composer {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  /** The placeholder, in the chrome's language (it says something else while the user waits for a person). */
  setPlaceholder(pick: (t: Strings) => string): void;
}

/** Show the counter from this share of the limit on. */
const COUNTER_FROM = 0.8;

/**
 * `announce` tells screen readers about the limit when the counter appears,
 * when the limit is reached and when the text goes over it (and again on an
 * attempt to send it), rather than the counter being a live region that would
 * talk over every keystroke near the limit. `onDraft` hears every change of
 * the draft, also its clearing after a send.
 */
export function createComposer(
  i18n: I18n,
  onSubmit: (text: string) => boolean,
  announce: (text: string) => void,
  onDraft: (text: string) => void = () => {},
): Composer {
  const input = h('textarea', {
    id: 'kefu-input',
    class: 'kefu-input',
    rows: 1,
    maxlength: MAX_UNITS,
    enterkeyhint: 'send',
    autocomplete: 'off',
  });
  const counter = h('span', { class: 'kefu-counter', id: 'kefu-counter', hidden: true });
  const send = h('button', { type: 'submit', class: 'kefu-send', disabled: true }, icon(ICONS.send, 22));
  const label = h('label', { class: 'kefu-sr-only', for: 'kefu-input' });
  const form = h('form', { class: 'kefu-composer' }, label, input, counter, send);
  input.setAttribute('aria-describedby', 'kefu-counter');

  let composing = false;
  input.addEventListener('compositionstart', () => (composing = true));
  input.addEventListener('compositionend', () => (composing = false));

  /** Characters in what would be sent (the trimmed text), and whether the server would refuse it. */
  const measure = () => {
    const text = input.value.trim();
    const used = countCharacters(text);
    // At least 1: text can be over the hard cap in code units with fewer than 500 characters.
    return { text, used, over: isTextTooLong(text), excess: Math.max(1, used - MAX_LENGTH) };
  };

  const refresh = () => {
    const t = i18n.t;
    const { text, used, over, excess } = measure();
    send.disabled = text === '' || over;
    const wasHidden = counter.hidden;
    const wasFull = counter.classList.contains('kefu-counter--full');
    const wasOver = counter.classList.contains('kefu-counter--over');
    counter.hidden = used < MAX_LENGTH * COUNTER_FROM && !over;
    if (over && !wasOver) announce(t.counterTooLong(MAX_LENGTH, excess));
    else if (used >= MAX_LENGTH && !over && !wasFull) announce(t.counterFull(MAX_LENGTH));
    else if (!counter.hidden && wasHidden) announce(t.counterLeft(MAX_LENGTH - used));
    counter.textContent = over ? t.counterOver(excess) : t.counter(used, MAX_LENGTH);
    counter.classList.toggle('kefu-counter--full', used >= MAX_LENGTH || over);
    counter.classList.toggle('kefu-counter--over', over);
    // Grow with the text up to the CSS max-height, then scroll.
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  };

  const submit = () => {
    const { text, over, excess } = measure();
    if (!text) return;
    // Kept for the user to shorten; said again, as Enter otherwise seems to do nothing.
    if (over) return announce(i18n.t.counterTooLong(MAX_LENGTH, excess));
    if (onSubmit(text)) {
      input.value = '';
      refresh();
      onDraft('');
    }
  };

  input.addEventListener('input', () => {
    refresh();
    onDraft(input.value);
  });
  let placeholder = (t: Strings) => t.placeholder;
  // A change of language redraws the labels and the counter; the limit is not announced again.
  i18n.bind((t) => {
    input.placeholder = placeholder(t);
    label.textContent = t.inputLabel;
    send.setAttribute('aria-label', t.send);
    send.title = t.send;
    if (!counter.hidden) refresh();
  });
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
  return {
    form,
    input,
    setPlaceholder(pick) {
      placeholder = pick;
      input.placeholder = pick(i18n.t);
    },
  };
}
