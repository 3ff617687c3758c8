import { OAuthProtocolError } from '../oauth2/errors.ts';
import { failureOf, readResponse, send, type ProtocolOptions } from '../oauth2/transport.ts';

/**
 * The "app token" shape of JWT authorization, as GitHub Apps use it: an app JWT
 * signed with the app's private key (see assertion.ts) buys a short-lived
 * installation token for one installation. Failures come back in OAuth 2.0's
 * families, so one table reads them: an installation that is gone or suspended
 * (404, 403) is `invalid_grant`, a refused app JWT (401) `invalid_client`.
 *
 * @see https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app
 * @see https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
 */

export interface InstallationToken {
  token: string;
  /** Seconds from now until the token expires (GitHub: one hour). */
  expiresInSeconds: number | undefined;
}

export interface InstallationAccount {
  /** The installation's id, as text. */
  installationId: string;
  account: { id?: string; label?: string };
}

interface AppRequest extends ProtocolOptions {
  url: string;
  headers: Readonly<Record<string, string>>;
}

function requireHttps(options: AppRequest): void {
  if (!/^https:/i.test(options.url) && options.allowInsecureRequests !== true)
    throw new TypeError(
      `${new URL(options.url).host} must be reached with https:// (allowInsecureRequests is not set).`,
    );
}

async function call(
  what: string,
  options: AppRequest,
  method: string,
  authorization: string,
): Promise<Record<string, unknown> | undefined> {
  requireHttps(options);
  const response = await send(what, () =>
    options.fetch(options.url, {
      method,
      redirect: 'manual',
      headers: { accept: 'application/json', ...options.headers, authorization },
      signal: options.signal ?? AbortSignal.timeout(15_000),
    }),
  );
  const answer = await readResponse(what, response);
  const message = typeof answer.body?.message === 'string' ? answer.body.message : undefined;
  if (answer.status === 404 || answer.status === 403) {
    throw new OAuthProtocolError({
      kind: 'rejected',
      error: 'invalid_grant',
      message: `The ${what} answered HTTP ${answer.status}: the installation is gone, suspended or not this app's.`,
      description: message,
      status: answer.status,
      answered: true,
    });
  }
  const failure = failureOf(what, answer, (status) => status >= 200 && status < 300);
  if (failure) throw message && !failure.description ? withDescription(failure, message) : failure;
  return answer.body;
}

function withDescription(error: OAuthProtocolError, description: string): OAuthProtocolError {
  return new OAuthProtocolError({
    kind: error.kind,
    error: error.error,
    status: error.status,
    answered: error.answered,
    message: error.message,
    description,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}

/** POST …/access_tokens with the app JWT: a new installation token. */
export async function requestInstallationToken(options: AppRequest & { appJwt: string }): Promise<InstallationToken> {
  const body = await call('installation token endpoint', options, 'POST', `Bearer ${options.appJwt}`);
  const token = body?.token;
  if (typeof token !== 'string' || token === '')
    throw new OAuthProtocolError({
      kind: 'malformed',
      error: 'invalid_response',
      message: 'The installation token endpoint answered without a token.',
      answered: true,
    });
  const expiresAt = typeof body?.expires_at === 'string' ? Date.parse(body.expires_at) : Number.NaN;
  return {
    token,
    expiresInSeconds: Number.isFinite(expiresAt) ? Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)) : undefined,
  };
}

/** Largest page GitHub serves, and how many pages Hitch reads before giving up on finding an installation. */
const PER_PAGE = 100;
const MAX_PAGES = 10;

/**
 * The installation among those the user's token may use (GET /user/installations),
 * or undefined when it is not one of them: how a forged `installation_id` is caught.
 *
 * @see https://docs.github.com/en/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token
 */
export async function findUserInstallation(
  options: AppRequest & { userToken: string; installationId: string },
): Promise<InstallationAccount | undefined> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = new URL(options.url);
    url.searchParams.set('per_page', String(PER_PAGE));
    url.searchParams.set('page', String(page));
    const body = await call(
      'installations endpoint',
      { ...options, url: url.toString() },
      'GET',
      `Bearer ${options.userToken}`,
    );
    const installations = Array.isArray(body?.installations) ? (body.installations as unknown[]) : [];
    for (const item of installations) {
      const entry = item as { id?: unknown; account?: { id?: unknown; login?: unknown } } | null;
      if (entry && String(entry.id) === options.installationId) {
        const id = entry.account?.id;
        const login = entry.account?.login;
        return {
          installationId: options.installationId,
          account: {
            ...(typeof id === 'number' || typeof id === 'string' ? { id: String(id) } : {}),
            ...(typeof login === 'string' ? { label: login } : {}),
          },
        };
      }
    }
    if (installations.length < PER_PAGE) return undefined;
  }
  return undefined;
}

/** DELETE /installation/token: the installation token stops working at once. */
export async function revokeInstallationToken(options: AppRequest & { token: string }): Promise<void> {
  await call('installation token endpoint', options, 'DELETE', `Bearer ${options.token}`);
}
