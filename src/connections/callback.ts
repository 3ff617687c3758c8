import { crashPoint } from '../dangerous-crash.ts';
import { HitchError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Outbound } from '../outbound/types.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { CredentialCache } from './credential-cache.ts';
import { changedDestinations, destinationsOf } from './destinations.ts';
import type { ConnectionEvents } from './events.ts';
import { failureAt, type Step } from './failures.ts';
import type { OAuth2Settings } from '../catalog/resolve.ts';
import type { OAuth2Protocol, TokenResult } from './kinds/oauth2.ts';
import { parseData, secretContext, type ConnectionData, type ConnectionSecrets } from './model.ts';
import type { OAuthFlows } from './oauth-flows.ts';
import { nextRefreshAt } from './refresh-timing.ts';
import { mayChange } from './change-rights.ts';
import type { ConnectionSettings, ResolvedConnection } from './settings.ts';
import { fetchAccount, type Account } from './verify-request.ts';

/** A callback that completed: the connection is active with its new tokens. */
export interface Connected {
  connectionId: string;
  reauthorized: boolean;
}

/** A refusal that concerns a connection names it (`details.connectionId`), for the page to tell its opener. */
function refusal(error: HitchError, connectionId: string): HitchError {
  return new HitchError(error.code, { message: error.message, details: { ...error.details, connectionId } });
}

/**
 * `GET /oauth/callback`: the service sends the person back here. The state must
 * exist, be unexpired and unused, and belong to the signed-in user; only then is
 * it used up and the code exchanged. Nothing about the connection changes unless
 * the service grants access and names an acceptable account; then tokens,
 * scopes, expiry, learned values and account are stored in one statement.
 * Returns what happened, or throws the HitchError the page shows.
 */
export class CallbackHandler {
  constructor(
    private readonly deps: {
      flows: OAuthFlows;
      connections: ConnectionsRepository;
      settings: ConnectionSettings;
      oauth2: OAuth2Protocol;
      outbound: Outbound;
      vault: Vault;
      cache: CredentialCache;
      events: ConnectionEvents;
      log: Logger;
      redirectUri: string;
      /** The user's role in a team, or undefined when they are not (or no longer) a member. */
      roleIn: (userId: string, teamId: string) => Promise<string | undefined>;
    },
  ) {}

  async complete(query: URLSearchParams, signedInUserId: string | null): Promise<Connected> {
    const state = query.get('state');
    if (!state || state.length > 512) throw new HitchError('oauth_state_invalid');
    const peeked = await this.deps.flows.peek(state);
    if (!peeked || peeked.expires_at < Date.now()) throw new HitchError('oauth_state_invalid');
    // The callback cannot be judged before the person signs in; the flow stays unused.
    if (signedInUserId === null)
      throw new HitchError('unauthenticated', { message: 'Sign in to Hitch to finish connecting.' });
    if (signedInUserId !== peeked.user_id) throw new HitchError('oauth_wrong_user');

    const flow = await this.deps.flows.consume(state);
    // Another tab or instance used it between peek and consume.
    if (!flow) throw new HitchError('oauth_state_invalid');
    const row = await this.deps.connections.byId(flow.connection_id);
    if (!row)
      throw new HitchError('oauth_state_invalid', {
        message: 'This connection was deleted while it was being authorized.',
      });
    // The flow was started with the right to change this connection; it must still hold now.
    const role = await this.deps.roleIn(flow.user_id, row.team_id);
    if (
      !role ||
      !mayChange(
        {
          userId: flow.user_id,
          teamIds: [row.team_id],
          managedTeamIds: role === 'owner' || role === 'admin' ? [row.team_id] : [],
        },
        row,
      )
    ) {
      const message = role
        ? 'You may no longer change this connection, so its authorization was not completed: ask an owner or admin of the team.'
        : "You are no longer a member of this connection's team, so its authorization was not completed.";
      throw refusal(new HitchError('forbidden', { message }), row.id);
    }
    const payload = await this.deps.flows.payload(flow);
    const actor = { userId: flow.user_id };

    let step: Step = 'code_exchange';
    let issuerKnown = false;
    try {
      const previous = await this.secretsOf(row);
      const resolved = this.deps.settings.of(row, previous, payload.pending);
      const settings = await this.deps.oauth2.complete(oauth2SettingsOf(resolved));
      const expectedIssuer = flow.issuer ?? undefined;
      issuerKnown = (expectedIssuer ?? settings.issuer) !== undefined;
      // The one layer that reads the callback's query: state, `iss`, `error`, a code.
      step = 'authorization_response';
      this.deps.oauth2.checkCallback(settings, { callbackParameters: query, expectedState: state, expectedIssuer });
      step = 'code_exchange';
      const tokens = await this.deps.oauth2.exchangeCode(settings, {
        redirectUri: this.deps.redirectUri,
        callbackParameters: query,
        expectedState: state,
        pkceVerifier: payload.pkceVerifier,
        expectedIssuer,
      });
      crashPoint('callback:after-exchange');
      const data = parseData(row);
      const learned = learnedValues(data.learned, query, tokens, settings);
      // Values just learned (Salesforce's instance_url) may be part of the verify URL itself.
      const learnedSomething = settings.keepFromCallback.length + settings.keepFromTokenResponse.length > 0;
      const verifySettings = learnedSomething
        ? await this.deps.oauth2.complete(
            oauth2SettingsOf(
              this.deps.settings.of({ ...row, data: JSON.stringify({ ...data, learned }) }, previous, payload.pending),
            ),
          )
        : settings;
      const placed = resolved.kind.place(verifySettings, { parameters: {}, accessToken: tokens.accessToken });
      const account = await fetchAccount(this.deps.outbound, verifySettings.verify, placed);

      if (
        flow.purpose === 'reauthorize' &&
        row.account_id &&
        account?.id &&
        account.id !== row.account_id &&
        !payload.allowAccountChange
      ) {
        throw new HitchError('account_mismatch', {
          message: `You signed in as ${account.label ?? 'another account'}, but this connection uses ${row.account_label ?? 'a different account'}: sign in with that account, or create a new connection.`,
        });
      }

      await this.store(row, previous, tokens, settings.tokenUrl, payload.scopes, payload.pending, account, learned);
      crashPoint('callback:after-write');
      const reauthorized = flow.purpose === 'reauthorize';
      await this.deps.events.record(
        row.team_id,
        row.id,
        reauthorized ? 'connection.reauthorized' : 'connection.authorized',
        actor,
        account?.label ? `Authorized as ${account.label}.` : 'Authorized.',
      );
      return { connectionId: row.id, reauthorized };
    } catch (error) {
      const translated = failureAt(step, error, { issuerKnown });
      if (!translated) this.deps.log.error({ err: error, connectionId: row.id }, 'authorization callback failed');
      const failure = translated ?? new HitchError('oauth_failed');
      await this.deps.events.record(row.team_id, row.id, 'connection.authorization_failed', actor, failure.message);
      throw refusal(failure, row.id);
    }
  }

  private async secretsOf(row: ConnectionRow): Promise<ConnectionSecrets> {
    return row.secrets_enc
      ? this.deps.vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id))
      : { parameters: {} };
  }

  private async store(
    row: ConnectionRow,
    previous: ConnectionSecrets,
    tokens: TokenResult,
    tokenEndpoint: string | undefined,
    requestedScopes: string[],
    pending: { values: Record<string, unknown>; secrets: Record<string, string> },
    account: Account | null,
    learned: Record<string, string>,
  ): Promise<void> {
    const now = Date.now();
    const data: ConnectionData = parseData(row);
    const values = { ...data.parameters, ...pending.values } as ConnectionData['parameters'];
    // A reauthorization without a new refresh token keeps the grant's old one, but only from the same
    // token endpoint: a refresh token is never sent to an endpoint other than the one that issued it.
    const kind = this.deps.settings.definitionOf(row).definition;
    const sameEndpoint =
      previous.tokenEndpoint !== undefined
        ? previous.tokenEndpoint === tokenEndpoint
        : changedDestinations(kind, data.parameters, values).length === 0;
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
    this.deps.cache.drop(row.id);
  }
}

/** Values the app keeps from the callback's query (QuickBooks' realmId) and the token response (Salesforce's instance_url). */
function learnedValues(
  previous: Record<string, string>,
  query: URLSearchParams,
  tokens: TokenResult,
  settings: { keepFromCallback: string[]; keepFromTokenResponse: string[] },
): Record<string, string> {
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

/** The callback is the authorization-code flow's: only OAuth 2.0 kinds that go through the browser come back here. */
function oauth2SettingsOf(resolved: ResolvedConnection): OAuth2Settings {
  if (resolved.definition.type !== 'oauth2') throw new HitchError('auth_not_supported');
  return resolved.settings as OAuth2Settings;
}
