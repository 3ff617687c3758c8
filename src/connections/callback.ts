import { crashPoint } from '../dangerous-crash.ts';
import { HitchError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Outbound } from '../outbound/types.ts';
import type { ConnectionsRepository } from '../store/repositories/connections.ts';
import type { ConnectionRow, OAuthFlowRow } from '../store/schema.ts';
import type { LookupDefinition } from '../catalog/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { CredentialCache } from './credential-cache.ts';
import { changedDestinations, destinationsOf } from './destinations.ts';
import type { ConnectionEvents } from './events.ts';
import { failureAt, type Step } from './failures.ts';
import type { Consented, KindSettings } from './kinds/kind.ts';
import { parseData, secretContext, secretsSetOf, type ConnectionData, type ConnectionSecrets } from './model.ts';
import type { FlowPayload, OAuthFlows } from './oauth-flows.ts';
import { lookUp, lookupNeeded, type LookupChoice } from './post-authorization-lookup.ts';
import { forecastGrant, grantLifetimeOf } from './grant-lifetime.ts';
import { nextRefreshAt } from './refresh-timing.ts';
import { mayChange } from './change-rights.ts';
import type { ConnectionSettings, ResolvedConnection } from './settings.ts';
import { fetchAccount, type Account } from './verify-request.ts';

/** A callback that completed: the connection is active with its new tokens. */
export interface Connected {
  connectionId: string;
  reauthorized: boolean;
}

/** A callback that waits for the person to pick one of several things the service offered (Atlassian sites). */
export interface Choosing {
  connectionId: string;
  /** The single-use handle of the waiting flow, sent back with the pick: not a credential. */
  choice: string;
  prompt: string;
  /** What the person sees of each, in order; the pick is its index. */
  options: string[];
}

/** A refusal that concerns a connection names it (`details.connectionId`), for the page to tell its opener. */
function refusal(error: HitchError, connectionId: string): HitchError {
  return new HitchError(error.code, { message: error.message, details: { ...error.details, connectionId } });
}

/**
 * `GET /oauth/callback`: the service sends the person back here. The state must
 * exist, be unexpired and unused, and belong to the signed-in user; only then is
 * it used up and the chosen kind's consent finished (OAuth 2.0: the code
 * exchanged). Nothing about the connection changes unless the service grants
 * access and names an acceptable account; then tokens, scopes, expiry, learned
 * values and account are stored in one statement.
 * Returns what happened, or throws the HitchError the page shows.
 */
export class CallbackHandler {
  constructor(
    private readonly deps: {
      flows: OAuthFlows;
      connections: ConnectionsRepository;
      settings: ConnectionSettings;
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

  async complete(query: URLSearchParams, signedInUserId: string | null): Promise<Connected | Choosing> {
    const state = query.get('state');
    const { flow, row, payload } = await this.take(state, signedInUserId);
    const actor = { userId: flow.user_id };

    let step: Step = 'code_exchange';
    let issuerKnown = false;
    try {
      const previous = await this.secretsOf(row);
      const resolved = this.deps.settings.of(row, previous, payload.pending);
      const { kind } = resolved;
      // The callback is the consent step's: only kinds that go through the browser come back here.
      if (!kind.consent) throw new HitchError('auth_not_supported');
      const settings = await prepared(resolved);
      const expectedIssuer = flow.issuer ?? undefined;
      issuerKnown = (expectedIssuer ?? settings.issuer) !== undefined;
      const answer = { callbackParameters: query, expectedState: state!, expectedIssuer };
      if (kind.consent.check) {
        // The one layer that reads the callback's query: state, `iss`, `error`, a code.
        step = 'authorization_response';
        kind.consent.check(settings, answer);
        step = 'code_exchange';
      }
      const consented = await kind.consent.finish(settings, {
        ...answer,
        flowSecrets: payload.flowSecrets,
        redirectUri: this.deps.redirectUri,
      });
      crashPoint('callback:after-exchange');
      const data = parseData(row);
      const learned = { ...data.learned, ...consented.learned };
      // Values the templates need and the connection lacks (Atlassian's cloud id) are asked of the service now.
      if (lookupNeeded(settings.lookup, { ...learned, ...data.parameters, ...payload.pending.values })) {
        const secrets = this.secretsToKeep(row, previous, consented, payload.pending);
        const options = await lookUp(
          this.deps.outbound,
          settings.lookup!,
          kind.place(settings, secrets),
          resolved.headers,
          Object.fromEntries(
            this.deps.settings.definitionOf(row).definition.parameters.map((p) => [p.name, p.pattern]),
          ),
        );
        if (options.length > 1) return await this.askToChoose(flow, row, payload, consented, options, settings.lookup!);
        Object.assign(learned, options[0]!.values);
      }
      return await this.activate(row, flow, payload, previous, consented, learned);
    } catch (error) {
      throw await this.refused(row, actor, step, error, issuerKnown);
    }
  }

  /**
   * `POST /oauth/choose`: the person picked one of the things the service offered (an Atlassian
   * site). The waiting flow is found, checked and used up like the callback's; then the connection
   * is verified and saved with the values of the one picked.
   */
  async choose(
    choice: string | undefined,
    option: string | undefined,
    signedInUserId: string | null,
  ): Promise<Connected> {
    const { flow, row, payload } = await this.take(choice ?? null, signedInUserId, 'authorization_choice_invalid');
    const actor = { userId: flow.user_id };
    try {
      const picked = payload.choice?.options[/^\d{1,3}$/.test(option ?? '') ? Number(option) : -1];
      if (!payload.choice || !picked) throw new HitchError('authorization_choice_invalid');
      const { consented } = payload.choice;
      const learned = { ...parseData(row).learned, ...consented.learned, ...picked.values };
      return await this.activate(row, flow, payload, await this.secretsOf(row), consented, learned);
    } catch (error) {
      throw await this.refused(row, actor, 'code_exchange', error, false);
    }
  }

  /**
   * The flow behind a state (or a choice): it must exist, be unexpired and unused, and belong to
   * the signed-in user; only then is it used up. Its starter must still have the right to change
   * the connection.
   */
  private async take(
    state: string | null,
    signedInUserId: string | null,
    unknown: 'oauth_state_invalid' | 'authorization_choice_invalid' = 'oauth_state_invalid',
  ): Promise<{ flow: OAuthFlowRow; row: ConnectionRow; payload: FlowPayload }> {
    if (!state || state.length > 512) throw new HitchError(unknown);
    const peeked = await this.deps.flows.peek(state);
    if (!peeked || peeked.expires_at < Date.now()) throw new HitchError(unknown);
    // The callback cannot be judged before the person signs in; the flow stays unused.
    if (signedInUserId === null)
      throw new HitchError('unauthenticated', { message: 'Sign in to Hitch to finish connecting.' });
    if (signedInUserId !== peeked.user_id) throw new HitchError('oauth_wrong_user');

    const flow = await this.deps.flows.consume(state);
    // Another tab or instance used it between peek and consume.
    if (!flow) throw new HitchError(unknown);
    const row = await this.deps.connections.byId(flow.connection_id);
    if (!row)
      throw new HitchError(unknown, {
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
    return { flow, row, payload: await this.deps.flows.payload(flow) };
  }

  /** A failure of the consent as people read it, recorded as the connection's event. */
  private async refused(
    row: ConnectionRow,
    actor: { userId: string },
    step: Step,
    error: unknown,
    issuerKnown: boolean,
  ): Promise<HitchError> {
    const translated = failureAt(step, error, { issuerKnown });
    if (!translated) this.deps.log.error({ err: error, connectionId: row.id }, 'authorization callback failed');
    const failure = translated ?? new HitchError('oauth_failed');
    await this.deps.events.record(row.team_id, row.id, 'connection.authorization_failed', actor, failure.message);
    return refusal(failure, row.id);
  }

  /**
   * Several things offered: what the consent gave waits, encrypted, in a new single-use flow bound
   * to the same person, until they pick one. Nothing about the connection changes yet.
   */
  private async askToChoose(
    flow: OAuthFlowRow,
    row: ConnectionRow,
    payload: FlowPayload,
    consented: Consented,
    options: LookupChoice[],
    lookup: LookupDefinition,
  ): Promise<Choosing> {
    const { state } = await this.deps.flows.start({
      connectionId: row.id,
      teamId: row.team_id,
      userId: flow.user_id,
      purpose: flow.purpose === 'reauthorize' ? 'reauthorize' : 'create',
      issuer: undefined,
      payload: { ...payload, flowSecrets: {}, choice: { consented, options } },
    });
    return { connectionId: row.id, choice: state, prompt: lookup.prompt, options: options.map((o) => o.label) };
  }

  /**
   * The consent's credentials and what was learned, checked by the verify request (whose URL may use
   * the values just learned, such as Salesforce's instance_url), then stored: the connection is active.
   */
  private async activate(
    row: ConnectionRow,
    flow: OAuthFlowRow,
    payload: FlowPayload,
    previous: ConnectionSecrets,
    consented: Consented,
    learned: Record<string, string>,
  ): Promise<Connected> {
    const data = parseData(row);
    const resolved = this.deps.settings.of(
      { ...row, data: JSON.stringify({ ...data, learned }) },
      previous,
      payload.pending,
    );
    const verifySettings = await prepared(resolved);
    const secrets = this.secretsToKeep(row, previous, consented, payload.pending);
    const placed = resolved.kind.place(verifySettings, secrets);
    const fetched = await fetchAccount(this.deps.outbound, verifySettings.verify, placed);
    const account = fetched?.id ? fetched : (consented.account ?? fetched);

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

    await this.store(row, secrets, consented, payload.scopes, payload.pending, account, learned);
    crashPoint('callback:after-write');
    const reauthorized = flow.purpose === 'reauthorize';
    await this.deps.events.record(
      row.team_id,
      row.id,
      reauthorized ? 'connection.reauthorized' : 'connection.authorized',
      { userId: flow.user_id },
      account?.label ? `Authorized as ${account.label}.` : 'Authorized.',
    );
    return { connectionId: row.id, reauthorized };
  }

  private async secretsOf(row: ConnectionRow): Promise<ConnectionSecrets> {
    return row.secrets_enc
      ? this.deps.vault.decryptJson<ConnectionSecrets>(row.secrets_enc, secretContext(row.id))
      : { parameters: {} };
  }

  /**
   * The secrets the connection keeps: what the consent gave, with the parameters and the destinations
   * they are bound to. A reauthorization without a new refresh token keeps the grant's old one, but only
   * from the same token endpoint: a refresh token is never sent to an endpoint other than the one that issued it.
   */
  private secretsToKeep(
    row: ConnectionRow,
    previous: ConnectionSecrets,
    consented: Consented,
    pending: { values: Record<string, unknown>; secrets: Record<string, string> },
  ): ConnectionSecrets {
    const data: ConnectionData = parseData(row);
    const values = { ...data.parameters, ...pending.values } as ConnectionData['parameters'];
    const kind = this.deps.settings.definitionOf(row).definition;
    const { tokenEndpoint } = consented;
    const sameEndpoint =
      previous.tokenEndpoint !== undefined
        ? previous.tokenEndpoint === tokenEndpoint
        : changedDestinations(kind, data.parameters, values).length === 0;
    const { refreshToken: issued, ...credentials } = consented.credentials;
    const refreshToken = issued ?? (sameEndpoint ? previous.refreshToken : undefined);
    return {
      ...credentials,
      ...(refreshToken ? { refreshToken } : {}),
      parameters: { ...previous.parameters, ...pending.secrets },
      destinations: destinationsOf(kind, values),
      ...(tokenEndpoint ? { tokenEndpoint } : {}),
    };
  }

  private async store(
    row: ConnectionRow,
    secrets: ConnectionSecrets,
    tokens: Consented,
    requestedScopes: string[],
    pending: { values: Record<string, unknown>; secrets: Record<string, string> },
    account: Account | null,
    learned: Record<string, string>,
  ): Promise<void> {
    const now = Date.now();
    const data: ConnectionData = parseData(row);
    const values = { ...data.parameters, ...pending.values } as ConnectionData['parameters'];
    const expiresAt = tokens.expiresInSeconds !== undefined ? now + tokens.expiresInSeconds * 1000 : null;
    const granted = tokens.scopes ?? requestedScopes;
    const forecast = forecastGrant(grantLifetimeOf(this.deps.settings.definitionOf(row).definition), {
      at: now,
      event: 'authorized',
      values,
      previousRenewBy: null,
      serviceEndsAt:
        tokens.refreshExpiresInSeconds !== undefined ? now + tokens.refreshExpiresInSeconds * 1000 : undefined,
    });
    await this.deps.connections.bumpCredentials(row.id, {
      status: 'active',
      secrets_enc: this.deps.vault.encryptJson(secrets, secretContext(row.id)),
      scopes: JSON.stringify(granted),
      data: JSON.stringify({
        ...data,
        parameters: values,
        learned,
        requestedScopes,
        secretsSet: secretsSetOf(secrets),
      }),
      expires_at: expiresAt,
      next_refresh_at:
        secrets.refreshToken || tokens.renewable ? nextRefreshAt(now, expiresAt, forecast.keepAliveBy) : expiresAt,
      renew_by: forecast.renewBy,
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

/** Settings completed (OpenID discovery) the way the kind completes them. */
async function prepared(resolved: ResolvedConnection): Promise<KindSettings> {
  return resolved.kind.prepare ? resolved.kind.prepare(resolved.settings) : resolved.settings;
}
