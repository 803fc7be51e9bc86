/**
 * Property-based abuse of both channels with the real bot: whatever arrives,
 * the answer is a well-formed success or a well-formed client error (never
 * INTERNAL, never a dropped connection), and a normal message still works
 * afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  botMessageSchema,
  restErrorSchema,
  restMessageResponseSchema,
} from '../../server/protocol.js';
import { z } from 'zod';
import { connect, emitRaw, type Connected } from '../helpers/socketClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

const CLIENT_ERRORS = ERROR_CODES.filter((c) => c !== 'INTERNAL' && c !== 'UNAVAILABLE');
const ackSchema = z.union([
  z.object({ ok: z.literal(true), sessionId: z.string(), replies: z.array(botMessageSchema) }).strict(),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(CLIENT_ERRORS), message: z.string().min(1) }).strict() }).strict(),
]);

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  // Any UTF-16, lone surrogates included (JSON can carry them, UTF-8 cannot).
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((units) => String.fromCharCode(...units)),
  fc.array(fc.constantFrom('🇨🇳', '👍🏽', '👨‍👩‍👧', '\u0301', '\u200b', '\u2800', '好'), { maxLength: 600 }).map((a) => a.join('')),
  fc.constantFrom('手机开不了机', '我的IMEI是356938035643809', '转人工', '  ', '', 'a'.repeat(501), '号码13812345678'),
);
const key = fc.oneof(
  fc.constantFrom('text', 'payload', 'clientMessageId', 'sessionId', 'locale', '__proto__', 'constructor', 'prototype'),
  fc.string({ maxLength: 10 }),
);
/** Mostly message-shaped objects, some with hostile keys, and plain garbage. */
const payload = fc.oneof(
  fc.record(
    {
      text,
      payload: fc.oneof(fc.string({ maxLength: 120 }), fc.anything()),
      clientMessageId: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
      sessionId: fc.oneof(fc.uuid(), fc.string({ maxLength: 20 }), fc.anything()),
      locale: fc.constantFrom('zh-CN', 'en', 'fr', 7),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(key, fc.oneof(text, fc.anything()), { maxKeys: 5 }),
  fc.anything({ maxDepth: 3 }),
);

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ RATE_LIMIT: 'off' });
});
afterAll(() => srv.close());

describe('arbitrary payloads', () => {
  it('over Socket.IO: every ack is well-formed, the connection survives, a normal message works after', async () => {
    const client: Connected = await connect(srv.url);
    await fc.assert(
      fc.asyncProperty(payload, fc.boolean(), async (p, extraArg) => {
        const ack = extraArg ? await emitRaw(client.socket, 'user_message', p, 'extra') : await emitRaw(client.socket, 'user_message', p);
        const parsed = ackSchema.safeParse(ack);
        if (!parsed.success) throw new Error(`bad ack ${JSON.stringify(ack)} for ${JSON.stringify(p)}`);
        expect(client.socket.connected).toBe(true);
      }),
      { numRuns: 300 },
    );
    const ack = await client.send('手机开不了机');
    expect(ack).toMatchObject({ ok: true });
    client.close();
  });

  it('over REST: every answer is a 200 reply or a 4xx error body, a normal message works after', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(payload.map((p) => JSON.stringify(p) ?? 'undefined'), fc.string({ maxLength: 60 })), async (body) => {
        const res = await fetch(`${srv.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const json: unknown = await res.json();
        if (res.status === 200) restMessageResponseSchema.parse(json);
        else {
          expect([400, 404, 410, 413]).toContain(res.status);
          expect(CLIENT_ERRORS).toContain(restErrorSchema.parse(json).error.code);
        }
      }),
      { numRuns: 300 },
    );
    const res = await fetch(`${srv.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '手机开不了机' }),
    });
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>).text).toBeUndefined();
  });

  it('over REST: any transcript path is a 200 or a 4xx error body, never a server error', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.stringMatching(/^[%0-9A-Za-z.\-_~]{0,40}$/), // percent signs that may not decode
      fc.uuid(),
    );
    await fc.assert(
      fc.asyncProperty(segment, async (id) => {
        const res = await fetch(`${srv.url}/api/sessions/${id}/transcript`);
        const json: unknown = await res.json();
        if (res.status !== 200) {
          expect([400, 404]).toContain(res.status);
          expect(CLIENT_ERRORS).toContain(restErrorSchema.parse(json).error.code);
        }
      }),
      { numRuns: 200 },
    );
  });
});
