import type { AppDefinition, ConnectionKindDefinition, InputDefinition, ParameterDefinition } from './schema.ts';

/**
 * What the API says about an app. Built field by field from the definition, so
 * endpoints, token quirks and anything read from the environment stay inside:
 * a person sees what they fill in, what they grant and what the modules do.
 */

export interface AppSummary {
  id: string;
  name: string;
  category: string;
  auth: Array<ConnectionKindDefinition['type']>;
  modules: Array<{ id: string; name: string; scopes: string[] }>;
}

export interface PublicParameter {
  name: string;
  label: string;
  type: ParameterDefinition['type'];
  help?: string;
  required: boolean;
  secret: boolean;
  advanced: boolean;
  editable: boolean;
  /** Decides where credentials are sent: changing it needs every secret of the connection entered again. */
  destination: boolean;
  pattern?: string;
  options?: Array<{ value: string; label: string }>;
  /** Never for a secret parameter. */
  default?: ParameterDefinition['default'];
  /** `file` parameters: a field of the uploaded JSON → the parameter it fills. */
  fills?: Record<string, string>;
}

export interface PublicKind {
  type: ConnectionKindDefinition['type'];
  /** OAuth 2.0 and JWT kinds. */
  flow?: 'authorization_code' | 'client_credentials' | 'assertion' | 'installation';
  /** OAuth 2.0 and 1.0a: the address to register at the service for the person's own client. */
  redirectUri?: string;
  /** OAuth 2.0 and 1.0a: false means the person must enter their own client (Client ID, Consumer Key). */
  platformClient?: boolean;
  /** OAuth 2.0 only: always requested, whatever the modules need. */
  baseScopes?: string[];
  parameters: PublicParameter[];
}

export interface PublicModule {
  id: string;
  name: string;
  description?: string;
  scopes: string[];
  inputs: InputDefinition[];
  docsUrl?: string;
}

export interface AppDescription {
  id: string;
  name: string;
  category: string;
  docsUrl?: string;
  authDocsUrl?: string;
  scopesDocsUrl?: string;
  logo?: string;
  auth: PublicKind[];
  scopes: Array<{ name: string; description: string }>;
  fullAccess: { docsUrl: string; description?: string } | null;
  modules: PublicModule[];
}

/**
 * What describes one of an app's modules. The list comes from the module
 * registry (scenarios/modules/registry.ts), so the built-in HTTP modules and
 * "Make an API call" are listed as GET /api/v1/modules lists them.
 */
export interface ModuleSource {
  id: string;
  name: string;
  description?: string | undefined;
  scopes: string[];
  inputs: InputDefinition[];
  docsUrl?: string | undefined;
}

export function summarizeApp(app: AppDefinition, modules: readonly ModuleSource[]): AppSummary {
  return {
    id: app.id,
    name: app.name,
    category: app.category,
    auth: app.connections.map((k) => k.type),
    modules: modules.map((m) => ({ id: m.id, name: m.name, scopes: m.scopes })),
  };
}

function publicParameter(p: ParameterDefinition): PublicParameter {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    ...(p.help !== undefined ? { help: p.help } : {}),
    required: p.required,
    secret: p.secret,
    advanced: p.advanced,
    editable: p.editable,
    destination: p.destination === true,
    ...(p.pattern !== undefined ? { pattern: p.pattern } : {}),
    ...(p.options ? { options: p.options } : {}),
    ...(p.default !== undefined && !p.secret ? { default: p.default } : {}),
    ...(p.fills ? { fills: p.fills } : {}),
  };
}

function publicKind(
  kind: ConnectionKindDefinition,
  context: { redirectUri: string; platformClient: boolean },
): PublicKind {
  const parameters = kind.parameters.map(publicParameter);
  // OAuth 1.0a sends people to the same callback, and may use the platform's consumer key.
  if (kind.type === 'oauth1')
    return { type: kind.type, redirectUri: context.redirectUri, platformClient: context.platformClient, parameters };
  if (kind.type === 'jwt') return { type: kind.type, flow: kind.flow, parameters };
  if (kind.type !== 'oauth2') return { type: kind.type, parameters };
  const flow = kind.flow === 'client_credentials' ? 'client_credentials' : 'authorization_code';
  return {
    type: kind.type,
    flow,
    ...(flow === 'authorization_code' ? { redirectUri: context.redirectUri } : {}),
    platformClient: context.platformClient,
    baseScopes: kind.baseScopes,
    parameters,
  };
}

export function describeApp(
  app: AppDefinition,
  context: { redirectUri: string; platformClient: boolean },
  modules: readonly ModuleSource[],
): AppDescription {
  return {
    id: app.id,
    name: app.name,
    category: app.category,
    ...(app.docsUrl ? { docsUrl: app.docsUrl } : {}),
    ...(app.authDocsUrl ? { authDocsUrl: app.authDocsUrl } : {}),
    ...(app.scopesDocsUrl ? { scopesDocsUrl: app.scopesDocsUrl } : {}),
    ...(app.logo ? { logo: app.logo } : {}),
    auth: app.connections.map((kind) => publicKind(kind, context)),
    scopes: app.scopes,
    fullAccess: app.fullAccess ?? null,
    modules: modules.map((m) => ({
      id: m.id,
      name: m.name,
      ...(m.description ? { description: m.description } : {}),
      scopes: m.scopes,
      inputs: m.inputs,
      ...(m.docsUrl ? { docsUrl: m.docsUrl } : {}),
    })),
  };
}
