import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Headers on every response, errors included. The CSP allows scripts only from
 * our own origin, so injected markup cannot run, and `frame-ancestors 'none'`
 * stops click-jacking. COOP keeps `window.opener` for the OAuth consent popup,
 * which reports back through postMessage.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers themselves, for answers that never reach the onSend hook (router failures in app.ts). */
export function securityHeaderValues(https: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin-allow-popups',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (https) headers['strict-transport-security'] = 'max-age=31536000';
  return headers;
}

async function securityHeadersPlugin(app: FastifyInstance, options: { https: boolean }): Promise<void> {
  const headers = securityHeaderValues(options.https);
  // Callback hooks here and in the other per-request plugins: an async hook costs every request a promise and a tick.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(headers);
    // Nothing an API answers — sessions, tokens, members — belongs in a shared cache.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

export default fp(securityHeadersPlugin, { name: 'hitch-security-headers' });
