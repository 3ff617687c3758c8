import type { PlacedCredential } from '../../src/outbound/types.ts';

/** The fixed value a credential places (a bearer token, a key), for tests that compare tokens; undefined for a signature. */
export function placedValue(placed: readonly PlacedCredential[] | undefined, index = 0): string | undefined {
  const credential = placed?.[index];
  return credential && credential.in !== 'signature' ? credential.value : undefined;
}
