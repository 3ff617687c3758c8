import type { Catalog } from '../catalog/catalog.ts';

/**
 * A metrics label for the service a URL belongs to: the app's id when one app
 * of the catalog uses the host, the host when several share it (Google's token
 * endpoint serves many apps), and "other" for hosts outside the catalog (the
 * generic HTTP app, people's own base URLs), so the label's values stay few.
 */
export function appLabeller(catalog: Catalog): (url: string | URL) => string {
  const appsByHost = new Map<string, Set<string>>();
  for (const app of catalog.list()) {
    for (const kind of app.connections) {
      for (const value of Object.values(kind as unknown as Record<string, unknown>)) {
        for (const candidate of urlsIn(value)) {
          const host = fixedHost(candidate);
          if (host) appsByHost.set(host, (appsByHost.get(host) ?? new Set()).add(app.id));
        }
      }
    }
  }
  const labels = new Map<string, string>();
  for (const [host, apps] of appsByHost) labels.set(host, apps.size === 1 ? [...apps][0]! : host);
  return (url) => {
    try {
      return labels.get(typeof url === 'string' ? new URL(url).host : url.host) ?? 'other';
    } catch {
      return 'other';
    }
  };
}

/** URL strings in a connection kind's fields, one level into objects (such as `verify.url`). */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.values(value).filter((v): v is string => typeof v === 'string');
  return [];
}

/** The host of an absolute URL whose authority has no `{{parameter}}` in it. */
function fixedHost(candidate: string): string | null {
  if (!/^https?:\/\//i.test(candidate)) return null;
  const authority = candidate.replace(/^https?:\/\//i, '').split(/[/?#]/, 1)[0] ?? '';
  if (authority.includes('{{')) return null;
  try {
    return new URL(candidate.replace(/\{\{[^}]*\}\}/g, 'x')).host;
  } catch {
    return null;
  }
}
