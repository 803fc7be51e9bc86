/**
 * After hours on a real server: the user is told at once that nobody can come
 * and when people are back (China time, from BUSINESS_HOURS); a user still
 * waiting when the desk closes is told the same, with the call-back offered.
 */
import { describe, expect, it } from 'vitest';
import { agentAtDesk } from '../helpers/deskClient.js';
import { connect } from '../helpers/socketClient.js';
import { startTestServer } from '../helpers/startServer.js';

const HOUR = 3_600_000;
/** China wall-clock hour of `at`. */
const chinaHour = (at: Date) => new Date(at.getTime() + 8 * HOUR).getUTCHours();
const chinaDay = (at: Date) => new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 10);
const hh = (h: number) => String(h).padStart(2, '0');

describe('after hours, the user hears when people are back', () => {
  it('says it at 转人工, with the opening time of the one-minute window twelve hours away', async () => {
    const now = new Date();
    const h = (chinaHour(now) + 12) % 24;
    const srv = await startTestServer({ BUSINESS_HOURS: `${hh(h)}:00-${hh(h)}:01` });
    try {
      const user = await connect(srv.url);
      const ack = await user.send('转人工');
      expect(ack.ok && ack.routedTo).toBeUndefined();
      const texts = ack.ok ? ack.replies.map((r) => r.text) : [];
      // Twelve hours on is later today or tomorrow, China time.
      const day = chinaDay(new Date(now.getTime() + 12 * HOUR)) === chinaDay(now) ? '今天' : '明天';
      expect(texts[0]).toBe(`抱歉，现在不在人工客服的服务时间内，暂时没有客服能接待您。人工客服${day} ${hh(h)}:00 开始接待。`);
      expect(texts[1]).toMatch(/需要回电吗/);
      user.close();
    } finally {
      await srv.close();
    }
  });

  it('tells a user still waiting when the desk closes, in English too', async () => {
    const now = new Date();
    const h = chinaHour(now);
    // Open for the current China hour only; QUEUE_TIMEOUT far off, so the closing is what ends the wait.
    const srv = await startTestServer({ BUSINESS_HOURS: `${hh(h)}:00-${h === 23 ? '24' : hh(h + 1)}:00`, QUEUE_TIMEOUT: '1d' });
    try {
      const wang = await agentAtDesk(srv, 'wang', 'Wang');
      const user = await connect(srv.url, { auth: { locale: 'en' } });
      expect(await user.send('talk to a human')).toMatchObject({ ok: true, routedTo: 'queue' });
      const statuses: unknown[] = [];
      user.socket.on('status', (s) => statuses.push(s));
      const before = user.botMessages.length;
      const later = new Date(now.getTime() + 2 * HOUR);
      await srv.sweep(later);
      const first = await user.nextBotMessage(before);
      const second = await user.nextBotMessage(before + 1);
      // The next opening is h:00 on the China day after today's: "tomorrow" seen from two hours on, unless those crossed midnight.
      const day = chinaDay(later) === chinaDay(now) ? 'tomorrow' : 'today';
      expect(first.text).toBe(`Sorry — it's outside our agents' working hours, so nobody can take the chat right now. Agents are back ${day} at ${hh(h)}:00 (China time).`);
      expect(second.text).toMatch(/call-back/);
      await expect.poll(() => statuses.at(-1)).toEqual({ mode: 'bot' });
      expect(await srv.store.queue()).toEqual([]);
      wang.close();
      user.close();
    } finally {
      await srv.close();
    }
  });
});
