import type { PlacedCredential } from '../outbound/types.ts';

/** Shorter values are too likely to be ordinary text to blank out everywhere. */
const MIN_SECRET_LENGTH = 4;
export const REDACTED = '[redacted]';

/**
 * Every spelling of a secret that Hitch itself produces on the way out — raw,
 * percent-encoded (a query string), form-encoded (a token request body),
 * base64 and base64url with and without padding (a Basic header), and escaped
 * inside JSON text — so a service that echoes what it received cannot make a
 * record keep it in another form.
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/**
 * The secrets inside placed credentials: the value as sent (`Bearer …`, `Basic …`),
 * the part after an auth scheme, for Basic the decoded `user:password` and
 * the password alone, and for a Cookie header each cookie's value; for a
 * signature, the secrets it holds (its header changes with every request, and
 * the signature itself reveals none of them).
 */
export function credentialSecrets(placed: readonly PlacedCredential[]): string[] {
  const out: string[] = [];
  for (const credential of placed) {
    if (credential.in === 'signature') {
      out.push(...credential.secrets);
      continue;
    }
    const { name, value } = credential;
    out.push(value);
    // A Cookie header carries several secrets: each cookie's value on its own.
    if (name.toLowerCase() === 'cookie')
      for (const pair of value.split(';')) out.push(pair.slice(pair.indexOf('=') + 1).trim());
    const scheme = /^(\S+) +(\S.*)$/.exec(value);
    if (!scheme) continue;
    out.push(scheme[2]!);
    if (scheme[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(scheme[2]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon !== -1) out.push(decoded, decoded.slice(colon + 1));
    }
  }
  return out;
}

/**
 * The secrets of one run (or one request), collected as they are used, blanked
 * out of anything about to be kept: every string, and every key, of a value.
 */
export class Redactor {
  private forms: string[] = [];
  private readonly seen = new Set<string>();

  /** Raw secrets: a key's password, private key, token. */
  addSecrets(secrets: Iterable<string>): void {
    for (const secret of secrets) {
      if (this.seen.has(secret)) continue;
      this.seen.add(secret);
      this.forms.push(...secretForms(secret));
    }
    // Longest first, so a secret inside a longer one's form does not leave the rest behind.
    this.forms = [...new Set(this.forms)].sort((a, b) => b.length - a.length);
  }

  addCredentials(placed: readonly PlacedCredential[]): void {
    this.addSecrets(credentialSecrets(placed));
  }

  text(value: string): string {
    let out = value;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /** A copy of a JSON-like value with every secret blanked. */
  value<T>(value: T): T {
    if (!this.forms.length) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.walk(v)]));
    return value;
  }
}
