/**
 * Builds the reports page served at /desk/reports (client/reports/dist): like
 * the desk, its script and stylesheet are files of their own, so the strict
 * CSP (script-src 'self', style-src 'self') needs no inline code. ECharts is
 * bundled, only the charts and components the page uses.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/desk/reports/',
  publicDir: false,
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    minify: 'esbuild',
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
