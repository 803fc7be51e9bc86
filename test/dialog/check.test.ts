/**
 * Content cross-checks: the real dialogs pass; each kind of broken content is
 * reported with file, line and node.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDialogContent } from '../../server/dialog/check.js';
import { DEFAULT_DIALOGS_DIR } from '../../server/dialog/content.js';
import { INTENT_IDS } from '../../server/nlu/content.js';
import { INTENTS } from './fakeNlu.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of dialogs/ with `file` edited by `edit`. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-dialogs-'));
  dirs.push(dir);
  cpSync(DEFAULT_DIALOGS_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after, 'the edit must change the file').not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

const lineOf = (dir: string, file: string, needle: string) =>
  readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('checkDialogContent', () => {
  it('finds nothing wrong with the real dialogs, against the NLU intent ids', () => {
    expect(checkDialogContent(undefined, INTENT_IDS).map((e) => e.message)).toEqual([]);
  });

  it('reports a transition to a missing node with file, line and node', () => {
    const dir = brokenCopy('wont_boot.yaml', (t) => t.replace('goto: solve_water', 'goto: solve_wter'));
    const [e, ...rest] = checkDialogContent(dir, INTENTS);
    expect(rest.filter((x) => !/unreachable/.test(x.message))).toEqual([]);
    expect(e!.file).toBe(join(dir, 'wont_boot.yaml'));
    expect(e!.line).toBe(lineOf(dir, 'wont_boot.yaml', 'goto: solve_wter'));
    expect(e!.message).toMatch(/nodes\.ask_damage\.options\[0\]\.goto: node ask_damage: goes to "solve_wter"/);
  });

  it('reports a choice question without a re-ask wording (its last re-ask is the engine\'s)', () => {
    const dir = brokenCopy('wont_boot.yaml', (t) => t.replace(/(  ask_damage:[\s\S]*?\n)    reask:\n      - zh: [^\n]*\n        en: [^\n]*\n      - zh: [^\n]*\n        en: [^\n]*\n/, '$1'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toEqual([expect.stringMatching(/wont_boot\.yaml:\d+ nodes\.ask_damage\.reask: node ask_damage: needs a re-ask wording \(has none\)/)]);
  });

  it('rejects a re-ask that is a bare command (「请点选…」 "Please choose: …") at its line, in either language', () => {
    const dir = brokenCopy('lag.yaml', (t) =>
      t
        .replace('不好意思，我没太看明白：手机的存储空间是快满了，还是还剩不少？', '请点选：快满了，或者空间充足。')
        .replace("Sorry, I didn't quite catch that — is the storage nearly full, or is there plenty of space left?", 'Please choose: nearly full, or plenty of space.')
        .replace(/(  ask_os_battery:[\s\S]*?reask:\n      - zh: )"[^"\n]*"/, '$1"请直接点选：苹果 iPhone，或者安卓/鸿蒙。"'),
    );
    const errors = checkDialogContent(dir, INTENTS);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/lag\.yaml:\d+ nodes\.ask_storage\.reask\[1\]\.zh: node ask_storage: re-ask "请点选：快满了，或者空间充足。" is a bare command: restate the question/),
      expect.stringMatching(/lag\.yaml:\d+ nodes\.ask_storage\.reask\[1\]\.en: node ask_storage: re-ask "Please choose: nearly full, or plenty of space\." is a bare command/),
      expect.stringMatching(/lag\.yaml:\d+ nodes\.ask_os_battery\.reask\[0\]\.zh: node ask_os_battery: re-ask "请直接点选/),
    ]);
    expect(errors[0]!.line).toBe(lineOf(dir, 'lag.yaml', '请点选：快满了'));
    expect(errors[1]!.line).toBe(lineOf(dir, 'lag.yaml', 'Please choose: nearly full'));
  });

  it('rejects Chinese glued to Latin text in a dialog\'s own words, at its line and node', () => {
    const dir = brokenCopy('lockout.yaml', (t) => t.replace('“解 ID 锁”', '“解ID锁”'));
    const errors = checkDialogContent(dir, INTENTS);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/lockout\.yaml:\d+ nodes\.solve_activation\.say\.zh: node solve_activation: 「.*解ID锁.*」 glues Chinese to Latin text or a digit: put a space between them/),
    ]);
    expect(errors[0]!.line).toBe(lineOf(dir, 'lockout.yaml', '解ID锁'));
  });

  it('renders every text with each brand and carrier: glue that comes from a name or a route in the data is reported where it is said', () => {
    const carrier = brokenCopy('data/hotlines.yaml', (t) => t.replace('channels: { zh: 中国移动 App,', 'channels: { zh: 中国移动App,'));
    const byCarrier = checkDialogContent(carrier, INTENTS).map((e) => e.message);
    expect(byCarrier.length).toBeGreaterThan(0);
    for (const m of byCarrier) expect(m).toMatch(/「.*移动App.*」 glues Chinese to Latin text or a digit \(carrier cmcc\)/);
    expect(byCarrier).toContainEqual(expect.stringMatching(/no_network\.yaml:\d+ nodes\.solve_roaming\.say\.zh: node solve_roaming: /));

    const brand = brokenCopy('data/warranty.yaml', (t) => t.replace('"vivo 官网（www.vivo.com.cn）或 vivo 商城 App', '"vivo官网（www.vivo.com.cn）或 vivo 商城 App'));
    const byBrand = checkDialogContent(brand, INTENTS).map((e) => e.message);
    expect(byBrand).toContainEqual(expect.stringMatching(/warranty\.yaml:\d+ nodes\.solve_repair\.say\.zh: node solve_repair: 「.*vivo官网.*」 glues .* \(brand vivo\)/));
    for (const m of byBrand) expect(m).toMatch(/\(brand vivo\)/);
  });

  it('reports an ask node with fewer than two re-ask wordings', () => {
    const dir = brokenCopy('theft.yaml', (t) => t.replace(/(  ask_carrier:[\s\S]*?    reask:\n)      - zh: [^\n]*\n        en: [^\n]*\n/, '$1'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toEqual([expect.stringMatching(/theft\.yaml:\d+ nodes\.ask_carrier\.reask: node ask_carrier: needs two re-ask wordings \(has 1\)/)]);
  });

  it('accepts a problem that ends without markResolved when it declares adviceEnd, and runs it', () => {
    // The real theft dialog does exactly this; without the declaration it is rejected.
    const dir = brokenCopy('theft.yaml', (t) => t.replace(/^adviceEnd: markAdvised\n/m, ''));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toEqual([expect.stringMatching(/theft\.yaml:\d+ .*problem dialog never runs markResolved/)]);
  });

  it('rejects adviceEnd in a dialog that never runs it, or that also marks the ticket resolved', () => {
    const never = brokenCopy('theft.yaml', (t) => t.replace('do: [markAdvised]', 'do: []'));
    expect(checkDialogContent(never, INTENTS).map((e) => e.message)).toEqual([expect.stringMatching(/theft\.yaml:\d+ adviceEnd: problem dialog never runs markAdvised/)]);
    const both = brokenCopy('theft.yaml', (t) => t.replace('do: [markAdvised]', 'do: [markAdvised, markResolved]'));
    expect(checkDialogContent(both, INTENTS).map((e) => e.message)).toEqual([expect.stringMatching(/theft\.yaml:\d+ adviceEnd: declares adviceEnd: markAdvised .* also runs markResolved/)]);
  });

  it('rejects question: options outside small talk', () => {
    const dir = brokenCopy('theft.yaml', (t) => t.replace(/^adviceEnd: markAdvised\n/m, 'adviceEnd: markAdvised\nquestion: options\n'));
    expect(checkDialogContent(dir, INTENTS).map((e) => e.message)).toEqual([expect.stringMatching(/theft\.yaml:\d+ question: question: options is for small talk .* this dialog is problem/)]);
  });

  it('reports unreachable nodes', () => {
    const dir = brokenCopy('lag.yaml', (t) => t.replaceAll('goto: solve_heat', 'goto: solve_update'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toEqual([expect.stringMatching(/lag\.yaml:\d+ nodes\.solve_heat: node solve_heat: unreachable/)]);
  });

  it('reports an option that sets a brand or carrier the reference data does not know', () => {
    const dir = brokenCopy('theft.yaml', (t) => t.replace('set: { brand: xiaomi }', 'set: { brand: xaiomi }').replace('set: { carrier: cbn }', 'set: { carrier: gd }'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toEqual([
      expect.stringMatching(/theft\.yaml:\d+ nodes\.ask_brand\.options\[2\]\.set\.brand: node ask_brand: set\.brand "xaiomi" is not a brand in data\/hotlines\.yaml/),
      expect.stringMatching(/theft\.yaml:\d+ nodes\.ask_carrier\.options\[3\]\.set\.carrier: node ask_carrier: set\.carrier "gd" is not a carrier/),
    ]);
  });

  it('reports unknown templates in dialogs and in system phrases', () => {
    const dir = brokenCopy('fee.yaml', (t) => t.replace('在这里咨询是完全免费的', '在这里{freeOfCharge}咨询'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toEqual([expect.stringMatching(/fee\.yaml:\d+ nodes\.answer\.say\.zh: unknown template \{freeOfCharge\}/)]);
  });

  it('reports action branches that do not match the action outcomes', () => {
    const dir = brokenCopy('warranty.yaml', (t) => t.replace('      invalid_date: bad_date\n', '      future: bad_date\n'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toContainEqual(expect.stringMatching(/nodes\.compute\.outcomes\.future: node compute: computeWarranty has no outcome "future"/));
    expect(msgs).toContainEqual(expect.stringMatching(/node compute: no branch for computeWarranty outcome "invalid_date"/));
  });

  it('rejects an unknown action name at its line (schema)', () => {
    const dir = brokenCopy('lag.yaml', (t) => t.replace('do: [openTicket]', 'do: [openTickt]'));
    const [e] = checkDialogContent(dir, INTENTS);
    expect(e!.line).toBe(lineOf(dir, 'lag.yaml', 'openTickt'));
    expect(e!.message).toMatch(/nodes\.accept\.do\[0\]/);
  });

  it('reports a path that can never end, and a loop that never waits', () => {
    const dead = brokenCopy('fee.yaml', (t) => t.replace('next: done\n  done:\n    type: end', 'next: again\n  again:\n    type: message\n    step: solve\n    say: { zh: 再说一遍, en: again }\n    next: answer\n  done:\n    type: end'));
    const msgs = checkDialogContent(dead, INTENTS).map((e) => e.message);
    expect(msgs).toContainEqual(expect.stringMatching(/node answer: no path from here reaches an end node/));
    expect(msgs).toContainEqual(expect.stringMatching(/node answer: part of a loop that never waits/));
  });

  it('requires a dialog for every problem intent and for every NLU intent', () => {
    const dir = brokenCopy('theft.yaml', (t) => t.replace('intents: [theft]', 'intents: [theft_x]'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toContainEqual(expect.stringMatching(/problem intent "theft" has no dialog/));
    expect(msgs).toContainEqual(expect.stringMatching(/theft\.yaml:\d+ intents\[0\]: unknown intent "theft_x"/));
    expect(msgs).toContainEqual(expect.stringMatching(/menu\[4\]\.intent: no dialog handles intent "theft"/));
  });

  it('requires problem dialogs to reach every step and run the follow-up actions', () => {
    const dir = brokenCopy('lag.yaml', (t) => t.replace('    do: [scheduleFollowUp]\n', ''));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    // Its closing words still promise the check-in, which nothing schedules now.
    expect(msgs).toEqual([
      expect.stringMatching(/lag\.yaml:\d+ nodes: problem dialog never runs scheduleFollowUp/),
      expect.stringMatching(/lag\.yaml:\d+ nodes\.bye\.say: node bye: promises "\d+ 小时内" but does not run scheduleFollowUp/),
    ]);
  });

  it('requires a problem dialog to say whose hotline fits it', () => {
    const dir = brokenCopy('screen.yaml', (t) => t.replace('hotline: brand\n', ''));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toEqual([expect.stringMatching(/screen\.yaml:\d+ kind: problem dialog needs hotline: brand/)]);
  });

  it('rejects sending the user to quote the ticket at a hotline or a service centre', () => {
    const dir = brokenCopy('lag.yaml', (t) => t.replace(/(\n {4}say:\n {6}zh: ")/, '$1请拨打 {brandHotline} 并报上工单号。'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toContainEqual(expect.stringMatching(/lag\.yaml:\d+ nodes\.\w+\.say: node \w+: says "拨打.*报上工单号": the ticket is only found in this chat/));
  });

  it('reports YAML syntax errors with the line', () => {
    const dir = brokenCopy('data/hotlines.yaml', (t) => t.replace('hotline: "10086"', 'hotline: "10086'));
    const [e] = checkDialogContent(dir, INTENTS);
    expect(e!.file).toMatch(/hotlines\.yaml$/);
    expect(e!.message).toMatch(/YAML syntax error/);
  });
  it('requires the water first aid to say every safety point, in data/safety.yaml and in a dialog\'s water path', () => {
    const dir = brokenCopy('data/safety.yaml', (t) => t.replace('也不要放进大米里', '也不要放在暖气上'));
    expect(checkDialogContent(dir, INTENTS).map((e) => e.message)).toEqual([
      expect.stringMatching(/safety\.yaml:\d+ hazards\.water\.say: first aid for water does not say: 大米/),
    ]);
    const dir2 = brokenCopy('wont_boot.yaml', (t) => t.replace('如果还开着，请立即关机；', ''));
    expect(checkDialogContent(dir2, INTENTS).map((e) => e.message)).toEqual([
      expect.stringMatching(/wont_boot\.yaml:\d+ nodes\.solve_water\.say: node solve_water: first aid for water does not say: 关机/),
    ]);
    const dir3 = brokenCopy('wont_boot.yaml', (t) => t.replace('safety: { water: solve_water }', 'safety: { water: solve_wet }'));
    expect(checkDialogContent(dir3, INTENTS).map((e) => e.message)).toEqual([expect.stringMatching(/safety node "solve_wet" does not exist/)]);
  });
  it('rejects "back up first" before an iCloud restore, and an iCloud restore that does not say to turn iCloud Backup off', () => {
    const dir = brokenCopy('data_loss.yaml', (t) => t.replace('先到“设置 > [您的名字] > iCloud > iCloud 云备份”把它关闭', '操作前请先把手机上现有的数据备份好'));
    const msgs = checkDialogContent(dir, INTENTS).map((e) => e.message);
    expect(msgs).toContainEqual(expect.stringMatching(/data_loss\.yaml:\d+ nodes\.solve_cloud\.say\.zh: node solve_cloud: an iCloud restore must not say 先备份/));
    expect(msgs).toContainEqual(expect.stringMatching(/must say to turn off iCloud 云备份/));
    const dir2 = brokenCopy('data_loss.yaml', (t) => t.replace('First turn off iCloud Backup', 'Back up what is on the iPhone first'));
    expect(checkDialogContent(dir2, INTENTS).map((e) => e.message)).toContainEqual(expect.stringMatching(/solve_cloud\.say\.en: .*must not say "back up first"/));
  });
});
