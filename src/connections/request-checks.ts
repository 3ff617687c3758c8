import type { AppDefinition } from '../catalog/schema.ts';
import { HitchError, invalidField } from '../errors.ts';
import type { Caller } from './change-rights.ts';

/** What people send about a connection, checked before the service acts: names, scopes, scenario scopes. */

export const NAME_MAX = 128;
export const LIST_LIMIT_MAX = 100;

export function defaultConnectionName(app: AppDefinition): string {
  return `My ${app.name} connection`;
}

export function checkName(name: unknown): string {
  if (typeof name !== 'string') throw invalidField('name', 'The name must be text.');
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > NAME_MAX)
    throw invalidField('name', `The name must be 1 to ${NAME_MAX} characters long.`);
  return trimmed;
}

export function checkScopes(scopes: unknown): string[] {
  if (scopes === undefined) return [];
  if (
    !Array.isArray(scopes) ||
    scopes.some((s) => typeof s !== 'string' || s.length === 0 || s.length > 256 || /\s|,/.test(s))
  ) {
    throw invalidField('scopes', 'scopes must be a list of scope names without spaces or commas.');
  }
  return scopes as string[];
}

/** The scopes a scenario's modules of an app declare, plus the app's base scopes. Scenarios plug in here. */
export interface ScenarioScopes {
  scopesFor(caller: Caller, scenarioId: string, app: string, connectionId?: string): Promise<string[]>;
}

export const noScenarioScopes: ScenarioScopes = {
  scopesFor: async () => {
    throw new HitchError('not_found', {
      message: 'There is no such scenario in your teams.',
      details: { field: 'scenarioId' },
    });
  },
};
