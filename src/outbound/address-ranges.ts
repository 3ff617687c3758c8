import ipaddr from 'ipaddr.js';

/**
 * Which addresses a user's call may reach. Rather than list what is forbidden, we
 * name what is public: IPv4 outside every special-purpose range, and IPv6 in the
 * global unicast block 2000::/3 outside its special ranges. Anything new or odd
 * (a range ipaddr.js learns about later, a deprecated site-local) is refused by
 * default. IPv6 forms that carry an IPv4 address (mapped, translated, NAT64, 6to4)
 * are judged by the IPv4 address inside, so ::ffff:127.0.0.1 is loopback.
 */

/** Words people understand, for the error message; keys are ipaddr.js range names. */
const RANGE_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private network address',
  uniqueLocal: 'a private network address',
  deprecatedSiteLocal: 'a private network address',
};

const CLOUD_METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/** Parses an IP literal (brackets allowed); null when it is not one. */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // isValid accepts shorthand such as "127.1"; only the four-part form is an address here,
  // because WHATWG URL parsing has already turned every other form into it.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return null;
}

/** The IPv4 address an IPv6 address stands for, when it is one of the embedding forms. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = address.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || address.match(NAT64_WELL_KNOWN)) {
    const bytes = address.toByteArray();
    return ipaddr.IPv4.parse(bytes.slice(12).join('.'));
  }
  if (range === '6to4') {
    const bytes = address.toByteArray();
    return ipaddr.IPv4.parse(bytes.slice(2, 6).join('.'));
  }
  // IPv4-compatible ::a.b.c.d (deprecated) still routes to a.b.c.d on some stacks.
  const parts = address.parts;
  if (parts.slice(0, 6).every((p) => p === 0) && (parts[6] !== 0 || (parts[7] ?? 0) > 1)) {
    return ipaddr.IPv4.parse(address.toByteArray().slice(12).join('.'));
  }
  return null;
}

/**
 * Why an address is not public, as words for a person ("a loopback address"), or
 * null when a user's call may reach it.
 */
export function nonPublicReason(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  if (CLOUD_METADATA.has(address.toNormalizedString()) || CLOUD_METADATA.has(address.toString())) {
    return 'a cloud metadata address';
  }
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    const inner = embeddedIpv4(v6);
    if (inner) return nonPublicReason(inner);
    const range = v6.range();
    if (range === 'unicast' && v6.match(GLOBAL_UNICAST_V6)) return null;
    return RANGE_WORDS[range] ?? 'a reserved address';
  }
  const range = address.range();
  if (range === 'unicast') return null;
  return RANGE_WORDS[range] ?? 'a reserved address';
}
