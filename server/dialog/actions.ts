/**
 * Named actions: the only code a dialog file can call. Each declares the
 * outcomes an action node may branch on (check.ts verifies the data against
 * them) and works on the turn's private copy of the state.
 */
import type { Effect, TurnContext } from '../bot.types.js';
import type { Lang } from '../nlu/types.js';
import type { BotMessage, HandoverWhy } from '../protocol.js';
import type { DialogContent, LoadedDialog } from './content.js';
import type { ActionName } from './schema.js';
import type { Frame, SessionState } from './state.js';
import { isValidImei } from '../core/luhn.js';
import { renderText } from './templates.js';
import { warrantyStatus } from './warranty.js';

export interface ActionEnv {
  content: DialogContent;
  /** The turn's working copy; actions may change it. */
  state: SessionState;
  frame: Frame;
  dialog: LoadedDialog;
  lang: Lang;
  now: Date;
  ctx: TurnContext;
  effects: Effect[];
  /** The bot had been failing to understand the user before this turn (see Turn.stuck). */
  stuck: boolean;
}

export interface ActionDef {
  /** What an action node may branch on, in order. */
  readonly outcomes: readonly string[];
  run(env: ActionEnv): string;
}

const FOLLOW_UP_DELAY_MS = 24 * 3600 * 1000;

/** A mainland mobile number: 11 digits, 1 then 3–9. */
export function isMobileNumber(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone);
}

/** The words of a complaint opening once the asking itself (我要投诉、我想投诉一下…) is taken out: nothing left, nothing said. */
const COMPLAINT_ASK = /我|要|想|需要|投诉|举报|一下|你们|客服|\b(?:i|want|to|make|a|file|would|like|complain|complaint)\b|[\s\p{P}]/giu;
function complaintIsBare(text: string): boolean {
  return [...text.replace(COMPLAINT_ASK, '')].length < 3;
}

/**
 * Why this hand-over (for the agent's card): a complaint is a person's job;
 * a bot that kept missing the user's answers is stuck, whatever they typed
 * next; 转人工 (the human dialog, or a problem's own onHuman node) is asked;
 * any other hand-over node of a problem is its steps not solving it.
 */
function handoverWhy(env: ActionEnv): HandoverWhy {
  const serves = (intent: string) => env.dialog.def.intents.includes(intent);
  if (serves('complaint')) return 'complaint';
  if (env.stuck) return 'stuck';
  if (serves('human_agent') || env.frame.node === env.dialog.def.onHuman) return 'asked';
  return 'unsolved';
}

/** What a hotline question asks for when it names no carrier or brand. */
const CARRIER_WORDS = /运营商|话费|流量|套餐|营业厅|手机卡|carrier|network|operator|\bsim\b/;
const BRAND_WORDS = /品牌|售后|维修|厂家|厂商|手机厂|brand|repair|manufacturer/;

const primaryIntent = (d: LoadedDialog) => d.def.intents[0]!;

/** An action that ends the problem's self-service: its ticket gets `status` and `note`, and the frame is settled. */
function settles(status: 'resolved' | 'open', note: string): ActionDef {
  return {
    outcomes: ['ok'],
    run(env) {
      if (env.frame.ticketId) {
        env.effects.push({ type: 'ticket_updated', ticketId: env.frame.ticketId, status, note });
        if (status === 'resolved') env.state.resolvedCount = (env.state.resolvedCount ?? 0) + 1;
      }
      env.frame.settled = true;
      return 'ok';
    },
  };
}

export const ACTIONS: Readonly<Record<ActionName, ActionDef>> = {
  openTicket: {
    outcomes: ['ok'],
    run(env) {
      if (env.frame.ticketId) return 'ok';
      const ticketId = env.ctx.nextTicketId(env.now);
      env.frame.ticketId = ticketId;
      env.state.lastTicketId = ticketId;
      env.effects.push({
        type: 'ticket_opened',
        ticketId,
        intent: primaryIntent(env.dialog),
        summary: env.frame.opening || env.dialog.def.title[env.lang],
      });
      return 'ok';
    },
  },
  markResolved: settles('resolved', 'resolved by self-service'),
  // 「我自己去售后」: not solved — the ticket stays open, awaiting the service centre, and the follow-up asks about it.
  markAwaitingService: settles('open', 'awaiting the service centre'),
  // A theft is not solved by advice: the phone is still missing. The ticket stays open, advised, until the follow-up.
  markAdvised: settles('open', 'advised: the user takes the steps; open until the follow-up'),
  computeWarranty: {
    outcomes: ['covered', 'expired', 'missing_date', 'invalid_date'],
    run(env) {
      const date = env.state.slots.purchase_date;
      if (!date) return 'missing_date';
      const status = warrantyStatus(date, env.now, env.content.warranty, env.lang, { brand: env.state.slots.brand, span: env.state.purchaseSpan });
      if (!status) {
        // A future or impossible date: forget it so the ask node asks again.
        delete env.state.slots.purchase_date;
        delete env.state.purchaseSpan;
        return 'invalid_date';
      }
      return status.anyCovered || status.canExchange ? 'covered' : 'expired';
    },
  },
  lookupHotline: {
    outcomes: ['both', 'carrier', 'brand', 'none', 'ask_carrier', 'ask_brand'],
    run(env) {
      const c = env.state.slots.carrier !== undefined && env.state.slots.carrier in env.content.hotlines.carriers;
      const b = env.state.slots.brand !== undefined && env.state.slots.brand in env.content.hotlines.brands;
      // 「运营商客服电话」 asks for the carrier even when only the brand is known, and the other way round.
      const text = env.frame.opening.toLowerCase();
      const wantsCarrier = CARRIER_WORDS.test(text);
      const wantsBrand = BRAND_WORDS.test(text);
      if (wantsCarrier && !wantsBrand && !(c && b)) return c ? 'carrier' : 'ask_carrier';
      if (wantsBrand && !wantsCarrier && !(c && b)) return b ? 'brand' : 'ask_brand';
      return c && b ? 'both' : c ? 'carrier' : b ? 'brand' : 'none';
    },
  },
  lookupFindDevice: {
    outcomes: ['known', 'unknown'],
    run(env) {
      const b = env.state.slots.brand;
      return b !== undefined && b in env.content.findDevice.brands ? 'known' : 'unknown';
    },
  },
  validateImei: {
    outcomes: ['valid', 'invalid', 'missing'],
    run(env) {
      const imei = env.state.slots.imei;
      if (!imei) return 'missing';
      if (isValidImei(imei)) return 'valid';
      delete env.state.slots.imei; // so the ask node asks again
      return 'invalid';
    },
  },
  requestHuman: {
    // A person now (the conversation waits in the desk's queue), or why nobody can come: the dialog says so and offers a call-back.
    outcomes: ['queued', 'after_hours', 'no_agent', 'full'],
    run(env) {
      const ticketId = env.frame.ticketId ?? env.state.lastTicketId;
      const humans = env.ctx.humans?.() ?? { available: false as const, why: 'no_agent' as const };
      if (env.frame.ticketId) {
        env.effects.push({
          type: 'ticket_updated',
          ticketId: env.frame.ticketId,
          status: 'escalated',
          note: humans.available ? 'handed over to a human agent' : `nobody could take the chat (${humans.why}): call-back offered`,
        });
      }
      env.frame.settled = true;
      const words = env.frame.opening.trim();
      const why = handoverWhy(env);
      env.effects.push({ type: 'handover', ticketId, reason: words ? `${why}: ${words}` : why });
      return humans.available ? 'queued' : humans.why;
    },
  },
  validatePhone: {
    outcomes: ['valid', 'invalid', 'missing'],
    run(env) {
      const phone = env.state.slots.phone;
      if (!phone) return 'missing';
      if (isMobileNumber(phone)) return 'valid';
      delete env.state.slots.phone; // so the ask node asks again
      return 'invalid';
    },
  },
  requestCallback: {
    outcomes: ['ok', 'missing'],
    run(env) {
      const phone = env.state.slots.phone;
      if (!phone || !isMobileNumber(phone)) return 'missing';
      const served = env.frame.ticketId ?? env.state.lastTicketId;
      const words = env.frame.opening || env.dialog.def.title[env.lang];
      const ticketId = env.ctx.nextTicketId(env.now);
      env.effects.push({ type: 'ticket_opened', ticketId, intent: primaryIntent(env.dialog), summary: words, kind: 'callback' });
      env.effects.push({
        type: 'callback',
        ticketId,
        phone,
        preferredTime: env.state.slots.callback_time ?? (env.lang === 'zh' ? '尽快' : 'as soon as possible'),
        reason: `${served ? `${served} ` : ''}${words}`.trim(),
      });
      if (served) env.effects.push({ type: 'ticket_updated', ticketId: served, status: 'escalated', note: `call-back requested: ticket ${ticketId}` });
      env.frame.ticketId = ticketId;
      env.state.lastTicketId = ticketId;
      // The number lives on in the call-back record, for the agent who calls; the conversation forgets it.
      delete env.state.slots.phone;
      delete env.state.slots.callback_time;
      return 'ok';
    },
  },
  complaintWords: {
    // 「我要投诉」 alone says nothing of what happened: ask. 「我要投诉，宽带修了三次还是断」 does.
    outcomes: ['given', 'missing'],
    run(env) {
      const words = env.frame.opening.trim();
      if (!words || complaintIsBare(words)) return 'missing';
      env.state.slots.note = words;
      return 'given';
    },
  },
  openComplaint: {
    outcomes: ['ok'],
    run(env) {
      if (env.frame.ticketId) return 'ok';
      const ticketId = env.ctx.nextTicketId(env.now);
      env.frame.ticketId = ticketId;
      env.state.lastTicketId = ticketId;
      const words = env.state.slots.note?.trim() || env.frame.opening || env.dialog.def.title[env.lang];
      env.effects.push({ type: 'ticket_opened', ticketId, intent: 'complaint', summary: words, kind: 'complaint' });
      return 'ok';
    },
  },
  recordFeedback: {
    // What went wrong after a low rating: on the rated ticket (reopened for a person to look at), or a complaint ticket of its own.
    outcomes: ['ok'],
    run(env) {
      const words = env.state.slots.note?.trim();
      if (!words) return 'ok';
      const ticketId = env.frame.ticketId ?? env.state.lastTicketId;
      if (ticketId) {
        env.effects.push({ type: 'ticket_updated', ticketId, status: 'open', note: `low rating: ${words}` });
      } else {
        const id = env.ctx.nextTicketId(env.now);
        env.frame.ticketId = id;
        env.state.lastTicketId = id;
        env.effects.push({ type: 'ticket_opened', ticketId: id, intent: 'complaint', summary: words, kind: 'complaint' });
      }
      return 'ok';
    },
  },
  scheduleFollowUp: {
    outcomes: ['ok'],
    run(env) {
      const ticketId = env.frame.ticketId ?? env.state.lastTicketId;
      const text = renderText((env.dialog.def.followUp ?? env.content.system.phrases.followUp)[env.lang], env);
      const buttons = env.content.system.buttons;
      const message: BotMessage = {
        id: env.ctx.newMessageId(),
        text,
        step: 'follow_up',
        intent: primaryIntent(env.dialog),
        quickReplies: [
          // The check-in's own ticket and dialog travel with the answer: the conversation may have moved on since.
          { label: buttons.resolvedYes[env.lang], value: ticketId ? `cmd:followup_ok:${env.dialog.def.id}:${ticketId}` : 'cmd:followup_ok' },
          { label: buttons.resolvedNo[env.lang], value: 'cmd:human' },
        ],
        ...(ticketId ? { ticketId } : {}),
        lang: env.lang,
      };
      env.effects.push({
        type: 'follow_up',
        ticketId,
        dueAt: new Date(env.now.getTime() + FOLLOW_UP_DELAY_MS).toISOString(),
        message,
      });
      return 'ok';
    },
  },
};
