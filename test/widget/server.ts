/**
 * The real kefu server the browser tests talk to (the server engineer's test
 * helper: real bot, SQLite in a temp dir, a free port). Re-exported under one
 * name so the widget tests read the same whichever way it is started.
 */
export { startTestServer as startKefu } from '../helpers/startServer.js';
