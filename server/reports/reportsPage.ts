/**
 * The reports page: the built app (client/reports/dist) at /desk/reports and
 * below (/desk/reports/conversations/:id is the same page), mounted before
 * the desk's page so the desk's catch-all does not answer for it. Same strict
 * CSP as the desk: scripts and styles from files of kefu's own, no eval.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { ProtocolFailure } from '../core/errors.js';

export const DEFAULT_REPORTS_DIR = fileURLToPath(new URL('../../client/reports/dist/', import.meta.url));

export const REPORTS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; media-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The page's router, for the app's routes before the desk's page. */
export function reportsPage(dir: string = DEFAULT_REPORTS_DIR): Router {
  const router = Router();
  router.use('/desk/reports', (_req, res, next) => {
    res.setHeader('Content-Security-Policy', REPORTS_CSP);
    if (!existsSync(join(dir, 'index.html'))) {
      next(new ProtocolFailure('UNAVAILABLE', 'the reports page is not built; run `npm run build:reports`'));
      return;
    }
    next();
  });
  router.use('/desk/reports', express.static(dir, { index: false, dotfiles: 'ignore', fallthrough: true }));
  router.get(/^\/desk\/reports(\/.*)?$/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
  return router;
}
