import { withDefaults, type ParameterValue } from '../catalog/parameters.ts';
import type { ConnectionKindDefinition, ParameterDefinition } from '../catalog/schema.ts';
import { HitchError } from '../errors.ts';

/**
 * A secret's destination is part of the secret. The destination parameters of a
 * kind (the catalog marks them: hosts, base URLs, OAuth endpoints) are copied
 * into the connection's encrypted secrets when the secrets are entered or
 * issued, so the ciphertext itself says where it may go: a changed `data`
 * column, by a bug or by hand, cannot send a stored key anywhere new.
 */

export type Destinations = Record<string, string>;

function destinationDefs(kind: ConnectionKindDefinition): ParameterDefinition[] {
  return kind.parameters.filter((p) => p.destination === true);
}

/** The destination values of a connection (defaults included), as text. */
export function destinationsOf(kind: ConnectionKindDefinition, values: Record<string, ParameterValue>): Destinations {
  const filled = withDefaults(kind.parameters, values);
  const out: Destinations = {};
  for (const def of destinationDefs(kind)) {
    const value = filled[def.name];
    if (value !== undefined && value !== '') out[def.name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

/** The destination parameters whose value differs between two sets of values. */
export function changedDestinations(
  kind: ConnectionKindDefinition,
  before: Record<string, ParameterValue>,
  after: Record<string, ParameterValue>,
): ParameterDefinition[] {
  const a = destinationsOf(kind, before);
  const b = destinationsOf(kind, after);
  return destinationDefs(kind).filter((def) => a[def.name] !== b[def.name]);
}

function labels(defs: Array<{ label: string }>): string {
  const names = defs.map((d) => d.label);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}

/**
 * Refuses a change of destination unless the request enters again every secret
 * the connection holds, so nobody can send a stored secret where its owner did not.
 */
export function requireSecretsForNewDestination(
  kind: ConnectionKindDefinition,
  changed: ParameterDefinition[],
  held: Record<string, string>,
  given: Record<string, unknown>,
): void {
  if (changed.length === 0) return;
  const missing = kind.parameters.filter(
    (p) => p.secret && held[p.name] !== undefined && (typeof given[p.name] !== 'string' || given[p.name] === ''),
  );
  if (missing.length === 0) return;
  throw new HitchError('secrets_required', {
    message: `Changing ${labels(changed)} sends this connection's secrets somewhere new: enter ${labels(missing)} again in the same request.`,
    details: { field: `parameters.${missing[0]!.name}`, fields: missing.map((p) => `parameters.${p.name}`) },
  });
}

/**
 * Checked before credentials are placed or a refresh token is sent: the
 * destination the secrets were entered for must still be the connection's.
 * Connections stored before destinations were recorded carry none and pass.
 */
export function assertSameDestinations(
  kind: ConnectionKindDefinition,
  values: Record<string, ParameterValue>,
  bound: Destinations | undefined,
): void {
  if (bound === undefined) return;
  const now = destinationsOf(kind, values);
  const names = new Set([...Object.keys(bound), ...Object.keys(now)]);
  for (const name of names) {
    if (bound[name] !== now[name]) {
      throw new HitchError('reauthorization_required', {
        message:
          "This connection's address changed after its credentials were entered, so they are not sent there: reauthorize the connection and enter them again.",
      });
    }
  }
}
