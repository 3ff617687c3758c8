import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import type { OutboundStreamResponse } from '../../outbound/types.ts';
import { needsApproval, tokenGrant, tokenPatternsOn } from '../../accounts/token-restrictions.ts';
import { authOf } from '../auth.ts';

/** Whole answers may stream for this long (headers and body); a slow download is cut past it. */
export const PROXY_TIMEOUT_MS = 60_000;
/** Request bodies up to this size are held in memory, so the one retry after a 401 can resend them. */
export const REPLAYABLE_BODY_BYTES = 1024 * 1024;
/** How long a user's team list is trusted before it is read again. */

/** RFC 9110 §7.6.1: they describe one hop, never the next. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
];
/** The caller's own credentials and the hop to Hitch stay here; Origin and Referer describe the caller's page, not the service's business. */
const NOT_FORWARDED = new Set([
  ...HOP_BY_HOP,
  'host',
  'authorization',
  'cookie',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'origin',
  'referer',
]);
/** The service must not set cookies or security policy on Hitch's own origin. */
const NOT_RETURNED = new Set([
  ...HOP_BY_HOP,
  'set-cookie',
  'set-cookie2',
  'content-security-policy',
  'content-security-policy-report-only',
  'x-content-type-options',
  'strict-transport-security',
  'alt-svc',
  'clear-site-data',
  'x-frame-options',
]);

const notFound = () => new HitchError('not_found', { message: 'There is no such connection in your teams.' });

const NONE_LISTED: ReadonlySet<string> = new Set();

/** Header names a `Connection:` header lists are hop-by-hop too (`keep-alive` and `close` name none beyond those already dropped). */
function listedInConnection(value: string | string[] | undefined): ReadonlySet<string> {
  if (value === undefined || value === 'keep-alive' || value === 'close') return NONE_LISTED;
  return new Set(
    (Array.isArray(value) ? value.join(',') : value)
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

function forwardedHeaders(headers: IncomingHttpHeaders, buffered: boolean): Record<string, string> {
  const listed = listedInConnection(headers.connection);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name) || listed.has(name)) continue;
    // A buffered body gets its length from the client; a streamed one keeps the caller's.
    if (buffered && name === 'content-length') continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The part of the raw URL after `/:id/proxy`, undecoded, so escapes are judged as sent. */
function upstreamPath(rawUrl: string, id: string): string {
  const marker = `/${id}/proxy`;
  const rest = rawUrl.slice(rawUrl.indexOf(marker) + marker.length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/** Small bodies are read into memory (replayable after a 401); large or unsized ones stream through. */
async function requestBody(request: FastifyRequest): Promise<Buffer | Readable | null> {
  const stream = request.body as Readable | undefined;
  if (!stream || typeof stream.pipe !== 'function') return null;
  const declared = Number(request.headers['content-length']);
  if (!Number.isFinite(declared) || declared > REPLAYABLE_BODY_BYTES) return stream;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ProxyOptions {
  timeoutMs?: number;
}

/**
 * `ALL /api/v1/connections/:id/proxy/*`: a call to the connection's service
 * with its credentials placed by the one injector, renewed when due and once
 * after a 401, through the one outbound client. Bodies stream both ways. The
 * caller authenticates with an API token only: a browser's session cookie
 * would let any page on Hitch's origin spend a connection.
 */
const proxyRoutes: FastifyPluginAsync<ProxyOptions> = async (app, options) => {
  const timeoutMs = options.timeoutMs ?? PROXY_TIMEOUT_MS;
  const publicUrl = app.hitch.config.publicUrl;

  // Every body passes through untouched, whatever its type: nothing is parsed here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  // Answers are the service's bytes served from Hitch's origin: no script of theirs may run here.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('content-security-policy', 'sandbox');
    reply.header('x-content-type-options', 'nosniff');
    done(null, payload);
  });

  const handler = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const auth = authOf(request);
    if (auth.via !== 'token')
      throw new HitchError('unauthenticated', {
        message: 'The proxy accepts API tokens only: send Authorization: Bearer <token>.',
      });
    const { id } = request.params;
    if (!isId(id)) throw notFound();
    const { connections } = request.server.hitch;
    const teamId = await connections.credentials.teamOf(id);
    // The token's principal carries the user's teams, kept current on every instance by invalidations.
    if (!teamId || !auth.teams.some((t) => t.id === teamId)) throw notFound();
    // A scoped token sees only its connections, and calls only the endpoints it was granted there.
    const patterns = auth.restriction ? tokenPatternsOn(auth.restriction, id, teamId) : undefined;
    if (auth.restriction && !patterns) throw notFound();
    // A write waiting for a person has nowhere to wait here: the MCP server asks for the approval.
    if (needsApproval(auth.restriction, request.method)) throw new HitchError('approval_required');

    const body = await requestBody(request);
    const upstream = await connections.client.stream(id, {
      method: request.method,
      url: upstreamPath(request.raw.url ?? '', id),
      headers: forwardedHeaders(request.headers, Buffer.isBuffer(body)),
      body,
      timeoutMs,
      // Redirects go back to the caller; Hitch never carries credentials to where they point.
      maxRedirects: 0,
      ...(patterns ? { grant: tokenGrant(patterns, { name: auth.tokenName, userId: auth.user.id }) } : {}),
    });
    // Only a redirect needs the base URL (to map it back through the proxy): from the credential cache.
    const baseUrl =
      upstream.headers.location === undefined ? undefined : (await connections.credentials.get(id)).baseUrl;
    return sendUpstream(reply, upstream, request.method, { publicUrl, id, baseUrl });
  };

  // The handler holds a scoped token to its connections and grants.
  const config = { acceptsRestrictedTokens: true } as const;
  app.all('/:id/proxy', { config }, handler);
  app.all('/:id/proxy/*', { config }, handler);
};

interface Where {
  publicUrl: string;
  id: string;
  baseUrl: string | undefined;
}

function sendUpstream(
  reply: FastifyReply,
  upstream: OutboundStreamResponse,
  method: string,
  where: Where,
): FastifyReply {
  const listed = listedInConnection(upstream.headers.connection);
  reply.status(upstream.status);
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (NOT_RETURNED.has(name) || listed.has(name)) continue;
    reply.header(name, name === 'location' ? proxiedLocation(String(value), upstream.url, where) : value);
  }
  if (method === 'HEAD' || upstream.status === 204 || upstream.status === 304) {
    upstream.body.destroy();
    return reply.send();
  }
  return reply.send(upstream.body);
}

/**
 * A redirect below the connection's base URL is pointed back through the
 * proxy; one anywhere else is left absolute, for the caller to follow without
 * Hitch's credentials.
 */
function proxiedLocation(location: string, upstreamUrl: string, where: Where): string {
  let target: URL;
  try {
    target = new URL(location, upstreamUrl);
  } catch {
    return location;
  }
  if (!where.baseUrl) return target.href;
  const base = new URL(where.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (target.origin !== base.origin || !(target.pathname === basePath || target.pathname.startsWith(`${basePath}/`)))
    return target.href;
  return `${where.publicUrl}/api/v1/connections/${where.id}/proxy${target.pathname.slice(basePath.length) || '/'}${target.search}`;
}

export default proxyRoutes;
