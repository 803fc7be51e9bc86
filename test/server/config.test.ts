import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from '../../server/config.js';

describe('loadConfig', () => {
  it('has a default for every variable', () => {
    const { BUSINESS_HOURS, ...rest } = loadConfig({});
    expect(BUSINESS_HOURS.text).toBe('24x7');
    expect(rest).toEqual({
      PORT: 3000,
      HOST: '0.0.0.0',
      DB_PATH: './data/kefu.db',
      ALLOWED_ORIGINS: [],
      PUBLIC_URL: undefined,
      MAX_CONNECTIONS_PER_IP: 1000,
      HANDSHAKE_TIMEOUT: 10_000,
      SESSION_TTL: 30 * 60_000,
      RATE_LIMIT: true,
      RATE_LIMIT_SESSION: 20,
      RATE_LIMIT_IP: 600,
      LOG_LEVEL: 'info',
      TRUST_PROXY: 0,
      SWEEP_INTERVAL: 5000,
      FOLLOW_UP_DELAY: undefined,
      RETENTION: 180 * 86_400_000,
      AGENT_CAPACITY: 5,
      AUTO_ASSIGN: false,
      AGENT_AWAY_REQUEUE: 60_000,
      QUEUE_TIMEOUT: 15 * 60_000,
      DESK_SESSION_TTL: 12 * 3_600_000,
      RATE_LIMIT_LOGIN: 10,
      SHUTDOWN_TIMEOUT: 10_000,
    });
  });

  it('parses every kind of value', () => {
    const c = loadConfig({
      PORT: '0',
      DB_PATH: ':memory:',
      ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080/',
      SESSION_TTL: '1800',
      RATE_LIMIT: 'off',
      TRUST_PROXY: '2',
      FOLLOW_UP_DELAY: '250ms',
      UNRELATED: 'ignored',
    });
    expect(c).toMatchObject({
      PORT: 0,
      DB_PATH: ':memory:',
      ALLOWED_ORIGINS: ['https://a.example', 'http://b.example:8080'],
      SESSION_TTL: 1_800_000,
      RATE_LIMIT: false,
      TRUST_PROXY: 2,
      FOLLOW_UP_DELAY: 250,
    });
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(Number.MAX_SAFE_INTEGER);
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).LOG_LEVEL).toBe('debug');
    expect(loadConfig({ FOLLOW_UP_DELAY: '0s', SWEEP_INTERVAL: '1h', SESSION_TTL: '365d' })).toMatchObject({
      FOLLOW_UP_DELAY: 0,
      SWEEP_INTERVAL: 3_600_000,
      SESSION_TTL: 365 * 86_400_000,
    });
  });

  it.each([
    ['PORT', 'abc', /PORT: expected an integer from 0 to 65535, got "abc"/],
    ['PORT', '70000', /PORT: expected an integer/],
    ['SESSION_TTL', 'soon', /SESSION_TTL: expected a positive duration/],
    ['SESSION_TTL', '0', /SESSION_TTL: expected a positive duration/],
    ['RATE_LIMIT', 'maybe', /RATE_LIMIT: expected "on" or "off"/],
    ['RATE_LIMIT_IP', '-5', /RATE_LIMIT_IP: expected an integer/],
    ['ALLOWED_ORIGINS', 'https://a.example/path', /ALLOWED_ORIGINS: "https:\/\/a.example\/path" is not an origin/],
    ['ALLOWED_ORIGINS', '*', /ALLOWED_ORIGINS: "\*" is not an origin/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"/],
    // Node runs a timer of more than ~24.8 days at once, in a loop: the maxima keep that from happening.
    ['SWEEP_INTERVAL', '30d', /SWEEP_INTERVAL: expected at most 1h, got "30d"/],
    ['SHUTDOWN_TIMEOUT', '2h', /SHUTDOWN_TIMEOUT: expected at most 1h, got "2h"/],
    ['SESSION_TTL', '400d', /SESSION_TTL: expected at most 365d, got "400d"/],
    ['FOLLOW_UP_DELAY', '99999999999999999999d', /FOLLOW_UP_DELAY: expected at most 365d/],
    ['FOLLOW_UP_DELAY', 'later', /FOLLOW_UP_DELAY: expected a duration like "30m", "90s" or seconds, got "later"/],
    ['TRUST_PROXY', 'yes please', /TRUST_PROXY: /],
  ])('names %s when it is %j', (variable, value, message) => {
    try {
      loadConfig({ [variable]: value });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).variable).toBe(variable);
      expect((e as ConfigError).message).toMatch(message);
    }
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['250ms', 250],
    ['1.5m', 90_000],
    ['45', 45_000],
    ['5 x', null],
    ['', null],
  ])('%j → %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
