import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.ts';

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

/** Query parameters whose values are secrets whatever the service calls them. */
const SECRET_QUERY = /^(code|state|token|access_token|refresh_token|id_token|client_secret|key|api_key|apikey|password|secret|signature|sig|auth)$/i;

/** A URL fit for a log line: credentials, and secret query values, replaced. */
export function redactUrl(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    // Relative request paths (Fastify's req.url) still carry query strings.
    const [pathPart, query] = String(input).split('?', 2);
    if (query === undefined) return String(input);
    const params = new URLSearchParams(query);
    for (const name of [...params.keys()]) if (SECRET_QUERY.test(name)) params.set(name, '[redacted]');
    return `${pathPart}?${params.toString()}`;
  }
  if (url.username || url.password) {
    url.username = url.username ? '[redacted]' : '';
    url.password = '';
  }
  for (const name of [...url.searchParams.keys()]) if (SECRET_QUERY.test(name)) url.searchParams.set(name, '[redacted]');
  return url.toString();
}
