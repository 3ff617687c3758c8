import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { nodeAddress, parseForwarded } from '../forwarded-header.ts';

/**
 * Fastify reads X-Forwarded-For/-Host/-Proto, and only from a proxy listed in
 * HITCH_TRUST_PROXY (its `trustProxy` option). A listed proxy may send the
 * standard `Forwarded` header instead: then that header is the proxy's word, and
 * is put in the X-Forwarded-* headers' place so every reader sees one answer —
 * any X-Forwarded-* a client sent along through such a proxy is dropped. From
 * anyone else, `Forwarded` is never read.
 */
async function forwardedPlugin(
  app: FastifyInstance,
  options: { trusted: (address: string | undefined) => boolean },
): Promise<void> {
  app.addHook('onRequest', (request, _reply, done) => {
    rewrite(request.raw);
    done();
  });

  function rewrite(raw: FastifyRequest['raw']): void {
    const header = raw.headers.forwarded;
    if (header === undefined || !options.trusted(raw.socket.remoteAddress)) return;
    const elements = parseForwarded(header);
    const headers = raw.headers;
    delete headers['x-forwarded-for'];
    delete headers['x-forwarded-host'];
    delete headers['x-forwarded-proto'];
    const chain = elements
      .map((e) => e.for)
      .filter((v): v is string => Boolean(v))
      .map(nodeAddress);
    if (chain.length > 0) headers['x-forwarded-for'] = chain.join(', ');
    // The element the nearest proxy added is the last; it says what that proxy was asked for.
    const host = elements.findLast((e) => e.host)?.host;
    const proto = elements.findLast((e) => e.proto)?.proto;
    if (host) headers['x-forwarded-host'] = host;
    if (proto) headers['x-forwarded-proto'] = proto.toLowerCase();
  }
}

export default fp(forwardedPlugin, { name: 'hitch-forwarded' });
