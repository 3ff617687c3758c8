import type { InputDefinition } from '../../catalog/schema.ts';
import {
  ANY_ENDPOINT,
  GRANT_METHODS,
  methodProblem,
  pathProblem,
  type EndpointPattern,
} from '../../connections/grants.ts';
import { invalidField } from '../../errors.ts';
import { isMapped } from '../mapping.ts';

/**
 * The settings by which a generic module on a connection ("Make an API call",
 * "Make an OAuth 2.0 request") states the endpoints it may call, since its URL
 * is whatever it is given. Left empty, the module may call anything the
 * connection reaches, as before endpoint grants.
 */
export const GRANT_INPUTS: InputDefinition[] = [
  {
    name: 'grantMethod',
    label: 'Allowed method',
    type: 'select',
    required: false,
    options: [{ value: '*', label: 'Any method' }, ...GRANT_METHODS.map((m) => ({ value: m, label: m }))],
    help: 'The method this module may call with (GET takes HEAD along). Empty: any method.',
  },
  {
    name: 'grantPath',
    label: 'Allowed path',
    type: 'text',
    required: false,
    help: 'The path below the connection’s base URL this module may call: /repos/* for everything under /repos, {name} for one segment. Empty: the whole base URL.',
  },
];

function setting(inputs: Record<string, unknown>, name: string): string | undefined {
  const value = inputs[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (isMapped(value))
    throw invalidField(name, `${name} is decided when the scenario is saved: write it out instead of mapping it.`);
  if (typeof value !== 'string') throw invalidField(name, `${name} must be text.`);
  return value;
}

/** The endpoint a generic module's settings grant. */
export function settingsEndpoints(inputs: Record<string, unknown>): EndpointPattern[] {
  const method = setting(inputs, 'grantMethod')?.toUpperCase();
  const path = setting(inputs, 'grantPath');
  const badMethod = method === undefined ? null : methodProblem(method);
  if (badMethod) throw invalidField('grantMethod', `The allowed method is not valid: ${badMethod}.`);
  const badPath = path === undefined ? null : pathProblem(path);
  if (badPath) throw invalidField('grantPath', `The allowed path ${badPath}.`);
  if (path !== undefined) return [{ method: method ?? '*', path }];
  return [method === undefined || method === '*' ? ANY_ENDPOINT : { ...ANY_ENDPOINT, method }];
}
