/**
 * The loader: `<script src=".../widget.js" data-server="..." async>`. Reads its
 * own data- attributes, mounts the widget and exposes exactly one global,
 * `window.kefu`. Including the script twice is harmless.
 */
import { readConfig } from './config.js';
import { createWidget, type KefuApi } from './widget.js';

declare global {
  interface Window {
    kefu?: KefuApi;
  }
}

// currentScript is only set while this script first runs, so capture it now.
const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;

if (!window.kefu) {
  window.kefu = createWidget(readConfig(script, document, navigator.languages ?? [navigator.language]));
}
