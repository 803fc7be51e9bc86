/**
 * Graceful shutdown of startKefu: a turn already running when close() is
 * called finishes, is stored and acked; nothing new is accepted after.
 * The store is made slow so that a turn is observably in flight.
 */
import { createConnection } from 'node:net';
import { expect, it } from 'vitest';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { Commit } from '../../server/store/types.js';
import { createBotDouble } from '../helpers/botDouble.js';
import { connect } from '../helpers/socketClient.js';
import { startTestServer } from '../helpers/startServer.js';

class SlowCommitStore extends MemoryStore {
  committing = 0;
  closed = false;
  override async commit(c: Commit): Promise<{ version: number }> {
    this.committing++;
    await new Promise((r) => setTimeout(r, 300));
    if (this.closed) throw new Error('store closed before the turn was committed');
    return super.commit(c);
  }
  override async close(): Promise<void> {
    this.closed = true;
  }
}

it('finishes in-flight turns, acks them, then closes the store and refuses new clients', async () => {
  const store = new SlowCommitStore();
  const srv = await startTestServer({}, { bot: createBotDouble(), store });
  const c = await connect(srv.url);
  const ack = c.send('关机前最后一句');
  await expect.poll(() => store.committing, { interval: 5 }).toBe(1);

  const events: string[] = [];
  void ack.then(() => events.push('ack'));
  await srv.close().then(() => events.push('closed'));
  await ack;

  expect(await ack).toMatchObject({ ok: true, replies: [{ text: 'echo: 关机前最后一句' }] });
  expect(events).toEqual(['ack', 'closed']);
  expect(store.closed).toBe(true);
  expect((await store.transcript(c.sessionId)).map((e) => e.text)).toContain('关机前最后一句');
  await expect(connect(srv.url)).rejects.toThrow();
  await expect(fetch(`${srv.url}/healthz`)).rejects.toThrow();
});

it('close() is idempotent', async () => {
  const srv = await startTestServer({}, { bot: createBotDouble() });
  await Promise.all([srv.close(), srv.close()]);
  await srv.close();
});

it('closes although a client holds a connection open without ever sending a request', async () => {
  // Browsers open spare connections that may never carry a request; close() must not wait for them.
  const srv = await startTestServer({}, { bot: createBotDouble() });
  const c = await connect(srv.url);
  const idle = createConnection({ host: '127.0.0.1', port: srv.port });
  await new Promise((resolve) => idle.once('connect', resolve));
  const ended = new Promise((resolve) => idle.once('close', resolve));
  await srv.close();
  await ended;
  expect(c.socket.connected).toBe(false);
}, 20_000);
