/**
 * The REST channel, health checks, static files, CORS and security headers,
 * with fetch against a real server on port 0 and a bot double.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restErrorSchema, restMessageResponseSchema, restTranscriptResponseSchema } from '../../server/protocol.js';
import { createBotDouble } from '../helpers/botDouble.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

const ALLOWED = 'https://shop.carrier.example';

function fakeClientDir(withWidget: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-client-'));
  mkdirSync(join(dir, 'demo'));
  writeFileSync(join(dir, 'demo', 'index.html'), '<!doctype html><title>demo</title><script src="/widget.js"></script>');
  writeFileSync(join(dir, 'demo', 'host.css'), 'body{}');
  writeFileSync(join(dir, 'demo', '.secret'), 'a dotfile');
  if (withWidget) {
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'widget.js'), 'window.kefu={};');
  }
  return dir;
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ ALLOWED_ORIGINS: ALLOWED }, { bot: createBotDouble(), clientDir: fakeClientDir(true) });
});
afterAll(() => srv.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${srv.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function errorOf(res: Response): Promise<{ status: number; code: string }> {
  const body = restErrorSchema.parse(await res.json());
  return { status: res.status, code: body.error.code };
}

describe('POST /api/messages', () => {
  it('starts a session, continues it, and the transcript has both turns', async () => {
    const r1 = await post({ text: '你好' });
    expect(r1.status).toBe(200);
    const first = restMessageResponseSchema.parse(await r1.json());
    expect(first.replies[0]!.text).toBe('echo: 你好');

    const second = restMessageResponseSchema.parse(await (await post({ sessionId: first.sessionId, text: '再见' })).json());
    expect(second.sessionId).toBe(first.sessionId);

    const t = await fetch(`${srv.url}/api/sessions/${first.sessionId}/transcript`);
    expect(t.status).toBe(200);
    const transcript = restTranscriptResponseSchema.parse(await t.json());
    expect(transcript.status).toBe('open');
    expect(transcript.entries.map((e) => `${e.role}:${e.text}`)).toEqual([
      'bot:您好（替身）',
      'user:你好',
      'bot:echo: 你好',
      'user:再见',
      'bot:echo: 再见',
    ]);
  });

  it('uses locale for a new session and strips unknown fields', async () => {
    const res = await post({ text: 'hi', locale: 'en', admin: true, sessionIdX: 'x' });
    const body = restMessageResponseSchema.parse(await res.json());
    const t = restTranscriptResponseSchema.parse(await (await fetch(`${srv.url}/api/sessions/${body.sessionId}/transcript`)).json());
    expect(t.entries[0]!.text).toBe('Hello (double)');
  });

  it.each([
    ['a JSON array', [1, 2], 400, 'INVALID_PAYLOAD'],
    ['a JSON string', '"hello"', 400, 'INVALID_PAYLOAD'],
    ['null', 'null', 400, 'INVALID_PAYLOAD'],
    ['broken JSON', '{"text": ', 400, 'INVALID_PAYLOAD'],
    ['no text', {}, 400, 'INVALID_PAYLOAD'],
    ['a number as text', { text: 42 }, 400, 'INVALID_PAYLOAD'],
    ['empty text', { text: '' }, 400, 'EMPTY_TEXT'],
    ['whitespace text', { text: ' \n\t\u3000\u200b ' }, 400, 'EMPTY_TEXT'],
    ['501 characters', { text: '好'.repeat(501) }, 400, 'TEXT_TOO_LONG'],
    ['a __proto__ key', '{"text":"hi","__proto__":{"admin":true}}', 400, 'INVALID_PAYLOAD'],
    ['a constructor key', { text: 'hi', constructor: { prototype: {} } }, 400, 'INVALID_PAYLOAD'],
    ['a malformed sessionId', { text: 'hi', sessionId: '<script>' }, 404, 'UNKNOWN_SESSION'],
    ['an unknown sessionId', { text: 'hi', sessionId: 'f0f0f0f0-0000-4000-8000-000000000000' }, 404, 'UNKNOWN_SESSION'],
    ['a numeric sessionId', { text: 'hi', sessionId: 7 }, 400, 'INVALID_PAYLOAD'],
    ['a bad locale', { text: 'hi', locale: 'fr' }, 400, 'INVALID_PAYLOAD'],
    ['a too-long clientMessageId', { text: 'hi', clientMessageId: 'x'.repeat(65) }, 400, 'INVALID_PAYLOAD'],
  ])('answers %s with a stable error', async (_label, body, status, code) => {
    expect(await errorOf(await post(body))).toEqual({ status, code });
  });

  it('accepts exactly 500 characters, counting characters not UTF-16 units', async () => {
    expect((await post({ text: '😀'.repeat(500) })).status).toBe(200);
  });

  it('counts characters as users see them: a flag or a skin-toned emoji is one', async () => {
    expect((await post({ text: '🇨🇳'.repeat(500) })).status).toBe(200);
    expect((await post({ text: '👍🏽'.repeat(500) })).status).toBe(200);
    expect(await errorOf(await post({ text: '🇨🇳'.repeat(501) }))).toEqual({ status: 400, code: 'TEXT_TOO_LONG' });
    expect(await errorOf(await post({ text: `a${'\u0301'.repeat(4000)}` }))).toEqual({ status: 400, code: 'TEXT_TOO_LONG' });
  });

  it.each([
    ['a blank Braille pattern', '\u2800'],
    ['a Hangul filler', '\u3164 \u3164'],
    ['soft hyphens and a BOM', '\u00ad\ufeff'],
    ['control characters', '\u0000\u0007'],
  ])('answers text made of %s with EMPTY_TEXT', async (_label, text) => {
    expect(await errorOf(await post({ text }))).toEqual({ status: 400, code: 'EMPTY_TEXT' });
  });

  it('stores a lone surrogate as U+FFFD, the very text the bot answered', async () => {
    const res = await post('{"text":"没信号\\ud800了"}');
    const body = restMessageResponseSchema.parse(await res.json());
    expect(body.replies[0]!.text).toBe('echo: 没信号\ufffd了');
    const t = restTranscriptResponseSchema.parse(await (await fetch(`${srv.url}/api/sessions/${body.sessionId}/transcript`)).json());
    expect(t.entries.filter((e) => e.role === 'user').map((e) => e.text)).toEqual(['没信号\ufffd了']);
  });

  it.each([
    ['gzip', 'not gzip at all'],
    ['br', 'not brotli either'],
    ['deflate', '{"text":"hi"}'],
    ['x-unknown', '{"text":"hi"}'],
  ])('answers a body with Content-Encoding %s it cannot read with 400 INVALID_PAYLOAD', async (encoding, body) => {
    expect(await errorOf(await post(body, { 'content-encoding': encoding }))).toEqual({ status: 400, code: 'INVALID_PAYLOAD' });
  });

  it('refuses a body that is not JSON, or too large', async () => {
    expect(await errorOf(await post('text=hi', { 'content-type': 'application/x-www-form-urlencoded' }))).toEqual({
      status: 400,
      code: 'INVALID_PAYLOAD',
    });
    expect(await errorOf(await post({ text: 'x'.repeat(20_000) }))).toEqual({ status: 413, code: 'INVALID_PAYLOAD' });
  });

  it('did not pollute any prototype', () => {
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});

describe('GET /api/sessions/:id/transcript', () => {
  it('is a 404 UNKNOWN_SESSION for unknown and malformed ids', async () => {
    // %E0%A4%A and %ZZ do not decode: the router fails before any handler runs.
    for (const id of ['f0f0f0f0-0000-4000-8000-000000000000', '%00', 'x', '%E0%A4%A', '%ZZ13812345678']) {
      expect(await errorOf(await fetch(`${srv.url}/api/sessions/${id}/transcript`))).toEqual({ status: 404, code: 'UNKNOWN_SESSION' });
    }
  });
  it('limits transcript reads per address', async () => {
    const tight = await startTestServer({ RATE_LIMIT_IP: '3' }, { bot: createBotDouble() });
    try {
      const first = restMessageResponseSchema.parse(
        await (
          await fetch(`${tight.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text: '你好' }),
          })
        ).json(),
      );
      const read = () => fetch(`${tight.url}/api/sessions/${first.sessionId}/transcript`);
      expect((await read()).status).toBe(200);
      expect((await read()).status).toBe(200);
      expect(await errorOf(await read())).toEqual({ status: 429, code: 'RATE_LIMITED' });
    } finally {
      await tight.close();
    }
  });

  it('is a JSON 404 for unknown API routes', async () => {
    expect(await errorOf(await fetch(`${srv.url}/api/nope`))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('origins (CORS)', () => {
  it('allows requests without Origin, same-origin ones and listed origins', async () => {
    expect((await post({ text: 'a' })).status).toBe(200);
    expect((await post({ text: 'a' }, { origin: srv.url })).status).toBe(200);
    const listed = await post({ text: 'a' }, { origin: ALLOWED });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('answers a preflight from a listed origin', async () => {
    const res = await fetch(`${srv.url}/api/messages`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
  });

  it('refuses other origins with 403 FORBIDDEN_ORIGIN and no CORS headers', async () => {
    for (const origin of ['https://evil.example', 'null', `${ALLOWED}.evil.example`]) {
      const res = await post({ text: 'a' }, { origin });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await errorOf(res)).toEqual({ status: 403, code: 'FORBIDDEN_ORIGIN' });
    }
  });
});

describe('health, static files and headers', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${srv.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${srv.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('serves the demo page with a CSP that lets the widget load, style itself and connect', async () => {
    const res = await fetch(`${srv.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<script src="/widget.js">');
    const csp = res.headers.get('content-security-policy') ?? '';
    const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('style-src')).toContain("'unsafe-inline'");
    const host = new URL(srv.url).host;
    expect(directive('connect-src').split(' ')).toEqual(
      expect.arrayContaining(["'self'", `ws://${host}`, ALLOWED, 'wss://shop.carrier.example']),
    );
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect((await fetch(`${srv.url}/demo/host.css`)).status).toBe(200);
  });

  it('serves /widget.js loadable from other sites', async () => {
    const res = await fetch(`${srv.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await res.text()).toBe('window.kefu={};');
  });

  it('serves nothing outside the demo directory, however the path is written', async () => {
    const raw = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        // node:http sends the path as given: fetch would normalise the dots away.
        const req = request(`${srv.url}${path}`, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of [
      '/demo/../../package.json',
      '/demo/..%2f..%2fpackage.json',
      '/demo/%2e%2e/%2e%2e/package.json',
      '/demo/..\\..\\package.json',
      '/demo/%E0%A4%A',
      '/demo/.secret',
      '//etc/passwd',
    ]) {
      const { status, body } = await raw(path);
      expect([status, path]).toEqual([404, path]);
      expect(restErrorSchema.parse(JSON.parse(body)).error.code).toBe('NOT_FOUND');
    }
  });

  it('is a JSON 404 for unknown paths and a 503 naming the fix when the widget is not built', async () => {
    expect(await errorOf(await fetch(`${srv.url}/nope`))).toEqual({ status: 404, code: 'NOT_FOUND' });
    const bare = await startTestServer({}, { bot: createBotDouble(), clientDir: fakeClientDir(false) });
    try {
      const res = await fetch(`${bare.url}/widget.js`);
      expect(res.status).toBe(503);
      const body = restErrorSchema.parse(await res.json());
      expect(body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('npm run build:widget') });
    } finally {
      await bare.close();
    }
  });
});
