import type { AppDefinition, ModuleDefinition, RequestDefinition } from '../../catalog/schema.ts';
import { jsonText } from '../../json-text.ts';
import { HTTP_INPUTS, httpInputs, responseOutput } from './http-exchange.ts';
import { sendThroughConnection } from './http.ts';
import type { ModuleSpec } from './types.ts';

/**
 * The catalog's modules as the engine runs them: each app's declarative modules
 * (a request template over the module's inputs), and "Make an API call", which
 * every app has, for anything its modules do not cover. Both go through the
 * connection core.
 */
export const MAKE_API_CALL = 'make-api-call';

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** Fills `{{input}}` templates; `encode` escapes values put into a URL path. Undefined when a whole-string template names nothing. */
function fill(template: unknown, inputs: Record<string, unknown>, encode = false): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole && !encode) return inputs[whole[1]!];
    return template.replace(TEMPLATE, (_, name: string) => {
      const value = inputs[name];
      const text = jsonText(value);
      return encode ? encodeURIComponent(text) : text;
    });
  }
  if (Array.isArray(template)) return template.map((v) => fill(v, inputs)).filter((v) => v !== undefined);
  if (template && typeof template === 'object') {
    return Object.fromEntries(
      Object.entries(template)
        .map(([k, v]) => [k, fill(v, inputs)])
        .filter(([, v]) => v !== undefined && v !== ''),
    );
  }
  return template;
}

function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function declarative(app: AppDefinition, module: ModuleDefinition, request: RequestDefinition): ModuleSpec {
  return {
    app: app.id,
    id: module.id,
    name: module.name,
    description: module.description,
    docsUrl: module.docsUrl,
    needs: { kind: 'connection', app: app.id },
    inputs: module.inputs,
    scopes: module.scopes,
    async run(context) {
      const inputs = context.inputs;
      const query = (fill(request.query ?? {}, inputs) ?? {}) as Record<string, string>;
      const headers = (fill(request.headers ?? {}, inputs) ?? {}) as Record<string, string>;
      const body = request.body === undefined ? undefined : fill(request.body, inputs);
      const outcome = await sendThroughConnection(
        context,
        httpInputs({
          url: fill(request.url, inputs, true),
          method: request.method,
          query,
          headers,
          body,
          bodyType: request.bodyType,
          timeout: inputs.timeout,
        }),
      );
      if (request.output && outcome.output && typeof outcome.output === 'object') {
        const output = outcome.output as ReturnType<typeof responseOutput>;
        return { ...outcome, output: { ...output, data: pick(output.body, request.output) } };
      }
      return outcome;
    },
  };
}

function makeApiCall(app: AppDefinition): ModuleSpec {
  return {
    app: app.id,
    id: MAKE_API_CALL,
    name: 'Make an API call',
    needs: { kind: 'connection', app: app.id },
    inputs: HTTP_INPUTS.map((input) =>
      input.name === 'url'
        ? { ...input, help: `A path relative to ${app.name}'s base URL, such as /v1/items.` }
        : input,
    ),
    scopes: [],
    run: (context) => sendThroughConnection(context, httpInputs(context.inputs)),
  };
}

/** Every module of one app, "Make an API call" last. */
export function catalogModules(app: AppDefinition): ModuleSpec[] {
  const declared = app.modules.filter((m) => m.request).map((m) => declarative(app, m, m.request!));
  return declared.some((m) => m.id === MAKE_API_CALL) ? declared : [...declared, makeApiCall(app)];
}
