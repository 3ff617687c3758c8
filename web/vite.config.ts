import { defineConfig } from 'vite';

/**
 * The web app, built to web/dist and served by the Hitch server at `/`. JSX is
 * compiled by Vite's own transformer (no plugin-react: nothing to install that
 * Node 20 cannot run). Nothing is inlined, so the server's CSP
 * (`script-src 'self'; style-src 'self'`) holds.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/oauth': 'http://127.0.0.1:8080' } },
});
