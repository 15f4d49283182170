/** `[listen]` values: "host:port", "[v6]:port"; "*" as the host means every address. */
import { isIPv6 } from 'node:net';
import { ALL_ADDRESSES, type ListenAddress } from './schema.js';

/** Parses a listen address; returns an explanation string when it is not valid. */
export function parseListenAddress(text: string): ListenAddress | string {
  const s = text.trim();
  let host: string;
  let portText: string;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || s[close + 1] !== ':') return 'expected "[IPv6 address]:port", like "[::1]:143"';
    host = s.slice(1, close);
    portText = s.slice(close + 2);
    if (!isIPv6(host)) return `${JSON.stringify(host)} is not an IPv6 address`;
  } else {
    const colon = s.lastIndexOf(':');
    if (colon < 0) return 'expected "host:port", like "0.0.0.0:143" or "[::1]:143"';
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
    if (host.includes(':')) return 'write IPv6 addresses in brackets, like "[::1]:143"';
    if (host === '') return 'the host is missing; use "*" or "0.0.0.0" for every address, like "*:143"';
    if (host === '*') host = ALL_ADDRESSES;
    else if (!/^[A-Za-z0-9.-]+$/.test(host)) return `${JSON.stringify(host)} is not a host name or IP address`;
  }
  if (!/^\d{1,5}$/.test(portText)) return `the port must be a number from 1 to 65535, not ${JSON.stringify(portText)}`;
  const port = Number(portText);
  if (port < 1 || port > 65535) return `the port must be a number from 1 to 65535, not ${port}`;
  return { host, port };
}
