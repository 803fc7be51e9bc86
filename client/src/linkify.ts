/**
 * Turns plain text into DOM nodes with safe links: service hotlines and mobile
 * numbers become `tel:` links, http(s) URLs and bare domains (iCloud.com/find)
 * become `https:`/`http:` links opening in a new tab. Everything else stays a
 * text node — the input is never parsed as HTML, and no other URL scheme
 * (javascript:, data:) can come out of it.
 */

/** A piece of linkified text: plain, or a link with the href it should get. */
export type Token =
  | { kind: 'text'; text: string }
  | { kind: 'tel'; text: string; href: string }
  | { kind: 'url'; text: string; href: string };

const HOTLINE = String.raw`10086|10010|10000|10099|950800|95030`;
const PHONE = String.raw`400[- ]?\d{3}[- ]?\d{4}|1[3-9]\d{9}|${HOTLINE}`;
const URL_RE = String.raw`https?:\/\/[^\s<>"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+`;
const TLDS = String.raw`com\.cn|com|cn|net|org|io|hk|tw|me|app|info`;
const DOMAIN = String.raw`(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:${TLDS})(?![a-z0-9-])(?:\/[^\s<>"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]*)?`;

// Digits and ASCII word characters must not touch a number (ids, prices, dates);
// Chinese text around it is fine (「拨打10086咨询」).
const PATTERN = new RegExp(
  String.raw`(?<url>${URL_RE})|(?<![\w@.\-/])(?<domain>${DOMAIN})|(?<![\w.\-])(?<phone>${PHONE})(?![\w\-])`,
  'gi',
);

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Split `text` into plain and link tokens. Pure; exported for tests. */
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
    let href: string | undefined;
    let kind: 'tel' | 'url' = 'url';
    if (groups.phone) {
      kind = 'tel';
      href = 'tel:' + matched.replace(/\D/g, '');
    } else {
      const trail = TRAILING.exec(matched)?.[0] ?? '';
      matched = matched.slice(0, matched.length - trail.length);
      href = safeHref(groups.url ? matched : 'https://' + matched);
    }
    pushText(text.slice(last, index));
    if (href && matched) tokens.push({ kind, text: matched, href });
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
