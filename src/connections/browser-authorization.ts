import type { SplitParameters } from '../catalog/parameters.ts';
import { HitchError } from '../errors.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Caller } from './change-rights.ts';
import { failureAt } from './failures.ts';
import type { Consent, KindSettings } from './kinds/kind.ts';
import type { OAuthFlows } from './oauth-flows.ts';
import type { ResolvedConnection } from './settings.ts';

/** A connection about to go through its kind's consent step, its settings completed. */
export interface Consenting {
  consent: Consent;
  settings: KindSettings;
}

/**
 * The part of creating and reauthorizing that sends a person to the service's
 * consent page: settings completed (OpenID discovery), a fresh state, and the
 * kind's consent step (PKCE, the authorize URL); the flow is stored only when the
 * caller has written the rest.
 */
export class BrowserAuthorization {
  constructor(
    private readonly deps: {
      flows: OAuthFlows;
      /** `${PUBLIC_URL}/oauth/callback`. */
      redirectUri: string;
    },
  ) {}

  /** The consent step of a connection that goes through the browser, settings completed; other kinds have none. */
  async settingsFor(resolved: ResolvedConnection): Promise<Consenting> {
    const { kind } = resolved;
    if (!kind.consent) throw new HitchError('auth_not_supported');
    return {
      consent: kind.consent,
      settings: kind.prepare ? await kind.prepare(resolved.settings) : resolved.settings,
    };
  }

  /**
   * Everything an authorization needs that can fail — the kind's start (PKCE, the authorize URL) —
   * made before any write; `save` then stores the flow. So a refused request leaves no connection, flow or event.
   */
  async prepare(
    row: Pick<ConnectionRow, 'id' | 'team_id'>,
    caller: Caller,
    consenting: Consenting,
    scopes: string[],
    purpose: 'create' | 'reauthorize',
    pending: SplitParameters,
    allowAccountChange: boolean,
  ): Promise<{ authorizeUrl: string; save(): Promise<void> }> {
    const { consent, settings } = consenting;
    const state = this.deps.flows.newState();
    let started: Awaited<ReturnType<Consent['start']>>;
    try {
      started = await consent.start(settings, { redirectUri: this.deps.redirectUri, scopes, state });
    } catch (error) {
      throw failureAt('consent_start', error) ?? error;
    }
    const { authorizeUrl, flowSecrets } = started;
    return {
      authorizeUrl,
      save: async () => {
        await this.deps.flows.start({
          connectionId: row.id,
          teamId: row.team_id,
          userId: caller.userId,
          purpose,
          issuer: settings.issuer,
          state,
          payload: { flowSecrets, scopes, pending, allowAccountChange },
        });
      },
    };
  }
}
