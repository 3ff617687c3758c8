import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Choosing, Connected } from '../../connections/callback.ts';
import { isHitchError, type HitchError } from '../../errors.ts';
import { sessionTokenOf, setSessionCookie } from '../session-cookie.ts';
import { callbackPage, type CallbackOutcome } from '../pages/callback-page.ts';
import { choicePage } from '../pages/choice-page.ts';
import { isSignInNext } from '../redirect-target.ts';

/**
 * `GET /oauth/callback`: where every service sends people back. Answers an HTML
 * page that says what happened and tells the opener (the web app's popup
 * parent) through postMessage; the page's script is a file, not inline, so the
 * CSP can forbid inline scripts.
 */
/** A completed callback as the page says it. */
function connected(done: Connected): CallbackOutcome {
  return {
    ok: true,
    code: 'connected',
    message: done.reauthorized ? 'The connection was reauthorized.' : 'The connection is established.',
    connectionId: done.connectionId,
  };
}

/** A refused callback as the page says it; a signed-out browser is asked to sign in. */
function refused(error: HitchError): CallbackOutcome {
  const connectionId = error.details?.connectionId;
  return {
    ok: false,
    code: error.code,
    message: error.message,
    ...(typeof connectionId === 'string' ? { connectionId } : {}),
    ...(error.code === 'unauthenticated' ? { needsSignIn: true } : {}),
  };
}

const oauthCallbackRoutes: FastifyPluginAsync = async (app) => {
  const send = (reply: FastifyReply, status: number, outcome: CallbackOutcome, signInNext?: string) =>
    reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(callbackPage(outcome, app.hitch.config.publicUrl, signInNext));

  app.get('/oauth/callback', { config: { auth: 'optional' } }, async (request, reply) => {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    let done: Connected | Choosing;
    try {
      done = await app.hitch.connections.callback.complete(query, request.auth?.user.id ?? null);
    } catch (error) {
      if (!isHitchError(error)) throw error;
      const refusal = refused(error);
      // Signed out: sign in, then come back to this same address; the flow is still unused.
      return send(reply, error.status, refusal, refusal.needsSignIn ? request.url : undefined);
    }
    if ('choice' in done)
      return reply
        .status(200)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(choicePage(done, app.hitch.config.publicUrl));
    return send(reply, 200, connected(done));
  });

  // The person's pick among what the service offered (several Atlassian sites): a plain form, bound to their session.
  app.post<{ Body: Record<string, string | undefined> | undefined }>(
    '/oauth/choose',
    { config: { auth: 'optional' } },
    async (request, reply) => {
      const { choice, option } = request.body ?? {};
      let done: Connected;
      try {
        done = await app.hitch.connections.callback.choose(choice, option, request.auth?.user.id ?? null);
      } catch (error) {
        if (!isHitchError(error)) throw error;
        return send(reply, error.status, refused(error));
      }
      return send(reply, 200, connected(done));
    },
  );

  // The signed-out case: a plain form (no script needed) that signs in and resumes the same callback.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  // No body at all (no Content-Type) leaves request.body undefined.
  app.post<{ Body: Record<string, string | undefined> | undefined }>(
    '/oauth/sign-in',
    { config: { auth: 'none' } },
    async (request, reply) => {
      const { email = '', password = '', next = '' } = request.body ?? {};
      // Judged before anything is written: a refused target creates and ends no session.
      if (!isSignInNext(next)) {
        return send(reply, 400, {
          ok: false,
          code: 'validation_failed',
          message: 'This sign-in link is not valid: start again from Hitch.',
        });
      }
      try {
        const { session } = await app.hitch.accounts.signIn({
          email,
          password,
          ip: request.ip,
          previousSessionToken: sessionTokenOf(request),
        });
        setSessionCookie(reply, session.token, app.hitch.config.publicUrl.startsWith('https:'));
      } catch (error) {
        if (!isHitchError(error)) throw error;
        return send(
          reply,
          error.status,
          { ok: false, code: error.code, message: error.message, needsSignIn: true },
          next,
        );
      }
      return reply.redirect(`${app.hitch.config.publicUrl}${next}`, 303);
    },
  );

  app.get('/oauth/callback.js', { config: { auth: 'none' } }, async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(CALLBACK_SCRIPT),
  );
};

/**
 * Tells the opener and any other tab of the app (BroadcastChannel, for when
 * window.opener was lost), then closes the popup. Only the outcome's public
 * fields are sent, and only to our own origin.
 */
const CALLBACK_SCRIPT = `(function () {
  var el = document.getElementById('hitch-outcome');
  if (!el) return;
  var outcome = JSON.parse(el.textContent || '{}');
  var message = { type: 'hitch:oauth', ok: outcome.ok, code: outcome.code, message: outcome.message, connectionId: outcome.connectionId };
  try { if ('BroadcastChannel' in window) new BroadcastChannel('hitch-oauth').postMessage(message); } catch (e) {}
  if (window.opener && !window.opener.closed) {
    try { window.opener.postMessage(message, window.location.origin); } catch (e) {}
    if (outcome.ok) setTimeout(function () { window.close(); }, 800);
  } else {
    // Same-tab flow (popups were blocked): the web app left where to come back in this tab's sessionStorage.
    try {
      var back = JSON.parse(sessionStorage.getItem('hitch-oauth-return') || 'null');
      // A path of this origin in printable ASCII: browsers drop tabs and newlines, so "/<tab>/x" would be "//x".
      if (back && typeof back.path === 'string' && /^\\/(?![\\/\\\\])[\\x21-\\x5b\\x5d-\\x7e]*$/.test(back.path)) {
        sessionStorage.setItem('hitch-oauth-outcome', JSON.stringify(message));
        window.location.replace(back.path);
      }
    } catch (e) {}
  }
})();
`;

export default oauthCallbackRoutes;
