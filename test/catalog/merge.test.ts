import { describe, expect, it } from 'vitest';
import { mergeOverPreset } from '../../src/catalog/merge.ts';

/** The one merge rule of an app file over its preset: objects merge deeply, arrays and scalars of the file replace. */
describe('an app file merged over its preset', () => {
  const preset = {
    authDocsUrl: 'https://preset.example/auth',
    hosts: ['userinfo.preset.example'],
    connections: [{ type: 'oauth2', tokenUrl: 'https://preset.example/token' }],
    fullAccess: { docsUrl: 'https://preset.example/access', description: 'Everything.' },
    placement: { in: 'header', headerName: 'Authorization', headerPrefix: 'Bearer' },
  };

  it('merges objects key by key, at every depth', () => {
    const merged = mergeOverPreset(
      { ...preset, outer: { inner: { a: 1, b: 2 }, keep: true } },
      { fullAccess: { description: 'Your whole account.' }, outer: { inner: { b: 3, c: 4 } } },
    );
    expect(merged).toMatchObject({
      fullAccess: { docsUrl: 'https://preset.example/access', description: 'Your whole account.' },
      outer: { inner: { a: 1, b: 3, c: 4 }, keep: true },
    });
  });

  it('replaces arrays whole: never concatenated, never merged by position', () => {
    const merged = mergeOverPreset(preset, {
      hosts: ['api.example'],
      connections: [{ type: 'apiKey', baseUrl: 'https://api.example' }],
    }) as typeof preset;
    expect(merged.hosts).toEqual(['api.example']);
    expect(merged.connections).toEqual([{ type: 'apiKey', baseUrl: 'https://api.example' }]);
    expect(mergeOverPreset(preset, { hosts: [] })).toMatchObject({ hosts: [] });
  });

  it('replaces scalars, and an object by a scalar or a scalar by an object', () => {
    expect(mergeOverPreset(preset, { authDocsUrl: 'https://app.example/auth' })).toMatchObject({
      authDocsUrl: 'https://app.example/auth',
    });
    expect(mergeOverPreset(preset, { placement: 'query' })).toMatchObject({ placement: 'query' });
    expect(mergeOverPreset({ a: 'text' }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
    expect(mergeOverPreset({ a: 1 }, { a: null })).toEqual({ a: null });
  });

  it('keeps what the file leaves out, and changes neither input', () => {
    const file = { name: 'App' };
    const before = structuredClone(preset);
    expect(mergeOverPreset(preset, file)).toEqual({ ...preset, name: 'App' });
    expect(preset).toEqual(before);
    expect(file).toEqual({ name: 'App' });
  });

  it('keeps a key named __proto__ a plain key instead of a prototype', () => {
    const file = JSON.parse('{"__proto__": {"polluted": true}, "name": "App"}') as unknown;
    const merged = mergeOverPreset({ name: 'Preset' }, file) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
