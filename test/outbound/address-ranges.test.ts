import { describe, expect, it } from 'vitest';
import { nonPublicReason, parseIp } from '../../src/outbound/address-ranges.ts';

function reason(address: string): string | null {
  const ip = parseIp(address);
  if (!ip) throw new Error(`not an IP: ${address}`);
  return nonPublicReason(ip);
}

describe('address ranges', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '140.82.112.3',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:0808:0808::1',
  ])('lets public %s through', (address) => expect(reason(address)).toBeNull());

  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:0:127.0.0.1', 'a loopback address'],
    ['64:ff9b::a00:1', 'a private network address'],
    ['64:ff9b:1::a00:1', 'a reserved address'],
    ['10.0.0.1', 'a private network address'],
    ['172.16.5.4', 'a private network address'],
    ['192.168.1.1', 'a private network address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['fc00::1', 'a private network address'],
    ['fd12:3456::1', 'a private network address'],
    ['fec0::1', 'a private network address'],
    ['224.0.0.251', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['255.255.255.255', 'a broadcast address'],
    ['240.0.0.1', 'a reserved address'],
    ['192.0.2.1', 'a reserved address'],
    ['2001:db8::1', 'a reserved address'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'a reserved address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['::ffff:169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
  ])('refuses %s as %s', (address, expected) => expect(reason(address)).toBe(expected));
});
