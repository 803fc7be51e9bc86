/**
 * Turns plain text into DOM nodes with safe links: hotlines and service
 * numbers (110, 95017, 10086, 400-…, +86 …, mobile numbers) become `tel:`
 * links, http(s) URLs and bare domains (iCloud.com/find) become `https:`/`http:`
 * links opening in a new tab, and tokens that must not be broken across lines
 * (ticket ids, dates, masked IMEIs) are kept whole. Everything else stays a
 * text node — the input is never parsed as HTML, and no other URL scheme
 * (javascript:, data:) can come out of it.
 */

/** A piece of linkified text: plain, a link with the href it should get, or a token kept on one line. */
export type Token =
  | { kind: 'text'; text: string }
  | { kind: 'tel'; text: string; href: string }
  | { kind: 'url'; text: string; href: string }
  | { kind: 'nowrap'; text: string };

/**
 * Short service numbers: emergency (110 police, 119 fire, 120 ambulance, 122
 * traffic), carriers (10086, 10010, 10000, 10099), government lines (12315,
 * 12345, 12321…), and the 95xxx/95xxxx and 96xxx lines of payment services,
 * banks and brands (95017 微信支付, 95188 支付宝, 950800, 95030).
 */
const SHORT = String.raw`11[09]|12[02]|100(?:86|10|00|99)|123\d\d|95\d{3,4}|96\d{3}`;
const MOBILE = String.raw`1[3-9]\d(?:[- ]?\d{4}){2}`;
/** 400/800 lines, 10 digits, as 400-xxx-xxxx, 400 xxx xxxx or 4001 xxx xxx. */
const FREEPHONE = String.raw`[48]00(?:[- ]?\d{3}[- ]?\d{4}|\d[- ]?\d{3}[- ]?\d{3})`;
const LANDLINE = String.raw`0\d{2,3}-\d{7,8}`;
const PHONE = String.raw`\+86[- ]?(?:${MOBILE}|${SHORT}|\d{2,3}[- ]?\d{7,8})|${FREEPHONE}|${LANDLINE}|${MOBILE}|${SHORT}`;
/**
 * What may not follow a number for it to be a phone number: more of a word or
 * number (ids, IMEIs, prices, versions), or a unit — 「120 分钟」「110 元」
 * 「10000 mAh」 are amounts, not lines to call.
 */
const NOT_AFTER = String.raw`[\w\-*]|[.,]\d|\s?(?:元|块|角|分|秒|小时|天|日|周|个|月|年|岁|次|条|张|台|部|件|位|名|人|字|步|项|页|%|％|度|℃|°|米|公里|万|千|百|亿|多|余|倍|(?:mAh|Hz|W|V|GB|MB|TB|KB|ms|s|min|mins|minutes|seconds|hours?|days?|yuan|RMB)\b)`;

const URL_RE = String.raw`https?:\/\/[^\s<>"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+`;
const TLDS = String.raw`com\.cn|com|cn|net|org|io|hk|tw|me|app|info`;
const DOMAIN = String.raw`(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:${TLDS})(?![a-z0-9-])(?:\/[^\s<>"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]*)?`;

const MONTHS = String.raw`Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?`;
/**
 * Tokens a line must not break inside (browsers break after a hyphen, and
 * between any two characters of Chinese text): a word with digits joined by
 * - / . : (T20261124-0001, 2027-04-03, 10:30, v1.2.3), a masked number
 * (35693803*******, 138****5678), a Chinese or English date.
 */
const NOWRAP = String.raw`\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\d{1,2} (?:${MONTHS}) \d{4}|(?:${MONTHS}) \d{1,2}, \d{4}|(?=[\w*-]*\d)[\w*]+(?:[-/.:][\w*]+)+|\d+\*+\d*`;

// Digits and ASCII word characters must not touch a number (ids, prices, dates);
// Chinese text around it is fine (「拨打10086咨询」). A currency sign makes it a price.
const PATTERN = new RegExp(
  String.raw`(?<url>${URL_RE})|(?<![\w@.\-/])(?<domain>${DOMAIN})|(?<![\w.\-+*¥￥$])(?<phone>${PHONE})(?!${NOT_AFTER})|(?<![\w*])(?<nowrap>${NOWRAP})(?![\w*])`,
  'gi',
);

/** Punctuation that ends a sentence rather than a URL or a token. */
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Longer tokens may break: one that cannot would push the bubble wider than a phone's screen. */
const NOWRAP_MAX = 24;

/** Split `text` into plain, link and unbreakable tokens. Pure; exported for tests. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const pushText = (s: string) => {
    if (!s) return;
    const prev = tokens[tokens.length - 1];
    if (prev?.kind === 'text') prev.text += s;
    else tokens.push({ kind: 'text', text: s });
  };
  for (const m of text.matchAll(PATTERN)) {
    const index = m.index ?? 0;
    const groups = m.groups ?? {};
    let matched = m[0];
    let token: Token | undefined;
    if (groups.phone) {
      token = { kind: 'tel', text: matched, href: 'tel:' + (matched.startsWith('+') ? '+' : '') + matched.replace(/\D/g, '') };
    } else {
      const trail = TRAILING.exec(matched)?.[0] ?? '';
      matched = matched.slice(0, matched.length - trail.length);
      if (groups.nowrap) {
        if (matched.length <= NOWRAP_MAX) token = { kind: 'nowrap', text: matched };
      } else {
        const href = safeHref(groups.url ? matched : 'https://' + matched);
        if (href) token = { kind: 'url', text: matched, href };
      }
    }
    pushText(text.slice(last, index));
    if (token && matched) tokens.push(token);
    else pushText(matched);
    last = index + matched.length;
  }
  pushText(text.slice(last));
  return tokens;
}

function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Linkified DOM for one line of text. */
export function linkify(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const token of tokenize(text)) {
    if (token.kind === 'text') {
      frag.appendChild(document.createTextNode(token.text));
      continue;
    }
    if (token.kind === 'nowrap') {
      const span = document.createElement('span');
      span.className = 'kefu-nowrap';
      span.textContent = token.text;
      frag.appendChild(span);
      continue;
    }
    const a = document.createElement('a');
    a.href = token.href;
    a.textContent = token.text;
    if (token.kind === 'url') {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    } else {
      a.className = 'kefu-tel';
    }
    frag.appendChild(a);
  }
  return frag;
}
