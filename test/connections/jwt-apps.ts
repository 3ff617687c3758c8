import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AppInput } from '../../src/catalog/schema.ts';
import type { GitHubAppServer } from '../peers/github-app-server.ts';
import type { JwtBearerServer } from '../peers/jwt-bearer-server.ts';

/** The JWT kinds' test apps and keys, shared by jwt-kinds.test.ts and leak-kinds.test.ts. */

/** A private key as services hand it out (PEM, PKCS #8), and its public half for the peer. */
export function keyPair(type: 'rsa' | 'ec'): { pem: string; publicKey: KeyObject } {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { pem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: pair.publicKey };
}

/** A DocuSign-shaped app: the JWT grant, the subject a user id, and a consent page. */
export function consentApp(server: JwtBearerServer): AppInput {
  return {
    id: 'signish',
    name: 'Signish',
    connections: [
      {
        type: 'jwt',
        tokenUrl: server.tokenEndpoint,
        claims: { iss: '{{integrationKey}}', sub: '{{userId}}' },
        baseScopes: ['signature', 'impersonation'],
        consentUrl: `${server.origin}/oauth/auth?response_type=code&scope=signature%20impersonation&client_id={{integrationKey}}`,
        baseUrl: `${server.origin}/api`,
        verify: { url: '/me', accountId: ['sub'], accountLabel: ['email'] },
        parameters: [
          { name: 'integrationKey', label: 'Integration key', required: true },
          { name: 'userId', label: 'User ID', required: true },
          { name: 'privateKey', label: 'RSA private key', type: 'password', secret: true, required: true },
        ],
      },
    ],
  };
}

/** A GitHub-shaped app whose GitHub App kind points at the peer. */
export function installApp(peer: GitHubAppServer): AppInput {
  return {
    id: 'hubbish',
    name: 'Hubbish',
    connections: [
      {
        type: 'jwt',
        flow: 'installation',
        installUrl: `${peer.origin}/apps/{{app_slug}}/installations/new`,
        userTokenUrl: `${peer.origin}/login/oauth/access_token`,
        userInstallationsUrl: `${peer.origin}/user/installations`,
        accessTokenUrl: `${peer.origin}/app/installations/{{installation_id}}/access_tokens`,
        revokeTokenUrl: `${peer.origin}/installation/token`,
        assertionLifetimeSeconds: 600,
        baseUrl: peer.origin,
        verify: { url: '/installation/repositories?per_page=1' },
      },
    ],
  };
}
