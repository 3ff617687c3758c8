import { describeConfig, type Config } from '../../config.ts';

/** `hitch config`: the effective configuration, secrets masked. */
export async function configCommand(config: Config, out: NodeJS.WritableStream): Promise<number> {
  out.write(`${JSON.stringify(describeConfig(config), null, 2)}\n`);
  return 0;
}
