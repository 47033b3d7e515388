/**
 * @module Vite config for the console. `vite build` writes console/dist, which the server serves at `/` with an
 * SPA fallback; `vite` (dev) proxies the API and the realtime WebSocket to a running server
 * (OMNIS_API_URL, default http://localhost:8080).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiUrl = process.env.OMNIS_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      // The WebSocket entry must come before the broader /v1 prefix.
      '/v1/realtime': { target: apiUrl, ws: true, changeOrigin: true },
      '/v1': { target: apiUrl, changeOrigin: true },
      '/store': { target: apiUrl, changeOrigin: true },
      '/openapi.json': { target: apiUrl, changeOrigin: true },
      '/docs': { target: apiUrl, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Long-lived vendor code in its own files so a console release does not bust their cache.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'mantine', test: /node_modules[\\/]@mantine[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
