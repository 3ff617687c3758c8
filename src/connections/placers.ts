import type { Catalog } from '../catalog/catalog.ts';
import { apiKeyPlacer } from './api-key.ts';
import { basicPlacer } from './basic.ts';
import type { Placer } from './credentials.ts';
import { oauth2Placer } from './oauth2.ts';

/** The one placer the token path uses: it hands each connection to its kind's placer. */
export function placerByKind(catalog: Catalog, env?: NodeJS.ProcessEnv): Placer {
  const byKind: Record<string, Placer> = { oauth2: oauth2Placer(catalog, env), apiKey: apiKeyPlacer(catalog), basic: basicPlacer(catalog) };
  return (row, secrets) => {
    const placer = byKind[row.auth];
    if (!placer) throw new TypeError(`No placer for connections of kind ${row.auth}`);
    return placer(row, secrets);
  };
}
