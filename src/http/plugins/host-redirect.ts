import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Answered on any host name: machines (scripts, load balancers) call these by whatever address they know. */
function answersOnAnyHost(path: string): boolean {
  return path.startsWith('/api/') || path === '/healthz' || path === '/readyz' || path === '/metrics';
}

function hostnameOf(host: string): string | null {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * A page opened on another host name than PUBLIC_URL's (say `localhost` for
 * `127.0.0.1`) is sent to PUBLIC_URL's host, query string kept, so the session
 * cookie and the Origin check always see one origin. Behind a proxy that
 * rewrites Host, X-Forwarded-Host names the host the browser used — believed
 * only from a proxy in HITCH_TRUST_PROXY (`request.host` follows that rule).
 */
async function hostRedirectPlugin(app: FastifyInstance, options: { publicUrl: string }): Promise<void> {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const expected = new URL(publicUrl).hostname.toLowerCase();
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const path = request.url.split('?', 1)[0] ?? '/';
    if (answersOnAnyHost(path)) return;
    const host = request.host;
    if (!host) return;
    const hostname = hostnameOf(host);
    if (hostname === null || hostname === expected) return;
    // Temporary: a permanent redirect would outlive a change of PUBLIC_URL in browsers' caches.
    return reply.redirect(`${publicUrl}${request.url}`, 307);
  });
}

export default fp(hostRedirectPlugin, { name: 'hitch-host-redirect' });
