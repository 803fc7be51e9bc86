/** The reports page: an admin's session → the reports; an agent's → refused; none → the desk's sign-in form. */
import '../../desk/src/desk.css';
import './reports.css';
import { z } from 'zod';
import * as deskApi from '../../desk/src/api.js';
import { fill, h } from '../../desk/src/dom.js';
import { lang, setLang } from '../../desk/src/i18n.js';
import { showLogin } from '../../desk/src/login.js';
import * as api from './api.js';
import { r } from './i18n.js';
import { startReports } from './reportsApp.js';

// The page's CSP forbids eval: zod must not even try its compiled parsers.
z.config({ jitless: true });

const root = document.getElementById('desk')!;
setLang(lang);

function signedIn(s: deskApi.Session): void {
  api.useCsrf(s.csrf);
  if (s.agent.role !== 'admin') {
    document.title = r().title;
    fill(root, h('div', { class: 'login-page' }, h('div', { class: 'login refused', role: 'alert' }, h('h1', {}, r().title), h('p', {}, r().notAdmin), h('a', { class: 'button', href: '/desk' }, r().backToDesk))));
    return;
  }
  startReports(root, s.agent, () => location.reload());
}

api.whenExpired(() => location.reload());
deskApi.me().then(
  (s) => (s ? signedIn(s) : showLogin(root, signedIn)),
  () => showLogin(root, signedIn),
);
