/**
 * Rolling deploys: a release may save session states with keys an older
 * release does not know (as `dialogVersions` once was). The older release
 * must go on with such a conversation and save the keys back untouched, so
 * that processes of both releases can take turns at it. A real server on a
 * real SQLite file; the state is written into the file as a newer release
 * would leave it, then the conversation continues after a restart.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { connect } from '../helpers/socketClient.js';
import { loadRealBot, startTestServer } from '../helpers/startServer.js';

const NEWER = { fromANewerRelease: { kept: true, list: [1, 2] } };

describe('a session state carrying keys of a newer release', () => {
  it('restores, and saves the unknown keys again as they were (top level and in the frame)', async () => {
    const bot = await loadRealBot();
    const state = bot.newSession({ lang: 'zh' }) as Record<string, unknown>;
    const withKeys = { ...state, ...NEWER };
    const restored = bot.restore(JSON.parse(JSON.stringify(withKeys))) as Record<string, unknown>;
    expect(restored.fromANewerRelease).toEqual(NEWER.fromANewerRelease);
    expect(JSON.parse(JSON.stringify(bot.restore(JSON.parse(JSON.stringify(restored)))))).toMatchObject(NEWER);
  });

  it('goes on with the conversation after a restart, at the same node, and the next save keeps the keys', async () => {
    const first = await startTestServer();
    let sessionId: string;
    try {
      const user = await connect(first.url);
      sessionId = user.sessionId;
      const ack = await user.send('我是移动的，手机开不了机');
      expect(ack).toMatchObject({ ok: true });
      user.close();
    } finally {
      await first.close();
    }

    // The state as a newer release saved it: a key of its own at the top and in the frame.
    const db = new Database(first.dbPath);
    const row = db.prepare('SELECT state FROM sessions WHERE id = ?').get(sessionId) as { state: string };
    const saved = JSON.parse(row.state) as { frame: { dialog: string; node: string } & Record<string, unknown> } & Record<string, unknown>;
    expect(saved.frame).toMatchObject({ dialog: 'wont_boot', node: 'ask_damage' });
    db.prepare('UPDATE sessions SET state = ? WHERE id = ?').run(JSON.stringify({ ...saved, ...NEWER, frame: { ...saved.frame, newerFrameKey: 'x' } }), sessionId);
    db.close();

    const again = await startTestServer({ DB_PATH: first.dbPath });
    try {
      const user = await connect(again.url, { auth: { sessionId } });
      expect(user.sessionId).toBe(sessionId);
      const ack = await user.send('都没有');
      expect(ack.ok).toBe(true);
      const replies = ack.ok ? ack.replies.map((r) => r.text) : [];
      // The dialog went on from its question (no reset, no 「内容已更新」 notice): the next question of 开不了机.
      expect(replies.join('\n')).toMatch(/按电源键时/);
      const stored = (await again.store.getSession(sessionId))!.state as Record<string, unknown> & { frame: Record<string, unknown>; slots: Record<string, string> };
      expect(stored).toMatchObject(NEWER);
      expect(stored.frame).toMatchObject({ dialog: 'wont_boot', node: 'ask_symptom', newerFrameKey: 'x' });
      expect(stored.slots).toMatchObject({ carrier: 'cmcc' });
      expect(stored.notice).toBeNull();
      user.close();
    } finally {
      await again.close();
    }
  });
});
