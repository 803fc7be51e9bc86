/** The desk page: signed in → the desk; otherwise (or once the session expires) the sign-in form. */
import './desk.css';
import { z } from 'zod';
import * as api from './api.js';
import { startDesk } from './desk.js';
import { lang, setLang, t } from './i18n.js';
import { showLogin } from './login.js';

// The desk's CSP forbids eval: zod must not even try its compiled parsers.
z.config({ jitless: true });

const root = document.getElementById('desk')!;
setLang(lang);

function signedIn(s: api.Session): void {
  startDesk(root, s, (why) => {
    // A fresh page drops every timer and socket of the old session.
    if (why) sessionStorage.setItem('kefu-desk:why', why);
    location.reload();
  });
}

const why = sessionStorage.getItem('kefu-desk:why') ?? '';
sessionStorage.removeItem('kefu-desk:why');
api.whenExpired(() => {
  sessionStorage.setItem('kefu-desk:why', t().expired);
  location.reload();
});
api.me().then(
  (s) => (s ? signedIn(s) : showLogin(root, signedIn, why)),
  () => showLogin(root, signedIn, why),
);
