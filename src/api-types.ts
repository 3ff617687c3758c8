/**
 * The public API's request and response shapes, in one place the web app
 * (web/) imports as types only. Where the server already has a view type it is
 * re-exported, so a change on the server breaks the web app's type check
 * instead of the page.
 */
import type { ConnectionView } from './connections/model.ts';
import type { UserWithTeams, TeamMembership, User } from './accounts/types.ts';
import type { ConnectionStatus } from './store/schema.ts';

export type { ConnectionView, UserWithTeams, TeamMembership, User, ConnectionStatus };

/** `GET /api/v1/me`, `POST /api/v1/auth/login`. */
export type Me = UserWithTeams;

/** `POST /api/v1/me/password`: API tokens stay; `apiTokens` says how many the user still has. */
export interface ChangePasswordResponse {
  apiTokens: number;
}

/** Every list answers one page: `nextCursor` goes back as `cursor` for the next. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every error answer: `{ error: { code, message, field? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; [detail: string]: unknown };
}

/** `POST /api/v1/connections`. */
export interface CreateConnectionRequest {
  teamId?: string;
  app: string;
  auth?: string;
  name?: string;
  scopes?: string[];
  parameters?: Record<string, unknown>;
  /** Ask for what this scenario's modules of the app need (least privilege). */
  scenarioId?: string;
}

export interface CreateConnectionResponse {
  connection: ConnectionView;
  /** Where the person consents; null when the connection needs no browser step (API keys, client credentials). */
  authorizeUrl: string | null;
}

/** `POST /api/v1/connections/:id/reauthorize`. */
export interface ReauthorizeRequest {
  scopes?: string[];
  /** Extend permissions: ask for what this scenario's modules of the connection's app need, on top of what it has. */
  scenarioId?: string;
  parameters?: Record<string, unknown>;
  allowAccountChange?: boolean;
}

export interface ReauthorizeResponse {
  authorizeUrl: string | null;
}

/** `POST /api/v1/connections/:id/verify`. */
export interface VerifyResponse {
  verified: boolean;
  connection: ConnectionView;
  error?: { code: string; message: string };
}

/** What the OAuth callback page tells the app (postMessage to the opener and BroadcastChannel `hitch-oauth`). */
export interface OAuthOutcomeMessage {
  type: 'hitch:oauth';
  ok: boolean;
  code: string;
  message: string;
  connectionId?: string;
}

/** `GET /api/v1/apps` items and `GET /api/v1/apps/:id`: the catalog's public view. */
export type { AppSummary, AppDescription, PublicKind as AppConnectionKind, PublicParameter as AppParameter, PublicModule as AppModule } from './catalog/present.ts';
export type { InputDefinition as AppModuleInput } from './catalog/schema.ts';

/** `/api/v1/scenarios`: the server's own shapes (src/scenarios/model.ts). */
export type { ScenarioModule, ScenarioView, ExecutionView, ModuleRecord } from './scenarios/model.ts';
/** `GET /api/v1/scenarios/:id/permissions` items. */
export type { ConnectionPermissions } from './scenarios/permissions.ts';
/** `GET /api/v1/notifications` items: what the attention banner lists. */
export type { Notification } from './notify/notifications.ts';

export interface CreateScenarioRequest {
  teamId?: string;
  name: string;
  modules?: import('./scenarios/model.ts').ScenarioModule[];
  schedule?: { intervalMinutes: number } | null;
  active?: boolean;
}

export type UpdateScenarioRequest = Omit<CreateScenarioRequest, 'teamId' | 'name'> & { name?: string };

export interface ScenarioPermissionsResponse {
  ok: boolean;
  connections: import('./scenarios/permissions.ts').ConnectionPermissions[];
}

/** `POST /api/v1/scenarios/:id/run`. */
export interface RunResponse {
  execution: import('./scenarios/model.ts').ExecutionView;
}

/**
 * A field of a module as `GET /api/v1/modules` lists it: `Connection` (of an
 * app) or `Key` (of a type) first when the module needs one, then its inputs.
 */
export type ModuleField =
  | { name: 'connectionId'; label: 'Connection'; type: 'connection'; app: string; required: true }
  | { name: 'keyId'; label: 'Key'; type: 'key'; keyType: import('./keys/types.ts').KeyType; required: true }
  | import('./catalog/schema.ts').InputDefinition;

/** `GET /api/v1/modules?app=` items. */
export interface ModuleListing {
  app: string;
  appName: string;
  id: string;
  name: string;
  scopes: string[];
  fields: ModuleField[];
}

/** `/api/v1/keys`: secrets go in, never come back. */
export type { KeyType, KeyView } from './keys/types.ts';

export interface CreateKeyRequest {
  teamId?: string;
  name: string;
  type: import('./keys/types.ts').KeyType;
  /** Secret and non-secret values together; the server keeps the secret ones in the vault. */
  parameters: Record<string, string>;
  /** apiKey, basic and certificate keys: the only origins the key is sent to, e.g. ["https://api.example.com"]. */
  origins?: string[];
}

/** `PATCH /api/v1/keys/:id`: an omitted secret keeps its value; an empty one removes it. */
export interface UpdateKeyRequest {
  name?: string;
  parameters?: Record<string, string>;
  /** New origins need every secret of the key in `parameters` again. */
  origins?: string[];
}
