import { crashPoint } from '../dangerous-crash.ts';
import { HitchError, isHitchError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { CredentialProvider } from './credentials.ts';
import { changedDestinations, destinationsOf } from './destinations.ts';
import type { ConnectionEvents } from './events.ts';
import { parseData, secretContext, type ConnectionData, type ConnectionSecrets } from './model.ts';
import type { OAuth2Protocol, TokenResult } from './oauth2.ts';
import type { OAuthFlows } from './oauth-flows.ts';
import { nextRefreshAt } from './renewal.ts';
import { mayChange, type ConnectionsService } from './service.ts';
import { VerifyRefused, type Account, type Verifier } from './verify.ts';

/** What the callback page shows and posts to the opener. Never a secret. */
export interface CallbackOutcome {
  ok: boolean;
  status: number;
  code: string;
  message: string;
  connectionId?: string;
  /** The callback cannot be judged before the person signs in; the flow stays unused. */
  needsSignIn?: boolean;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function failure(error: HitchError, connectionId?: string): CallbackOutcome {
  return { ok: false, status: error.status, code: error.code, message: error.message, ...(connectionId ? { connectionId } : {}) };
}

/**
 * `GET /oauth/callback`: the service sends the person back here. The state must
 * exist, be unexpired and unused, and belong to the signed-in user; only then is
 * it used up and the code exchanged. Nothing about the connection changes unless
 * the service grants access and names an acceptable account; then tokens,
 * scopes, expiry, learned values and account are stored in one statement.
 */
export class CallbackHandler {
  constructor(
    private readonly deps: {
      flows: OAuthFlows;
      connections: ConnectionsRepository;
      service: ConnectionsService;
      oauth2: OAuth2Protocol;
      verifier: Verifier;
      vault: Vault;
      credentials: CredentialProvider;
      events: ConnectionEvents;
      log: Logger;
      redirectUri: string;
      /** The user's role in a team, or undefined when they are not (or no longer) a member. */
      roleIn: (userId: string, teamId: string) => Promise<string | undefined>;
    },
  ) {}

  async complete(query: URLSearchParams, signedInUserId: string | null): Promise<CallbackOutcome> {
    const state = query.get('state');
    if (!state || state.length > 512) return failure(new HitchError('oauth_state_invalid'));
    const peeked = await this.deps.flows.peek(state);
    if (!peeked || peeked.expires_at < Date.now()) return failure(new HitchError('oauth_state_invalid'));
    if (signedInUserId === null) {
      return { ok: false, status: 401, code: 'unauthenticated', message: 'Sign in to Hitch to finish connecting.', needsSignIn: true };
    }
    if (signedInUserId !== peeked.user_id) return failure(new HitchError('oauth_wrong_user'));

    const flow = await this.deps.flows.consume(state);
    // Another tab or instance used it between peek and consume.
    if (!flow) return failure(new HitchError('oauth_state_invalid'));
    const row = await this.deps.connections.byId(flow.connection_id);
    if (!row) return failure(new HitchError('oauth_state_invalid', { message: 'This connection was deleted while it was being authorized.' }));
    // The flow was started with the right to change this connection; it must still hold now.
    const role = await this.deps.roleIn(flow.user_id, row.team_id);
    if (!role || !mayChange({ userId: flow.user_id, teamIds: [row.team_id], managedTeamIds: role === 'owner' || role === 'admin' ? [row.team_id] : [] }, row)) {
      return failure(new HitchError('forbidden', { message: role ? 'You may no longer change this connection, so its authorization was not completed: ask an owner or admin of the team.' : "You are no longer a member of this connection's team, so its authorization was not completed." }), row.id);
    }
    const payload = await this.deps.flows.payload(flow);
    const actor = { userId: flow.user_id };

    try {
      const errorCode = query.get('error');
      if (errorCode) {
        const description = query.get('error_description');
        const reason = description ? `${description.slice(0, 300)}` : errorCode.slice(0, 100);
        const code = errorCode === 'access_denied' ? 'oauth_denied' : 'oauth_failed';
        throw new HitchError(code, { message: errorCode === 'access_denied' ? `Access was not granted at the service: ${reason}` : `The service could not authorize the connection: ${reason}` });
      }

      const { settings } = await this.deps.service.settingsOf(row, payload.pending);
      // A server typed in without its issuer cannot be checked by RFC 9207 alone; an `iss` it sends
      // must at least name the origin the person was sent to, or a mix-up would pass unnoticed.
      const iss = query.get('iss');
      if (!flow.issuer && iss !== null && originOf(iss) !== originOf(settings.authorizeUrl)) {
        throw new HitchError('oauth_rejected', {
          message: "The answer came from another authorization server than the one this connection uses (issuer_mismatch); start again from Hitch, or set the connection's Issuer.",
        });
      }
      const tokens = await this.deps.oauth2.exchangeCode(settings, {
        redirectUri: this.deps.redirectUri,
        callbackParameters: query,
        expectedState: state,
        pkceVerifier: payload.pkceVerifier,
        expectedIssuer: flow.issuer ?? undefined,
      });
      crashPoint('callback:after-exchange');
      const data = parseData(row);
      const learned = learnedValues(data.learned, query, tokens, settings);
      // Values just learned (Salesforce's instance_url) may be part of the verify URL itself.
      const learnedSomething = settings.keepFromCallback.length + settings.keepFromTokenResponse.length > 0;
      const verifySettings = learnedSomething ? (await this.deps.service.settingsOf({ ...row, data: JSON.stringify({ ...data, learned }) }, payload.pending)).settings : settings;
      const placed = this.deps.oauth2.place(verifySettings, tokens.accessToken);
      let account: Account | null;
      try {
        account = await this.deps.verifier.fetchAccount(verifySettings.verify, placed);
      } catch (error) {
        if (error instanceof VerifyRefused) throw new HitchError('oauth_failed', { message: 'The service issued a token but refused it right away; try again.' });
        throw error;
      }

      if (flow.purpose === 'reauthorize' && row.account_id && account?.id && account.id !== row.account_id && !payload.allowAccountChange) {
        throw new HitchError('account_mismatch', {
          message: `You signed in as ${account.label ?? 'another account'}, but this connection uses ${row.account_label ?? 'a different account'}: sign in with that account, or create a new connection.`,
        });
      }

      await this.store(row, tokens, settings.tokenUrl, payload.scopes, payload.pending, account, learned);
      crashPoint('callback:after-write');
      const reauthorized = flow.purpose === 'reauthorize';
      await this.deps.events.record(row.team_id, row.id, reauthorized ? 'connection.reauthorized' : 'connection.authorized', actor, account?.label ? `Authorized as ${account.label}.` : 'Authorized.');
      return { ok: true, status: 200, code: 'connected', message: reauthorized ? 'The connection was reauthorized.' : 'The connection is established.', connectionId: row.id };
    } catch (error) {
      const hitch = isHitchError(error) ? error : new HitchError('oauth_failed');
      if (!isHitchError(error)) this.deps.log.error({ err: error, connectionId: row.id }, 'authorization callback failed');
      await this.deps.events.record(row.team_id, row.id, 'connection.authorization_failed', actor, hitch.message);
      return failure(hitch, row.id);
    }
  }

  private async store(
    row: ConnectionRow,
    tokens: TokenResult,
    tokenEndpoint: string | undefined,
    requestedScopes: string[],
    pending: { values: Record<string, unknown>; secrets: Record<string, string> },
    account: Account | null,
    learned: Record<string, string>,
  ): Promise<void> {
    const now = Date.now();
    const data: ConnectionData = parseData(row);
    const previous: ConnectionSecrets = row.secrets_enc ? await this.deps.vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id)) : { parameters: {} };
    const values = { ...data.parameters, ...pending.values } as ConnectionData['parameters'];
    // A reauthorization without a new refresh token keeps the grant's old one, but only from the same
    // token endpoint: a refresh token is never sent to an endpoint other than the one that issued it.
    const kind = this.deps.service.kindOf(row);
    const sameEndpoint = previous.tokenEndpoint !== undefined ? previous.tokenEndpoint === tokenEndpoint : changedDestinations(kind, data.parameters, values).length === 0;
    const refreshToken = tokens.refreshToken ?? (sameEndpoint ? previous.refreshToken : undefined);
    const secrets: ConnectionSecrets = {
      accessToken: tokens.accessToken,
      ...(refreshToken ? { refreshToken } : {}),
      ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
      parameters: { ...previous.parameters, ...pending.secrets },
      destinations: destinationsOf(kind, values),
      ...(tokenEndpoint ? { tokenEndpoint } : {}),
    };
    const expiresAt = tokens.expiresInSeconds !== undefined ? now + tokens.expiresInSeconds * 1000 : null;
    const granted = tokens.scopes ?? requestedScopes;
    await this.deps.connections.bumpCredentials(row.id, {
      status: 'active',
      secrets_enc: this.deps.vault.encryptJson(secrets, secretContext(row.id)),
      scopes: JSON.stringify(granted),
      data: JSON.stringify({ ...data, parameters: values, learned, requestedScopes }),
      expires_at: expiresAt,
      next_refresh_at: secrets.refreshToken ? nextRefreshAt(now, expiresAt) : expiresAt,
      renew_by: tokens.refreshExpiresInSeconds !== undefined ? now + tokens.refreshExpiresInSeconds * 1000 : null,
      refreshing_until: null,
      refresh_failures: 0,
      retry_at: null,
      last_error: null,
      last_verified_at: account ? now : row.last_verified_at,
      account_id: account?.id ?? row.account_id,
      account_label: account?.label ?? row.account_label,
      updated_at: now,
    });
    this.deps.credentials.cache.drop(row.id);
  }
}

/** Values the app keeps from the callback's query (QuickBooks' realmId) and the token response (Salesforce's instance_url). */
function learnedValues(previous: Record<string, string>, query: URLSearchParams, tokens: TokenResult, settings: { keepFromCallback: string[]; keepFromTokenResponse: string[] }): Record<string, string> {
  const learned = { ...previous };
  for (const name of settings.keepFromCallback) {
    const v = query.get(name);
    if (v) learned[name] = v.slice(0, 2048);
  }
  for (const name of settings.keepFromTokenResponse) {
    const v = tokens.raw[name];
    if (typeof v === 'string' || typeof v === 'number') learned[name] = String(v).slice(0, 2048);
  }
  return learned;
}
