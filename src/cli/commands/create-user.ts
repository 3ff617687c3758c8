import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createUser } from '../../accounts/users.ts';
import { HitchError } from '../../errors.ts';
import type { Store } from '../../store/database.ts';

export const CREATE_USER_USAGE = 'create-user --email <email> [--password <password>] [--admin] [--team <name>]';

/**
 * `hitch create-user`: a user with a team of their own (named by --team). Without
 * --password one is generated and printed once.
 */
export async function createUserCommand(
  args: string[],
  ctx: { store: Store; out: NodeJS.WritableStream },
): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      admin: { type: 'boolean', default: false },
      team: { type: 'string' },
    },
  });
  if (!values.email || !/^[^\s@]+@[^\s@]+$/.test(values.email))
    throw new HitchError('validation_failed', {
      message: `--email must be an email address; usage: hitch ${CREATE_USER_USAGE}`,
    });
  if (values.password !== undefined && values.password.length < 8)
    throw new HitchError('validation_failed', { message: '--password must be at least 8 characters long.' });
  if (values.team !== undefined && !values.team.trim())
    throw new HitchError('validation_failed', { message: '--team must not be empty.' });

  const password = values.password ?? randomBytes(15).toString('base64url');
  const { user, teams } = await createUser(ctx.store, {
    email: values.email,
    password,
    isAdmin: values.admin,
    ...(values.team ? { team: { name: values.team.trim() } } : {}),
  });
  ctx.out.write(
    `Created ${user.isAdmin ? 'instance administrator' : 'user'} ${user.email} (${user.id})${teams[0] ? `, owner of the team "${teams[0].name}"` : ''}.\n`,
  );
  if (values.password === undefined) ctx.out.write(`Password: ${password}\nIt is shown only this once.\n`);
  return 0;
}
