import type { PlacedCredential } from '../../auth/inject.ts';
import type { ParameterValue } from '../../catalog/parameters.ts';
import type { ExpiredWhen } from '../../catalog/resolve-expired-when.ts';
import type { VerifySettings } from '../../catalog/resolve.ts';
import type {
  AppDefinition,
  ConnectionKindDefinition,
  LookupDefinition,
  NonExpiringTokensDefinition,
} from '../../catalog/schema.ts';
import type { Config } from '../../config.ts';
import type { Outbound } from '../../outbound/types.ts';
import type { ConnectionSecrets } from '../model.ts';

/** The platform's own OAuth client for an app (HITCH_APP_<ID>_CLIENT_*), read once at start-up. */
export type PlatformClient = { clientId: string; clientSecret: string | undefined } | null;

/** What a kind's templates are filled from: the connection's parameters, what it learned, its secret parameters, the platform's client. */
export interface ResolveInput {
  values: Record<string, ParameterValue>;
  learned: Record<string, string>;
  secrets: Record<string, string>;
  platform: PlatformClient;
}

/** The part of every kind's settings the core reads: where requests go and how the connection checks itself. */
export interface KindSettings {
  baseUrl: string | undefined;
  verify: VerifySettings;
  /** Set by kinds of a type with several flows (OAuth 2.0's authorization_code, client_credentials). */
  flow?: string;
  /** OAuth kinds: whose client this is (the person's own, or the platform's). */
  client?: { own: boolean } | null;
  /** Browser kinds: the authorization server's issuer, kept with the flow for the callback's `iss` check (RFC 9207). */
  issuer?: string | undefined;
  /** Browser kinds: scopes every authorization asks for, whatever else is requested. */
  baseScopes?: string[];
  /** Browser kinds: the request after consent that finds values the templates use (post-authorization-lookup.ts). */
  lookup?: LookupDefinition | undefined;
  /** JWT kinds: where a person gives the one-time consent a service asks for before it accepts assertions. */
  consentUrl?: string | undefined;
}

/** What a renewal brings back, ready to store. */
export interface RenewedTokens {
  secrets: ConnectionSecrets;
  expiresAt: number | null;
  scopes?: string[];
  renewBy?: number | null;
}

/** The account the verify request names. */
export interface Account {
  id?: string;
  label?: string;
}

/** What a kind without a browser step brings back once the service accepted it. */
export interface Accepted {
  secrets: ConnectionSecrets;
  expiresAt: number | null;
  scopes: string[];
  account: Account | null;
  /** True when the service was asked and said yes. */
  verified: boolean;
  /** When the credentials stop working for good and must be replaced (an API key's end): warned about ahead. */
  renewBy?: number | null;
}

/**
 * What a kind's consent step needs back at the callback and nobody else may read:
 * the PKCE verifier for OAuth 2.0, the request-token secret for OAuth 1.0a. Stored
 * encrypted in the flow, for one flow only.
 */
export type FlowSecrets = Record<string, string>;

/** The service's answer as the callback received it, and what it must match. */
export interface ConsentAnswer {
  /** The callback's whole query (`code`, `state`, `iss`, `oauth_verifier`, an `error`). */
  callbackParameters: URLSearchParams;
  /** The state Hitch sent; the flow was found by it, single use and bound to the signed-in user. */
  expectedState: string;
  /** The issuer stored with the flow, when the settings named one. */
  expectedIssuer: string | undefined;
}

/** What a consent brings back, ready to store with the connection's parameters and destinations. */
export interface Consented {
  /** The credentials the kind places: tokens, and what it keeps besides (`kindSecrets`). */
  credentials: Pick<ConnectionSecrets, 'accessToken' | 'refreshToken' | 'tokenType' | 'kindSecrets'>;
  expiresInSeconds?: number;
  /** When the grant itself ends. */
  refreshExpiresInSeconds?: number;
  /** Granted, when the service says; else what was requested. */
  scopes?: string[];
  /** Values learned from the answer (QuickBooks' `realmId`, Salesforce's `instance_url`); may enter the settings. */
  learned: Record<string, string>;
  /** The endpoint that issued `credentials.refreshToken`: it is sent nowhere else. */
  tokenEndpoint?: string | undefined;
  /** The account, when the consent itself named it (a GitHub App's installation); the verify request's answer comes first. */
  account?: Account | undefined;
  /** Renewed without a refresh token (a new app JWT buys a new token), so renewal is scheduled ahead of expiry. */
  renewable?: boolean;
}

/**
 * The browser step of a kind: a person is sent to the service (`start`) and comes
 * back to `GET /oauth/callback` (`check`, then `finish`). The core owns the state
 * (random, single use, bound to the user and the connection), the flow row, the
 * verify request and the write; the kind owns the protocol.
 */
export interface Consent<S extends KindSettings = KindSettings> {
  /**
   * The authorize URL for this state (carried back to `redirectUri`) and the secrets
   * the callback will need. Nothing is stored yet; a failure here saves nothing.
   */
  start(
    settings: S,
    input: { redirectUri: string; scopes: string[]; state: string },
  ): Promise<{ authorizeUrl: string; flowSecrets: FlowSecrets }>;
  /** The answer judged before anything is exchanged (state, `iss`, an `error`); failures read as the authorization response's. */
  check?(settings: S, answer: ConsentAnswer): void;
  /** The answer turned into credentials (OAuth 2.0's code exchange, OAuth 1.0a's access-token request). */
  finish(settings: S, input: ConsentAnswer & { flowSecrets: FlowSecrets; redirectUri: string }): Promise<Consented>;
}

/**
 * One kind of connection, chosen by the catalog's `(type, flow)`. Its steps
 * raise their own errors (OAuthProtocolError, VerifyRefused, GrantUnusable);
 * connections/failures.ts alone turns them into statuses and HitchErrors.
 *
 * Adding a kind (OAuth 1.0a, JWT bearer) is a file beside this
 * one implementing it, and a line in kinds/index.ts.
 */
export interface ConnectionKind<S extends KindSettings = KindSettings> {
  readonly type: ConnectionKindDefinition['type'];
  /** The flow within the type; undefined for types with one way to authorize. */
  readonly flow?: string;
  /** Words for the refusal sentence: "The service refused this key". */
  readonly words: string;
  /** The kind's templates filled for one connection; pure — configuration comes in through `input.platform`. */
  resolve(app: AppDefinition, definition: ConnectionKindDefinition, input: ResolveInput): S;
  /** Completes settings that need the network (OpenID discovery) before `accept`, `renew` or `revoke`; checks what they require. */
  prepare?(settings: S): Promise<S>;
  /** The credentials, as a list the outbound client places on each request. */
  place(settings: S, secrets: ConnectionSecrets): PlacedCredential[];
  /**
   * Browser kinds: a person consents at the service and comes back to the callback.
   * Kinds without it are direct: the service is asked at once (`accept`).
   */
  consent?: Consent<S>;
  /** Direct kinds: asks the service whether these values work; nothing is stored here. */
  accept?(
    settings: S,
    input: {
      secrets: Record<string, string>;
      scopes: string[];
      /** The app's expiry signals: a verify answer that matches one refuses the new values. */
      expiredWhen: ExpiredWhen;
    },
  ): Promise<Accepted>;
  /**
   * Kinds without `renew` whose credentials a 401 shows are gone (OAuth 1.0a's tokens, which
   * do not expire): after a 401 that the verify request confirms, the connection becomes
   * `reauthorization_required`. Others pass the 401 on and change nothing.
   */
  readonly lostOn401?: boolean;
  /** Kinds whose credentials expire: new credentials from the service. Absent: a 401 is passed on, not retried. */
  renew?(settings: S, secrets: ConnectionSecrets, connection: { scopes: string[] }): Promise<RenewedTokens>;
  /**
   * Trades a token that never expires for an expiring one the service then refreshes (its
   * documented token exchange, given by the app's `nonExpiringTokens.exchange`).
   */
  exchangeNonExpiring?(
    settings: S,
    secrets: ConnectionSecrets,
    exchange: NonNullable<NonExpiringTokensDefinition['exchange']>,
  ): Promise<RenewedTokens>;
  /** Best effort at deletion. */
  revoke?(settings: S, secrets: ConnectionSecrets): Promise<void>;
}

/** `browser`: the kind has a consent step; `direct`: the service is asked at once. */
export function authorizationOf(kind: ConnectionKind): 'browser' | 'direct' {
  return kind.consent ? 'browser' : 'direct';
}

/** Built-in kinds and kinds added beside them are made from the same parts of Hitch. */
export interface KindDeps {
  outbound: Outbound;
  network: Config['network'];
  /** The platform's own signing apps (HITCH_APP_<ID>_APP_*), read at start-up. */
  platformApps: Config['platformApps'];
}

/**
 * A kind's own finding, before any protocol step, that its grant cannot be
 * used: there is no refresh token, the token endpoint is not the one that
 * issued it, or the service refused credentials that cannot be renewed. The
 * grant is lost for Hitch (`reason`); failures.ts says what people read.
 */
export class GrantUnusable extends Error {
  readonly reason = 'grant_revoked' as const;
  constructor(readonly code: 'not_renewable' | 'token_endpoint_changed' | 'refused') {
    super(`The grant cannot be used: ${code}.`);
    this.name = 'GrantUnusable';
  }
}
