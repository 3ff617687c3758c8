/**
 * The public API's request and response shapes, in one place the web app
 * (web/) imports as types only. They are derived from the route map's JSON
 * schemas (src/http/route-map.ts), the same schemas that validate requests,
 * filter replies and make the OpenAPI document: a change on the server breaks
 * the web app's type check instead of the page. Nothing here reaches the store.
 */
import type { BodyOf, ReplyOf } from './http/route-map.ts';

export type { RouteKey, ParamsOf, QueryOf, BodyOf, ReplyOf } from './http/route-map.ts';

/** `GET /api/v1/me`, `POST /api/v1/auth/login`. */
export type Me = ReplyOf<'GET /me'>;
export type UserWithTeams = Me;
export type User = Me['user'];
export type TeamMembership = Me['teams'][number];

/** `POST /api/v1/me/password`: API tokens stay; `apiTokens` says how many the user still has. */
export type ChangePasswordResponse = ReplyOf<'POST /me/password'>;

/** Every list answers one page: `nextCursor` goes back as `cursor` for the next. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every error answer: `{ error: { code, message, field? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; [detail: string]: unknown };
}

export type ConnectionView = ReplyOf<'GET /connections/:id'>;
export type ConnectionStatus = ConnectionView['status'];

/** `POST /api/v1/connections`. */
export type CreateConnectionRequest = BodyOf<'POST /connections'>;
export type CreateConnectionResponse = ReplyOf<'POST /connections'>;
/** `POST /api/v1/connections/:id/reauthorize`. */
export type ReauthorizeRequest = NonNullable<BodyOf<'POST /connections/:id/reauthorize'>>;
export type ReauthorizeResponse = ReplyOf<'POST /connections/:id/reauthorize'>;
/** `POST /api/v1/connections/:id/verify`. */
export type VerifyResponse = ReplyOf<'POST /connections/:id/verify'>;

/** What the OAuth callback page tells the app (postMessage to the opener and BroadcastChannel `hitch-oauth`). */
export interface OAuthOutcomeMessage {
  type: 'hitch:oauth';
  ok: boolean;
  code: string;
  message: string;
  connectionId?: string;
}

/** `GET /api/v1/apps` items and `GET /api/v1/apps/:id`: the catalog's public view. */
export type AppSummary = ReplyOf<'GET /apps'>['items'][number];
export type AppDescription = ReplyOf<'GET /apps/:id'>;
export type AppConnectionKind = AppDescription['auth'][number];
export type AppParameter = AppConnectionKind['parameters'][number];
export type AppModule = AppDescription['modules'][number];

/** `/api/v1/scenarios`. */
export type ScenarioView = ReplyOf<'GET /scenarios/:id'>;
export type ScenarioModule = ScenarioView['modules'][number];
export type ExecutionView = ReplyOf<'POST /scenarios/:id/run'>['execution'];
export type ModuleRecord = ExecutionView['modules'][number];
/** `GET /api/v1/scenarios/:id/permissions`. */
export type ScenarioPermissionsResponse = ReplyOf<'GET /scenarios/:id/permissions'>;
export type ConnectionPermissions = ScenarioPermissionsResponse['connections'][number];
/** `POST /api/v1/scenarios/:id/run`. */
export type RunResponse = ReplyOf<'POST /scenarios/:id/run'>;
export type CreateScenarioRequest = BodyOf<'POST /scenarios'>;
export type UpdateScenarioRequest = BodyOf<'PATCH /scenarios/:id'>;

/** `GET /api/v1/notifications` items: what the attention banner lists. */
export type Notification = ReplyOf<'GET /notifications'>['items'][number];

/** `GET /api/v1/modules?app=` items: what a scenario can use. */
export type ModuleListing = ReplyOf<'GET /modules'>['items'][number];
/**
 * A field of a module as `GET /api/v1/modules` lists it: `Connection` (of an
 * app) or `Key` (of a type) first when the module needs one, then its inputs.
 */
export type ModuleField = ModuleListing['fields'][number];
/** One of a module's inputs, the fields after Connection or Key. */
export type AppModuleInput = Exclude<ModuleField, { type: 'connection' | 'key' }>;

/** `/api/v1/keys`: secrets go in, never come back. */
export type KeyView = ReplyOf<'GET /keys/:id'>;
export type KeyType = KeyView['type'];
export type CreateKeyRequest = BodyOf<'POST /keys'>;
/** `PATCH /api/v1/keys/:id`: an omitted secret keeps its value; an empty one removes it. New origins need every secret of the key again. */
export type UpdateKeyRequest = BodyOf<'PATCH /keys/:id'>;

/** `/api/v1/tokens`: the token itself is in the creation's answer only. */
export type ApiTokenView = ReplyOf<'GET /tokens'>['items'][number];
export type NewApiToken = ReplyOf<'POST /tokens'>;
/** `/api/v1/teams/:id/members`. */
export type MemberView = ReplyOf<'GET /teams/:id/members'>['items'][number];
/** `GET /api/v1/events` items: the audit trail. */
export type EventView = ReplyOf<'GET /events'>['items'][number];
/** `/api/v1/teams/:id/webhook` (the secret is write-only) and its deliveries. */
export type WebhookView = ReplyOf<'GET /teams/:id/webhook'>;
export type WebhookDelivery = ReplyOf<'GET /teams/:id/webhook/deliveries'>['items'][number];
