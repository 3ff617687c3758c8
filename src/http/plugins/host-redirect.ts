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
  // A callback hook: an async one costs every request a promise and a tick.
  app.addHook('onRequest', (request, reply, done) => {
    const hostname =
      request.method === 'GET' || request.method === 'HEAD' ? otherHost(request.url, request.host) : null;
    if (hostname === null) {
      done();
      return;
    }
    // Temporary: a permanent redirect would outlive a change of PUBLIC_URL in browsers' caches.
    void reply.redirect(`${publicUrl}${request.url}`, 307);
  });

  /** The host name a page was opened on, when it is not PUBLIC_URL's; null when no redirect is due. */
  function otherHost(url: string, host: string | undefined): string | null {
    const path = url.split('?', 1)[0] ?? '/';
    if (answersOnAnyHost(path) || !host) return null;
    const hostname = hostnameOf(host);
    return hostname === null || hostname === expected ? null : hostname;
  }
}

export default fp(hostRedirectPlugin, { name: 'hitch-host-redirect' });
