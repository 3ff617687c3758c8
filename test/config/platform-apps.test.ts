import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../../src/config.ts';

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const base = { DATA_DIR: os.tmpdir() };
const app = {
  HITCH_APP_GITHUB_APP_SLUG: 'hitch-dev',
  HITCH_APP_GITHUB_APP_CLIENT_ID: 'Iv1.abc',
  HITCH_APP_GITHUB_APP_CLIENT_SECRET: 'app-client-secret-1',
};

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('the platform’s signing apps (HITCH_APP_<ID>_APP_*) and HITCH_RENEW_BY_WARNING_DAYS', () => {
  it('reads an app with its key given inline or as a file, and masks the secrets when described', () => {
    const inline = loadConfig({ ...base, ...app, HITCH_APP_GITHUB_APP_PRIVATE_KEY: pem });
    expect(inline.platformApps.GITHUB).toEqual({
      slug: 'hitch-dev',
      clientId: 'Iv1.abc',
      clientSecret: 'app-client-secret-1',
      privateKey: pem,
    });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hitch-key-')), 'app.pem');
    fs.writeFileSync(file, pem);
    expect(
      loadConfig({ ...base, ...app, HITCH_APP_GITHUB_APP_PRIVATE_KEY_FILE: file }).platformApps.GITHUB?.privateKey,
    ).toBe(pem);
    const described = JSON.stringify(describeConfig(inline));
    expect(described).not.toContain('app-client-secret-1');
    expect(described).not.toContain(pem.split('\n')[1]!);
    expect(inline.renewByWarningDays).toBe(7);
    expect(loadConfig({ ...base, HITCH_RENEW_BY_WARNING_DAYS: '14' }).renewByWarningDays).toBe(14);
  });

  it('names the variable that is missing or wrong', () => {
    expect(refusal({ ...app }).variable).toBe('HITCH_APP_GITHUB_APP_PRIVATE_KEY');
    expect(refusal({ ...app, HITCH_APP_GITHUB_APP_PRIVATE_KEY: 'not a key' }).message).toBe(
      'HITCH_APP_GITHUB_APP_PRIVATE_KEY: must be the app’s RSA private key in PEM form, as the service issued it',
    );
    expect(refusal({ HITCH_APP_GITHUB_APP_PRIVATE_KEY: pem }).variable).toBe('HITCH_APP_GITHUB_APP_SLUG');
    expect(refusal({ ...app, HITCH_APP_GITHUB_APP_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }).variable).toBe(
      'HITCH_APP_GITHUB_APP_PRIVATE_KEY_FILE',
    );
    expect(refusal({ HITCH_RENEW_BY_WARNING_DAYS: '0' }).variable).toBe('HITCH_RENEW_BY_WARNING_DAYS');
  });
});
