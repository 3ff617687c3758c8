import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';

/**
 * The platform's own signing app for a catalog app, the way HITCH_APP_<ID>_CLIENT_*
 * is its own OAuth client: a GitHub App, whose private key belongs to the platform,
 * not to any connection. Read from the environment once, at start-up:
 *
 *   HITCH_APP_<ID>_APP_SLUG           the app's URL name (https://github.com/apps/<slug>)
 *   HITCH_APP_<ID>_APP_CLIENT_ID      its client ID: the app JWT's `iss`, and the client of the install's code exchange
 *   HITCH_APP_<ID>_APP_CLIENT_SECRET  its client secret, for that code exchange
 *   HITCH_APP_<ID>_APP_PRIVATE_KEY    its PEM private key (or HITCH_APP_<ID>_APP_PRIVATE_KEY_FILE, a file holding it)
 */
export interface PlatformApp {
  slug: string;
  clientId: string;
  clientSecret: string;
  privateKey: string;
}

const PART = /^HITCH_APP_([A-Z0-9_]+?)_APP_(SLUG|CLIENT_ID|CLIENT_SECRET|PRIVATE_KEY|PRIVATE_KEY_FILE)$/;

/** A bad variable, named, in the words ConfigError prints. */
export class PlatformAppError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformAppError';
  }
}

/** Every platform app in the environment, by the app id's upper snake case (`GITHUB`); each complete and its key readable. */
export function platformAppsFrom(env: NodeJS.ProcessEnv): Record<string, PlatformApp> {
  const parts = new Map<string, Record<string, string>>();
  for (const [name, value] of Object.entries(env)) {
    const match = PART.exec(name);
    if (!match || !value) continue;
    const group = parts.get(match[1]!) ?? {};
    group[match[2]!] = value;
    parts.set(match[1]!, group);
  }
  const apps: Record<string, PlatformApp> = {};
  for (const [id, part] of parts) {
    const prefix = `HITCH_APP_${id}_APP_`;
    for (const field of ['SLUG', 'CLIENT_ID', 'CLIENT_SECRET'] as const) {
      if (!part[field])
        throw new PlatformAppError(`${prefix}${field}`, `is needed beside the other ${prefix}* settings`);
    }
    if (!/^[A-Za-z0-9-]+$/.test(part.SLUG!))
      throw new PlatformAppError(`${prefix}SLUG`, 'must be the app’s URL name: letters, digits and dashes');
    const privateKey = keyOf(prefix, part);
    apps[id] = { slug: part.SLUG!, clientId: part.CLIENT_ID!, clientSecret: part.CLIENT_SECRET!, privateKey };
  }
  return apps;
}

function keyOf(prefix: string, part: Record<string, string>): string {
  let variable = `${prefix}PRIVATE_KEY`;
  let pem = part.PRIVATE_KEY;
  if (!pem && part.PRIVATE_KEY_FILE) {
    variable = `${prefix}PRIVATE_KEY_FILE`;
    try {
      pem = fs.readFileSync(part.PRIVATE_KEY_FILE, 'utf8');
    } catch {
      throw new PlatformAppError(variable, `the file ${part.PRIVATE_KEY_FILE} cannot be read`);
    }
  }
  if (!pem) throw new PlatformAppError(variable, 'is needed: the app’s private key signs its app JWTs');
  try {
    if (createPrivateKey({ key: pem, format: 'pem' }).asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw new PlatformAppError(variable, 'must be the app’s RSA private key in PEM form, as the service issued it');
  }
  return pem;
}

/** The platform app for a catalog app id, from what the configuration read. */
export function platformAppOf(apps: Record<string, PlatformApp>, appId: string): PlatformApp | null {
  return apps[appId.toUpperCase().replace(/[^A-Z0-9]/g, '_')] ?? null;
}
