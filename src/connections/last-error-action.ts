/**
 * What a connection's last error asks a person to do, as the API says it (`lastError.action`):
 * `reauthorize` (the grant is gone), `verify` (trouble that may pass: try again), `admin` (the
 * service refuses Hitch's client or the app's settings: an administrator fixes the app).
 * failures.ts decides which, from what a failure does to the connection; this file is only the
 * vocabulary, light enough for the API contract (and the web app's types) to import.
 */
export const LAST_ERROR_ACTIONS = ['reauthorize', 'verify', 'admin'] as const;
export type LastErrorAction = (typeof LAST_ERROR_ACTIONS)[number];
