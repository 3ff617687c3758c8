import path from 'node:path';
import { defineConfig } from 'vite';
import { appLogosPlugin } from './app-logos.ts';

/**
 * The web app, built to web/dist and served by the Hitch server at `/`. JSX is
 * compiled by Vite's own transformer (no plugin-react: nothing to install that
 * Node 20 cannot run). Nothing is inlined, so the server's CSP
 * (`script-src 'self'; style-src 'self'`) holds.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [
    appLogosPlugin({
      appsDir: path.resolve(import.meta.dirname, '../apps'),
      iconsDir: path.resolve(import.meta.dirname, '../node_modules/simple-icons'),
    }),
  ],
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    reportCompressedSize: false,
    rolldownOptions: {
      // cmdk and Radix mark their files "use client" for React Server Components, which this app has none of.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/oauth': 'http://127.0.0.1:8080' } },
});
