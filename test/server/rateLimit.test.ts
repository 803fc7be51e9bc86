import { describe, expect, it } from 'vitest';
import { createRateLimiter, ipBucketKey, TokenBuckets } from '../../server/conversation/rateLimit.js';

describe('TokenBuckets', () => {
  it('allows a burst of `limit`, then refills one token per window/limit', () => {
    const b = new TokenBuckets(5, 10_000);
    const t = 1_000_000;
    expect(Array.from({ length: 6 }, () => b.take('s', t))).toEqual([true, true, true, true, true, false]);
    expect(b.take('s', t + 1999)).toBe(false);
    expect(b.take('s', t + 2000)).toBe(true);
    expect(b.take('other', t)).toBe(true);
  });

  it('forgets buckets that have refilled', () => {
    const b = new TokenBuckets(2, 1000);
    b.take('a', 0);
    b.take('b', 900);
    b.prune(1000);
    expect(b.size).toBe(1);
    b.prune(2000);
    expect(b.size).toBe(0);
  });
});

describe('createRateLimiter', () => {
  it('keeps sessions and IPs apart, refills on its clock, and allows everything when disabled', async () => {
    let t = 0;
    const on = createRateLimiter({ enabled: true, perSession: 1, perIp: 2, now: () => t });
    const takes = (bucket: 'session' | 'ip', keys: string[]) => Promise.all(keys.map((k) => on.take(bucket, k)));
    expect(await takes('session', ['s1', 's1', 's2'])).toEqual([true, false, true]);
    expect(await takes('ip', ['1.2.3.4', '1.2.3.4', '1.2.3.4'])).toEqual([true, true, false]);
    // An IPv6 subscriber's whole /64 is one address.
    expect(await takes('ip', ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2::c'])).toEqual([true, true, false]);
    t += 10_000;
    expect(await takes('session', ['s1'])).toEqual([true]);
    const off = createRateLimiter({ enabled: false, perSession: 1, perIp: 1 });
    expect((await Promise.all(Array.from({ length: 100 }, () => off.take('session', 's')))).every(Boolean)).toBe(true);
  });
});

describe('ipBucketKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::a', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff:1:2:3', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1:2:3:4', 'fe80:0:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s → %s', (ip, key) => {
    expect(ipBucketKey(ip)).toBe(key);
  });
});
