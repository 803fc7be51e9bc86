import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

it('masks mobile numbers and IMEIs in messages and in nested fields of every log line', () => {
  const { lines, stream } = capture();
  const log = createLogger('info', stream);
  log.info({ sessionId: 's1', user: { said: ['我的号码13812345678'] } }, 'IMEI 356938035643809 from 13912345678');
  log.debug({ text: '13812345678' }, 'below the level');
  expect(lines).toHaveLength(1);
  const line = JSON.stringify(lines[0]);
  expect(line).not.toMatch(/13812345678|13912345678|356938035643809/);
  expect(lines[0]).toMatchObject({
    service: 'kefu',
    sessionId: 's1',
    user: { said: ['我的号码138****5678'] },
    msg: 'IMEI 35693803******* from 139****5678',
  });
});

it('masks the message, stack and fields of a logged error, without touching the error itself', () => {
  const { lines, stream } = capture();
  const log = createLogger('info', stream);
  // As express's router raises it for GET /api/sessions/%ZZ13812345678/transcript.
  const err = Object.assign(new URIError("Failed to decode param '%ZZ13812345678'"), { status: 400, input: 'IMEI 356938035643809' });
  log.error({ err, path: '/api/sessions/%ZZ13812345678/transcript' }, 'request failed');
  const line = JSON.stringify(lines[0]);
  expect(line).not.toMatch(/13812345678|356938035643809/);
  expect(lines[0]).toMatchObject({
    err: { type: 'URIError', message: "Failed to decode param '%ZZ138****5678'", status: 400, input: 'IMEI 35693803*******' },
    path: '/api/sessions/%ZZ138****5678/transcript',
  });
  expect((lines[0]!.err as { stack: string }).stack).toMatch(/^URIError: Failed to decode param '%ZZ138\*\*\*\*5678'/);
  expect(err.message).toBe("Failed to decode param '%ZZ13812345678'");
});
