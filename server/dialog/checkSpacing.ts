/**
 * The CJK/Latin spacing check: every Chinese text the bot can say, rendered
 * with each brand and carrier of data/hotlines.yaml (and with none), has a
 * space between a Han character and a Latin letter or a digit — 「到 OPPO 官方」
 * 「拨打 950800」, not 「到OPPO官方」. Covered: dialog titles, check-ins, node
 * texts, re-asks and button labels (hidden options' labels are never shown),
 * the system phrases, buttons and menu, self-service answers and first aid.
 * Digits are checked too (only a few places glued them), except in dates
 * (「2026年3月5日」「去年10月」), which are written without spaces. Names
 * written as their owners write them (an app, official accounts) are left alone.
 */
import type { ContentError, FieldPath, YamlFile } from '../content/yamlFile.js';
import { findGlue } from './cjkSpacing.js';
import type { DialogContent } from './content.js';
import type { LocalText } from './schema.js';
import { newSessionState } from './state.js';
import { renderText } from './templates.js';

/** An app's and official accounts' own names, searched for as written: 「“OPPO服务”App」, 微信公众号「vivo客户服务」「12321举报中心」. */
const OWN_SPELLING = ['OPPO服务', 'vivo客户服务', '12321举报中心'];

interface Located {
  source: YamlFile;
  path: FieldPath;
  /** Prefix of the message (「node x: 」), as the other checks name nodes. */
  node?: string;
  /** The dialog whose templates fill it (fittingHotline depends on it). */
  dialog?: string;
  text: LocalText;
}

function texts(content: DialogContent): Located[] {
  const out: Located[] = [];
  for (const d of content.dialogs.values()) {
    const at = (path: FieldPath, text: LocalText, node?: string) => out.push({ source: d.source, path, node, dialog: d.def.id, text });
    at(['title'], d.def.title);
    if (d.def.followUp) at(['followUp'], d.def.followUp);
    for (const [id, n] of Object.entries(d.def.nodes)) {
      if ('say' in n && n.say) at(['nodes', id, 'say'], n.say, id);
      if ('reask' in n) n.reask.forEach((r, i) => at(['nodes', id, 'reask', i], r, id));
      if (n.type === 'question' || n.type === 'ask') {
        n.options.forEach((o, i) => {
          if (!o.hidden) at(['nodes', id, 'options', i, 'label'], o.label, id);
        });
      }
    }
  }
  const { system, selfService, safety } = content.dataSources;
  for (const [k, p] of Object.entries(content.system.phrases)) out.push({ source: system, path: ['phrases', k], text: p });
  for (const [k, b] of Object.entries(content.system.buttons)) out.push({ source: system, path: ['buttons', k], text: b });
  content.system.menu.forEach((m, i) => out.push({ source: system, path: ['menu', i, 'label'], text: m.label }));
  content.selfService.topics.forEach((t, i) => out.push({ source: selfService, path: ['topics', i, 'say'], text: t.say }));
  for (const [id, h] of Object.entries(content.safety.hazards)) {
    out.push({ source: safety, path: ['hazards', id, 'say'], text: h.say });
    h.next.forEach((n, i) => out.push({ source: safety, path: ['hazards', id, 'next', i, 'label'], text: n.label }));
    out.push({ source: safety, path: ['hazards', id, 'afterwards', 'stillWorks', 'say'], text: h.afterwards.stillWorks.say });
    out.push({ source: safety, path: ['hazards', id, 'afterwards', 'noted'], text: h.afterwards.noted });
  }
  return out;
}

/** Chinese glued to Latin text or digits, in any text the bot can say with any known brand or carrier. */
export function spacingErrors(content: DialogContent): ContentError[] {
  const brands = [undefined, ...Object.keys(content.hotlines.brands)];
  const carriers = [undefined, ...Object.keys(content.hotlines.carriers)];
  const now = new Date('2026-12-04T10:00:00+08:00');
  const errors: ContentError[] = [];
  for (const t of texts(content)) {
    // Glue found → the brands and carriers it shows with ('' = none known).
    const found = new Map<string, { pair: string; brands: Set<string>; carriers: Set<string> }>();
    const ownWords = new Set(findGlue(t.text.zh, OWN_SPELLING).map((g) => g.pair));
    const templated = /\{\w+\}/.test(t.text.zh);
    for (const brand of templated ? brands : [undefined]) {
      for (const carrier of templated ? carriers : [undefined]) {
        const state = newSessionState(content.hash, 'zh');
        if (brand) state.slots.brand = brand;
        if (carrier) state.slots.carrier = carrier;
        state.slots.purchase_date = '2026-03-05';
        state.frame = { dialog: t.dialog ?? '', node: '', ticketId: 'T20261204-0001', retries: 0, history: [], opening: '', volunteered: [] };
        const rendered = renderText(t.text.zh, { content, state, lang: 'zh', now });
        for (const g of findGlue(rendered, OWN_SPELLING)) {
          const seen = found.get(g.context) ?? { pair: g.pair, brands: new Set(), carriers: new Set() };
          seen.brands.add(brand ?? '');
          seen.carriers.add(carrier ?? '');
          found.set(g.context, seen);
        }
      }
    }
    for (const [context, seen] of found) {
      const only = (set: Set<string>, all: readonly (string | undefined)[], kind: string) =>
        templated && set.size < all.length ? ` (${kind} ${[...set].map((x) => x || 'unknown').join(', ')})` : '';
      const when = only(seen.brands, brands, 'brand') + only(seen.carriers, carriers, 'carrier');
      const from = ownWords.has(seen.pair) ? '' : ' — it comes from a template\'s value (the data in dialogs/data/, or server/dialog/templates.ts)';
      errors.push(
        t.source.error([...t.path, 'zh'], `${t.node ? `node ${t.node}: ` : ''}「${context}」 glues Chinese to Latin text or a digit${when}: put a space between them (「到 OPPO 官方」「拨打 950800」)${from}`),
      );
    }
  }
  return errors;
}
