/**
 * Cross-checks over all dialog content, beyond what each file's schema can
 * see: every transition lands on a node, every node is reachable and can
 * reach an end, actions branch on outcomes they really have, templates
 * exist, every problem intent has a six-step dialog, no re-ask is a bare
 * 「请点选…」, Chinese is spaced from Latin text (checkSpacing.ts). Every
 * problem names its file, line and node.
 */
import { ContentError, type YamlFile } from '../content/yamlFile.js';
import { STEPS } from '../protocol.js';
import { ACTIONS } from './actions.js';
import { spacingErrors } from './checkSpacing.js';
import { DEFAULT_DIALOGS_DIR, readDialogContent, type DialogContent, type LoadedDialog } from './content.js';
import { HUMAN_DIALOG, HUMAN_ENTRY_NODES } from './handover.js';
import { FREE_TEXT_SLOTS, type DialogNode, type LocalText } from './schema.js';
import { unknownTemplates } from './templates.js';

/** The problems of the service flow: each needs a `problem` dialog. */
export const PROBLEM_INTENTS = ['wont_boot', 'lag', 'no_network', 'data_loss', 'theft', 'warranty', 'lockout', 'screen', 'hardware'] as const;
/** Intents answered inside other dialogs' questions, needing no dialog of their own. */
const ANSWER_INTENTS = new Set(['affirm', 'deny']);

/**
 * Every problem with the dialogs under `dialogsDir`: schema errors first, then
 * cross-checks. With `intentIds` (the NLU's), also checks that dialogs name
 * real intents and every intent is handled. Empty when all is well.
 */
export function checkDialogContent(dialogsDir = DEFAULT_DIALOGS_DIR, intentIds?: readonly string[]): ContentError[] {
  const { content, errors } = readDialogContent(dialogsDir);
  if (!content) return errors;
  return [...errors, ...crossCheck(content, intentIds)];
}

/** Cross-checks of content that passed the schemas. */
export function crossCheck(content: DialogContent, intentIds?: readonly string[]): ContentError[] {
  const errors: ContentError[] = [];
  for (const d of content.dialogs.values()) errors.push(...checkDialog(d));

  const inDir = (msg: string) => new ContentError(content.dir, null, '', msg);
  for (const intent of PROBLEM_INTENTS) {
    const d = content.byIntent.get(intent);
    if (!d) errors.push(inDir(`problem intent "${intent}" has no dialog`));
    else if (d.def.kind !== 'problem') errors.push(d.source.error(['kind'], `dialog for problem intent "${intent}" must have kind: problem`));
  }
  if (!content.byIntent.has('human_agent')) errors.push(inDir('no dialog handles intent "human_agent" (转人工 needs one)'));
  if (intentIds) {
    const known = new Set(intentIds);
    for (const d of content.dialogs.values()) {
      d.def.intents.forEach((intent, i) => {
        if (!known.has(intent)) errors.push(d.source.error(['intents', i], `unknown intent "${intent}"`));
      });
      for (const [id, node] of Object.entries(d.def.nodes)) {
        if (node.type !== 'question' && node.type !== 'ask') continue;
        node.options.forEach((o, i) =>
          o.intents.forEach((intent, j) => {
            if (!known.has(intent)) errors.push(d.source.error(['nodes', id, 'options', i, 'intents', j], `unknown intent "${intent}"`));
          }),
        );
      }
    }
    for (const intent of intentIds) {
      if (!ANSWER_INTENTS.has(intent) && !content.byIntent.has(intent)) {
        errors.push(inDir(`intent "${intent}" has no dialog`));
      }
    }
  }
  errors.push(...setErrors(content));
  errors.push(...safetyErrors(content));
  errors.push(...warrantyDataErrors(content));
  errors.push(...spacingErrors(content));
  for (const d of content.dialogs.values()) errors.push(...icloudRestoreErrors(d));
  const sys = content.dataSources.system;
  content.system.menu.forEach((m, i) => {
    if (!content.byIntent.has(m.intent)) errors.push(sys.error(['menu', i, 'intent'], `no dialog handles intent "${m.intent}"`));
  });
  for (const [key, text] of Object.entries(content.system.phrases)) {
    errors.push(...templateErrors(sys, ['phrases', key], text));
    if (key.startsWith('resolvedNote') && /\{resolvedNote\}/.test(text.zh + text.en)) errors.push(sys.error(['phrases', key], '{resolvedNote} cannot be used inside itself'));
  }
  return errors;
}

/**
 * Safety: a water hazard exists; every first-aid text (the hazard's own and each
 * dialog's `safety` node) says all of its `mustSay` words in both languages;
 * `safety` names known hazards and real nodes.
 */
function safetyErrors(content: DialogContent): ContentError[] {
  const errors: ContentError[] = [];
  const src = content.dataSources.safety;
  const hazards = content.safety.hazards;
  if (!hazards.water) errors.push(src.error(['hazards'], 'no "water" hazard: a wet phone must get first aid from any dialog'));
  const missing = (id: string, text: { zh: string; en: string }) => {
    const must = hazards[id]!.mustSay;
    return [
      ...must.zh.filter((w) => !text.zh.includes(w)),
      ...must.en.filter((w) => !text.en.toLowerCase().includes(w.toLowerCase())),
    ];
  };
  for (const [id, h] of Object.entries(hazards)) {
    const m = missing(id, h.say);
    if (m.length > 0) errors.push(src.error(['hazards', id, 'say'], `first aid for ${id} does not say: ${m.join(', ')}`));
    h.next.forEach((n, i) => {
      if (!content.byIntent.has(n.intent)) errors.push(src.error(['hazards', id, 'next', i, 'intent'], `no dialog handles intent "${n.intent}"`));
    });
  }
  for (const d of content.dialogs.values()) {
    for (const [id, target] of Object.entries(d.def.safety ?? {})) {
      if (!hazards[id]) {
        errors.push(d.source.error(['safety', id], `unknown hazard "${id}" (data/safety.yaml has: ${Object.keys(hazards).join(', ')})`));
        continue;
      }
      const node = d.def.nodes[target];
      if (!node) errors.push(d.source.error(['safety', id], `safety node "${target}" does not exist`));
      else if (!('say' in node) || !node.say) errors.push(d.source.error(['safety', id], `safety node "${target}" says nothing`));
      else {
        const m = missing(id, node.say);
        if (m.length > 0) errors.push(d.source.error(['nodes', target, 'say'], `node ${target}: first aid for ${id} does not say: ${m.join(', ')}`));
      }
    }
  }
  return errors;
}

/** data/warranty.yaml: brand policies name known brands and parts; asked parts exist. */
function warrantyDataErrors(content: DialogContent): ContentError[] {
  const errors: ContentError[] = [];
  const src = content.dataSources.warranty;
  const w = content.warranty;
  const parts = new Set(w.parts.map((p) => p.id));
  for (const [brand, policy] of Object.entries(w.brands)) {
    if (!(brand in content.hotlines.brands)) errors.push(src.error(['brands', brand], `brand "${brand}" is not a brand of data/hotlines.yaml`));
    for (const part of Object.keys(policy.parts)) {
      if (!parts.has(part)) errors.push(src.error(['brands', brand, 'parts', part], `unknown part "${part}" (parts: ${[...parts].join(', ')})`));
    }
  }
  for (const brand of Object.keys(w.repair?.brands ?? {})) {
    if (!(brand in content.hotlines.brands)) errors.push(src.error(['repair', 'brands', brand], `brand "${brand}" is not a brand of data/hotlines.yaml`));
  }
  w.asked.forEach((a, i) => {
    if (!parts.has(a.part)) errors.push(src.error(['asked', i, 'part'], `unknown part "${a.part}" (parts: ${[...parts].join(', ')})`));
  });
  return errors;
}

/**
 * An iCloud restore is never preceded by "back up first": a new iCloud backup
 * replaces the only one that still holds the lost data. A text about restoring
 * an iCloud backup must say to turn iCloud Backup off and to pick a backup from
 * before the loss.
 */
function icloudRestoreErrors(d: LoadedDialog): ContentError[] {
  const errors: ContentError[] = [];
  for (const [id, node] of Object.entries(d.def.nodes)) {
    if (!('say' in node) || !node.say) continue;
    const { zh, en } = node.say;
    const at = (lang: string, msg: string) => d.source.error(['nodes', id, 'say', lang], `node ${id}: ${msg}`);
    if (/iCloud/.test(zh) && /云备份/.test(zh) && /恢复/.test(zh)) {
      if (/先[^。\n]{0,15}备份好|先备份/.test(zh)) errors.push(at('zh', 'an iCloud restore must not say 先备份 (a new iCloud backup overwrites the old one)'));
      if (!/关闭/.test(zh) || !/之前/.test(zh)) errors.push(at('zh', 'an iCloud restore must say to turn off iCloud 云备份 (关闭) and to choose the backup from before the loss (之前)'));
    }
    if (/iCloud Backup/i.test(en) && /restor/i.test(en)) {
      if (/\bback (it )?up\b[^.]{0,60}\bfirst\b/i.test(en)) errors.push(at('en', 'an iCloud restore must not say "back up first" (a new iCloud backup overwrites the old one)'));
      if (!/turn off/i.test(en) || !/before/i.test(en)) errors.push(at('en', 'an iCloud restore must say to turn off iCloud Backup and to choose the backup from before the loss'));
    }
  }
  return errors;
}

/** An option's `set: { carrier: …, brand: … }` must name a carrier or brand of data/hotlines.yaml. */
function setErrors(content: DialogContent): ContentError[] {
  const known: Partial<Record<string, Record<string, unknown>>> = {
    carrier: content.hotlines.carriers,
    brand: content.hotlines.brands,
  };
  const errors: ContentError[] = [];
  for (const d of content.dialogs.values()) {
    for (const [id, node] of Object.entries(d.def.nodes)) {
      if (node.type !== 'question' && node.type !== 'ask') continue;
      node.options.forEach((o, i) => {
        for (const [slot, value] of Object.entries(o.set ?? {})) {
          const table = known[slot];
          if (table && !(value in table)) {
            errors.push(d.source.error(['nodes', id, 'options', i, 'set', slot], `node ${id}: set.${slot} "${value}" is not a ${slot} in data/hotlines.yaml (known: ${Object.keys(table).join(', ')})`));
          }
        }
      });
    }
  }
  return errors;
}

function templateErrors(source: YamlFile, path: (string | number)[], text: { zh: string; en: string }): ContentError[] {
  return (['zh', 'en'] as const).flatMap((lang) =>
    unknownTemplates(text[lang]).map((name) => source.error([...path, lang], `unknown template {${name}}`)),
  );
}

/** Where a node can go next, with the YAML path of each transition. */
function edges(node: DialogNode): { to: string; path: (string | number)[] }[] {
  switch (node.type) {
    case 'message':
    case 'rating':
      return [{ to: node.next, path: ['next'] }];
    case 'ask':
      return [{ to: node.next, path: ['next'] }, ...node.options.map((o, i) => ({ to: o.goto, path: ['options', i, 'goto'] }))];
    case 'question':
      return node.options.map((o, i) => ({ to: o.goto, path: ['options', i, 'goto'] }));
    case 'action':
      return Object.entries(node.outcomes).map(([k, to]) => ({ to, path: ['outcomes', k] }));
    case 'end':
      return [];
    default: {
      const never: never = node;
      throw new Error(`unhandled node type ${String(never)}`);
    }
  }
}

/** Promises nobody keeps: no person is ever sent to "contact you shortly"; people reach the user through this chat or a call-back. */
const NOBODY_COMES = /专人|稍后会有|稍后.{0,6}联系您|will contact you|get in touch with you shortly/i;
/** The ticket lives in this chat: a service centre or a carrier's hotline cannot look it up, so nobody is told to quote it there. */
const TICKET_ELSEWHERE = /(?:拨打|热线|售后|服务中心|营业厅)[^。；]{0,30}(?:报上|提供)工单号|(?:call|service centre|store)[^.;]{0,40}quote (?:the |your )?ticket/i;
/** A check-in within a time: only where one is really scheduled (scheduleFollowUp) or booked (requestCallback). */
const TIMED_FOLLOW_UP = /\d+\s*小时内|回访|within \d+ hours|check in with you/i;

/** A re-ask that only orders the user to tap (「请点选：A，或者B。」 "Please choose: …") instead of asking the question again. */
const CURT_REASK = /^\s*(?:请点选|请直接点选|请直接选择|please (?:choose|pick|tap)\b|just (?:choose|pick|tap)\b)/i;

/** Re-asks that are bare commands: the user did not understand, so the question is restated, kindly, with its options. */
function curtReaskErrors(reask: readonly LocalText[]): { path: (string | number)[]; msg: string }[] {
  return reask.flatMap((r, i) =>
    (['zh', 'en'] as const)
      .filter((lang) => CURT_REASK.test(r[lang]))
      .map((lang) => ({
        path: ['reask', i, lang],
        msg: `re-ask "${r[lang]}" is a bare command: restate the question politely, naming its options (「不好意思，我没太看明白：…是…还是…？」 "Sorry, I didn't quite catch that — is it … or …?")`,
      })),
  );
}

/** What a node's text promises that the node does not arrange. */
function promiseErrors(node: DialogNode, say: LocalText): string[] {
  const out: string[] = [];
  const text = `${say.zh}\n${say.en}`;
  const m = NOBODY_COMES.exec(text);
  if (m) out.push(`promises "${m[0]}": nobody is sent; say which channel will find the ticket (this chat, a call-back, the brand's line)`);
  const q = TICKET_ELSEWHERE.exec(text);
  if (q) out.push(`says "${q[0]}": the ticket is only found in this chat; point back here instead`);
  const arranges = node.do.includes('scheduleFollowUp') || (node.type === 'action' && (node.action === 'scheduleFollowUp' || node.action === 'requestCallback'));
  const t = TIMED_FOLLOW_UP.exec(text);
  if (t && !arranges) out.push(`promises "${t[0]}" but does not run scheduleFollowUp: promise a check-in only where one is scheduled`);
  return out;
}

function checkDialog(d: LoadedDialog): ContentError[] {
  const errors: ContentError[] = [];
  const { def, source } = d;
  const nodes = def.nodes;
  const at = (id: string, path: (string | number)[], msg: string) => source.error(['nodes', id, ...path], `node ${id}: ${msg}`);

  if (!(def.start in nodes)) errors.push(source.error(['start'], `start node "${def.start}" does not exist`));
  if (def.onHuman !== undefined) {
    const h = nodes[def.onHuman];
    if (!h) errors.push(source.error(['onHuman'], `onHuman node "${def.onHuman}" does not exist`));
    else if (!h.do.includes('requestHuman')) errors.push(source.error(['onHuman'], `onHuman node "${def.onHuman}" must run requestHuman`));
  }
  errors.push(...templateErrors(source, ['title'], def.title));

  // Wording errors do not stop the graph checks below.
  const wording: ContentError[] = [];
  for (const [id, node] of Object.entries(nodes)) {
    for (const e of edges(node)) {
      if (!(e.to in nodes)) errors.push(at(id, e.path, `goes to "${e.to}", which is not a node of ${def.id}`));
    }
    if ('say' in node && node.say) errors.push(...templateErrors(source, ['nodes', id, 'say'], node.say));
    if ('say' in node && node.say) wording.push(...promiseErrors(node, node.say).map((m) => at(id, ['say'], m)));
    if ('reask' in node) {
      node.reask.forEach((r, i) => errors.push(...templateErrors(source, ['nodes', id, 'reask', i], r)));
      wording.push(...curtReaskErrors(node.reask).map((e) => at(id, e.path, e.msg)));
    }
    // An unrecognised answer is re-asked twice, each time in other words (then a human is offered);
    // a free-text note takes any answer, so it is never re-asked. The second re-ask of a choice between
    // two or more buttons is the engine's own (the question restated from the options, a person offered).
    const choice = node.type === 'question' && node.options.filter((o) => !o.hidden).length >= 2;
    const needed = choice ? 1 : 2;
    if ((node.type === 'question' || (node.type === 'ask' && !FREE_TEXT_SLOTS.has(node.slot))) && node.reask.length < needed) {
      errors.push(
        at(id, ['reask'], choice
          ? `needs a re-ask wording (has none): an unrecognised answer is first asked again in other words`
          : `needs two re-ask wordings (has ${node.reask.length}): an unrecognised answer is asked again twice, differently`),
      );
    }
    if (node.type === 'question' || node.type === 'ask') {
      const seen = new Set<string>();
      node.options.forEach((o, i) => {
        if (seen.has(o.value)) errors.push(at(id, ['options', i, 'value'], `option value "${o.value}" is used twice`));
        seen.add(o.value);
      });
    }
    if (node.type === 'action') {
      const declared = ACTIONS[node.action].outcomes;
      for (const k of Object.keys(node.outcomes)) {
        if (!declared.includes(k)) errors.push(at(id, ['outcomes', k], `${node.action} has no outcome "${k}" (it has: ${declared.join(', ')})`));
      }
      for (const k of declared) {
        if (!(k in node.outcomes)) errors.push(at(id, ['outcomes'], `no branch for ${node.action} outcome "${k}"`));
      }
    }
  }
  if (errors.length > 0) return [...errors, ...wording]; // graph checks need sound edges

  // Reachable from the start (and from onHuman, which 转人工 can jump to).
  const reached = new Set<string>();
  // The human dialog is also entered by name (handover.ts): after a problem's hand-over, a desk event, a low rating.
  const entries = def.id === HUMAN_DIALOG ? HUMAN_ENTRY_NODES : [];
  for (const id of entries) if (!(id in nodes)) errors.push(source.error(['nodes'], `the engine enters node "${id}", which does not exist`));
  if (errors.length > 0) return [...errors, ...wording];
  const stack = [def.start, ...(def.onHuman ? [def.onHuman] : []), ...entries];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...edges(nodes[id]!).map((e) => e.to));
  }
  for (const id of Object.keys(nodes)) {
    if (!reached.has(id)) errors.push(at(id, [], 'unreachable from the start node'));
  }

  // Every node can still reach an end.
  const ends = new Set(Object.entries(nodes).filter(([, n]) => n.type === 'end').map(([id]) => id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, n] of Object.entries(nodes)) {
      if (!ends.has(id) && edges(n).some((e) => ends.has(e.to))) {
        ends.add(id);
        grew = true;
      }
    }
  }
  for (const id of Object.keys(nodes)) {
    if (!ends.has(id)) errors.push(at(id, [], 'no path from here reaches an end node'));
  }

  // A loop of nodes that never wait would spin forever within one turn.
  const passes = (n: DialogNode) => n.type === 'message' || n.type === 'action';
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'open') return true;
    state.set(id, 'open');
    const n = nodes[id]!;
    const loops = passes(n) && edges(n).some((e) => passes(nodes[e.to]!) && visit(e.to));
    state.set(id, 'done');
    return loops;
  };
  for (const [id, n] of Object.entries(nodes)) {
    if (passes(n) && visit(id)) errors.push(at(id, [], 'part of a loop that never waits for the user'));
  }

  if (def.question && def.kind !== 'smalltalk') {
    errors.push(source.error(['question'], `question: ${def.question} is for small talk (what follows a line said while a question waits); this dialog is ${def.kind}`));
  }
  if (def.kind === 'problem') {
    const steps = new Set(Object.values(nodes).map((n) => n.step));
    for (const step of STEPS.filter((s) => s !== 'consult')) {
      if (!steps.has(step)) errors.push(source.error(['nodes'], `problem dialog has no node in step "${step}"`));
    }
    const actions = new Set(Object.values(nodes).flatMap((n) => [...n.do, ...(n.type === 'action' ? [n.action] : [])]));
    // A problem advice cannot solve declares its honest end (adviceEnd) and runs it instead of markResolved.
    const end = def.adviceEnd ?? 'markResolved';
    for (const a of ['openTicket', 'requestHuman', 'scheduleFollowUp', end] as const) {
      if (!actions.has(a)) errors.push(source.error(def.adviceEnd && a === end ? ['adviceEnd'] : ['nodes'], `problem dialog never runs ${a}`));
    }
    if (def.adviceEnd && actions.has('markResolved')) {
      errors.push(source.error(['adviceEnd'], `declares adviceEnd: ${def.adviceEnd} (advice does not solve it) but also runs markResolved`));
    }
    if (!Object.values(nodes).some((n) => n.type === 'rating')) errors.push(source.error(['nodes'], 'problem dialog has no rating node'));
    if (!def.onHuman) errors.push(source.error(['kind'], 'problem dialog needs onHuman (where 转人工 goes)'));
    if (!def.hotline) errors.push(source.error(['kind'], 'problem dialog needs hotline: brand (a fault of the phone) or carrier (the line, the bill, the SIM): whose line is offered when nobody can take the chat'));
  }
  return [...errors, ...wording];
}
