import { describe, expect, it } from 'vitest';
import { clientIp } from '../../server/http/clientIp.js';
import { originAllowed } from '../../server/http/origins.js';

describe('originAllowed', () => {
  const allowed = ['https://shop.carrier.example'];
  it.each([
    [undefined, 'kefu.example', true],
    ['https://kefu.example', 'kefu.example', true],
    ['http://localhost:3000', 'localhost:3000', true],
    ['https://shop.carrier.example', 'kefu.example', true],
    ['https://shop.carrier.example.evil.example', 'kefu.example', false],
    ['http://shop.carrier.example', 'kefu.example', false],
    ['https://evil.example', 'kefu.example', false],
    ['null', 'kefu.example', false],
    ['https://kefu.example', undefined, false],
  ])('origin %s to host %s → %s', (origin, host, ok) => {
    expect(originAllowed(origin, host, allowed)).toBe(ok);
  });
});

describe('clientIp', () => {
  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientIp('::ffff:10.0.0.9', '1.1.1.1', 0)).toBe('10.0.0.9');
  });
  it('walks back as many hops as are trusted', () => {
    expect(clientIp('10.0.0.9', 'spoofed, 1.1.1.1, 10.0.0.5', 1)).toBe('10.0.0.5');
    expect(clientIp('10.0.0.9', 'spoofed, 1.1.1.1, 10.0.0.5', 2)).toBe('1.1.1.1');
    expect(clientIp('10.0.0.9', '1.1.1.1', Number.MAX_SAFE_INTEGER)).toBe('1.1.1.1');
    expect(clientIp('10.0.0.9', undefined, 3)).toBe('10.0.0.9');
  });
});
