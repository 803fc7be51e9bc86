/**
 * Turning whatever arrived over a socket or in a request body into a typed
 * user message, or a ProtocolFailure with the code that says what was wrong.
 * Types say nothing about what a client really sends, so everything is
 * checked here, in the order a client most needs to know about.
 */
import { randomUUID } from 'node:crypto';
import { MAX_TEXT_LENGTH, restMessageSchema, userMessageSchema, type RestMessage, type UserMessage } from '../protocol.js';
import { ProtocolFailure } from './errors.js';

/** Keys that could reach an object's prototype if some later code merged the payload. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// White space that String.prototype.trim keeps: zero-width spaces and joiners, word joiner, BOM.
const INVISIBLE = /[\s\u200b-\u200d\u2060\ufeff]/gu;

function asPlainObject(raw: unknown): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ProtocolFailure('INVALID_PAYLOAD', 'the payload must be a JSON object like {"text": "..."}');
  }
  for (const key of Object.keys(raw)) {
    if (FORBIDDEN_KEYS.has(key)) throw new ProtocolFailure('INVALID_PAYLOAD', `the key "${key}" is not allowed`);
  }
  return raw as Record<string, unknown>;
}

function checkText(text: unknown): void {
  if (typeof text !== 'string') throw new ProtocolFailure('INVALID_PAYLOAD', '"text" must be a string');
  // Count characters (code points), not UTF-16 units: 500 汉字 or emoji are 500 characters.
  if (text.length > MAX_TEXT_LENGTH && [...text].length > MAX_TEXT_LENGTH) {
    throw new ProtocolFailure('TEXT_TOO_LONG', `"text" is longer than ${MAX_TEXT_LENGTH} characters`);
  }
  if (text.replace(INVISIBLE, '') === '') throw new ProtocolFailure('EMPTY_TEXT', '"text" is empty');
}

function schemaFailure(issues: readonly { path: PropertyKey[]; message: string }[]): ProtocolFailure {
  const issue = issues[0];
  const where = issue && issue.path.length > 0 ? `"${issue.path.map(String).join('.')}": ` : '';
  return new ProtocolFailure('INVALID_PAYLOAD', `${where}${issue?.message ?? 'invalid payload'}`);
}

/** A socket `user_message` payload; unknown fields are dropped. */
export function parseUserMessage(raw: unknown): UserMessage {
  const obj = asPlainObject(raw);
  checkText(obj.text);
  const parsed = userMessageSchema.safeParse(obj);
  if (!parsed.success) throw schemaFailure(parsed.error.issues);
  return parsed.data;
}

/** A `POST /api/messages` body; unknown fields are dropped. */
export function parseRestMessage(raw: unknown): RestMessage {
  const obj = asPlainObject(raw);
  checkText(obj.text);
  const parsed = restMessageSchema.safeParse(obj);
  if (!parsed.success) throw schemaFailure(parsed.error.issues);
  return parsed.data;
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
