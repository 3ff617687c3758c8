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
}

export interface CreateConnectionResponse {
  connection: ConnectionView;
  /** Where the person consents; null when the connection needs no browser step (API keys, client credentials). */
  authorizeUrl: string | null;
}

/** `POST /api/v1/connections/:id/reauthorize`. */
export interface ReauthorizeRequest {
  scopes?: string[];
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

/** One step of a scenario: an app's module with its connection or key and its inputs. */
export interface ScenarioModule {
  app: string;
  module: string;
  connectionId?: string | null;
  keyId?: string | null;
  inputs: Record<string, unknown>;
}

/** `/api/v1/scenarios`. */
export interface ScenarioView {
  id: string;
  teamId: string;
  name: string;
  modules: ScenarioModule[];
  createdAt: string;
  updatedAt: string;
}

export interface CreateScenarioRequest {
  teamId?: string;
  name: string;
  modules?: ScenarioModule[];
}

export interface UpdateScenarioRequest {
  name?: string;
  modules?: ScenarioModule[];
}

/** `/api/v1/keys`: secrets go in, never come back. */
export type { KeyType, KeyView } from './keys/types.ts';

export interface CreateKeyRequest {
  teamId?: string;
  name: string;
  type: import('./keys/types.ts').KeyType;
  /** Secret and non-secret values together; the server keeps the secret ones in the vault. */
  parameters: Record<string, string>;
}
