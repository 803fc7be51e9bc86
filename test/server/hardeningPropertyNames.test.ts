/**
 * JavaScript's own property names (`constructor`, `__proto__`, `toString`,
 * `hasOwnProperty`…) in every position a client controls, against a real kefu
 * process: message text, quick-reply payload, client message id, session id
 * (in the body, the URL and the Socket.IO handshake), locale, event names and
 * fields, the forwarded address, the desk's login and its ids and queries.
 * Every answer is a reply or an error with a code the client can act on —
 * never INTERNAL, never a 5xx — no error is logged, and the server serves a
 * normal conversation afterwards.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/desk/passwords.js';
import { SqliteStore } from '../../server/store/sqliteStore.js';
import { postMessage, startProcess, type KefuProcess } from '../helpers/kefuProcess.js';
import { connect } from '../helpers/socketClient.js';
import { tempDbPath } from '../helpers/startServer.js';

const NAMES = [
  ...new Set([
    ...Object.getOwnPropertyNames(Object.prototype),
    ...Object.getOwnPropertyNames(Function.prototype),
    ...['prototype', '__proto__', 'constructor', 'length', 'then', 'toJSON', 'valueOf'],
  ]),
];

let k: KefuProcess;
let desk: { cookie: string; csrf: string };

beforeAll(async () => {
  const DB_PATH = tempDbPath();
  const store = new SqliteStore(DB_PATH);
  await store.putAgent({ login: 'admin', name: '管理员', role: 'admin', passwordHash: await hashPassword('a long enough password'), disabled: false, createdAt: new Date().toISOString() });
  await store.close();
  k = await startProcess({ DB_PATH, RATE_LIMIT: 'off', TRUST_PROXY: '1', LOG_LEVEL: 'info' });
  const login = await fetch(`${k.url}/api/desk/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: k.url },
    body: JSON.stringify({ login: 'admin', password: 'a long enough password' }),
  });
  expect(login.status).toBe(200);
  desk = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await login.json()) as { csrf: string }).csrf };
}, 90_000);
afterAll(async () => {
  await k?.stop('SIGKILL');
});

/** A status and, for an error, its code: what the client can act on. */
async function answer(res: Response): Promise<{ status: number; code?: string }> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
  return res.status < 400 ? { status: res.status } : { status: res.status, code: body?.error?.code };
}

/** Every answer is below 500 and, when an error, carries a code that is not INTERNAL. */
function expectHandled(where: string, a: { status: number; code?: string }) {
  expect({ where, status: a.status < 500, code: a.status < 400 || (typeof a.code === 'string' && a.code !== 'INTERNAL') }).toEqual({ where, status: true, code: true });
}

describe('JavaScript property names in every position, against a real process', { timeout: 180_000 }, () => {
  it('over REST: text, payload, client message id, session id, locale, the forwarded address, the transcript URL', async () => {
    const { body } = await postMessage(k.url, { text: '手机开不了机' });
    const sessionId = body.sessionId as string;
    for (const name of NAMES) {
      const bodies: Record<string, unknown>[] = [
        { text: name },
        { sessionId, text: name },
        { sessionId, text: '还是不行', payload: name },
        { sessionId, text: name, payload: name, clientMessageId: name },
        { sessionId: name, text: '你好' },
        { text: '你好', locale: name },
      ];
      for (const b of bodies) {
        const res = await fetch(`${k.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': name }, body: JSON.stringify(b) });
        expectHandled(`POST /api/messages ${JSON.stringify(b)}`, await answer(res));
      }
      expectHandled(`transcript of ${name}`, await answer(await fetch(`${k.url}/api/sessions/${encodeURIComponent(name)}/transcript`)));
      expectHandled(`query ${name}`, await answer(await fetch(`${k.url}/api/sessions/${sessionId}/transcript?${encodeURIComponent(name)}=1&x[${encodeURIComponent(name)}]=1`)));
    }
  });

  it('at every step of every dialog, as text and as a quick-reply payload', async () => {
    const openers = ['手机开不了机', '手机很卡', '没信号', '照片没了', '手机被偷了', '华为保修多久', '话费怎么这么多', '我要投诉', '转人工', '客服电话', "my phone won't turn on"];
    const few = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__', 'isPrototypeOf'];
    let turns = 0;
    for (const opener of openers) {
      for (const name of few) {
        let res = await postMessage(k.url, { text: opener });
        const sessionId = res.body.sessionId as string;
        for (let depth = 0; depth < 4 && res.status === 200; depth++) {
          const options = (res.body.replies as { quickReplies?: { label: string; value: string }[] }[]).flatMap((m) => m.quickReplies ?? []);
          for (const b of [{ text: name }, { text: options[0]?.label ?? name, payload: name }]) {
            const odd = await postMessage(k.url, { sessionId, ...b });
            turns++;
            expectHandled(`${opener} → step ${depth}: ${JSON.stringify(b)}`, { status: odd.status, code: odd.body?.error?.code });
          }
          // On down the dialog: its first option, or an answer any step takes.
          res = await postMessage(k.url, { sessionId, ...(options[0] ? { text: options[0].label, payload: options[0].value } : { text: '还是不行' }) });
          expectHandled(`${opener} → step ${depth}`, { status: res.status, code: res.body?.error?.code });
        }
      }
    }
    expect(turns).toBeGreaterThan(openers.length * few.length * 4);
  });

  it('over Socket.IO: the handshake, event names, every field of every event', async () => {
    for (const name of NAMES) {
      // An offered session id and locale that are property names: a new session, not an error.
      const c = await connect(k.url, { auth: { sessionId: name, locale: name } });
      const acks: unknown[] = [];
      const emit = (event: string, payload: unknown) =>
        new Promise<void>((resolve) => {
          c.socket.timeout(5000).emit(event as 'user_message', payload as never, (err: unknown, ack: unknown) => {
            acks.push(err ? { timeout: event } : ack);
            resolve();
          });
        });
      await emit('user_message', { text: name, payload: name, clientMessageId: name });
      await emit('user_message', { text: '手机开不了机' });
      await emit('user_message', { text: name });
      await emit('history', { [name]: name });
      await emit(name, { text: name });
      c.socket.emit('typing', { typing: name } as never);
      await emit('leave_queue', { [name]: true });
      for (const a of acks) {
        expect(a).toMatchObject({ ok: expect.any(Boolean) });
        const error = (a as { error?: { code: string } }).error;
        if (error) expect(error.code).not.toBe('INTERNAL');
      }
      expect(c.socket.connected).toBe(true);
      c.close();
    }
    // A raw handshake whose auth is a property name itself.
    for (const name of ['__proto__', 'constructor']) {
      const s = io(k.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: JSON.parse(`{"${name}":{"sessionId":"x"}}`) as Record<string, unknown> });
      await new Promise<void>((resolve, reject) => {
        s.once('session', () => resolve());
        s.once('connect_error', reject);
      });
      s.close();
    }
  });

  it('at the desk: the login, ids in URLs, queries', async () => {
    const headers = { cookie: desk.cookie, 'x-kefu-csrf': desk.csrf, origin: k.url, 'content-type': 'application/json' };
    // Signed in as an admin: the routes below are reached, not refused at the door.
    expect((await fetch(`${k.url}/api/desk/me`, { headers })).status).toBe(200);
    expect((await fetch(`${k.url}/api/desk/tickets/constructor`, { headers })).status).toBe(404);
    for (const name of NAMES) {
      const e = encodeURIComponent(name);
      const login = await fetch(`${k.url}/api/desk/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: k.url }, body: JSON.stringify({ login: name, password: name }) });
      expectHandled(`login ${name}`, await answer(login));
      for (const path of [`/api/desk/tickets/${e}`, `/api/desk/conversations/${e}`, `/api/desk/tickets?status=${e}&q=${e}&${e}=1`, `/api/desk/audit?sessionId=${e}&agent=${e}`, `/api/desk/callbacks?status=${e}`, `/api/desk/stats?from=${e}&to=${e}&by=${e}`]) {
        expectHandled(`GET ${path}`, await answer(await fetch(`${k.url}${path}`, { headers })));
      }
      expectHandled(`POST callbacks/${name}`, await answer(await fetch(`${k.url}/api/desk/callbacks/${e}`, { method: 'POST', headers, body: JSON.stringify({ status: name, note: name }) })));
    }
  });

  it('logged no error, and serves a normal conversation afterwards', async () => {
    const errors = k.logs.filter((l) => typeof l.level === 'number' && l.level >= 50);
    expect(errors).toEqual([]);
    const res = await postMessage(k.url, { text: '手机很卡' });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.replies)).toMatch(/卡/);
  });
});
