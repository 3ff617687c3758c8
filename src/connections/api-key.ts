import type { SplitParameters } from '../catalog/parameters.ts';
import { placeApiKeys, type PlacedCredential } from '../auth/inject.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { resolveApiKey, type VerifySettings } from '../catalog/resolve.ts';
import type { ApiKeyKindDefinition } from '../catalog/schema.ts';
import { HitchError } from '../errors.ts';
import type { Placer } from './credentials.ts';
import { assertSameDestinations } from './destinations.ts';
import { parseData } from './model.ts';

/** What an API-key connection sends, and where it checks itself. */
export interface StaticCredentials {
  placed: PlacedCredential[];
  baseUrl: string | undefined;
  verify: VerifySettings;
}

export function apiKeyCredentials(kind: ApiKeyKindDefinition, parameters: SplitParameters): StaticCredentials {
  const settings = resolveApiKey(kind, parameters);
  return { placed: placeApiKeys(settings.keys), baseUrl: settings.baseUrl, verify: settings.verify };
}

/** Places an API-key connection's keys; they do not expire, so nothing renews them. */
export function apiKeyPlacer(catalog: Catalog): Placer {
  return (row, secrets) => {
    const app = catalog.require(row.app);
    const kind = catalog.kind(app, row.auth);
    if (kind.type !== 'apiKey') throw new HitchError('connection_not_authorized');
    const values = parseData(row).parameters;
    assertSameDestinations(kind, values, secrets.destinations);
    const { placed, baseUrl } = apiKeyCredentials(kind, { values, secrets: secrets.parameters });
    return { placed, baseUrl, allowedHosts: app.hosts, renewable: false };
  };
}
