import { placeBasic, type PlacedCredential } from '../../auth/inject.ts';
import type { InputDefinition } from '../../catalog/schema.ts';
import { GRANT_INPUTS, settingsEndpoints } from './grant-settings.ts';
import { invalidField } from '../../errors.ts';
import { assertKeyOrigin } from '../../keys/origins.ts';
import type { UsableKey } from '../../keys/types.ts';
import type { OutboundRequest } from '../../outbound/types.ts';
import {
  HTTP_INPUTS,
  httpInputs,
  httpOutcome,
  parseAbsolute,
  recordedUrl,
  withQuery,
  type HttpInputs,
} from './http-exchange.ts';
import { DEFAULT_RATE_LIMIT, type RateLimitDefinition } from '../../catalog/schema.ts';
import { sendRespectingRateLimits } from './rate-limit.ts';
import type { ModuleOutcome, ModuleRunContext, ModuleSpec } from './types.ts';

/**
 * The HTTP app's modules (Make's names): a plain request, and requests that
 * carry a keychain key or an OAuth 2.0 or 1.0a connection. Keys of type apiKey and
 * basic go as the outbound client's credential list, like connections of those
 * kinds: placed on the URL's origin, dropped on a redirect anywhere else.
 */

async function send(
  context: ModuleRunContext,
  request: HttpInputs,
  extra: Pick<OutboundRequest, 'tls' | 'maxRedirects'> = {},
  placed: PlacedCredential[] = [],
): Promise<ModuleOutcome> {
  // What the module asked for, recorded as it is: the credentials are placed by the outbound client.
  const sent = withQuery(parseAbsolute(request.url), request.query);
  context.credentialsUsed(placed);
  const started = performance.now();
  // A plain URL belongs to no app: HTTP's own rule (429 and Retry-After) says when to wait.
  const response = await sendRespectingRateLimits(
    DEFAULT_RATE_LIMIT,
    () =>
      context.outbound.request({
        url: sent,
        method: request.method,
        headers: { ...request.headers },
        body: request.body ?? null,
        timeoutMs: request.timeoutMs,
        credentials: placed,
        ...extra,
        ...(context.signal ? { signal: context.signal } : {}),
      }),
    { sleep: context.sleep, signal: context.signal },
  );
  return httpOutcome(response, {
    method: request.method,
    url: recordedUrl(sent, response.url),
    status: response.status,
    ms: Math.round(performance.now() - started),
  });
}

/** The module's key, once the URL it is about to call is on one of the key's origins. */
function requireKey(context: ModuleRunContext): UsableKey {
  if (!context.key) throw invalidField('keyId', 'This module needs a key.');
  assertKeyOrigin(context.key, context.inputs.url);
  return context.key;
}

/** An apiKey key as a placed credential; the value goes as given (it may carry a prefix such as `Bearer `). */
export function placeApiKey(key: UsableKey): PlacedCredential[] {
  return [
    {
      in: key.parameters.placement === 'query' ? 'query' : 'header',
      name: key.parameters.parameterName!,
      value: key.secrets.key!,
    },
  ];
}

/**
 * Through a connection: a path below its base URL (or a URL on its origin),
 * sent by the connection core — credentials injected, renewed when needed, one
 * retry after a 401 — and sent again after the waits the app's rate-limit hints ask for.
 */
/**
 * A module that sends the request its inputs describe through a connection of
 * the app, reaching what its Allowed method and path settings grant: the HTTP
 * app's OAuth requests and every app's "Make an API call".
 */
export function connectionRequestModule(spec: {
  app: string;
  id: string;
  name: string;
  urlHelp: string;
  rateLimit?: RateLimitDefinition;
}): ModuleSpec {
  return {
    app: spec.app,
    id: spec.id,
    name: spec.name,
    needs: { kind: 'connection', app: spec.app, endpoints: settingsEndpoints },
    inputs: [
      ...HTTP_INPUTS.map((input) => (input.name === 'url' ? { ...input, help: spec.urlHelp } : input)),
      ...GRANT_INPUTS,
    ],
    scopes: [],
    run: (context) => sendThroughConnection(context, httpInputs(context.inputs), spec.rateLimit),
  };
}

export async function sendThroughConnection(
  context: ModuleRunContext,
  request: HttpInputs,
  rateLimit: RateLimitDefinition = DEFAULT_RATE_LIMIT,
): Promise<ModuleOutcome> {
  if (!context.connectionId) throw invalidField('connectionId', 'This module needs a connection.');
  const absolute = /^https?:\/\//i.test(request.url);
  const sent = absolute
    ? withQuery(parseAbsolute(request.url), request.query)
    : withQuery(new URL(request.url, 'http://relative.invalid'), request.query);
  const target = absolute ? sent.href : `${sent.pathname}${sent.search}`;
  const started = performance.now();
  const connectionId = context.connectionId;
  const response = await sendRespectingRateLimits(
    rateLimit,
    () =>
      context.connections.request(connectionId, {
        method: request.method,
        url: target,
        headers: request.headers,
        body: request.body ?? null,
        timeoutMs: request.timeoutMs,
        onCredentials: (placed) => context.credentialsUsed(placed),
        ...(context.grant ? { grant: context.grant } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
      }),
    { sleep: context.sleep, signal: context.signal },
  );
  const finalUrl = new URL(response.url);
  // A relative request is recorded against the origin it reached, with only the module's own query.
  const recorded = recordedUrl(
    absolute ? sent : new URL(`${finalUrl.origin}${finalUrl.pathname}${sent.search}`),
    response.url,
  );
  return httpOutcome(response, {
    method: request.method,
    url: recorded,
    status: response.status,
    ms: Math.round(performance.now() - started),
  });
}

const CA_INPUT: InputDefinition = {
  name: 'caCertificate',
  label: 'Self-signed certificate',
  type: 'textarea',
  required: false,
  help: 'The server’s certificate (PEM), when the service uses one no public authority signed; it is then the only one trusted for this request.',
};

export const httpModules: ModuleSpec[] = [
  {
    app: 'http',
    id: 'make-request',
    name: 'Make a request',
    needs: { kind: 'none' },
    inputs: HTTP_INPUTS,
    scopes: [],
    run: (context) => send(context, httpInputs(context.inputs)),
  },
  {
    app: 'http',
    id: 'make-basic-auth-request',
    name: 'Make a Basic Auth request',
    needs: { kind: 'key', type: 'basic' },
    inputs: HTTP_INPUTS,
    scopes: [],
    run(context) {
      const key = requireKey(context);
      return send(context, httpInputs(context.inputs), {}, placeBasic(key.parameters.username!, key.secrets.password!));
    },
  },
  {
    app: 'http',
    id: 'make-api-key-auth-request',
    name: 'Make an API Key Auth request',
    needs: { kind: 'key', type: 'apiKey' },
    inputs: HTTP_INPUTS,
    scopes: [],
    run: (context) => send(context, httpInputs(context.inputs), {}, placeApiKey(requireKey(context))),
  },
  connectionRequestModule({
    app: 'http',
    id: 'make-oauth2-request',
    name: 'Make an OAuth 2.0 request',
    urlHelp: 'A URL on the connection’s Base URL origin, or a path below it.',
  }),
  connectionRequestModule({
    app: 'http',
    id: 'make-oauth1-request',
    name: 'Make an OAuth 1.0 request',
    urlHelp: 'A URL on the connection’s Base URL origin, or a path below it; each request is signed.',
  }),
  {
    app: 'http',
    id: 'make-client-certificate-request',
    name: 'Make a Client Certificate Auth request',
    needs: { kind: 'key', type: 'certificate' },
    inputs: [...HTTP_INPUTS, CA_INPUT],
    scopes: [],
    run(context) {
      const key = requireKey(context);
      const ca =
        typeof context.inputs.caCertificate === 'string' && context.inputs.caCertificate !== ''
          ? context.inputs.caCertificate
          : undefined;
      const tls = {
        cert: key.parameters.certificate!,
        key: key.secrets.privateKey!,
        ...(key.secrets.passphrase ? { passphrase: key.secrets.passphrase } : {}),
        ...(ca ? { ca } : {}),
      };
      return send(context, httpInputs(context.inputs), { tls });
    },
  },
];
