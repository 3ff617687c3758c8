/**
 * The sign-in and consent steps of the test authorization server, on oidc-provider's
 * interaction API: `/interaction/:uid` shows the page the prompt needs, and the
 * forms post to `/login`, `/confirm` (with the ticked scopes) or `/abort` (Deny).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { TestAccount } from './oauth-server.ts';
import { consentPage, loginPage, messagePage } from './oauth-server-pages.ts';

export function interactionHandler(input: {
  provider: Provider;
  issuer: string;
  accounts: TestAccount[];
}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { provider, issuer, accounts } = input;
  const findAccountById = (id: string): TestAccount | undefined => accounts.find((a) => a.id === id);

  return async function handleInteraction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [, , uid, action] = new URL(req.url ?? '/', issuer).pathname.split('/');
    let interaction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch {
      send(
        res,
        400,
        messagePage('Sign-in expired', 'This sign-in page has expired: start again from the application.'),
      );
      return;
    }
    if (interaction.uid !== uid) {
      send(res, 400, messagePage('Sign-in expired', 'This sign-in page does not belong to this session.'));
      return;
    }
    const clientId = String(interaction.params.client_id);
    const finish = async (result: Parameters<Provider['interactionResult']>[2]): Promise<void> => {
      const returnTo = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
      res.writeHead(303, { location: returnTo, 'content-length': '0' }).end();
    };

    if (req.method === 'GET' && action === undefined) {
      if (interaction.prompt.name === 'login') {
        send(res, 200, loginPage({ uid, clientId }));
      } else {
        const account = findAccountById(interaction.session?.accountId ?? '');
        const missing = interaction.prompt.details.missingOIDCScope;
        send(
          res,
          200,
          consentPage({
            uid,
            clientId,
            email: account?.email ?? '',
            scopes: Array.isArray(missing) ? missing.map(String) : [],
          }),
        );
      }
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, messagePage('Not allowed', 'Use the form on this page.'));
      return;
    }

    const form = new URLSearchParams(await readBody(req));
    if (action === 'login') {
      const email = form.get('email') ?? '';
      const account = accounts.find((a) => a.email === email);
      if (!account || !sameSecret(account.password, form.get('password') ?? '')) {
        send(res, 200, loginPage({ uid, clientId, email, error: 'The email or password is not correct.' }));
        return;
      }
      await finish({ login: { accountId: account.id } });
    } else if (action === 'confirm') {
      const details = interaction.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      const accountId = interaction.session?.accountId;
      if (!accountId) throw new Error('consent without a signed-in account');
      const grant = interaction.grantId
        ? (await provider.Grant.find(interaction.grantId))!
        : new provider.Grant({ accountId, clientId });
      const chosen = new Set(form.getAll('scope'));
      const requested = details.missingOIDCScope ?? [];
      const granted = requested.filter((s) => s === 'openid' || s === 'offline_access' || chosen.has(s));
      const rejected = requested.filter((s) => !granted.includes(s));
      if (granted.length) grant.addOIDCScope(granted.join(' '));
      if (rejected.length) grant.rejectOIDCScope(rejected.join(' '));
      if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      const grantId = await grant.save();
      await finish({ consent: { grantId } });
    } else if (action === 'abort') {
      await finish({ error: 'access_denied', error_description: 'The person denied the authorization.' });
    } else {
      send(res, 404, messagePage('Not found', 'There is no such page.'));
    }
  };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
