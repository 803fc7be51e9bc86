/**
 * The widget's pure logic, without a browser: linkifying, numbered steps,
 * reading scores from quick replies, authors and groups, locale choice and
 * the chrome's language, config and colours, and the back-off after a
 * refused handshake.
 */
import { describe, expect, it } from 'vitest';
import { tokenize, type Token } from '../../client/src/linkify.js';
import { toBlocks } from '../../client/src/richText.js';
import { scoreOf, splitRating } from '../../client/src/ui/rating.js';
import { I18n, pickLocale } from '../../client/src/i18n.js';
import { authorKey, authorOf, GROUP_GAP_MS, initialOf, sameGroup } from '../../client/src/ui/author.js';
import { retryDelay } from '../../client/src/connection.js';
import { accentInk, contrast, DEFAULT_COLOR, INK_BACKGROUND, readConfig, textColorOn } from '../../client/src/config.js';

const links = (text: string) => tokenize(text).filter((t): t is Extract<Token, { href: string }> => t.kind === 'tel' || t.kind === 'url');
const kept = (text: string) => tokenize(text).filter((t) => t.kind === 'nowrap').map((t) => t.text);

describe('tokenize (linkify)', () => {
  it.each([
    ['请拨打10086咨询', 'tel:10086'],
    ['联通 10010。', 'tel:10010'],
    ['电信10000，广电10099', 'tel:10000'],
    ['华为 950800', 'tel:950800'],
    ['小米 400-100-5678 转 1', 'tel:4001005678'],
    ['OPPO 4001 666 888 无效, 400 666 8888 有效', 'tel:4006668888'],
    ['回拨 13812345678', 'tel:13812345678'],
    ['荣耀 95030', 'tel:95030'],
    ['请立即拨打110报警', 'tel:110'],
    ['急救 120，火警 119', 'tel:120'],
    ['冻结微信支付请拨打 95017。', 'tel:95017'],
    ['支付宝 95188 挂失', 'tel:95188'],
    ['消费者投诉 12315', 'tel:12315'],
    ['品牌热线 800-830-8300', 'tel:8008308300'],
    ['OPPO 4001 666 888', 'tel:4001666888'],
    ['境外拨打 +86 13800100186（免费）', 'tel:+8613800100186'],
    ['or call +86-10086 from abroad', 'tel:+8610086'],
    ['回拨 138 1234 5678', 'tel:13812345678'],
    ['北京 010-12345678', 'tel:01012345678'],
    ['call 10086 or 10010', 'tel:10010'],
  ])('%s → %s', (text, href) => {
    expect(links(text).map((t) => t.href)).toContain(href);
  });

  it.each([
    ['工单 T20261124-0001 已登记', 'a ticket id'],
    ['IMEI 356938035643809', 'an IMEI'],
    ['IMEI 35693803*******', 'a masked IMEI'],
    ['保修至 2027-04-03，购于 2026年4月3日', 'dates'],
    ['价格 110 元，¥120，1099 元', 'prices'],
    ['充电 120 分钟，等 110 秒，屏幕 120Hz，电池 10000 mAh', 'amounts with units'],
    ['型号 SM-G9910、A2849、Mate 60、iPhone 12', 'model numbers'],
    ['订单 2613812345678，编号 1100860', 'longer numbers'],
  ])('never links %s (%s)', (text) => {
    expect(links(text)).toEqual([]);
  });

  it('keeps ticket ids, dates and masked numbers whole (no line break inside)', () => {
    expect(kept('工单 T20261124-0001 于 2027-04-03 10:30 登记，购于 2026年4月3日；IMEI 35693803*******，号码 138****5678')).toEqual([
      'T20261124-0001',
      '2027-04-03',
      '10:30',
      '2026年4月3日',
      '35693803*******',
      '138****5678',
    ]);
    expect(kept('covered until 3 April 2027, or April 3, 2027.')).toEqual(['3 April 2027', 'April 3, 2027']);
    expect(tokenize('工单 T20261124-0001。').map((t) => t.text).join('')).toBe('工单 T20261124-0001。');
  });

  it('keeps the surrounding text intact, in order', () => {
    const tokens = tokenize('请拨打10086或访问 https://www.10086.cn/support。谢谢');
    expect(tokens.map((t) => t.text).join('')).toBe('请拨打10086或访问 https://www.10086.cn/support。谢谢');
    expect(tokens.map((t) => t.kind)).toEqual(['text', 'tel', 'text', 'url', 'text']);
  });

  it('makes bare domains https links and strips trailing punctuation', () => {
    expect(links('登录 iCloud.com/find 查找')[0]?.kind).toBe('url');
    expect(links('登录 iCloud.com/find 查找')).toEqual([{ kind: 'url', text: 'iCloud.com/find', href: 'https://icloud.com/find' }]);
    expect(links('see http://x.com/a?b=1).')[0]).toMatchObject({ text: 'http://x.com/a?b=1', href: 'http://x.com/a?b=1' });
    expect(links('官网 www.mi.com/service。')[0]?.href).toBe('https://www.mi.com/service');
  });

  it('never links other schemes, e-mail domains, ticket ids, prices or version numbers', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      '发邮件到 help@mi.com',
      '工单 T20261124-0001',
      '价格 100860 元，订单 2613812345678',
      'v1.2.3 和 1.5GB',
    ]) {
      expect(links(text), text).toEqual([]);
    }
  });
});

describe('toBlocks (numbered steps)', () => {
  it('turns 1. / 2、 lines into one ordered list between paragraphs', () => {
    expect(toBlocks('请按以下步骤：\n1. 长按电源键 10 秒\n2、连接充电器\n3）等待 30 分钟\n完成后告诉我')).toEqual([
      { kind: 'p', lines: ['请按以下步骤：'] },
      { kind: 'ol', start: 1, items: ['长按电源键 10 秒', '连接充电器', '等待 30 分钟'] },
      { kind: 'p', lines: ['完成后告诉我'] },
    ]);
  });

  it('keeps a list that does not start at 1, and starts a new list when numbering restarts', () => {
    expect(toBlocks('3. 三\n4. 四\n1. 一')).toEqual([
      { kind: 'ol', start: 3, items: ['三', '四'] },
      { kind: 'ol', start: 1, items: ['一'] },
    ]);
  });

  it('leaves text without steps as paragraphs split on blank lines', () => {
    expect(toBlocks('第一段\n还是第一段\n\n第二段')).toEqual([
      { kind: 'p', lines: ['第一段', '还是第一段'] },
      { kind: 'p', lines: ['第二段'] },
    ]);
  });
});

describe('rating quick replies', () => {
  it('reads scores from values or labels', () => {
    expect(scoreOf({ label: '非常满意', value: 'rate:5' })).toBe(5);
    expect(scoreOf({ label: '3 星', value: 'three' })).toBe(3);
    expect(scoreOf({ label: '★★', value: 'x' })).toBe(2);
    expect(scoreOf({ label: '不评价', value: 'skip' })).toBeUndefined();
  });

  it('separates the five scores from other replies', () => {
    const replies = [1, 2, 3, 4, 5].map((n) => ({ label: `${n}分`, value: `rating:${n}` }));
    const { scores, rest } = splitRating([...replies, { label: '跳过', value: 'skip' }]);
    expect([...scores.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(scores.get(4)?.value).toBe('rating:4');
    expect(rest).toEqual([{ label: '跳过', value: 'skip' }]);
  });
});

describe('authors and groups', () => {
  it('reads the author from `from`, else the transcript role; absent means the assistant', () => {
    expect(authorOf({})).toEqual({ kind: 'bot' });
    expect(authorOf({ from: 'agent', agentName: ' 小王 ' })).toEqual({ kind: 'agent', name: '小王' });
    expect(authorOf({ from: 'system' })).toEqual({ kind: 'system' });
    expect(authorOf({}, 'agent')).toEqual({ kind: 'agent', name: '' });
    expect(authorOf({ agentName: '小李' }, 'agent')).toEqual({ kind: 'agent', name: '小李' });
    expect(authorOf({}, 'system')).toEqual({ kind: 'system' });
    expect(authorOf({ from: 'bot' }, 'agent')).toEqual({ kind: 'bot' });
  });

  it('groups one author’s messages close in time; notices and different agents never group', () => {
    const at = 1_000_000;
    const bot = authorKey({ kind: 'bot' });
    expect(sameGroup({ author: bot, at }, { author: bot, at: at + 1000 })).toBe(true);
    expect(sameGroup({ author: bot, at }, { author: bot, at: at + GROUP_GAP_MS + 1 })).toBe(false);
    expect(sameGroup({ author: bot, at }, { author: 'user', at })).toBe(false);
    expect(sameGroup({ author: 'system', at }, { author: 'system', at })).toBe(false);
    const wang = authorKey({ kind: 'agent', name: '小王' });
    expect(sameGroup({ author: wang, at }, { author: authorKey({ kind: 'agent', name: '小李' }), at })).toBe(false);
    expect(sameGroup({ author: wang, at }, { author: wang, at })).toBe(true);
  });

  it.each([
    ['小王', '王'],
    ['客服小王', '王'],
    ['王芳', '王'],
    ['老李', '李'],
    ['anna', 'A'],
    ['星联通信', '星'],
    ['', ''],
  ])('the avatar letter of %s is %s', (name, letter) => {
    expect(initialOf(name)).toBe(letter);
  });
});

describe('locale and config', () => {
  it('redraws what is bound when the language changes, and only then', () => {
    const i18n = new I18n('zh-CN');
    const drawn: string[] = [];
    const stop = i18n.bind((t) => drawn.push(t.placeholder));
    expect(i18n.set('zh-CN')).toBe(false);
    expect(i18n.set('en')).toBe(true);
    stop();
    i18n.set('zh-CN');
    expect(drawn).toEqual(['请输入您的问题', 'Type your question']);
    expect(i18n.t.star(4)).toBe('4 星');
  });

  it('prefers data-locale, then the page language, then the browser', () => {
    expect(pickLocale('en', 'zh-CN', ['zh-CN'])).toBe('en');
    expect(pickLocale(undefined, 'zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLocale(undefined, '', ['en-GB', 'zh'])).toBe('en');
    expect(pickLocale(undefined, '', ['zh-TW'])).toBe('zh-CN');
    expect(pickLocale(undefined, '', [])).toBe('zh-CN');
  });

  const doc = (lang = 'zh-CN') => ({ baseURI: 'https://carrier.example/support', documentElement: { lang } }) as unknown as Document;
  const script = (data: Record<string, string>, src = 'https://kefu.example.com/widget.js') =>
    ({ src, dataset: data }) as unknown as HTMLScriptElement;

  it('defaults data-server to the script’s own origin and validates the rest', () => {
    const config = readConfig(script({ server: '', color: 'red;background:url(x)', avatar: 'javascript:alert(1)', position: 'top' }), doc(), []);
    expect(config).toMatchObject({ server: 'https://kefu.example.com', color: DEFAULT_COLOR, position: 'right', startOpen: false });
    expect(config.avatar).toBeUndefined();
  });

  it('takes explicit attributes', () => {
    const config = readConfig(
      script({ server: 'https://chat.example.net/', title: '帮助', brand: ' 星联通信 ', color: '#ffd000', position: 'left', locale: 'en', open: '', avatar: '/a.png' }),
      doc(),
      [],
    );
    expect(config).toEqual({
      server: 'https://chat.example.net',
      title: '帮助',
      brand: '星联通信',
      color: '#ffd000',
      avatar: 'https://carrier.example/a.png',
      position: 'left',
      locale: 'en',
      startOpen: true,
    });
  });

  it('picks readable text for an accent colour', () => {
    expect(textColorOn(DEFAULT_COLOR)).toBe('#ffffff');
    expect(textColorOn('#ffd000')).toBe('#111111');
    expect(textColorOn('#000')).toBe('#ffffff');
  });

  it('darkens a light accent just enough for text on the light surfaces, keeping its hue', () => {
    expect(accentInk(DEFAULT_COLOR)).toBe(DEFAULT_COLOR);
    for (const light of ['#ffd000', '#7fdbff', '#fff', '#f0f']) {
      const ink = accentInk(light);
      expect(contrast(ink, INK_BACKGROUND), light).toBeGreaterThanOrEqual(4.5);
      expect(contrast(ink, INK_BACKGROUND), light).toBeLessThan(5.2);
    }
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(accentInk('#ffd000').slice(i, i + 2), 16));
    expect(r).toBeGreaterThan(g!);
    expect(b).toBe(0);
  });
});

describe('retryDelay (after a refused handshake)', () => {
  it('doubles from 2 s up to 30 s, each wait between half and all of that', () => {
    const ceilings = [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000];
    ceilings.forEach((ceiling, attempt) => {
      expect(retryDelay(attempt, 0)).toBe(ceiling / 2);
      expect(retryDelay(attempt, 0.999_999)).toBe(ceiling);
    });
    expect(retryDelay(1000, 0.5)).toBe(22_500); // no overflow however long it lasts
  });

  it('spreads a crowd retrying at once', () => {
    const waits = new Set(Array.from({ length: 50 }, () => retryDelay(0)));
    expect(waits.size).toBeGreaterThan(10);
    for (const ms of waits) {
      expect(ms).toBeGreaterThanOrEqual(1_000);
      expect(ms).toBeLessThanOrEqual(2_000);
    }
  });
});
