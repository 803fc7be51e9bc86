/**
 * The dialog content format, in one place: zod schemas for dialog files
 * (dialogs/*.yaml) and their reference data (dialogs/data/*.yaml). Types are
 * inferred from these; the loader validates every file with them.
 */
import { z } from 'zod';
import { stepSchema } from '../protocol.js';

/** Ids of nodes, dialogs and option values: lower-case, stable, safe in payloads. */
const idSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case (a-z, 0-9, _)');
const valueSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'use lower-case letters, digits, _ . -');

/** Every user-visible text exists in both languages. */
export const textSchema = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
export type LocalText = z.infer<typeof textSchema>;

/** What the engine remembers about the user across dialogs. Entities of the same name fill them. */
export const SLOTS = ['carrier', 'brand', 'model', 'purchase_date', 'imei', 'phone', 'note', 'callback_time'] as const;
/** Slots whose ask node takes whatever the user writes (or the label of the chip picked) as the answer. */
export const FREE_TEXT_SLOTS: ReadonlySet<Slot> = new Set<Slot>(['note', 'callback_time']);
export const slotSchema = z.enum(SLOTS);
export type Slot = z.infer<typeof slotSchema>;

/** Named actions: code in actions.ts, referenced by name from the data. */
export const ACTION_NAMES = [
  'openTicket',
  'markResolved',
  'markAwaitingService',
  'markAdvised',
  'computeWarranty',
  'lookupHotline',
  'lookupFindDevice',
  'validateImei',
  'requestHuman',
  'scheduleFollowUp',
  'validatePhone',
  'requestCallback',
  'complaintWords',
  'openComplaint',
  'recordFeedback',
] as const;
export const actionNameSchema = z.enum(ACTION_NAMES);
export type ActionName = z.infer<typeof actionNameSchema>;

/** One answer a node accepts: shown as a quick reply unless hidden, also matched in typed text. */
export const optionSchema = z.strictObject({
  value: valueSchema,
  label: textSchema,
  goto: idSchema,
  /** Words that pick this option when typed (ignored when negated: 「没有进水」 does not pick 进水). */
  keywords: z.array(z.string().min(1)).default([]),
  /** Entity types that pick this option when the message contains one, e.g. `carrier` (the slot is filled too). */
  entities: z.array(z.enum(['carrier', 'brand', 'model', 'purchase_date', 'imei', 'imei_invalid', 'phone'])).default([]),
  /** NLU intents that pick this option, e.g. `affirm`, `deny`. */
  intents: z.array(z.string().min(1)).default([]),
  /** Slots this answer fills, e.g. `{ carrier: cmcc }`. */
  set: z.partialRecord(slotSchema, z.string().min(1)).optional(),
  /** Matched but not offered as a button. */
  hidden: z.boolean().default(false),
  /**
   * Taken at once, without asking, when the message that started the dialog
   * already contains one of its keywords (「手机进水了开不了机」 answers 「进过水吗？」).
   */
  fromOpening: z.boolean().default(false),
  /**
   * Taken at once, without asking, when a slot already holds one of these values
   * (`{ brand: [apple] }`: the iPhone steps once the brand is known, from the opening or
   * an earlier dialog); a message naming such a value (an entity) picks it too.
   */
  whenSlot: z.partialRecord(slotSchema, z.array(z.string().min(1)).min(1)).optional(),
});
export type DialogOption = z.infer<typeof optionSchema>;

const base = {
  step: stepSchema,
  /** Actions run on entering the node, before it speaks (their outcomes are ignored). */
  do: z.array(actionNameSchema).default([]),
};

/** Says something and moves straight on. */
const messageNode = z.strictObject({ ...base, type: z.literal('message'), say: textSchema, next: idSchema });
/** Says something and waits for one of its options. */
const questionNode = z.strictObject({
  ...base,
  type: z.literal('question'),
  say: textSchema,
  /** Different wordings for the 1st and 2nd re-ask after an unrecognised answer. */
  reask: z.array(textSchema).max(2).default([]),
  options: z.array(optionSchema).min(1),
});
/** Fills a slot: skipped when the slot is known, else asks and waits for the entity. */
const askNode = z.strictObject({
  ...base,
  type: z.literal('ask'),
  slot: slotSchema,
  say: textSchema,
  reask: z.array(textSchema).max(2).default([]),
  options: z.array(optionSchema).default([]),
  next: idSchema,
});
/** Runs a named action and branches on its outcome. */
const actionNode = z.strictObject({
  ...base,
  type: z.literal('action'),
  action: actionNameSchema,
  outcomes: z.record(z.string().min(1), idSchema),
});
/** Asks for the 1–5 satisfaction score (records a `rating` effect). */
const ratingNode = z.strictObject({
  ...base,
  type: z.literal('rating'),
  say: textSchema,
  reask: z.array(textSchema).max(2).default([]),
  next: idSchema,
});
/** Ends the dialog, optionally saying something last. */
const endNode = z.strictObject({ ...base, type: z.literal('end'), say: textSchema.optional() });

export const nodeSchema = z.discriminatedUnion('type', [
  messageNode,
  questionNode,
  askNode,
  actionNode,
  ratingNode,
  endNode,
]);
export type DialogNode = z.infer<typeof nodeSchema>;
export type NodeType = DialogNode['type'];
/** Node kinds that stop and wait for the user. */
export type WaitingNode = Extract<DialogNode, { type: 'question' | 'ask' | 'rating' }>;

/**
 * problem: a six-step troubleshooting dialog; another problem switches topic.
 * faq: a short answer; asked mid-dialog it is a digression, then 「要继续刚才的问题吗？」.
 * smalltalk: a one-liner; mid-dialog the current question is asked again after it.
 * closing: ends whatever was going on (goodbye).
 */
export const DIALOG_KINDS = ['problem', 'faq', 'smalltalk', 'closing'] as const;

export const dialogFileSchema = z.strictObject({
  id: idSchema,
  kind: z.enum(DIALOG_KINDS),
  /** NLU intents that start this dialog. */
  intents: z.array(z.string().min(1)).min(1),
  /** Short name of the topic, used in 「您是想问“A”还是“B”？」 and 「要继续刚才的问题吗？」. */
  title: textSchema,
  start: idSchema,
  /** Where 转人工 goes inside this dialog (a node that runs requestHuman); else the human_agent dialog. */
  onHuman: idSchema.optional(),
  /**
   * A problem that advice cannot solve (a stolen phone is still missing): the
   * action its self-service path ends with instead of markResolved. The
   * ticket stays open, with the follow-up; it is never counted as resolved.
   */
  adviceEnd: z.enum(['markAdvised', 'markAwaitingService']).optional(),
  /**
   * Whose line helps when no person can take the chat ({fittingHotline}): the
   * phone's maker for a fault of the phone itself (`brand`), else the carrier
   * (the line, the bill, a lost SIM: the default).
   */
  hotline: z.enum(['brand', 'carrier']).optional(),
  /**
   * A question people ask about a fault (「屏幕碎了，能保修吗」 "won't turn on, is
   * it under warranty?"): when the NLU puts this dialog's intent first and a
   * problem's close behind, this dialog starts instead of 「您是想问“A”还是“B”？」.
   */
  answersOverFaults: z.boolean().optional(),
  /**
   * Small talk said while a question waits: the question is asked `again` after this dialog's line
   * (the default), or only its `options` are put under the line (「我试试」: the user has just read the
   * question; saying it again right after 「我在这儿等您」 reads like a machine). Small talk only (check.ts).
   */
  question: z.enum(['again', 'options']).optional(),
  /** The later check-in that scheduleFollowUp sends (「手机找回来了吗？」); else the system's `followUp` phrase. */
  followUp: textSchema.optional(),
  /**
   * This dialog's own path for a hazard of data/safety.yaml (`water: solve_water`):
   * a mention of it, at any step, goes there instead of the generic first aid.
   */
  safety: z.record(valueSchema, idSchema).optional(),
  nodes: z.record(idSchema, nodeSchema),
});
export type DialogFile = z.infer<typeof dialogFileSchema>;

/* ---------------------------------------------------------------- reference data */

const hotlineEntry = z.strictObject({
  name: textSchema,
  hotline: z.string().min(3),
  /** Where else to reach them (the app, the website). */
  channels: textSchema.optional(),
  /** Shown after the number, e.g. 「请以官网公布为准」. */
  note: textSchema.optional(),
  /** A carrier's line for users abroad (verified only), and what to say about its cost. */
  roaming: z.strictObject({ hotline: z.string().min(3), note: textSchema }).optional(),
});
/** dialogs/data/hotlines.yaml */
export const hotlinesSchema = z.strictObject({
  carriers: z.record(valueSchema, hotlineEntry),
  brands: z.record(valueSchema, hotlineEntry),
});
export type Hotlines = z.infer<typeof hotlinesSchema>;

/** dialogs/data/warranty.yaml: the 三包 windows. */
export const warrantySchema = z.strictObject({
  source: textSchema,
  returnDays: z.number().int().positive(),
  exchangeDays: z.number().int().positive(),
  parts: z
    .array(z.strictObject({ id: valueSchema, name: textSchema, months: z.number().int().positive() }))
    .min(1),
  notCovered: textSchema,
  bring: textSchema,
  /**
   * Brands' own policies beyond the statutory minimum: longer free repair per
   * part (months), and a sentence that says so. Editable; verify against the brand.
   */
  brands: z
    .record(valueSchema, z.strictObject({ parts: z.record(valueSchema, z.number().int().positive()), policy: textSchema }))
    .default({}),
  /**
   * Repair logistics per brand (寄修 and appointments, progress lookup, price list):
   * the official routes, `fallback` for brands without an entry. Editable; verify against the brand.
   */
  repair: z
    .strictObject({
      fallback: z.strictObject({ book: textSchema, progress: textSchema, price: textSchema }),
      brands: z.record(valueSchema, z.strictObject({ book: textSchema, progress: textSchema, price: textSchema })).default({}),
    })
    .optional(),
  /** Words that name a part in a question (「屏幕坏了能保修吗」): which part of the windows it belongs to. */
  asked: z
    .array(z.strictObject({ keywords: z.array(z.string().min(1)).min(1), part: valueSchema, name: textSchema }))
    .default([]),
});
export type Warranty = z.infer<typeof warrantySchema>;

/** dialogs/data/safety.yaml: hazards answered with first aid before anything else. */
export const safetySchema = z.strictObject({
  hazards: z.record(
    valueSchema,
    z.strictObject({
      /** Words that mention the hazard (not when negated: 「没进水」). */
      keywords: z.array(z.string().min(1)).min(1),
      /** The first aid. */
      say: textSchema,
      /** Quick replies after the first aid given as an opening: label + intent to start. */
      next: z.array(z.strictObject({ label: textSchema, intent: z.string().min(1) })).default([]),
      /** Words of an opening that also asks something else (保修): it is answered after the first aid. */
      alsoAsked: z.array(z.string().min(1)).default([]),
      /**
       * The message right after the first aid given as an opening: 「还能用」 (the
       * phone seems fine) gets why it still must be switched off and checked;
       * 「好的」「知道了」 a short acknowledgement. Both offer `next` again.
       */
      afterwards: z.strictObject({
        stillWorks: z.strictObject({ keywords: z.array(z.string().min(1)).min(1), say: textSchema }),
        noted: textSchema,
      }),
      /** Words every first-aid text for this hazard must contain (checked). */
      mustSay: z.strictObject({ zh: z.array(z.string().min(1)), en: z.array(z.string().min(1)) }),
    }),
  ),
});
export type Safety = z.infer<typeof safetySchema>;

/** dialogs/data/self-service.yaml: carrier questions outside the six problems, answered with self-service routes. */
export const selfServiceSchema = z.strictObject({
  /** Where each carrier takes the 携号转网 SMS (CXXZ/SQXZ), only where verified. */
  carriers: z.record(valueSchema, z.strictObject({ portOutSms: z.string().min(3) })),
  topics: z
    .array(z.strictObject({ id: idSchema, keywords: z.array(z.string().min(1)).min(1), say: textSchema }))
    .min(1),
});
export type SelfService = z.infer<typeof selfServiceSchema>;

/** dialogs/data/find-device.yaml: each brand's find-device service. */
export const findDeviceSchema = z.strictObject({
  brands: z.record(
    valueSchema,
    z.strictObject({
      service: textSchema,
      url: z.string().min(3),
      /** Shown after the URL, e.g. 「请以官网公布为准」 for an address that is not certain. */
      note: textSchema.optional(),
      /** What a remote erase leaves (iPhone: still locatable, Activation Lock kept); else the fallback's. */
      afterErase: textSchema.optional(),
      /** The brand's offline finding network, if it has one. */
      offline: textSchema.optional(),
    }),
  ),
  /** For brands not listed: no URL, the dialog points to the brand's website. */
  fallback: z.strictObject({ service: textSchema, afterErase: textSchema }),
});
export type FindDevice = z.infer<typeof findDeviceSchema>;

/** The engine's own lines (welcome, re-ask, resume offer…), editable like any content. */
export const SYSTEM_PHRASES = [
  'welcome',
  'outOfScope',
  'outOfScopeAgain',
  'offerHumanAgain',
  'lukewarm',
  'botDisclosure',
  'volunteeredNoted',
  'reaskGeneric',
  'offerHuman',
  'resumePrompt',
  'nothingToResume',
  'dropped',
  'switchTopic',
  'ambiguous',
  'suggest',
  'backAtStart',
  'restarted',
  'contentChanged',
  'followUp',
  'ratingThanks',
  'followUpThanks',
  'anythingElse',
  'topicDropped',
  'topicDroppedNoTicket',
  'leftOpen',
  'reaskChoice',
  'loopOffer',
  'resolvedNote',
  'resolvedNoteAgain',
] as const;
export const SYSTEM_BUTTONS = ['resume', 'drop', 'human', 'retry', 'restart', 'resolvedYes', 'resolvedNo'] as const;
export const systemSchema = z.strictObject({
  phrases: z.strictObject(Object.fromEntries(SYSTEM_PHRASES.map((k) => [k, textSchema])) as Record<
    (typeof SYSTEM_PHRASES)[number],
    typeof textSchema
  >),
  buttons: z.strictObject(Object.fromEntries(SYSTEM_BUTTONS.map((k) => [k, textSchema])) as Record<
    (typeof SYSTEM_BUTTONS)[number],
    typeof textSchema
  >),
  /** Quick replies under the welcome and out-of-scope messages: label + intent to start. */
  menu: z.array(z.strictObject({ label: textSchema, intent: z.string().min(1) })).min(1),
  /**
   * Words that only acknowledge what was said (「知道了」「收到」"got it"): not a yes to a question.
   * A message of one to three of them (particles and punctuation aside) is answered as a plain 「好的」.
   */
  acknowledgements: z.array(z.string().min(1)).min(1),
});
export type SystemContent = z.infer<typeof systemSchema>;
