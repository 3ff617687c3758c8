import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { isHitchError } from '../errors.ts';
import type { Store } from '../store/database.ts';
import { countUsers, createUser } from './users.ts';

/** The account made when HITCH_ADMIN_EMAIL is not set. */
export const GENERATED_ADMIN_EMAIL = 'admin@hitch.local';

export interface FirstAdmin {
  email: string;
  /** Set only when Hitch made the password up; it is shown once and stored nowhere in clear. */
  generatedPassword: string | null;
}

/**
 * On a database without users, creates the first instance administrator with a
 * team of their own: HITCH_ADMIN_EMAIL/PASSWORD when given, else admin@hitch.local
 * with a random password. Returns null when users exist (or another instance
 * starting at the same moment won the race).
 */
export async function ensureFirstAdmin(store: Store, admin: Config['admin']): Promise<FirstAdmin | null> {
  if ((await countUsers(store)) > 0) return null;
  const email = admin?.email ?? GENERATED_ADMIN_EMAIL;
  const password = admin?.password ?? randomBytes(15).toString('base64url');
  try {
    await createUser(store, { email, password, isAdmin: true });
  } catch (error) {
    if (isHitchError(error, 'email_taken')) return null;
    throw error;
  }
  return { email, generatedPassword: admin ? null : password };
}
