import { describe, expect, it } from 'vitest';
import { resolveApiKey, resolveBasic, resolveFlow, resolveOAuth2 } from '../../src/catalog/resolve.ts';
import type {
  ApiKeyKindDefinition,
  AppDefinition,
  BasicKindDefinition,
  OAuth2KindDefinition,
} from '../../src/catalog/schema.ts';
import { isHitchError } from '../../src/errors.ts';

const param = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  label: name,
  type: 'text',
  required: false,
  secret: false,
  advanced: false,
  editable: false,
  ...extra,
});

function oauth2(overrides: Partial<OAuth2KindDefinition> = {}): OAuth2KindDefinition {
  return {
    type: 'oauth2',
    authorizeUrl: 'https://{{subdomain}}.example.com/oauth/authorize',
    tokenUrl: 'https://{{subdomain}}.example.com/oauth/token',
    formerTokenUrls: [],
    scopeParameter: 'scope',
    baseScopes: [],
    authorizeParameters: {},
    tokenParameters: {},
    refreshParameters: {},
    tokenHeaders: {},
    keepFromTokenResponse: [],
    keepFromCallback: [],
    placement: {},
    parameters: [param('subdomain', { default: 'acme' }), param('clientId')],
    ...overrides,
  } as unknown as OAuth2KindDefinition;
}
const app = { id: 'acme', name: 'Acme', hosts: [] } as unknown as AppDefinition;
const platform = { clientId: 'platform-id', clientSecret: 'platform-secret' };

describe('resolveOAuth2: templates filled for one connection', () => {
  it('fills {{name}} from parameters, then defaults, then learned values', () => {
    const kind = oauth2({ baseUrl: '{{instance_url}}/services' });
    const s = resolveOAuth2(
      app,
      kind,
      { values: { subdomain: 'eu' }, data: { instance_url: 'https://eu1.example.com' }, secrets: {} },
      platform,
    );
    expect(s.authorizeUrl).toBe('https://eu.example.com/oauth/authorize');
    expect(s.baseUrl).toBe('https://eu1.example.com/services');
    expect(resolveOAuth2(app, kind, { values: {}, secrets: {} }, platform).tokenUrl).toBe(
      'https://acme.example.com/oauth/token',
    );
  });

  it('leaves a field unset when a template names a value that is not set, rather than sending a broken URL', () => {
    const kind = oauth2({ revokeUrl: 'https://{{region}}.example.com/revoke' });
    expect(resolveOAuth2(app, kind, { values: {}, secrets: {} }, platform).revokeUrl).toBeUndefined();
  });

  it('a learned value never overrides a parameter the person gave', () => {
    const s = resolveOAuth2(
      app,
      oauth2(),
      { values: { subdomain: 'mine' }, data: { subdomain: 'learned' }, secrets: {} },
      platform,
    );
    expect(s.tokenUrl).toBe('https://mine.example.com/oauth/token');
  });

  it("uses the person's own client when a Client ID is given, else the platform's, else none", () => {
    expect(
      resolveOAuth2(app, oauth2(), { values: { clientId: 'own' }, secrets: { clientSecret: 's' } }, platform).client,
    ).toEqual({ clientId: 'own', clientSecret: 's', own: true });
    expect(resolveOAuth2(app, oauth2(), { values: {}, secrets: {} }, platform).client).toEqual({
      ...platform,
      own: false,
    });
    expect(resolveOAuth2(app, oauth2(), { values: {}, secrets: {} }, null).client).toBeNull();
  });

  it('a whole-string template yields the value itself; unknown choices fall back to the default', () => {
    const kind = oauth2({
      pkce: '{{usePkce}}',
      clientAuth: '{{auth}}',
      scopeSeparator: '{{sep}}',
      parameters: [param('usePkce'), param('auth'), param('sep')],
    } as unknown as Partial<OAuth2KindDefinition>);
    const off = resolveOAuth2(
      app,
      kind,
      { values: { usePkce: false, auth: 'client_secret_basic', sep: ',' }, secrets: {} },
      null,
    );
    expect([off.pkce, off.clientAuth, off.scopeSeparator]).toEqual([false, 'client_secret_basic', ',']);
    const odd = resolveOAuth2(
      app,
      kind,
      { values: { usePkce: 'true', auth: 'private_key_jwt', sep: ';' }, secrets: {} },
      null,
    );
    expect([odd.pkce, odd.clientAuth, odd.scopeSeparator]).toEqual([true, 'client_secret_post', ' ']);
  });

  it('fills maps of extra parameters, dropping entries whose values are not set', () => {
    const kind = oauth2({
      authorizeParameters: { audience: '{{audience}}', prompt: 'consent' },
      parameters: [param('audience')],
    } as unknown as Partial<OAuth2KindDefinition>);
    expect(resolveOAuth2(app, kind, { values: {}, secrets: {} }, null).authorizeParameters).toEqual({
      prompt: 'consent',
    });
    expect(resolveOAuth2(app, kind, { values: { audience: 'api' }, secrets: {} }, null).authorizeParameters).toEqual({
      audience: 'api',
      prompt: 'consent',
    });
  });

  it('makes a relative verify URL absolute against the base URL, and refuses http to a host the base reaches over https', () => {
    const kind = oauth2({
      baseUrl: 'https://api.example.com/v1',
      verify: { method: 'GET', url: '/me', accountId: [], accountLabel: [] },
    } as unknown as Partial<OAuth2KindDefinition>);
    expect(resolveOAuth2(app, kind, { values: {}, secrets: {} }, null).verify?.url).toBe(
      'https://api.example.com/v1/me',
    );
    const clear = oauth2({
      baseUrl: 'https://api.example.com',
      verify: { method: 'GET', url: 'http://api.example.com/me', accountId: [], accountLabel: [] },
    } as unknown as Partial<OAuth2KindDefinition>);
    expect(() => resolveOAuth2(app, clear, { values: {}, secrets: {} }, null)).toThrow(/https:\/\//);
  });
});

describe('resolveFlow: the (type, flow) a kind is chosen by', () => {
  it('is authorization_code unless the app or the {{flow}} parameter says client_credentials', () => {
    expect(resolveFlow(oauth2(), {})).toBe('authorization_code');
    const generic = oauth2({
      flow: '{{flow}}',
      parameters: [param('flow', { default: 'authorization_code' })],
    } as unknown as Partial<OAuth2KindDefinition>);
    expect(resolveFlow(generic, {})).toBe('authorization_code');
    expect(resolveFlow(generic, { flow: 'client_credentials' })).toBe('client_credentials');
    expect(resolveFlow(generic, { flow: 'implicit' })).toBe('authorization_code');
  });

  it('is undefined for kinds with one way to authorize', () => {
    expect(resolveFlow({ type: 'apiKey', parameters: [] } as unknown as ApiKeyKindDefinition, {})).toBeUndefined();
  });
});

describe('resolveApiKey and resolveBasic', () => {
  const apiKey = {
    type: 'apiKey',
    baseUrl: 'https://{{host}}/api',
    keys: [{ parameter: 'apiKey', in: '{{where}}', name: '{{headerName}}', prefix: 'Token' }],
    parameters: [
      param('host', { default: 'api.example.com' }),
      param('where', { default: 'header' }),
      param('headerName', { default: 'Authorization' }),
      param('apiKey', { secret: true, label: 'API key' }),
    ],
  } as unknown as ApiKeyKindDefinition;

  it('places each key where its templates say, with its prefix', () => {
    const s = resolveApiKey(apiKey, { values: { where: 'query', headerName: 'key' }, secrets: { apiKey: 'k-123' } });
    expect(s.keys).toEqual([{ in: 'query', name: 'key', prefix: 'Token', value: 'k-123' }]);
    expect(s.baseUrl).toBe('https://api.example.com/api');
  });

  it('names the missing key, and refuses a header name with spaces', () => {
    const missing = (() => {
      try {
        resolveApiKey(apiKey, { values: {}, secrets: {} });
      } catch (error) {
        return error;
      }
    })();
    expect(isHitchError(missing, 'validation_failed') && missing.details).toEqual({ field: 'parameters.apiKey' });
    expect(() => resolveApiKey(apiKey, { values: { headerName: 'X Key' }, secrets: { apiKey: 'k' } })).toThrow(
      /without spaces/,
    );
  });

  it('takes the Basic username from a secret or a plain value, and refuses a colon in it (RFC 7617)', () => {
    const basic = {
      type: 'basic',
      usernameParameter: 'username',
      passwordParameter: 'password',
      parameters: [param('username'), param('password', { secret: true })],
    } as unknown as BasicKindDefinition;
    expect(resolveBasic(basic, { values: { username: 'ann' }, secrets: { password: 'pw' } })).toMatchObject({
      username: 'ann',
      password: 'pw',
    });
    expect(() => resolveBasic(basic, { values: { username: 'a:b' }, secrets: { password: 'pw' } })).toThrow(/colon/);
  });
});
