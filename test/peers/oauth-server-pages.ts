/**
 * The sign-in and consent pages of the test authorization server.
 *
 * Plain HTML forms with labels, so the headless person in `oauth-person.ts` and a
 * real browser (the web-app tests) drive the same pages. `data-step` tells a
 * script which page it is on without reading the prose.
 */

const OIDC_ONLY = new Set(['openid', 'offline_access']);

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function loginPage(input: { uid: string; clientId: string; email?: string; error?: string }): string {
  const error = input.error ? `<p role="alert">${escapeHtml(input.error)}</p>` : '';
  return layout(
    'Sign in',
    `<p>Sign in to continue to <strong>${escapeHtml(input.clientId)}</strong>.</p>
${error}
<form method="post" action="/interaction/${escapeHtml(input.uid)}/login" data-step="login">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>`,
  );
}

/** Every requested scope is a checkbox, checked, so a person may grant less than was asked. */
export function consentPage(input: { uid: string; clientId: string; email: string; scopes: string[] }): string {
  const choices = input.scopes
    .filter((scope) => !OIDC_ONLY.has(scope))
    .map(
      (scope) =>
        `  <label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked> ${escapeHtml(scope)}</label><br>`,
    )
    .join('\n');
  return layout(
    'Authorize access',
    `<p>Signed in as ${escapeHtml(input.email)}.</p>
<p><strong>${escapeHtml(input.clientId)}</strong> asks for access to your account:</p>
<form method="post" action="/interaction/${escapeHtml(input.uid)}/confirm" data-step="consent">
${choices}
  <button type="submit">Authorize</button>
</form>
<form method="post" action="/interaction/${escapeHtml(input.uid)}/abort" data-step="deny">
  <button type="submit">Deny</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p>`);
}
