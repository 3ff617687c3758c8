import net from 'node:net';

/**
 * HITCH_TRUST_PROXY: the proxies whose forwarding headers Hitch believes. An
 * entry is an address (`127.0.0.1`, `::1`) or a CIDR (`10.0.0.0/8`, `fd00::/8`);
 * names and wildcards are refused, because a proxy is known by the address its
 * connection comes from and nothing else.
 */
export interface ProxyEntry {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** The entry, or null when it is not an address or a CIDR. */
export function parseProxyEntry(entry: string): ProxyEntry | null {
  const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
  if (!match) return null;
  const address = match[1]!;
  const version = net.isIP(address);
  if (version === 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  const prefix = match[2] === undefined ? max : Number(match[2]);
  if (prefix > max) return null;
  return { address, prefix, family };
}

/** A test of a peer address against the list; an empty list trusts nobody. */
export function trustedProxies(entries: readonly string[]): (address: string | undefined) => boolean {
  const list = new net.BlockList();
  for (const entry of entries) {
    const parsed = parseProxyEntry(entry);
    if (!parsed) throw new TypeError(`not a proxy address or CIDR: ${entry}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return (address) => {
    if (!address || entries.length === 0) return false;
    const version = net.isIP(address);
    // BlockList matches IPv4-mapped IPv6 (::ffff:10.0.0.1) against IPv4 subnets itself.
    return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}
