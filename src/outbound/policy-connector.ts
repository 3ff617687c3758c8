import dns from 'node:dns';
import net from 'node:net';
import { buildConnector } from 'undici';
import type { NetworkPolicy } from './network-policy.ts';
import type { OutboundTls } from './types.ts';

/** Resolves a host name to its addresses; replaced in tests so names can point at loopback servers. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export const resolveWithDns: ResolveHost = async (hostname) => {
  const answers = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => a.address);
};

/**
 * Resolves `hostname` and checks EVERY address before any is used: a name with one
 * public and one private address must not work half of the time.
 */
export async function resolveAllowed(policy: NetworkPolicy, resolve: ResolveHost, hostname: string): Promise<string[]> {
  const addresses = await resolve(hostname);
  if (addresses.length === 0)
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  for (const address of addresses) policy.assertAllowed(hostname, address);
  return addresses;
}

/**
 * A `lookup` for net/tls.connect that only ever hands the socket checked addresses.
 * Node calls it with `all: true` when it races address families (autoSelectFamily,
 * on by default in Node 20), and without otherwise.
 */
function policyLookup(policy: NetworkPolicy, resolve: ResolveHost): net.LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(policy, resolve, hostname).then(
      (addresses) => {
        const entries = addresses.map((address) => ({ address, family: net.isIP(address) }));
        const wanted =
          options.family === 4 || options.family === 6 ? entries.filter((e) => e.family === options.family) : entries;
        if (options.all) {
          callback(null, wanted);
          return;
        }
        const first = wanted[0];
        if (!first) {
          callback(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }),
            '',
            0,
          );
          return;
        }
        callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/**
 * undici's connector with the policy applied twice: by the lookup (so a refused
 * address is never dialled) and on `socket.remoteAddress` once connected (so an IP
 * literal, which Node connects to without a lookup, and anything we did not foresee
 * is still judged by where the socket really went).
 */
export function policyConnector(
  policy: NetworkPolicy,
  resolve: ResolveHost,
  connectTimeoutMs: number,
  tls?: OutboundTls,
): buildConnector.connector {
  const connect = buildConnector({
    ...(tls ?? {}),
    lookup: policyLookup(policy, resolve),
    timeout: connectTimeoutMs,
    keepAlive: true,
  });
  return (options, callback) => {
    connect(options, (...args) => {
      const [error, socket] = args;
      if (error) {
        callback(error, null);
        return;
      }
      const remote = socket.remoteAddress;
      try {
        if (!remote) throw Object.assign(new Error('socket closed before connecting'), { code: 'ECONNRESET' });
        policy.assertAllowed(options.hostname, remote);
      } catch (refused) {
        socket.destroy();
        callback(refused as Error, null);
        return;
      }
      callback(null, socket);
    });
  };
}
