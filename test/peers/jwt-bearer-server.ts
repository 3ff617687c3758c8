/**
 * A token endpoint for the JWT bearer grant, written from RFC 7523 (§2.1, §3,
 * §3.1) and not from Hitch's client: it verifies each assertion with `jose`
 * against the public key registered for its issuer, and refuses what the RFC
 * says to refuse — a wrong `aud`, an expired or missing `exp`, a replayed `jti`,
 * a bad signature — with `invalid_grant`. Subjects that have not consented get
 * DocuSign's `consent_required`. Tokens it issues are accepted by its own
 * resource endpoints (`/api/...`), so a connection can be used end to end.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, errors as joseErrors, type KeyLike } from 'jose';

export interface RegisteredIssuer {
  key: KeyLike | Uint8Array;
  algorithm: 'RS256' | 'ES256' | 'HS256';
  /** When set, the assertion's header must carry this `kid`. */
  keyId?: string;
}

export interface JwtBearerServer {
  origin: string;
  tokenEndpoint: string;
  register(iss: string, issuer: RegisteredIssuer): void;
  /** Subjects refused with `consent_required` until `consent(sub)`. */
  requireConsent(sub: string): void;
  consent(sub: string): void;
  /** Seconds the access tokens it issues live. */
  accessTokenTtlSeconds: number;
  /** Assertions accepted, and the claims of each, in order. */
  grants: Array<{ iss: string; sub: string | undefined; aud: unknown; scope: string | undefined; jti: string }>;
  refusals: string[];
  /** Every assertion received and every access token issued, for the secret scans. */
  seen: { assertions: string[]; accessTokens: string[] };
  /** Ends every access token issued so far (the service forgot them). */
  forgetTokens(): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers; true, so a handler can `return send(…)`. */
function send(res: ServerResponse, status: number, value: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
  return true;
}

export async function startJwtBearerServer(options: { accessTokenTtlSeconds?: number } = {}): Promise<JwtBearerServer> {
  const issuers = new Map<string, RegisteredIssuer>();
  const needsConsent = new Set<string>();
  const seenJti = new Set<string>();
  const tokens = new Map<string, { sub: string; expiresAt: number }>();
  const grants: JwtBearerServer['grants'] = [];
  const refusals: string[] = [];
  const seen: JwtBearerServer['seen'] = { assertions: [], accessTokens: [] };
  let tokenEndpoint = '';

  const refuse = (res: ServerResponse, error: string, description: string): true => {
    refusals.push(`${error}: ${description}`);
    return send(res, 400, { error, error_description: description });
  };

  async function token(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const form = new URLSearchParams(await body(req));
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return refuse(res, 'unsupported_grant_type', 'only the JWT bearer grant is served here');
    const assertion = form.get('assertion');
    if (assertion) seen.assertions.push(assertion);
    if (!assertion || form.getAll('assertion').length !== 1)
      return refuse(res, 'invalid_request', 'exactly one assertion is required');
    // §3 item 1: the issuer names the key; the claims are read only once the signature checks out.
    const [, payload] = assertion.split('.');
    let iss: unknown;
    try {
      iss = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    } catch {
      return refuse(res, 'invalid_grant', 'the assertion is not a JWT');
    }
    const issuer = typeof iss === 'string' ? issuers.get(iss) : undefined;
    if (!issuer) return refuse(res, 'invalid_grant', 'unknown issuer');
    let claims;
    try {
      const verified = await jwtVerify(assertion, issuer.key, {
        algorithms: [issuer.algorithm],
        issuer: iss as string,
        // §3 item 3: the token endpoint must be among the audiences.
        audience: tokenEndpoint,
        // §3 item 4: an `exp` is required, and it must not have passed.
        requiredClaims: ['exp', 'iat', 'jti'],
        clockTolerance: 0,
      });
      if (issuer.keyId && verified.protectedHeader.kid !== issuer.keyId)
        return refuse(res, 'invalid_grant', 'unknown key id');
      claims = verified.payload;
    } catch (error) {
      const reason =
        error instanceof joseErrors.JWTExpired
          ? 'the assertion has expired'
          : error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud'
            ? 'the audience is not this token endpoint'
            : 'the assertion does not verify';
      return refuse(res, 'invalid_grant', reason);
    }
    // §3 item 7: a `jti` may be refused when seen before.
    if (seenJti.has(claims.jti!)) return refuse(res, 'invalid_grant', 'the assertion was replayed');
    seenJti.add(claims.jti!);
    const sub = claims.sub ?? (iss as string);
    if (needsConsent.has(sub)) return refuse(res, 'consent_required', 'consent_required');
    const scope = typeof claims.scope === 'string' ? claims.scope : (form.get('scope') ?? undefined);
    grants.push({ iss: iss as string, sub: claims.sub, aud: claims.aud, scope, jti: claims.jti! });
    const accessToken = `jb-${randomBytes(16).toString('hex')}`;
    seen.accessTokens.push(accessToken);
    const ttl = server.accessTokenTtlSeconds;
    tokens.set(accessToken, { sub, expiresAt: Date.now() + ttl * 1000 });
    return send(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttl,
      ...(scope ? { scope } : {}),
    });
  }

  function api(req: IncomingMessage, res: ServerResponse, url: URL): true {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const live = bearer ? tokens.get(bearer) : undefined;
    if (!live || live.expiresAt <= Date.now()) return send(res, 401, { error: 'invalid_token' });
    if (url.pathname === '/api/me') return send(res, 200, { sub: live.sub, email: `${live.sub}@example.test` });
    return send(res, 200, { path: url.pathname, sub: live.sub });
  }

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handled =
      url.pathname === '/token' && req.method === 'POST'
        ? token(req, res)
        : url.pathname.startsWith('/api/')
          ? Promise.resolve(api(req, res, url))
          : Promise.resolve(send(res, 404, { error: 'not_found' }));
    handled.catch((error: unknown) => send(res, 500, { error: 'server_error', error_description: String(error) }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  tokenEndpoint = `${origin}/token`;

  const server: JwtBearerServer = {
    origin,
    tokenEndpoint,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    grants,
    refusals,
    seen,
    register: (iss, issuer) => void issuers.set(iss, issuer),
    requireConsent: (sub) => void needsConsent.add(sub),
    consent: (sub) => void needsConsent.delete(sub),
    forgetTokens: () => tokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return server;
}
