/**
 * The server's message length rule, imported from the server's own module
 * rather than restated: the counter, the send check and the server then agree
 * on every text (a flag 🇨🇳, a skin-toned 👍🏽 or a family 👨‍👩‍👧 is one
 * character). textLength.ts has no imports, so this adds a few hundred bytes
 * to the bundle; the protocol module must stay a type-only import (a value
 * import would bundle zod).
 */
export {
  MAX_TEXT_LENGTH as MAX_LENGTH,
  MAX_TEXT_UNITS as MAX_UNITS,
  countCharacters,
  isTextTooLong,
} from '../../server/core/textLength.js';
