/**
 * The fix-the-bot inbox over a real server: not-understood lines (masked)
 * grouped by similarity, labelled by an admin, exported as content that the
 * NLU check accepts.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTENTS_DIR } from '../../server/nlu/index.js';
import { checkIntentContent } from '../../server/nlu/check.js';
import { parseEvalSet } from '../../server/nlu/evaluate.js';
import { agentAtDesk, type AgentAtDesk } from '../helpers/deskClient.js';
import { connect } from '../helpers/socketClient.js';
import { startTestServer, type TestServer } from '../helpers/startServer.js';

const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

interface Group { id: string; text: string; count: number; link: string; label: string | null; lines: { text: string; why: string; sessionId: string }[] }

describe('the fix-the-bot inbox', () => {
  let srv: TestServer;
  let admin: AgentAtDesk;
  const inbox = async () => ((await (await fetch(`${srv.url}/api/desk/inbox?from=${today}&to=${today}`, { headers: { cookie: admin.cookie } })).json()) as { groups: Group[] }).groups;

  beforeAll(async () => {
    srv = await startTestServer();
    admin = await agentAtDesk(srv, 'boss', '主管', { role: 'admin' });
    for (const lines of [['帮我订一张去上海的机票'], ['帮我订张去上海的机票吧'], ['帮我订一张去上海的机票', '你好'], ['呜啦啦巴拉巴拉']]) {
      const c = await connect(srv.url);
      for (const line of lines) await c.send(line);
      c.close();
    }
  });
  afterAll(async () => {
    admin.close();
    await srv.close();
  });

  it('groups the not-understood lines by similarity, with counts and a link to a conversation, the rest apart', async () => {
    const groups = await inbox();
    const flights = groups.find((g) => g.text.includes('机票'))!;
    expect(flights).toMatchObject({ count: 3, text: '帮我订一张去上海的机票', label: null, link: expect.stringMatching(/^\/desk\/reports\/conversations\//) });
    expect(new Set(flights.lines.map((l) => l.text))).toEqual(new Set(['帮我订一张去上海的机票', '帮我订张去上海的机票吧']));
    const all = groups.flatMap((g) => g.lines.map((l) => l.text));
    expect(all).not.toContain('你好');
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(4);
  });

  it('takes a label from an admin (with the CSRF header) and exports lines that `npm run check` accepts', async () => {
    const flights = (await inbox()).find((g) => g.text.includes('机票'))!;
    const label = (body: unknown, csrf = admin.csrf) =>
      fetch(`${srv.url}/api/desk/inbox/label`, { method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/json', 'x-kefu-csrf': csrf }, body: JSON.stringify(body) });
    expect((await label({ texts: flights.lines.map((l) => l.text), label: 'out_of_scope' }, 'wrong')).status).toBe(403);
    expect((await label({ texts: ['x'], label: 'no_such_intent' })).status).toBe(400);
    expect(await (await label({ texts: flights.lines.map((l) => l.text), label: 'out_of_scope' })).json()).toEqual({ ok: true, labelled: 2 });
    const wula = (await inbox()).find((g) => g.text === '呜啦啦巴拉巴拉')!;
    expect(await (await label({ texts: [wula.text], label: 'no_network' })).json()).toEqual({ ok: true, labelled: 1 });
    expect((await inbox()).find((g) => g.text.includes('机票'))!.label).toBe('out_of_scope');

    const patch = (await (await fetch(`${srv.url}/api/desk/inbox/export?from=${today}&to=${today}`, { headers: { cookie: admin.cookie } })).json()) as { evaluation: string; outOfScope: string[]; count: number };
    // 「帮我订张去上海的机票吧」 is already a line of the evaluation set: not exported again.
    expect(patch.outOfScope).toEqual(['帮我订一张去上海的机票']);
    expect(patch.evaluation.trimEnd().split('\n').slice(1)).toEqual(['no_network\t呜啦啦巴拉巴拉']);
    expect(patch.count).toBe(2);
    expect(parseEvalSet(patch.evaluation).errors).toEqual([]);

    // Applied to a copy of intents/, the check passes.
    const dir = join(mkdtempSync(join(tmpdir(), 'kefu-inbox-')), 'intents');
    cpSync(DEFAULT_INTENTS_DIR, dir, { recursive: true });
    const oos = join(dir, 'lexicon', 'out_of_scope.yaml');
    writeFileSync(oos, readFileSync(oos, 'utf8').trimEnd() + '\n' + patch.outOfScope.map((t) => `  - ${t}`).join('\n') + '\n');
    expect(checkIntentContent(dir).map((p) => `${p.file}:${p.line} ${p.detail}`)).toEqual([]);
  });
});
