// The API's shapes come from the server's own source (type-only: nothing of the server is bundled).
export type * from '../../../src/api-types.ts';
