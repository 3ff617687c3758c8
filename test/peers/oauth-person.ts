/**
 * A person at a browser, without the browser: follows an authorization URL over
 * HTTP with a cookie jar, signs in and answers the consent page through the pages'
 * own forms, and stops at the redirect back to the client — returning that URL
 * unfetched, so the test hands it to Hitch's callback itself.
 *
 * Each call uses a fresh cookie jar: the person always signs in and is always asked
 * for consent, whatever earlier calls did.
 */

export interface AuthorizeOptions {
  /** Email of the account to sign in as. */
  login: string;
  /** Default: the account's password as configured. Give a wrong one to see sign-in fail. */
  password?: string;
  /** `true` (default) authorizes; `'deny'` presses Deny, sending `error=access_denied`. */
  consent?: true | 'deny';
  /** Grant only these of the requested scopes (unticks the others). Default: all. */
  grantScopes?: string[];
}

const MAX_STEPS = 20;

export async function authorizeAsPerson(
  start: URL,
  options: AuthorizeOptions,
  server: { isRedirectUri(url: URL): boolean; passwordOf?(email: string): string | undefined },
): Promise<{ callbackUrl: string }> {
  const jar = new CookieJar();
  let request: { url: URL; method: 'GET' | 'POST'; form?: URLSearchParams } = { url: start, method: 'GET' };

  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (server.isRedirectUri(request.url)) return { callbackUrl: request.url.href };

    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = jar.header(request.url);
    if (cookie) headers.cookie = cookie;
    if (request.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.form?.toString(),
      redirect: 'manual',
    });
    jar.store(request.url, res.headers.getSetCookie());

    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      request = { url: new URL(location, request.url), method: 'GET' };
      continue;
    }

    const html = await res.text();
    const page = parsePage(html);
    if (res.status !== 200 || !page) {
      throw new Error(
        `The authorization stopped at ${request.url.pathname} (${res.status}): ${textOf(html).slice(0, 300)}`,
      );
    }
    if (page.step === 'login' && request.method === 'POST') {
      throw new Error(`Sign-in as ${options.login} failed: ${textOf(page.alert ?? '')}`);
    }

    if (page.step === 'login') {
      const form = new URLSearchParams({
        email: options.login,
        password: options.password ?? server.passwordOf?.(options.login) ?? '',
      });
      request = { url: new URL(page.actions.login!, request.url), method: 'POST', form };
    } else if (options.consent === 'deny') {
      request = { url: new URL(page.actions.deny!, request.url), method: 'POST', form: new URLSearchParams() };
    } else {
      const form = new URLSearchParams();
      for (const scope of page.checkedScopes) {
        if (!options.grantScopes || options.grantScopes.includes(scope)) form.append('scope', scope);
      }
      request = { url: new URL(page.actions.consent!, request.url), method: 'POST', form };
    }
  }
  throw new Error(`The authorization did not come back to the client within ${MAX_STEPS} steps.`);
}

interface Page {
  step: 'login' | 'consent';
  actions: Partial<Record<'login' | 'consent' | 'deny', string>>;
  checkedScopes: string[];
  alert: string | undefined;
}

/** Reads the forms of our own pages (oauth-server-pages.ts); not a general HTML parser. */
function parsePage(html: string): Page | undefined {
  const actions: Page['actions'] = {};
  for (const m of html.matchAll(/<form method="post" action="([^"]+)" data-step="(login|consent|deny)">/g)) {
    actions[m[2] as keyof Page['actions']] = decodeEntities(m[1]!);
  }
  const step = actions.login ? 'login' : actions.consent ? 'consent' : undefined;
  if (!step) return undefined;
  const checkedScopes = [...html.matchAll(/<input type="checkbox" name="scope" value="([^"]+)" checked>/g)].map((m) =>
    decodeEntities(m[1]!),
  );
  const alert = /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1];
  return { step, actions, checkedScopes, alert: alert === undefined ? undefined : decodeEntities(alert) };
}

function decodeEntities(value: string): string {
  return value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Enough of RFC 6265 for one host: names, paths, deletion. */
class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = defaultPath(url);
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=');
        const k = key.toLowerCase();
        if (k === 'path' && val.startsWith('/')) path = val;
        if (k === 'max-age' && Number(val) <= 0) expired = true;
        if (k === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${name}\u0000${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.#cookies.values()]
      .filter((c) => pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/');
  return last <= 0 ? '/' : url.pathname.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
