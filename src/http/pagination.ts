/** Keyset pagination over UUIDv7 ids: `cursor` is the last id of the previous page. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageQuery {
  cursor?: string;
  limit?: number;
}

/** Spread into a route's `querystring` schema properties. */
export const pageQueryProperties = {
  cursor: { type: 'string', maxLength: 64 },
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
} as const;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The response schema of a list of `item`s. */
export function pageSchema<const T extends object>(item: T) {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  } as const;
}

/**
 * Asks the repository for one row more than the page holds, so the presence of
 * a next page is known without a count: `fetch(limit + 1)`.
 */
export async function keysetPage<T>(
  query: PageQuery,
  fetch: (page: { cursor?: string; limit: number }) => Promise<T[]>,
  idOf: (item: T) => string,
): Promise<Page<T>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const rows = await fetch({ ...(query.cursor ? { cursor: query.cursor } : {}), limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? idOf(last) : null };
}
