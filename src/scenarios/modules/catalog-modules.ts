import type { AppDefinition, ModuleDefinition, RequestDefinition } from '../../catalog/schema.ts';
import { patternOfRequest } from '../../connections/grants.ts';
import { httpInputs, responseOutput } from './http-exchange.ts';
import { connectionRequestModule, sendThroughConnection } from './http.ts';
import { pickOutput, renderRequest } from './request-template.ts';
import type { ModuleSpec } from './types.ts';

/**
 * The catalog's modules as the engine runs them: each app's declarative modules
 * (a request template over the module's inputs), and "Make an API call", which
 * every app has, for anything its modules do not cover. Both go through the
 * connection core.
 */
export const MAKE_API_CALL = 'make-api-call';

function declarative(app: AppDefinition, module: ModuleDefinition, request: RequestDefinition): ModuleSpec {
  const endpoint = patternOfRequest(request.method, request.url);
  return {
    app: app.id,
    id: module.id,
    name: module.name,
    description: module.description,
    docsUrl: module.docsUrl,
    needs: { kind: 'connection', app: app.id, endpoints: () => [endpoint] },
    inputs: module.inputs,
    scopes: module.scopes,
    async run(context) {
      const rendered = renderRequest(request, context.inputs);
      const outcome = await sendThroughConnection(
        context,
        httpInputs({ ...rendered, timeout: context.inputs.timeout }),
        app.rateLimit,
      );
      if (request.output && outcome.output && typeof outcome.output === 'object') {
        const output = outcome.output as ReturnType<typeof responseOutput>;
        return { ...outcome, output: { ...output, data: pickOutput(output.body, request.output) } };
      }
      return outcome;
    },
  };
}

function makeApiCall(app: AppDefinition): ModuleSpec {
  return connectionRequestModule({
    app: app.id,
    id: MAKE_API_CALL,
    name: 'Make an API call',
    urlHelp: `A path relative to ${app.name}'s base URL, such as /v1/items.`,
    rateLimit: app.rateLimit,
  });
}

/** Every module of one app, "Make an API call" last. */
export function catalogModules(app: AppDefinition): ModuleSpec[] {
  const declared = app.modules.filter((m) => m.request).map((m) => declarative(app, m, m.request!));
  return declared.some((m) => m.id === MAKE_API_CALL) ? declared : [...declared, makeApiCall(app)];
}
