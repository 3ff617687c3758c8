import type { SplitParameters } from '../catalog/parameters.ts';
import { placeBasic } from '../auth/inject.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { resolveBasic } from '../catalog/resolve.ts';
import type { BasicKindDefinition } from '../catalog/schema.ts';
import { HitchError } from '../errors.ts';
import type { StaticCredentials } from './api-key.ts';
import type { Placer } from './credentials.ts';
import { assertSameDestinations } from './destinations.ts';
import { parseData } from './model.ts';

export function basicCredentials(kind: BasicKindDefinition, parameters: SplitParameters): StaticCredentials {
  const settings = resolveBasic(kind, parameters);
  return { placed: placeBasic(settings.username, settings.password), baseUrl: settings.baseUrl, verify: settings.verify };
}

/** Places a Basic connection's username and password; they do not expire, so nothing renews them. */
export function basicPlacer(catalog: Catalog): Placer {
  return (row, secrets) => {
    const app = catalog.require(row.app);
    const kind = catalog.kind(app, row.auth);
    if (kind.type !== 'basic') throw new HitchError('connection_not_authorized');
    const values = parseData(row).parameters;
    assertSameDestinations(kind, values, secrets.destinations);
    const { placed, baseUrl } = basicCredentials(kind, { values, secrets: secrets.parameters });
    return { placed, baseUrl, allowedHosts: app.hosts, renewable: false };
  };
}
