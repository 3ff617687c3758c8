import { accountRoutes } from './contract/accounts.ts';
import { appRoutes } from './contract/apps.ts';
import { approvalRoutes } from './contract/approvals.ts';
import { connectionRoutes } from './contract/connections.ts';
import { eventRoutes } from './contract/events.ts';
import type { FromSchema } from './contract/json-schema.ts';
import { keyRoutes } from './contract/keys.ts';
import { memberRoutes } from './contract/members.ts';
import { scenarioRoutes } from './contract/scenarios.ts';
import { tokenRoutes } from './contract/tokens.ts';
import { userRoutes } from './contract/users.ts';
import { webhookRoutes } from './contract/webhooks.ts';

/**
 * The typed API contract: `'<METHOD> <path under /api/v1>'` → the JSON schemas
 * of its parameters, query, body and reply, and the status of a success. The
 * server registers these routes from it (./typed-route.ts), so the same schemas
 * validate requests, filter replies and make the OpenAPI document; the web app
 * imports its types (web/src/api/client.ts), so a changed field fails to
 * compile on both sides. Not listed: the connection proxy
 * (`/connections/:id/proxy/*`, ./routes/proxy.ts), which takes any method and
 * passes the service's bodies through unparsed, so it has no JSON to describe,
 * and the pages outside /api/v1 (OAuth callback, health, docs).
 */
export const routeMap = {
  ...accountRoutes,
  ...appRoutes,
  ...approvalRoutes,
  ...connectionRoutes,
  ...eventRoutes,
  ...keyRoutes,
  ...memberRoutes,
  ...scenarioRoutes,
  ...tokenRoutes,
  ...userRoutes,
  ...webhookRoutes,
} as const;

/** What one entry may declare. */
export interface RouteSchemas {
  description?: string;
  params?: object;
  querystring?: object;
  body?: object;
  /** The status of a success; 200 when omitted. 204 answers no body. */
  status?: 200 | 201 | 204;
  reply?: object;
}

export type RouteKey = keyof typeof routeMap;

type Entry<K extends RouteKey> = (typeof routeMap)[K];
type Part<K extends RouteKey, P extends string> =
  Entry<K> extends { readonly [Q in P]: infer S } ? FromSchema<S> : undefined;

export type ParamsOf<K extends RouteKey> = Part<K, 'params'>;
export type QueryOf<K extends RouteKey> = Part<K, 'querystring'>;
export type BodyOf<K extends RouteKey> = Part<K, 'body'>;
/** What a success answers: the reply schema's type, nothing for a 204. */
export type ReplyOf<K extends RouteKey> =
  Entry<K> extends { readonly reply: infer S }
    ? FromSchema<S>
    : // oxlint-disable-next-line typescript/no-invalid-void-type -- a handler's resolved value: a 204 handler returns nothing
      void;
