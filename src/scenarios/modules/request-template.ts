import type { RequestDefinition } from '../../catalog/schema.ts';
import { jsonText } from '../../json-text.ts';

/** A catalog module's request filled from its inputs, before the connection adds anything. */
export interface RenderedRequest {
  method: RequestDefinition['method'];
  url: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  bodyType: RequestDefinition['bodyType'];
}

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/**
 * Fills `{{input}}` templates. A template that is the whole string yields the
 * input's value itself, so a number stays a number and an object an object; one
 * naming an absent input leaves its field out. Inside longer text values are
 * written out, URL-encoded in a path. The inputs are already typed (input-values.ts).
 */
function fill(template: unknown, inputs: Record<string, unknown>, encode = false): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole && !encode) return inputs[whole[1]!];
    return template.replace(TEMPLATE, (_, name: string) => {
      const text = jsonText(inputs[name]);
      return encode ? encodeURIComponent(text) : text;
    });
  }
  if (Array.isArray(template)) return template.map((v) => fill(v, inputs)).filter((v) => v !== undefined);
  if (template && typeof template === 'object') {
    return Object.fromEntries(
      Object.entries(template)
        .map(([k, v]) => [k, fill(v, inputs)])
        .filter(([, v]) => v !== undefined),
    );
  }
  return template;
}

/** Query and header values go out as text, whatever type their input has. */
function textMap(
  template: Record<string, string> | undefined,
  inputs: Record<string, unknown>,
): Record<string, string> {
  const filled = fill(template ?? {}, inputs) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(filled).map(([k, v]) => [k, jsonText(v)]));
}

export function renderRequest(request: RequestDefinition, inputs: Record<string, unknown>): RenderedRequest {
  return {
    method: request.method,
    url: fill(request.url, inputs, true) as string,
    query: textMap(request.query, inputs),
    headers: textMap(request.headers, inputs),
    body: request.body === undefined ? undefined : fill(request.body, inputs),
    bodyType: request.bodyType,
  };
}

/** The part of a JSON answer a module's `output` path names (`items`, `data.0`). */
export function pickOutput(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
