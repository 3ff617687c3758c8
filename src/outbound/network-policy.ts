import ipaddr from 'ipaddr.js';
import { ConfigError, type Config } from '../config.ts';
import { HitchError } from '../errors.ts';
import { nonPublicReason, parseIp } from './address-ranges.ts';

/**
 * The SSRF guard: may a call made on a user's behalf reach `host` at `address`?
 * Decided once per connection, on the address the socket is about to use (see
 * policy-connector.ts), so a name that resolves to a public address for a check
 * and to 127.0.0.1 for the connection gains nothing.
 */
export interface NetworkPolicy {
  /** Throws HitchError('network_blocked') naming the host unless it may be reached at this address. */
  assertAllowed(host: string, address: string): void;
  /** True when any address is fine for this host (private networks allowed, or the name is on the allow list). */
  allowsAnyAddress(host: string): boolean;
  /** True when HITCH_ALLOWED_HOSTS names this host: the name, a `*.` suffix of it, or (for an IP literal) a CIDR holding it. */
  lists(host: string): boolean;
}

interface AllowList {
  names: Set<string>;
  /** "*.example.com" stored as ".example.com": subdomains match, the bare domain does not. */
  suffixes: string[];
  cidrs: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export function createNetworkPolicy(network: Config['network']): NetworkPolicy {
  const allow = parseAllowedHosts(network.allowedHosts);

  function allowsAnyAddress(host: string): boolean {
    if (network.allowPrivateNetwork) return true;
    const name = normalizeHost(host);
    return allow.names.has(name) || allow.suffixes.some((suffix) => name.endsWith(suffix));
  }

  function assertAllowed(host: string, address: string): void {
    if (allowsAnyAddress(host)) return;
    const parsed = parseIp(address);
    if (!parsed) throw new TypeError(`Not an IP address: ${address}`);
    const reason = nonPublicReason(parsed);
    if (reason === null) return;
    const comparable =
      parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
        ? (parsed as ipaddr.IPv6).toIPv4Address()
        : parsed;
    if (allow.cidrs.some(([range, bits]) => range.kind() === comparable.kind() && comparable.match(range, bits)))
      return;
    const name = normalizeHost(host);
    const subject = parseIp(name) ? `${name} is ${reason}` : `${name} resolves to ${reason}`;
    throw new HitchError('network_blocked', {
      message: `${subject}, which Hitch does not call on a user's behalf; an administrator can allow it with HITCH_ALLOWED_HOSTS.`,
      details: { host: name },
    });
  }

  function lists(host: string): boolean {
    const name = normalizeHost(host);
    if (allow.names.has(name) || allow.suffixes.some((suffix) => name.endsWith(suffix))) return true;
    const parsed = parseIp(name);
    if (!parsed) return false;
    const comparable =
      parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
        ? (parsed as ipaddr.IPv6).toIPv4Address()
        : parsed;
    return allow.cidrs.some(([range, bits]) => range.kind() === comparable.kind() && comparable.match(range, bits));
  }

  return { assertAllowed, allowsAnyAddress, lists };
}

/** Lower case, no brackets around IPv6, no trailing dot: the form names are compared in. */
export function normalizeHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.toLowerCase().replace(/\.$/, '');
}

function parseAllowedHosts(entries: string[]): AllowList {
  const list: AllowList = { names: new Set(), suffixes: [], cidrs: [] };
  for (const raw of entries) {
    const entry = raw.trim();
    const ip = parseIp(entry);
    if (ip) {
      list.cidrs.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else if (entry.includes('/')) {
      try {
        list.cidrs.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new ConfigError(
          'HITCH_ALLOWED_HOSTS',
          `"${entry}" is not a valid CIDR; write it like 10.0.0.0/8 or fd00::/8`,
        );
      }
    } else if (entry.startsWith('*.')) {
      list.suffixes.push(`.${hostNameOf(entry.slice(2), entry)}`);
    } else {
      list.names.add(hostNameOf(entry, entry));
    }
  }
  return list;
}

/** Puts a name into the form URL parsing gives it (lower case, punycode), so entries match URL hosts. */
function hostNameOf(name: string, entry: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(`http://${name}`);
  } catch {
    // reported below
  }
  if (!parsed || parsed.host !== parsed.hostname || parsed.pathname !== '/' || parsed.username || name.includes('*')) {
    throw new ConfigError(
      'HITCH_ALLOWED_HOSTS',
      `"${entry}" is not a host name, a *.domain wildcard or a CIDR; list them separated by commas`,
    );
  }
  return normalizeHost(parsed.hostname);
}
