/**
 * Turning whatever arrived over a socket or in a request body into a typed
 * user message, or a ProtocolFailure with the code that says what was wrong.
 * Types say nothing about what a client really sends, so everything is
 * checked here, in the order a client most needs to know about.
 */
import { randomUUID } from 'node:crypto';
import { restMessageSchema, userMessageSchema, type RestMessage, type UserMessage } from '../protocol.js';
import { ProtocolFailure } from '../core/errors.js';
import { countCharacters, isTextTooLong, MAX_TEXT_LENGTH } from '../core/textLength.js';

/** Keys that could reach an object's prototype if some later code merged the payload. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// What shows nothing: white space, control and format characters (zero-width spaces and joiners,
// word joiner, BOM, soft hyphen…) and the blank letters used to fake an empty name (Hangul fillers,
// the blank Braille pattern).
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Z}\u115f\u1160\u3164\uffa0\u2800]/gu;

// Half of a surrogate pair without its other half: JSON allows it ("\ud800"), UTF-8 cannot hold it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A JSON-style object: not an array, and not a Buffer or other class instance (socket.io decodes binary as Buffers). */
function asPlainObject(raw: unknown): Record<string, unknown> {
  const proto: unknown = raw !== null && typeof raw === 'object' ? Object.getPrototypeOf(raw) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new ProtocolFailure('INVALID_PAYLOAD', 'the payload must be a JSON object like {"text": "..."}');
  }
  for (const key of Object.keys(raw as object)) {
    if (FORBIDDEN_KEYS.has(key)) throw new ProtocolFailure('INVALID_PAYLOAD', `the key "${key}" is not allowed`);
  }
  return raw as Record<string, unknown>;
}

/**
 * `text` as the bot will see and the store will keep it: a lone surrogate
 * becomes U+FFFD once here, so that SQLite (which stores UTF-8) keeps the
 * very text the bot answered, and a refused text is refused with its code.
 */
export function checkText(text: unknown, maxCharacters = MAX_TEXT_LENGTH): string {
  if (typeof text !== 'string') throw new ProtocolFailure('INVALID_PAYLOAD', '"text" must be a string');
  // Characters as the writer sees them (see textLength.ts): 500 汉字, emoji or flags are 500.
  const tooLong = maxCharacters === MAX_TEXT_LENGTH ? isTextTooLong(text) : text.length > 8 * maxCharacters || countCharacters(text, maxCharacters) > maxCharacters;
  if (tooLong) throw new ProtocolFailure('TEXT_TOO_LONG', `"text" is longer than ${maxCharacters} characters`);
  if (text.replace(INVISIBLE, '') === '') throw new ProtocolFailure('EMPTY_TEXT', '"text" is empty');
  return wellFormed(text);
}

function wellFormed(text: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\ufffd') : text;
}

function schemaFailure(issues: readonly { path: PropertyKey[]; message: string }[]): ProtocolFailure {
  const issue = issues[0];
  const where = issue && issue.path.length > 0 ? `"${issue.path.map(String).join('.')}": ` : '';
  return new ProtocolFailure('INVALID_PAYLOAD', `${where}${issue?.message ?? 'invalid payload'}`);
}

/** A socket `user_message` payload; unknown fields are dropped. */
export function parseUserMessage(raw: unknown): UserMessage {
  const obj = asPlainObject(raw);
  const text = checkText(obj.text);
  const parsed = userMessageSchema.safeParse(obj);
  if (!parsed.success) throw schemaFailure(parsed.error.issues);
  return { ...parsed.data, text };
}

/** A `POST /api/messages` body; unknown fields are dropped. */
export function parseRestMessage(raw: unknown): RestMessage {
  const obj = asPlainObject(raw);
  const text = checkText(obj.text);
  const parsed = restMessageSchema.safeParse(obj);
  if (!parsed.success) throw schemaFailure(parsed.error.issues);
  return { ...parsed.data, text };
}

const SESSION_ID = /^[A-Za-z0-9_-]{8,128}$/;

/** Whether `id` could be a session id at all; anything else is unknown without asking the store. */
export function isSessionIdShaped(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID.test(id);
}

/** A new session id: 122 random bits, unguessable, chosen by the server only. */
export function newSessionId(): string {
  return randomUUID();
}
