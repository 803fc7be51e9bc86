/**
 * DNS rebinding: a page on `rebind.evil.example`, a name its owner points at
 * kefu's address, sends `Host: rebind.evil.example:PORT` and the same Origin.
 * kefu's own origin comes from PUBLIC_URL or the address it listens on, so
 * that page is a foreign origin: no CORS grant, no Socket.IO handshake, and
 * the CSP names kefu's configured sockets, never the request's Host.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotDouble } from '../helpers/botDouble.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request to the server's port with any Host header (fetch does not let a test forge it). */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const EVIL = (port: number) => `rebind.evil.example:${port}`;

describe('DNS rebinding: kefu’s own origin from configuration, not from Host', () => {
  let srv: TestServer;
  let pub: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({}, { bot: createBotDouble() });
    pub = await startTestServer({ PUBLIC_URL: 'https://kefu.example.com' }, { bot: createBotDouble() });
  });
  afterAll(async () => {
    await srv.close();
    await pub.close();
  });

  it('refuses the REST API to a page whose Host and Origin are a rebound name', async () => {
    const host = EVIL(srv.port);
    const res = await raw(srv.port, 'POST', '/api/messages', { host, origin: `http://${host}`, 'content-type': 'application/json' }, '{"text":"你好"}');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // kefu's real address, with the rebound Host, is still its own page.
    const own = await raw(srv.port, 'POST', '/api/messages', { host, origin: `http://127.0.0.1:${srv.port}`, 'content-type': 'application/json' }, '{"text":"你好"}');
    expect(own.status).toBe(200);
  });

  it('refuses the Socket.IO handshake from a rebound name, on both transports', async () => {
    const host = EVIL(srv.port);
    const polling = await raw(srv.port, 'GET', '/socket.io/?EIO=4&transport=polling', { host, origin: `http://${host}` });
    expect(polling.status).toBeGreaterThanOrEqual(400);
    expect(polling.body).not.toContain('"sid"');
    const ok = await raw(srv.port, 'GET', '/socket.io/?EIO=4&transport=polling', { host: `127.0.0.1:${srv.port}`, origin: `http://127.0.0.1:${srv.port}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('"sid"');
  });

  it('builds the CSP from kefu’s own origin, whatever Host says', async () => {
    const res = await raw(srv.port, 'GET', '/', { host: 'evil.example:1' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).not.toContain('evil.example');
    expect(csp).toContain(`ws://127.0.0.1:${srv.port}`);
  });

  it('with PUBLIC_URL, that origin is kefu’s own (behind a TLS proxy) and the Host still counts for nothing', async () => {
    const allowed = await raw(pub.port, 'POST', '/api/messages', { host: 'internal:8080', origin: 'https://kefu.example.com', 'content-type': 'application/json' }, '{"text":"你好"}');
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://kefu.example.com');
    const host = EVIL(pub.port);
    const refused = await raw(pub.port, 'POST', '/api/messages', { host, origin: `http://${host}`, 'content-type': 'application/json' }, '{"text":"你好"}');
    expect(refused.status).toBe(403);
    const csp = String((await raw(pub.port, 'GET', '/', { host })).headers['content-security-policy']);
    expect(csp).toContain('wss://kefu.example.com');
    expect(csp).not.toContain('rebind.evil.example');
  });
});
