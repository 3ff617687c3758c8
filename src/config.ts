import path from 'node:path';
import { z } from 'zod';
import { CRASH_POINTS, type CrashPoint } from './dangerous-crash.ts';
import { platformAppsFrom, PlatformAppError, type PlatformApp } from './platform-apps.ts';
import { parseProxyEntry } from './trusted-proxies.ts';

/**
 * Environment → one typed, validated Config. A bad value throws `ConfigError`
 * naming the variable; `main.ts` prints that one line and exits with code 1.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type Role = 'web' | 'worker' | 'all';

export interface Config {
  port: number;
  host: string;
  /** Origin and path prefix of every URL Hitch hands out, without a trailing slash. */
  publicUrl: string;
  /** HITCH_TRUST_PROXY: addresses and CIDRs of the proxies whose forwarding headers count; none by default. */
  trustProxy: string[];
  dataDir: string;
  /** `sqlite:<file>` or a `postgres://` URL. */
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  logLevel: LogLevel;
  role: Role;
  masterKey: { base64: string } | { file: string } | { generateAt: string };
  previousMasterKeys: string[];
  admin: { email: string; password: string } | null;
  network: {
    /** Let calls made on a user's behalf reach loopback, private, link-local and metadata addresses. */
    allowPrivateNetwork: boolean;
    /** Host names and CIDRs reachable even when private networks are blocked. */
    allowedHosts: string[];
  };
  refreshSweepSeconds: number;
  /** HITCH_RENEW_BY_WARNING_DAYS: how long before a `renewBy` that refreshing cannot extend people are told to reauthorize. */
  renewByWarningDays: number;
  /** HITCH_APP_<ID>_APP_*: the platform's own signing apps (GitHub Apps), by the app id in upper snake case. */
  platformApps: Record<string, PlatformApp>;
  retentionDays: number;
  /** Entries in the in-memory cache of decrypted credentials. */
  credentialCacheSize: number;
  appsDir: string | null;
  smtpUrl: string | null;
  metricsToken: string | null;
  /** TEST-ONLY (HITCH_DANGEROUSLY_CRASH_AT): kill the process at this step; see dangerous-crash.ts. */
  dangerouslyCrashAt: CrashPoint | null;
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be between 1 and 65535' })
  .max(65535, { error: 'must be between 1 and 65535' });

const positiveInt = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .positive({ error: 'must be greater than 0' });

function httpUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `"${value}" is not a URL; use a form like https://hitch.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(variable, 'must start with http:// or https://');
  if (url.search || url.hash) throw new ConfigError(variable, 'must not contain a query string or fragment');
  return url.toString().replace(/\/+$/, '');
}

function parse<T>(variable: string, schema: z.ZodType<T>, value: string | undefined, fallback: T): T {
  if (value === undefined || value === '') return fallback;
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(variable, result.error.issues[0]?.message ?? 'is not valid');
  return result.data;
}

function isBase64Key(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

function databaseFrom(env: NodeJS.ProcessEnv, dataDir: string): Config['database'] {
  const value = env.DATABASE_URL;
  if (value === undefined || value === '') return { kind: 'sqlite', file: path.join(dataDir, 'hitch.sqlite') };
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: value };
  }
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new ConfigError('DATABASE_URL', 'names no file; use sqlite:path/to/file.sqlite');
    return { kind: 'sqlite', file: path.resolve(file) };
  }
  throw new ConfigError(
    'DATABASE_URL',
    'must start with postgres:// (or sqlite:), or be unset for the embedded SQLite database',
  );
}

function masterKeyFrom(env: NodeJS.ProcessEnv, dataDir: string): Config['masterKey'] {
  const value = env.HITCH_MASTER_KEY;
  if (value) {
    if (!isBase64Key(value.trim()))
      throw new ConfigError(
        'HITCH_MASTER_KEY',
        'must be the base64 of exactly 32 bytes (make one with: openssl rand -base64 32)',
      );
    return { base64: value.trim() };
  }
  if (env.HITCH_MASTER_KEY_FILE) return { file: path.resolve(env.HITCH_MASTER_KEY_FILE) };
  return { generateAt: path.join(dataDir, 'master.key') };
}

function listFrom(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function trustProxyFrom(value: string | undefined): string[] {
  const entries = listFrom(value);
  for (const entry of entries) {
    if (!parseProxyEntry(entry)) {
      throw new ConfigError(
        'HITCH_TRUST_PROXY',
        `"${entry}" is not an IP address or CIDR; list your proxies' addresses separated by commas, like 127.0.0.1,10.0.0.0/8.`,
      );
    }
  }
  return entries;
}

/** The test-only fault hook kills the process on purpose: anywhere but a test run it is a mistake, refused at start. */
function crashPointFrom(env: NodeJS.ProcessEnv): CrashPoint | null {
  if (env.HITCH_DANGEROUSLY_CRASH_AT && env.NODE_ENV !== 'test') {
    throw new ConfigError(
      'HITCH_DANGEROUSLY_CRASH_AT',
      'is a test-only hook that kills Hitch on purpose and is accepted only with NODE_ENV=test; unset it.',
    );
  }
  return parse<CrashPoint | null>(
    'HITCH_DANGEROUSLY_CRASH_AT',
    z.enum(CRASH_POINTS, { error: `must be one of ${CRASH_POINTS.join(', ')}` }),
    env.HITCH_DANGEROUSLY_CRASH_AT,
    null,
  );
}

function platformAppsOrError(env: NodeJS.ProcessEnv): Record<string, PlatformApp> {
  try {
    return platformAppsFrom(env);
  } catch (error) {
    if (error instanceof PlatformAppError) throw new ConfigError(error.variable, error.message);
    throw error;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const portValue = parse('PORT', port, env.PORT, 8080);
  const host = env.HOST || '127.0.0.1';
  const hostForUrl = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const publicUrl = env.PUBLIC_URL ? httpUrl('PUBLIC_URL', env.PUBLIC_URL) : `http://${hostForUrl}:${portValue}`;
  const dataDir = path.resolve(env.DATA_DIR || './data');

  const previousMasterKeys = listFrom(env.HITCH_PREVIOUS_MASTER_KEYS);
  for (const key of previousMasterKeys) {
    if (!isBase64Key(key))
      throw new ConfigError(
        'HITCH_PREVIOUS_MASTER_KEYS',
        'each entry must be the base64 of exactly 32 bytes, separated by commas',
      );
  }

  const adminEmail = env.HITCH_ADMIN_EMAIL?.trim();
  const adminPassword = env.HITCH_ADMIN_PASSWORD;
  if (Boolean(adminEmail) !== Boolean(adminPassword)) {
    throw new ConfigError(
      adminEmail ? 'HITCH_ADMIN_PASSWORD' : 'HITCH_ADMIN_EMAIL',
      'set HITCH_ADMIN_EMAIL and HITCH_ADMIN_PASSWORD together, or neither',
    );
  }
  if (adminEmail && !/^[^\s@]+@[^\s@]+$/.test(adminEmail))
    throw new ConfigError('HITCH_ADMIN_EMAIL', 'is not an email address');
  if (adminPassword !== undefined && adminPassword.length > 0 && adminPassword.length < 8) {
    throw new ConfigError('HITCH_ADMIN_PASSWORD', 'must be at least 8 characters long');
  }

  const logLevel = parse<LogLevel>(
    'LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
    env.LOG_LEVEL,
    'info',
  );

  return {
    port: portValue,
    host,
    publicUrl,
    trustProxy: trustProxyFrom(env.HITCH_TRUST_PROXY),
    dataDir,
    database: databaseFrom(env, dataDir),
    logLevel,
    role: parse<Role>(
      'HITCH_ROLE',
      z.enum(['web', 'worker', 'all'], { error: 'must be web, worker or all' }),
      env.HITCH_ROLE,
      'all',
    ),
    masterKey: masterKeyFrom(env, dataDir),
    previousMasterKeys,
    admin: adminEmail && adminPassword ? { email: adminEmail.toLowerCase(), password: adminPassword } : null,
    network: {
      allowPrivateNetwork: parse('HITCH_ALLOW_PRIVATE_NETWORK', bool, env.HITCH_ALLOW_PRIVATE_NETWORK, false),
      allowedHosts: listFrom(env.HITCH_ALLOWED_HOSTS),
    },
    refreshSweepSeconds: parse('HITCH_REFRESH_SWEEP_SECONDS', positiveInt, env.HITCH_REFRESH_SWEEP_SECONDS, 30),
    renewByWarningDays: parse('HITCH_RENEW_BY_WARNING_DAYS', positiveInt, env.HITCH_RENEW_BY_WARNING_DAYS, 7),
    platformApps: platformAppsOrError(env),
    retentionDays: parse('HITCH_RETENTION_DAYS', positiveInt, env.HITCH_RETENTION_DAYS, 30),
    credentialCacheSize: parse(
      'HITCH_CREDENTIAL_CACHE_SIZE',
      z.coerce.number({ error: 'must be a number' }).int().min(0, { error: 'must be 0 or more' }),
      env.HITCH_CREDENTIAL_CACHE_SIZE,
      10_000,
    ),
    appsDir: env.HITCH_APPS_DIR ? path.resolve(env.HITCH_APPS_DIR) : null,
    smtpUrl: env.HITCH_SMTP_URL || null,
    metricsToken: env.METRICS_TOKEN || null,
    dangerouslyCrashAt: crashPointFrom(env),
  };
}

/** The effective configuration with secrets masked, for `hitch config` and the start-up log. */
export function describeConfig(config: Config): Record<string, unknown> {
  const mask = (v: string | null) => (v ? '••••••' : null);
  return {
    ...config,
    database:
      config.database.kind === 'postgres'
        ? { kind: 'postgres', url: config.database.url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:••••••@') }
        : config.database,
    masterKey:
      'base64' in config.masterKey
        ? 'HITCH_MASTER_KEY (set)'
        : 'file' in config.masterKey
          ? `file ${config.masterKey.file}`
          : `generated at ${config.masterKey.generateAt}`,
    previousMasterKeys: config.previousMasterKeys.map(() => '••••••'),
    admin: config.admin ? { email: config.admin.email, password: '••••••' } : null,
    smtpUrl: config.smtpUrl ? config.smtpUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:••••••@') : null,
    metricsToken: mask(config.metricsToken),
    platformApps: Object.fromEntries(
      Object.entries(config.platformApps).map(([id, app]) => [
        id,
        { slug: app.slug, clientId: app.clientId, clientSecret: '••••••', privateKey: '••••••' },
      ]),
    ),
  };
}
