import { importSigningKey, signAssertion, SigningKeyUnusable } from '../../auth/jwt/assertion.ts';
import { jwtBearerGrant } from '../../auth/jwt/jwt-bearer-grant.ts';
import { placeBearerToken } from '../../auth/inject.ts';
import { joinScopes } from '../../auth/oauth2/index.ts';
import { resolveJwt, type JwtAssertionSettings } from '../../catalog/resolve-jwt.ts';
import { HitchError, invalidField } from '../../errors.ts';
import type { ConnectionSecrets } from '../model.ts';
import { fetchAccount } from '../verify-request.ts';
import type { ConnectionKind, KindDeps, RenewedTokens } from './kind.ts';
import { scrubbed } from './oauth2.ts';
import { createProtocolOptions } from './protocol-options.ts';

/**
 * The JWT bearer grant (RFC 7523 §2.1) with the connection's own key: Google
 * service accounts, DocuSign and Salesforce. Accepted when the token endpoint
 * takes a freshly signed assertion (and the verify request, when the app has
 * one, takes the token); renewed by signing a new assertion, through the same
 * renewal path as every kind. There is no refresh token, and the private key
 * leaves the vault only into the signer.
 */
export function jwtBearerKind(deps: KindDeps): ConnectionKind<JwtAssertionSettings> {
  const protocolOptions = createProtocolOptions(deps);

  function signingKey(settings: JwtAssertionSettings) {
    try {
      return importSigningKey(settings.privateKey, settings.algorithm);
    } catch (error) {
      if (error instanceof SigningKeyUnusable)
        throw invalidField(`parameters.${settings.privateKeyParameter}`, error.reason);
      throw error;
    }
  }

  async function assertionFor(settings: JwtAssertionSettings, scope: string | undefined): Promise<string> {
    const key = signingKey(settings);
    return signAssertion({
      claims: { ...settings.claims, ...(settings.scopeIn === 'claims' && scope ? { scope } : {}) },
      key,
      algorithm: settings.algorithm,
      keyId: settings.keyId,
      lifetimeSeconds: settings.lifetimeSeconds,
    });
  }

  /** One assertion, exchanged: what a new connection and every renewal do. */
  async function exchange(settings: JwtAssertionSettings, requested: string[], previous: ConnectionSecrets) {
    const scopes = [...new Set([...settings.baseScopes, ...requested])];
    const scope = scopes.length ? joinScopes(scopes, settings.scopeSeparator) : undefined;
    const assertion = await assertionFor(settings, scope);
    const now = Date.now();
    try {
      const tokens = await jwtBearerGrant({
        tokenEndpoint: settings.tokenUrl,
        assertion,
        ...(settings.scopeIn === 'body' ? { scopes } : {}),
        scopeSeparator: settings.scopeSeparator,
        ...protocolOptions(settings.tokenUrl),
      });
      const renewed: RenewedTokens = {
        secrets: {
          parameters: previous.parameters,
          ...(previous.destinations ? { destinations: previous.destinations } : {}),
          accessToken: tokens.accessToken,
          tokenType: tokens.tokenType,
        },
        expiresAt: tokens.expiresIn !== undefined ? now + tokens.expiresIn * 1000 : null,
        ...(tokens.scope ? { scopes: tokens.scope } : {}),
      };
      return { renewed, scopes };
    } catch (error) {
      // A service may quote the assertion back; it is a bearer credential until it expires.
      throw scrubbed(error, [assertion]);
    }
  }

  const place = (settings: JwtAssertionSettings, secrets: ConnectionSecrets) => {
    if (!secrets.accessToken) throw new HitchError('connection_not_authorized');
    return placeBearerToken(secrets.accessToken, settings.placement);
  };

  return {
    type: 'jwt',
    flow: 'assertion',
    words: 'this private key',
    resolve(_app, definition, input) {
      if (definition.type !== 'jwt') throw new TypeError(`jwt cannot resolve a ${definition.type} kind`);
      const settings = resolveJwt(definition, { ...input, app: null });
      if (settings.flow !== 'assertion') throw new TypeError('the JWT bearer kind resolves the assertion flow');
      return settings;
    },
    // A key that cannot sign is the person's to fix, named before anything is sent.
    prepare(settings) {
      signingKey(settings);
      return Promise.resolve(settings);
    },
    place,

    async accept(settings, input) {
      const { renewed, scopes } = await exchange(settings, input.scopes, { parameters: input.secrets });
      const verified = await fetchAccount(deps.outbound, settings.verify, place(settings, renewed.secrets));
      const subject = settings.claims.sub ?? settings.claims.iss;
      return {
        ...renewed,
        scopes: renewed.scopes ?? scopes,
        account: verified?.id ? verified : { id: subject, label: verified?.label ?? subject },
        verified: true,
      };
    },

    async renew(settings, secrets, connection) {
      return (await exchange(settings, connection.scopes, secrets)).renewed;
    },
  };
}
