/**
 * /metrics over a real server: refused without the token, scraped with it,
 * counting what the conversations did; and alone on METRICS_PORT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKefu, type KefuServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { agentAtDesk } from '../helpers/deskClient.js';
import { connect } from '../helpers/socketClient.js';
import { loadRealBot, startTestServer, tempDbPath, type TestServer } from '../helpers/startServer.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

describe('/metrics', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => srv.close());

  it('is refused without the bearer token, and with a wrong one', async () => {
    expect((await fetch(`${srv.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${srv.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${srv.url}/metrics`, { headers: { authorization: TOKEN } })).status).toBe(401);
  });

  it('counts turns by intent and outcome, their latency, the queue, agents online, errors by code and the event-loop lag', async () => {
    await agentAtDesk(srv, 'wang', '小王');
    const a = await connect(srv.url);
    await a.send('手机开不了机');
    await a.send('呜啦啦巴拉巴拉');
    const b = await connect(srv.url);
    await b.send('我是移动的，手机开不了机');
    await b.send('转人工');
    await a.send('');
    const res = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^kefu_turns_total\{intent="wont_boot",outcome="understood"\} 2$/m);
    expect(text).toMatch(/^kefu_turns_total\{intent="none",outcome="not_understood"\} 1$/m);
    // 转人工 is a command, decided without the NLU.
    expect(text).toMatch(/^kefu_turns_total\{intent="none",outcome="handover"\} 1$/m);
    expect(text).toMatch(/^kefu_turn_duration_seconds_count 4$/m);
    expect(text).toMatch(/^kefu_queue_length 1$/m);
    expect(text).toMatch(/^kefu_agents_online 1$/m);
    expect(text).toMatch(/^kefu_active_sessions 2$/m);
    expect(text).toMatch(/^kefu_errors_total\{code="EMPTY_TEXT"\} [1-9]\d*$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    a.close();
    b.close();
  });
});

describe('/metrics on METRICS_PORT', () => {
  let kefu: KefuServer;
  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DB_PATH: tempDbPath(), METRICS_PORT: '0' });
    kefu = await startKefu({ config, bot: await loadRealBot() });
  });
  afterAll(() => kefu.close());

  it('is served on its own port without a token, and not on the main port', async () => {
    const res = await fetch(`http://127.0.0.1:${kefu.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('kefu_queue_length 0');
    expect((await fetch(`${kefu.url}/metrics`)).status).toBe(404);
  });
});
