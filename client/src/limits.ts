import type { MAX_TEXT_LENGTH } from '../../server/protocol.js';

/**
 * The server's message length limit. Restated here because the widget may
 * only import the protocol's types (a value import would bundle zod); the
 * type annotation makes tsc fail if the two ever disagree.
 */
export const MAX_LENGTH: typeof MAX_TEXT_LENGTH = 500;
