/**
 * Bad input and abuse over Socket.IO: every malformed payload gets a stable
 * code in its ack, a flood gets RATE_LIMITED, foreign origins cannot connect,
 * and through all of it the connection and the server keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, emitRaw } from '../helpers/socketClient.js';
import { createBotDouble } from '../helpers/botDouble.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

const ALLOWED = 'https://shop.carrier.example';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ ALLOWED_ORIGINS: ALLOWED, RATE_LIMIT_SESSION: '5' }, { bot: createBotDouble() });
});
afterAll(() => srv.close());

describe('bad payloads', () => {
  it.each([
    ['no payload', [], 'INVALID_PAYLOAD'],
    ['null', [null], 'INVALID_PAYLOAD'],
    ['a string', ['手机开不了机'], 'INVALID_PAYLOAD'],
    ['a number', [42], 'INVALID_PAYLOAD'],
    ['an array', [[{ text: 'hi' }]], 'INVALID_PAYLOAD'],
    ['missing text', [{}], 'INVALID_PAYLOAD'],
    ['text null', [{ text: null }], 'INVALID_PAYLOAD'],
    ['text a number', [{ text: 1 }], 'INVALID_PAYLOAD'],
    ['text an object', [{ text: { toString: 'x' } }], 'INVALID_PAYLOAD'],
    ['empty text', [{ text: '' }], 'EMPTY_TEXT'],
    ['whitespace only', [{ text: '   \n\u3000' }], 'EMPTY_TEXT'],
    ['501 characters', [{ text: 'a'.repeat(501) }], 'TEXT_TOO_LONG'],
    ['a non-string payload field', [{ text: 'hi', payload: 3 }], 'INVALID_PAYLOAD'],
    ['an empty clientMessageId', [{ text: 'hi', clientMessageId: '' }], 'INVALID_PAYLOAD'],
    ['a constructor key', [{ text: 'hi', constructor: 'x' }], 'INVALID_PAYLOAD'],
    ['a prototype key', [{ text: 'hi', prototype: {} }], 'INVALID_PAYLOAD'],
  ])('answers %s with %s, and the socket stays usable', async (_label, args, code) => {
    const c = await connect(srv.url);
    expect(await emitRaw(c.socket, 'user_message', ...args)).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
    expect(await c.send('好的')).toMatchObject({ ok: true });
    c.close();
  });

  it.each([
    ['a binary payload', () => Buffer.from('{"text":"hi"}')],
    ['a typed array', () => new Uint8Array([123, 125])],
  ])('answers %s as not a JSON object, and the socket stays usable', async (_label, make) => {
    const c = await connect(srv.url);
    expect(await emitRaw(c.socket, 'user_message', make())).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining('JSON object') },
    });
    expect(await emitRaw(c.socket, 'user_message', { text: Buffer.from('hi') })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message: '"text" must be a string' },
    });
    expect(await c.send('好的')).toMatchObject({ ok: true });
    c.close();
  });

  it('answers an unknown event that asks for an ack with NOT_FOUND', async () => {
    const c = await connect(srv.url);
    expect(await emitRaw(c.socket, 'drop_tables', { text: 'x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no such event' } });
    expect(await emitRaw(c.socket, 'constructor')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await c.send('still here')).toMatchObject({ ok: true });
    c.close();
  });

  it('refuses a __proto__ key as sent on the wire, and nothing is polluted', async () => {
    const c = await connect(srv.url);
    // JSON.parse makes "__proto__" an own key, which is what the server receives.
    const payload = JSON.parse('{"text":"hi","__proto__":{"polluted":true}}') as unknown;
    expect(await emitRaw(c.socket, 'user_message', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    c.close();
  });

  it('strips unknown fields instead of trusting them', async () => {
    const c = await connect(srv.url);
    const ack = await emitRaw(c.socket, 'user_message', { text: 'hi', sessionId: 'someone-elses-session', role: 'bot' });
    expect(ack).toMatchObject({ ok: true, sessionId: c.sessionId });
    const h = await c.history();
    expect(h.ok && h.entries.at(-2)).toEqual({ role: 'user', at: expect.any(String), text: 'hi' });
    c.close();
  });

  it('ignores messages without an ack, unknown events and extra arguments', async () => {
    const c = await connect(srv.url);
    const raw = c.socket as unknown as { emit(ev: string, ...a: unknown[]): void };
    raw.emit('user_message', { text: 'no ack' });
    raw.emit('drop_tables', { text: 'x' });
    expect(await emitRaw(c.socket, 'history', 'extra', 1)).toMatchObject({ ok: true, sessionId: c.sessionId });
    expect(await c.send('still here')).toMatchObject({ ok: true });
    const h = await c.history();
    expect(h.ok && h.entries.map((e) => e.text)).not.toContain('no ack');
    c.close();
  });

  it('drops a client whose packet is far beyond any valid size, and the server carries on', async () => {
    const c = await connect(srv.url);
    const gone = new Promise((r) => c.socket.once('disconnect', r));
    c.socket.emit('user_message', { text: 'x'.repeat(200_000) }, () => {});
    await gone;
    const d = await connect(srv.url);
    expect(await d.send('hi')).toMatchObject({ ok: true });
    d.close();
  });
});

describe('rate limiting', () => {
  it('answers a flood with RATE_LIMITED while the connection stays up, and recovers', async () => {
    const c = await connect(srv.url);
    const acks = await Promise.all(Array.from({ length: 12 }, (_, i) => c.send(`消息${i}`)));
    const ok = acks.filter((a) => a.ok).length;
    const limited = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(ok).toBe(5);
    expect(limited).toBe(7);
    expect(c.socket.connected).toBe(true);
    // 5 per 10 s refills one token every 2 s.
    await new Promise((r) => setTimeout(r, 2100));
    expect(await c.send('现在可以了吗')).toMatchObject({ ok: true });
    c.close();
  });

  it('limits per IP generously but firmly', async () => {
    const tight = await startTestServer({ RATE_LIMIT_IP: '3' }, { bot: createBotDouble() });
    try {
      const c = await connect(tight.url); // opening a session takes one token
      const acks = await Promise.all([c.send('1'), c.send('2'), c.send('3')]);
      expect(acks.map((a) => a.ok)).toEqual([true, true, false]);
      await expect(connect(tight.url)).rejects.toThrow('RATE_LIMITED');
      c.close();
    } finally {
      await tight.close();
    }
  });

  it('counts every handshake against the address, resuming ones too, and history reads', async () => {
    const tight = await startTestServer({ RATE_LIMIT_IP: '4' }, { bot: createBotDouble() });
    try {
      const first = await connect(tight.url); // 1
      const again = await connect(tight.url, { auth: { sessionId: first.sessionId } }); // 2: resumed
      expect(again.sessionId).toBe(first.sessionId);
      expect(await first.history()).toMatchObject({ ok: true }); // 3
      expect(await first.history()).toMatchObject({ ok: true }); // 4
      expect(await first.history()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      // A resume over the limit is refused, not turned into a new session.
      await expect(connect(tight.url, { auth: { sessionId: first.sessionId } })).rejects.toThrow('RATE_LIMITED');
      first.close();
      again.close();
    } finally {
      await tight.close();
    }
  });

  it('puts a whole IPv6 /64 in one bucket, behind a trusted proxy', async () => {
    const tight = await startTestServer({ RATE_LIMIT_IP: '2', TRUST_PROXY: '1' }, { bot: createBotDouble() });
    const from = (ip: string) =>
      fetch(`${tight.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ text: '你好' }),
      }).then((r) => r.status);
    try {
      expect(await from('2001:db8:1:2::a')).toBe(200);
      expect(await from('2001:db8:1:2:ffff:1:2:3')).toBe(200);
      expect(await from('2001:0db8:0001:0002::1')).toBe(429); // the same /64, written differently
      expect(await from('2001:db8:1:3::a')).toBe(200); // the next /64: someone else
      expect(await from('203.0.113.7')).toBe(200);
    } finally {
      await tight.close();
    }
  });

  it('is off with RATE_LIMIT=off', async () => {
    const open = await startTestServer({ RATE_LIMIT: 'off', RATE_LIMIT_SESSION: '1' }, { bot: createBotDouble() });
    try {
      const c = await connect(open.url);
      const acks = await Promise.all(Array.from({ length: 10 }, (_, i) => c.send(`${i}`)));
      expect(acks.every((a) => a.ok)).toBe(true);
      c.close();
    } finally {
      await open.close();
    }
  });
});

describe('origins (Socket.IO)', () => {
  it.each(['websocket', 'polling'] as const)('accepts a listed origin and no origin over %s', async (transport) => {
    const listed = await connect(srv.url, { transports: [transport], extraHeaders: { origin: ALLOWED } });
    expect(await listed.send('hi')).toMatchObject({ ok: true });
    listed.close();
    const none = await connect(srv.url, { transports: [transport] });
    none.close();
  });

  it.each(['websocket', 'polling'] as const)('refuses a foreign origin over %s', async (transport) => {
    await expect(connect(srv.url, { transports: [transport], extraHeaders: { origin: 'https://evil.example' } })).rejects.toThrow();
    const after = await connect(srv.url);
    expect(await after.send('hi')).toMatchObject({ ok: true });
    after.close();
  });
});
