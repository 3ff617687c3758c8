import { escapeHtml, jsonForScript, page } from './html.ts';

/** What the callback page shows and posts to the opener. Never a secret. */
export interface CallbackOutcome {
  ok: boolean;
  code: string;
  message: string;
  connectionId?: string;
  /** The callback cannot be judged before the person signs in: the page offers the sign-in form. */
  needsSignIn?: boolean;
}

/**
 * The page a person sees when the service sends them back. Every word that came
 * from the service (error descriptions) is escaped; the outcome travels to the
 * script as JSON in a data element, never as inline code.
 */
export function callbackPage(outcome: CallbackOutcome, publicUrl: string, signInNext?: string): string {
  const title = outcome.ok ? 'Connected' : outcome.needsSignIn ? 'Sign in to finish' : 'Not connected';
  const signIn = signInNext
    ? `<form method="post" action="${escapeHtml(publicUrl)}/oauth/sign-in">
<input type="hidden" name="next" value="${escapeHtml(signInNext)}">
<p><label>Email <input name="email" type="email" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form>`
    : '';
  const data = {
    ok: outcome.ok,
    code: outcome.code,
    message: outcome.message,
    ...(outcome.connectionId ? { connectionId: outcome.connectionId } : {}),
  };
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p role="${outcome.ok ? 'status' : 'alert'}">${escapeHtml(outcome.message)}</p>
${signIn}
${outcome.ok ? '<p>You can close this window.</p>' : `<p><a href="${escapeHtml(publicUrl)}/">Back to Hitch</a></p>`}
<script type="application/json" id="hitch-outcome">${jsonForScript(data)}</script>
<script src="${escapeHtml(publicUrl)}/oauth/callback.js"></script>`,
  );
}
