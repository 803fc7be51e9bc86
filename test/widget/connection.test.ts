/**
 * The widget's Connection in Node (it needs no DOM) against a real kefu server
 * that refuses the handshake (rate limit): it says so, retries on the back-off
 * it is given until it is let in, and starts the session in the language it is
 * asked for at that moment. The default back-off's numbers are tested as a
 * pure function in text.test.ts, so no test waits it out.
 */
import { describe, expect, it, vi } from 'vitest';
import { Connection } from '../../client/src/connection.js';
import type { SessionIdStore } from '../../client/src/sessionStore.js';
import type { BotMessage } from '../../server/protocol.js';
import { connect } from '../helpers/socketClient.js';
import { startKefu } from './server.js';

function memoryStore(): SessionIdStore {
  let id: string | undefined;
  return { get: () => id, set: (v) => void (id = v), clear: () => void (id = undefined) };
}

describe('Connection, refused at the handshake', () => {
  it('says it was refused, retries on its back-off until let in, and opens the session in the current language', async () => {
    // Two handshakes per address per 10 s, then one every 5 s: what a crowd behind one carrier NAT meets after a restart.
    const crowded = await startKefu({ RATE_LIMIT_IP: '2' });
    const others = [await connect(crowded.url), await connect(crowded.url)];
    let conn: Connection | undefined;
    try {
      await expect(connect(crowded.url)).rejects.toThrow('RATE_LIMITED');
      const states: string[] = [];
      const retries: number[] = [];
      const sessions: { sessionId: string; resumed: boolean }[] = [];
      const welcome: BotMessage[] = [];
      let locale: 'zh-CN' | 'en' = 'zh-CN';
      conn = new Connection({
        server: crowded.url,
        locale: () => locale,
        store: memoryStore(),
        retryDelay(attempt) {
          retries.push(attempt);
          locale = 'en'; // the conversation's language changed meanwhile: the next handshake asks for it
          return 100 * Math.min(2 ** attempt, 4); // short: the server lets one in every 5 s
        },
        onState: (state, refused) => states.push(refused ? `${state} (refused)` : state),
        onSession: ({ sessionId, resumed }) => void sessions.push({ sessionId, resumed }),
        onBotMessage: (m) => welcome.push(m),
      });
      conn.start();
      await vi.waitFor(() => expect(sessions).toHaveLength(1), { timeout: 20_000, interval: 100 });
      await vi.waitFor(() => expect(welcome.length).toBeGreaterThan(0));

      expect(states).toEqual(['connecting', 'offline (refused)', 'online']);
      // Retried (not given up), each attempt counted from the first refusal.
      expect(retries.length).toBeGreaterThanOrEqual(1);
      expect(retries).toEqual(retries.map((_, i) => i));
      expect(sessions[0]!.resumed).toBe(false);
      expect(welcome.every((m) => m.lang === 'en')).toBe(true);
    } finally {
      conn?.stop();
      for (const c of others) c.close();
      await crowded.close();
    }
  }, 30_000);
});
