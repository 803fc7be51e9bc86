/**
 * Builds the embeddable widget: one IIFE file, client/dist/widget.js, with
 * socket.io-client bundled and the stylesheet inlined (imported `?inline`).
 * The entry assigns `window.kefu` itself and exports nothing, so the IIFE
 * declares no global of its own.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  publicDir: false,
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    // es2022 keeps class fields native: with lower targets esbuild hoists its
    // helpers above the IIFE, where they would become page globals.
    target: 'es2022',
    minify: 'esbuild',
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: here('./src/main.ts'),
      formats: ['iife'],
      name: 'kefuWidget',
      fileName: () => 'widget.js',
    },
  },
});
