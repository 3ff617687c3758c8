import type { ApiErrorBody, BodyOf, ParamsOf, QueryOf, ReplyOf, RouteKey } from './types.ts';

/** An API error, carrying the server's sentence for people. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** Called when any request answers 401, so the app can show Sign in. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

function withQuery(path: string, query: unknown): string {
  if (typeof query !== 'object' || query === null) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** What a call of `route` sends: its path parameters (when the path has any), query and body, typed by the server's route map. */
export type RequestOptions<K extends RouteKey> = (ParamsOf<K> extends undefined
  ? { params?: undefined }
  : { params: ParamsOf<K> }) & {
  query?: QueryOf<K>;
  body?: BodyOf<K>;
};

/** `/connections/:id` with `{ id }` → `/connections/<id>`, each value escaped. */
function pathOf(pattern: string, params: unknown): string {
  const values = new Map(typeof params === 'object' && params !== null ? Object.entries(params) : []);
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(values.get(name) ?? '')));
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'object';
}

/**
 * JSON over the session cookie, for one route of the server's route map:
 * `api('GET /connections/:id', { params: { id } })`. The reply's type is the
 * route's, fixed by the key (the server serialized it through that route's
 * response schema); the caller cannot choose another. Errors become ApiError
 * with the server's message.
 */
export async function api<K extends RouteKey>(
  route: K,
  // oxlint-disable-next-line typescript/no-empty-object-type -- `{} extends T`: does T have only optional members?
  ...[options]: {} extends RequestOptions<K> ? [RequestOptions<K>?] : [RequestOptions<K>]
): Promise<ReplyOf<K>> {
  const [method = 'GET', pattern = '/'] = route.split(' ');
  const path = pathOf(pattern, options?.params);
  const body = options?.body;
  let response: Response;
  try {
    response = await fetch(withQuery(`/api/v1${path}`, options?.query), {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', 'Hitch could not be reached: check your network connection and try again.');
  }
  const text = response.status === 204 ? '' : await response.text();
  if (!response.ok) {
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const error = isErrorBody(parsed) ? parsed.error : undefined;
    if (response.status === 401 && path !== '/auth/login') onSignedOut();
    throw new ApiError(
      response.status,
      error?.code ?? 'unknown',
      error?.message ?? `Hitch answered with an unexpected error (${response.status}): try again in a moment.`,
      typeof error?.field === 'string' ? error.field : undefined,
    );
  }
  return replyOf(route, text);
}

/** A success's body as the route's reply type (nothing for a 204: `null`). */
function replyOf<K extends RouteKey>(_route: K, text: string): ReplyOf<K> {
  try {
    // The route fixes the type: the server serialized this body through the route's response schema.
    return JSON.parse(text || 'null') as ReplyOf<K>;
  } catch {
    throw new ApiError(0, 'unexpected_reply', 'Hitch answered with something that is not JSON: try again in a moment.');
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong: try again.';
}
