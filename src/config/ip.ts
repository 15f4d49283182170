/**
 * IP addresses and CIDR blocks as bytes, for `[listen]` hosts and `[security] trusted_networks`.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, what a dual-stack socket reports for IPv4 peers)
 * are folded to their IPv4 form, so "10.0.0.0/8" matches "::ffff:10.1.2.3".
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface Cidr {
  /** 4 bytes (IPv4) or 16 bytes (IPv6). */
  bytes: Uint8Array;
  prefix: number;
}

function parseV4(s: string): Uint8Array {
  return Uint8Array.from(s.split('.').map((p) => Number(p)));
}

function parseV6(s: string): Uint8Array {
  const out = new Uint8Array(16);
  let text = s;
  let tail: Uint8Array | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tail = parseV4(text.slice(lastColon + 1));
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  if (tail !== null) out.set(tail, 12);
  return out;
}

/** Bytes of an IP address (4 for IPv4 and IPv4-mapped IPv6, else 16), or null when not an address. */
export function parseIp(address: string): Uint8Array | null {
  let s = address.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIPv4(s)) return parseV4(s);
  if (!isIPv6(s)) return null;
  const b = parseV6(s);
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? b.slice(12) : b;
}

/** Parses "10.0.0.0/8", "fd00::/8" or a bare address (a /32 or /128 block); null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  // A bare IPv4-mapped address would fold to IPv4; keep the prefix in the family the user wrote.
  const bytes = parseIp(addr);
  if (bytes === null) return null;
  const writtenBits = isIPv4(addr.trim()) ? 32 : 128;
  const max = bytes.length * 8;
  if (slash < 0) return { bytes, prefix: max };
  const p = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p)) return null;
  let prefix = Number(p);
  if (prefix > writtenBits) return null;
  // "::ffff:10.0.0.0/104" folds to 10.0.0.0/8.
  if (writtenBits === 128 && max === 32) {
    if (prefix < 96) return null;
    prefix -= 96;
  }
  return { bytes, prefix };
}

export function cidrContains(block: Cidr, address: Uint8Array): boolean {
  if (block.bytes.length !== address.length) return false;
  let bits = block.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((block.bytes[i] ?? 0) & mask) !== ((address[i] ?? 0) & mask)) return false;
  }
  return true;
}

export function isLoopback(address: Uint8Array): boolean {
  if (address.length === 4) return address[0] === 127;
  return address.subarray(0, 15).every((x) => x === 0) && address[15] === 1;
}

export function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
