/**
 * The browser side: `/` is the demo page, `/demo/*` its files, `/widget.js`
 * the built widget (client/dist, written by `npm run build:widget`). A missing
 * build is a 503 with the command that fixes it, not a bare 404.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { ProtocolFailure } from '../core/errors.js';
import { allowCrossOriginEmbedding } from './security.js';

export function staticRoutes(clientDir: string): Router {
  const demoDir = join(clientDir, 'demo');
  const widgetFile = join(clientDir, 'dist', 'widget.js');
  const router = Router();

  router.get('/', (_req, res, next) => {
    const index = join(demoDir, 'index.html');
    if (!existsSync(index)) {
      next(new ProtocolFailure('NOT_FOUND', 'the demo page (client/demo/index.html) is missing'));
      return;
    }
    res.sendFile(index);
  });

  router.use('/demo', express.static(demoDir, { index: 'index.html', dotfiles: 'ignore', fallthrough: true }));

  router.get('/widget.js', (_req, res, next) => {
    // Checked per request, so a build made while kefu runs is served without a restart.
    if (!existsSync(widgetFile)) {
      next(new ProtocolFailure('UNAVAILABLE', 'the widget is not built; run `npm run build:widget`'));
      return;
    }
    allowCrossOriginEmbedding(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(widgetFile);
  });

  return router;
}
