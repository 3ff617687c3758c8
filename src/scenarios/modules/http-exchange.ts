import { HitchError, invalidField } from '../../errors.ts';
import { redactUrl } from '../../log.ts';
import type { OutboundResponse } from '../../outbound/types.ts';
import type { InputDefinition } from '../../catalog/schema.ts';
import type { CallRecord, ModuleOutcome } from './types.ts';
import { nestsDeeperThan } from '../../json-depth.ts';
import { jsonText } from '../../json-text.ts';

/** The inputs every HTTP-style module takes, in Make's order. */
export const HTTP_INPUTS: InputDefinition[] = [
  { name: 'url', label: 'URL', type: 'text', required: true },
  {
    name: 'method',
    label: 'Method',
    type: 'select',
    required: false,
    default: 'GET',
    options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => ({ value: m, label: m })),
  },
  { name: 'query', label: 'Query string', type: 'map', required: false },
  { name: 'headers', label: 'Headers', type: 'map', required: false },
  {
    name: 'bodyType',
    label: 'Body type',
    type: 'select',
    required: false,
    default: 'json',
    options: [
      { value: 'json', label: 'JSON' },
      { value: 'form', label: 'Form (application/x-www-form-urlencoded)' },
      { value: 'raw', label: 'Raw' },
    ],
  },
  { name: 'body', label: 'Request content', type: 'json', required: false },
  { name: 'timeout', label: 'Timeout (seconds)', type: 'number', required: false, default: 40, help: 'From 1 to 300.' },
];

export const TIMEOUT_MAX_S = 300;

export interface HttpInputs {
  url: string;
  method: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidField(field, `${field} must be an object of names to values.`);
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, jsonText(v)]),
  );
}

/** The module's inputs, filled, as one request: body encoded for its type, Content-Type set unless given. */
export function httpInputs(inputs: Record<string, unknown>): HttpInputs {
  const headers = stringMap(inputs.headers, 'headers');
  const hasHeader = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  let body: string | undefined;
  const raw = inputs.body;
  if (raw !== undefined && raw !== null && raw !== '') {
    switch (inputs.bodyType ?? 'json') {
      case 'form':
        body = new URLSearchParams(stringMap(raw, 'body')).toString();
        if (!hasHeader('content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
        break;
      case 'raw':
        body = typeof raw === 'string' ? raw : JSON.stringify(raw);
        break;
      default:
        body = typeof raw === 'string' ? raw : JSON.stringify(raw);
        if (!hasHeader('content-type')) headers['content-type'] = 'application/json';
    }
  }
  const timeout = Number(inputs.timeout ?? 40);
  if (!Number.isFinite(timeout) || timeout < 1 || timeout > TIMEOUT_MAX_S)
    throw invalidField('timeout', `timeout must be between 1 and ${TIMEOUT_MAX_S} seconds.`);
  if (typeof inputs.url !== 'string' || inputs.url === '') throw invalidField('url', 'url is required.');
  return {
    url: inputs.url,
    method: jsonText(inputs.method ?? 'GET').toUpperCase(),
    query: stringMap(inputs.query, 'query'),
    headers,
    body,
    timeoutMs: Math.round(timeout * 1000),
  };
}

/** Headers never kept in an execution's output. */
const DROPPED_RESPONSE_HEADERS = new Set(['set-cookie', 'set-cookie2', 'authorization', 'proxy-authorization']);

/** Deeper than any real API answer; bounded so nothing that walks an output can be made to recurse without end. */
export const MAX_ANSWER_DEPTH = 128;

/** `{status, headers, body}`, body parsed when it is JSON. */
export function responseOutput(response: OutboundResponse): {
  status: number;
  headers: Record<string, string>;
  body: unknown;
} {
  const headers = Object.fromEntries(
    Object.entries(response.headers).filter(([name]) => !DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())),
  );
  const text = response.text();
  let body: unknown = text;
  // A hostile service's answer is walked by mappings and stored: nested past the bound, it stays text.
  if (
    (/\bjson\b/i.test(response.headers['content-type'] ?? '') || /^\s*[[{]/.test(text)) &&
    !nestsDeeperThan(text, MAX_ANSWER_DEPTH)
  ) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers, body };
}

/**
 * The URL as an execution records it. `sent` is what the module asked for,
 * before credentials were placed; of the final URL only the query parameters
 * the module itself sent are kept, so a token placed in the query never shows.
 */
export function recordedUrl(sent: URL, final?: string): string {
  const url = new URL(final ?? sent.href);
  const own = new Set([...sent.searchParams.entries()].map(([k, v]) => `${k}=${v}`));
  for (const [k, v] of [...url.searchParams.entries()]) if (!own.has(`${k}=${v}`)) url.searchParams.delete(k);
  return redactUrl(url);
}

/** The outcome of an HTTP-style module: an error status fails the module, keeping what came back. */
export function httpOutcome(
  response: OutboundResponse,
  call: CallRecord,
  output: unknown = responseOutput(response),
): ModuleOutcome {
  const error =
    response.status >= 400
      ? new HitchError('module_request_failed', { message: `The service answered ${response.status}.` })
      : undefined;
  return { output, request: call, ...(error ? { error } : {}) };
}

/** Query parameters added to a URL (the module's own; credentials are placed later). */
export function withQuery(url: URL, query: Record<string, string>): URL {
  const out = new URL(url.href);
  for (const [k, v] of Object.entries(query)) out.searchParams.set(k, v);
  return out;
}

export function parseAbsolute(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidField('url', 'url must be a full URL, like https://api.example.com/path.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalidField('url', 'url must start with https:// or http://.');
  return url;
}
