import { ASSERTION_ALGORITHMS, type AssertionAlgorithm } from '../auth/jwt/assertion.ts';
import { invalidField } from '../errors.ts';
import type { PlatformApp } from '../platform-apps.ts';
import type { ParameterValue } from './parameters.ts';
import {
  fill,
  fillMap,
  fillString,
  labelOf,
  oneOf,
  resolvePlacement,
  resolveVerify,
  valuesOf,
  type Placement,
  type VerifySettings,
} from './resolve.ts';
import type { JwtKindDefinition } from './schema.ts';

/** A JWT bearer-grant kind made concrete for one connection (RFC 7523 §2.1). */
export interface JwtAssertionSettings {
  flow: 'assertion';
  tokenUrl: string;
  /** The claims as the assertion carries them; `aud` defaults to the token endpoint. */
  claims: { iss: string; sub: string | undefined; aud: string };
  /** Secret: goes only into the signer. */
  privateKey: string;
  /** The parameter it came from, for the field an error names. */
  privateKeyParameter: string;
  algorithm: AssertionAlgorithm;
  keyId: string | undefined;
  lifetimeSeconds: number;
  scopeSeparator: ' ' | ',';
  baseScopes: string[];
  scopeIn: 'claims' | 'body' | 'none';
  /** Where a person gives the one-time consent the service asks for before it accepts assertions. */
  consentUrl: string | undefined;
  placement: Placement;
  baseUrl: string | undefined;
  verify: VerifySettings;
}

/** An app-installation kind made concrete (GitHub Apps): the platform's app, and the installation once learned. */
export interface JwtInstallationSettings {
  flow: 'installation';
  installUrl: string | undefined;
  userTokenUrl: string | undefined;
  userInstallationsUrl: string | undefined;
  /** Where the installation's tokens come from, filled for the installation the install named. */
  accessTokenUrl: (installationId: string) => string | undefined;
  revokeTokenUrl: string | undefined;
  /** Learned at install; undefined until then. */
  installationId: string | undefined;
  apiHeaders: Record<string, string>;
  /** Null when the platform has no such app configured (HITCH_APP_<ID>_APP_*). */
  app: PlatformApp | null;
  lifetimeSeconds: number;
  placement: Placement;
  baseUrl: string | undefined;
  verify: VerifySettings;
}

export type JwtSettings = JwtAssertionSettings | JwtInstallationSettings;

/** Fills a JWT kind for one connection; `learned` holds the install's `installation_id`. */
export function resolveJwt(
  kind: JwtKindDefinition,
  input: {
    values: Record<string, ParameterValue>;
    learned: Record<string, string>;
    secrets: Record<string, string>;
    app: PlatformApp | null;
  },
): JwtSettings {
  const values = valuesOf(kind, input.values, input.learned);
  const baseUrl = fillString(kind.baseUrl, values);
  const common = {
    placement: resolvePlacement(kind.placement, values),
    baseUrl,
    verify: resolveVerify(kind.verify, values, baseUrl),
    lifetimeSeconds: kind.assertionLifetimeSeconds,
  };
  if (kind.flow === 'installation') {
    const withApp = { ...values, app_slug: input.app?.slug };
    return {
      ...common,
      flow: 'installation',
      installUrl: fillString(kind.installUrl, withApp),
      userTokenUrl: fillString(kind.userTokenUrl, values),
      userInstallationsUrl: fillString(kind.userInstallationsUrl, values),
      accessTokenUrl: (installationId) =>
        fillString(kind.accessTokenUrl, { ...values, installation_id: installationId }),
      revokeTokenUrl: fillString(kind.revokeTokenUrl, values),
      installationId: input.learned.installation_id,
      // `{{apiVersion}}` names the app's version (GitHub's X-GitHub-Api-Version) on the installation calls too.
      apiHeaders: fillMap(kind.apiHeaders, values),
      app: input.app,
    };
  }

  const tokenUrl = fillString(kind.tokenUrl, values);
  if (!tokenUrl) throw invalidField('parameters.tokenUri', 'The Token URI is required.');
  const iss = fillString(kind.claims?.iss, values);
  if (!iss)
    throw invalidField(fieldOf(kind.claims?.iss), `${labelFor(kind, kind.claims?.iss, 'The issuer')} is required.`);
  const privateKey = input.secrets[kind.privateKeyParameter];
  if (!privateKey)
    throw invalidField(
      `parameters.${kind.privateKeyParameter}`,
      `${labelOf(kind, kind.privateKeyParameter)} is required.`,
    );
  return {
    ...common,
    flow: 'assertion',
    tokenUrl,
    claims: {
      iss,
      sub: fillString(kind.claims?.sub, values),
      aud: fillString(kind.claims?.aud, values) ?? tokenUrl,
    },
    privateKey,
    privateKeyParameter: kind.privateKeyParameter,
    algorithm: oneOf(fill(kind.algorithm, values), ASSERTION_ALGORITHMS, 'RS256'),
    keyId: fillString(kind.keyId, values),
    scopeSeparator: kind.scopeSeparator,
    baseScopes: [...kind.baseScopes, ...listOf(kind.scopesParameter ? values[kind.scopesParameter] : undefined)],
    scopeIn: kind.scopeIn,
    consentUrl: fillString(kind.consentUrl, values),
  };
}

function listOf(value: ParameterValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v) => v !== '') : [];
}

/** The parameter a whole-string template names, as the field an error points at. */
function fieldOf(template: string | undefined): string {
  const name = template ? /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/.exec(template)?.[1] : undefined;
  return name ? `parameters.${name}` : 'parameters';
}

function labelFor(kind: JwtKindDefinition, template: string | undefined, fallback: string): string {
  const field = fieldOf(template);
  return field === 'parameters' ? fallback : labelOf(kind, field.slice('parameters.'.length));
}
