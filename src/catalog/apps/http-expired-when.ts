import type { AppInput } from '../schema.ts';

type KindInput = AppInput['connections'][number];

/**
 * The generic app's expiry signals, an advanced setting of its renewable kinds:
 * which answers mean the credentials lapsed, so Hitch renews once and retries
 * once. Services that answer 403, or an error code inside a 200, need it.
 */
export const httpExpiredWhen = {
  status: '{{expiredStatuses}}',
  bodyPath: '{{expiredBodyPath}}',
  bodyValues: '{{expiredBodyValues}}',
} as const;

export const httpExpiredWhenParameters: NonNullable<KindInput['parameters']> = [
  {
    name: 'expiredStatuses',
    label: 'Expired when the status is',
    advanced: true,
    editable: true,
    default: '401',
    pattern: '\\d{3}(\\s*,\\s*\\d{3})*',
    help: 'HTTP statuses that mean the credentials lapsed, comma-separated (e.g. 401, 403). Hitch then renews once and retries once.',
  },
  {
    name: 'expiredBodyPath',
    label: 'Expired when the answer’s field',
    advanced: true,
    editable: true,
    help: 'A dot path into a JSON answer, e.g. error.code, for services that say “expired” inside a 200.',
  },
  {
    name: 'expiredBodyValues',
    label: '… is one of',
    type: 'list',
    advanced: true,
    editable: true,
    help: 'The values at that path that mean the credentials lapsed, e.g. TOKEN_EXPIRED.',
  },
];
