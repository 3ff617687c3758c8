import type { SplitParameters } from '../catalog/parameters.ts';
import type { OAuth2Settings } from '../catalog/resolve.ts';
import { HitchError } from '../errors.ts';
import type { ConnectionRow } from '../store/schema.ts';
import type { Caller } from './change-rights.ts';
import type { OAuth2Protocol } from './kinds/oauth2.ts';
import type { OAuthFlows } from './oauth-flows.ts';
import type { ResolvedConnection } from './settings.ts';

/**
 * The part of creating and reauthorizing that sends a person to the service's
 * consent page: settings completed (OpenID discovery), PKCE, a fresh state and
 * the authorize URL; the flow is stored only when the caller has written the rest.
 */
export class BrowserAuthorization {
  constructor(
    private readonly deps: {
      oauth2: OAuth2Protocol;
      flows: OAuthFlows;
      /** `${PUBLIC_URL}/oauth/callback`. */
      redirectUri: string;
    },
  ) {}

  /** OAuth 2.0 settings of a connection that goes through the browser, completed; other kinds have no authorize URL. */
  async settingsFor(resolved: ResolvedConnection): Promise<OAuth2Settings> {
    if (resolved.kind.authorization !== 'browser' || resolved.definition.type !== 'oauth2') {
      throw new HitchError('auth_not_supported');
    }
    return this.deps.oauth2.complete(resolved.settings as OAuth2Settings);
  }

  /**
   * Everything an authorization needs that can fail — PKCE, the authorize URL — made before any
   * write; `save` then stores the flow. So a refused request leaves no connection, flow or event.
   */
  async prepare(
    row: Pick<ConnectionRow, 'id' | 'team_id'>,
    caller: Caller,
    settings: OAuth2Settings,
    scopes: string[],
    purpose: 'create' | 'reauthorize',
    pending: SplitParameters,
    allowAccountChange: boolean,
  ): Promise<{ authorizeUrl: string; save(): Promise<void> }> {
    const pkce = settings.pkce ? await this.deps.oauth2.newPkce() : null;
    const state = this.deps.flows.newState();
    const authorizeUrl = this.deps.oauth2.authorizationUrl(settings, {
      redirectUri: this.deps.redirectUri,
      scopes,
      state,
      codeChallenge: pkce?.challenge ?? null,
    });
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
          payload: { pkceVerifier: pkce?.verifier ?? null, scopes, pending, allowAccountChange },
        });
      },
    };
  }
}
