import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/catalog/catalog.ts';
import { resolveSession } from '../../src/catalog/resolve-session.ts';
import type { AppInput, SessionKindDefinition } from '../../src/catalog/schema.ts';

function sessionApp(kind: Record<string, unknown>): AppInput {
  return {
    id: 'sess',
    name: 'Sess',
    connections: [
      {
        type: 'session',
        loginUrl: 'https://{{host}}/login',
        loginBody: { user: '{{username}}', secret: '{{password}}' },
        session: [{ from: 'cookie', name: 'SID' }],
        baseUrl: 'https://{{host}}/api',
        parameters: [
          { name: 'host', label: 'Host', pattern: '[a-z.]+' },
          { name: 'username', label: 'User' },
          { name: 'password', label: 'Password', type: 'password', secret: true },
        ],
        ...kind,
      },
    ],
  };
}

const kindOf = (app: AppInput) => parseApp(app, 'test').connections[0] as SessionKindDefinition;
const secrets = { password: 'p"w&x=1 \\ ü' };
const values = { host: 'erp.example.com', username: 'ann' };

describe('session kinds in the catalog', () => {
  it('fill the login body value by value, escaped for JSON and for a form', () => {
    const json = resolveSession(kindOf(sessionApp({})), { values, secrets });
    expect(json.login).toMatchObject({ url: 'https://erp.example.com/login', method: 'POST' });
    expect(JSON.parse(json.login.body)).toEqual({ user: 'ann', secret: secrets.password });

    const form = resolveSession(
      kindOf(sessionApp({ loginContentType: 'form', loginBody: 'user={{username}}&secret={{password}}' })),
      { values, secrets },
    );
    expect(form.login.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(form.login.body))).toEqual({ user: 'ann', secret: secrets.password });
  });

  it('make the login address’s host a destination, so the password goes only where it was entered for', () => {
    const kind = kindOf(sessionApp({ baseUrl: 'https://api.fixed.example/v1' }));
    expect(kind.parameters.find((p) => p.name === 'host')!.destination).toBe(true);
  });

  it('refuse a header placement without a name, a body rule without values, and a template naming nothing', () => {
    expect(() => parseApp(sessionApp({ session: [{ from: 'json', name: 'token', in: 'header' }] }), 'test')).toThrow(
      /session\.0\.as: names the header/,
    );
    expect(() => parseApp(sessionApp({ expiredWhen: { bodyPath: 'error.code' } }), 'test')).toThrow(
      /expiredWhen\.bodyValues/,
    );
    expect(() => parseApp(sessionApp({ loginBody: { user: '{{login}}' } }), 'test')).toThrow(
      /uses \{\{login\}\}, which is not a declared parameter/,
    );
    expect(() => parseApp(sessionApp({ loginBody: '{"user": {{username}}' }), 'test')).toThrow(
      /loginBody: is not JSON/,
    );
  });
});
