import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.ts';
import { credentialQueryNames, credentialValues } from './outbound/credentials.ts';
import type { PlacedCredential } from './outbound/types.ts';
import { pathStart } from './outbound/credentials.ts';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log record. Anything that can
 * carry a credential — headers, cookies, tokens, codes, states, secrets — is
 * listed here once; `redactUrl` handles secrets inside URLs.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.clientSecret',
  '*.client_secret',
  '*.code',
  '*.state',
  '*.secret',
  '*.secrets',
  '*.key',
  '*.apiKey',
  '*.privateKey',
  '*.passphrase',
  'password',
  'token',
  'secret',
];

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'hitch' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * Query parameters whose values are secrets whatever the service calls them; any `…_token` or
 * `…_secret` too, such as Facebook Login's `fb_exchange_token` (a pagination `page_token` is masked
 * with them: a log line loses nothing it needs).
 */
const SECRET_QUERY =
  /^(code|state|token|access_token|refresh_token|id_token|client_secret|key|api_key|apikey|password|secret|signature|sig|auth)$|_(token|secret)$/i;

/**
 * A URL fit for a log line: user info, secret query values, and the request's own
 * `credentials` replaced — a query credential is masked whatever it is called
 * (`?hapikey=…`), and so is any parameter holding a credential's value, and a credential
 * placed in the path.
 */
export function redactUrl(input: string | URL, credentials: readonly PlacedCredential[] = []): string {
  const names = credentialQueryNames(credentials);
  const values = credentialValues(credentials);
  const secret = (name: string, value: string) => SECRET_QUERY.test(name) || names.has(name) || values.has(value);
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    // Relative request paths (Fastify's req.url) still carry query strings.
    const [pathPart, query] = String(input).split('?', 2);
    if (query === undefined) return String(input);
    const params = new URLSearchParams(query);
    for (const [name, value] of [...params.entries()]) if (secret(name, value)) params.set(name, '[redacted]');
    return `${pathPart!}?${params.toString()}`;
  }
  if (url.username || url.password) {
    url.username = url.username ? '[redacted]' : '';
    url.password = '';
  }
  for (const [name, value] of [...url.searchParams.entries()])
    if (secret(name, value)) url.searchParams.set(name, '[redacted]');
  let out = url.toString();
  // A credential at the start of the path (Telegram's /bot<token>) is masked where it was placed.
  for (const credential of credentials)
    if (credential.in === 'path') out = out.split(pathStart(credential)).join(`${credential.name}[redacted]`);
  return out;
}
