/**
 * @module Vite config for the embeddable chat widget: one self-contained IIFE (no React, no CDN) written to
 * console/dist/chat/widget.js, which the server serves at `/widget.js`. Runs after the console build (which empties
 * dist/), hence emptyOutDir false.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: 'dist/chat',
    emptyOutDir: false,
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('./src/widget/widget.ts', import.meta.url)),
      name: 'OmnisChat',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
