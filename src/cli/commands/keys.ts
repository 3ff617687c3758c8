import cliProgress from 'cli-progress';
import type { Config } from '../../config.ts';
import { isHitchError } from '../../errors.ts';
import type { Store } from '../../store/database.ts';
import { ciphertextCounts, reencryptAll, rewrapDataKeys, rotateDataKey } from '../../vault/rotation.ts';
import type { Vault, VaultAdmin } from '../../vault/types.ts';

export interface KeysCommandContext {
  config: Config;
  store: Store;
  vault: Vault & VaultAdmin;
  out: NodeJS.WritableStream;
}

const USAGE = `Usage: hitch keys <command>

  status     list the data keys and how many secrets each protects
  rotate     create a new data key and re-encrypt every secret with it
  reencrypt  re-encrypt secrets still under older data keys (resumes an interrupted rotate)
  rewrap     wrap every data key with the current master key; first move the old key to
             HITCH_PREVIOUS_MASTER_KEYS and set the new one in HITCH_MASTER_KEY
`;

/** `hitch keys …`: returns the process exit code (0 done, 1 failed, 2 usage). */
export async function keysCommand(args: string[], ctx: KeysCommandContext): Promise<number> {
  const write = (line = '') => ctx.out.write(`${line}\n`);
  try {
    switch (args[0]) {
      case 'status':
        await status(ctx, write);
        return 0;
      case 'rotate': {
        const id = await rotateDataKey(ctx.vault);
        write(`Created data key ${id}; new secrets use it from now on.`);
        return await reencrypt(ctx, write);
      }
      case 'reencrypt':
        return await reencrypt(ctx, write);
      case 'rewrap': {
        const count = await rewrapDataKeys(ctx.vault);
        write(`Re-wrapped ${count} data key${count === 1 ? '' : 's'} with master key ${ctx.vault.masterKeyId()}.`);
        if (ctx.config.previousMasterKeys.length > 0) {
          write('Once every instance runs with the new HITCH_MASTER_KEY, remove HITCH_PREVIOUS_MASTER_KEYS.');
        }
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        ctx.out.write(USAGE);
        return args[0] === undefined ? 2 : 0;
      default:
        write(`Unknown command "keys ${args[0]}".`);
        ctx.out.write(USAGE);
        return 2;
    }
  } catch (error) {
    if (!isHitchError(error)) throw error;
    write(error.message);
    return 1;
  }
}

async function reencrypt(ctx: KeysCommandContext, write: (line?: string) => void): Promise<number> {
  const bar = new cliProgress.SingleBar(
    {
      stream: ctx.out,
      format: 'Re-encrypting [{bar}] {percentage}% | {value}/{total} secrets',
      noTTYOutput: false,
      clearOnComplete: false,
      hideCursor: null,
    },
    cliProgress.Presets.shades_classic,
  );
  // An object, not a `let`: the flag is set in the callback, where narrowing does not follow it.
  const progress = { started: false };
  const result = await reencryptAll(ctx.vault, ctx.store, {
    onProgress(done, total) {
      if (!progress.started) {
        bar.start(total, done);
        progress.started = true;
      } else bar.update(done);
    },
  });
  if (progress.started) bar.stop();
  write(
    `Re-encrypted ${result.rewritten} of ${result.total} secret${result.total === 1 ? '' : 's'} with data key ${ctx.vault.currentKeyId()}.`,
  );
  if (result.changedMeanwhile > 0) {
    write(
      `${result.changedMeanwhile} changed while this ran and kept their new value; run "hitch keys reencrypt" again if "hitch keys status" still shows them under an older key.`,
    );
  }
  if (result.failed.length > 0) {
    write(`${result.failed.length} could not be decrypted (changed outside Hitch) and were left as they are:`);
    for (const row of result.failed) write(`  ${row.table} ${row.id}`);
    return 1;
  }
  return 0;
}

async function status(ctx: KeysCommandContext, write: (line?: string) => void): Promise<void> {
  await ctx.vault.reload();
  const keys = await ctx.vault.dataKeys();
  const usage = await ciphertextCounts(
    ctx.store,
    keys.map((k) => k.id),
  );
  const current = ctx.vault.masterKeyId();
  write(`Master key ${current} (current)`);
  write();
  write(['DATA KEY'.padEnd(36), 'CREATED'.padEnd(24), 'MASTER KEY'.padEnd(26), 'SECRETS'].join('  '));
  for (const key of keys) {
    const master =
      key.masterKeyId === current
        ? `${key.masterKeyId} (current)`
        : key.usable
          ? `${key.masterKeyId} (previous)`
          : `${key.masterKeyId} (missing)`;
    const row = [
      key.id.padEnd(36),
      new Date(key.createdAt).toISOString().padEnd(24),
      master.padEnd(26),
      String(usage.byKey.get(key.id) ?? 0),
    ].join('  ');
    write(key.current ? `${row}  ← current` : row);
  }
  if (usage.unknown > 0)
    write(`${usage.unknown} secret${usage.unknown === 1 ? ' names' : 's name'} no data key in this database.`);
  const stale = keys.filter((k) => !k.current).reduce((n, k) => n + (usage.byKey.get(k.id) ?? 0), 0);
  if (stale > 0)
    write(`${stale} secret${stale === 1 ? ' is' : 's are'} under older data keys: run "hitch keys reencrypt".`);
  if (keys.some((k) => k.masterKeyId !== current))
    write('Some data keys are wrapped by another master key: run "hitch keys rewrap".');
}
