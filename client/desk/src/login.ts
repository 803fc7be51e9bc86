/** The sign-in form; says why a sign-in failed (wrong login or password, too many attempts). */
import * as api from './api.js';
import { fill, h } from './dom.js';
import { errorText, lang, setLang, t } from './i18n.js';

export function showLogin(root: HTMLElement, onSignedIn: (s: api.Session) => void, message = ''): void {
  const d = t();
  document.title = d.title;
  const error = h('p', { class: 'login-error', role: 'alert' }, message);
  const name = h('input', { name: 'login', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { class: 'primary', type: 'submit' }, d.login);
  const form = h(
    'form',
    {
      class: 'login',
      onsubmit: (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        error.textContent = '';
        api.login(name.value.trim(), password.value).then(onSignedIn, (err: api.DeskError) => {
          submit.disabled = false;
          error.textContent = errorText(err.code, err.message);
          password.select();
        });
      },
    },
    h('h1', {}, d.title),
    h('label', {}, d.loginName, name),
    h('label', {}, d.password, password),
    error,
    submit,
    h('button', { class: 'lang link', type: 'button', onclick: () => (setLang(lang === 'zh' ? 'en' : 'zh'), showLogin(root, onSignedIn)) }, lang === 'zh' ? 'English' : '中文'),
  );
  fill(root, h('div', { class: 'login-page' }, form));
  name.focus();
}
