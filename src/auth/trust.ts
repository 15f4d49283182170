/**
 * Whether a connection may log in with a plaintext password before TLS: the client is this machine
 * (the same address as the server's end of the connection, or loopback talking to loopback), or it
 * is in one of `[security] trusted_networks`.
 */
import { cidrContains, isLoopback, parseCidr, parseIp, sameAddress, type Cidr } from '../config/ip.js';

const compiled = new Map<string, Cidr | null>();

function cidr(text: string): Cidr | null {
  let c = compiled.get(text);
  if (c === undefined) {
    c = parseCidr(text);
    if (compiled.size < 10_000) compiled.set(text, c);
  }
  return c;
}

export function isTrusted(remoteIp: string, localIp: string, trustedNetworks: readonly string[]): boolean {
  const remote = parseIp(remoteIp);
  if (remote === null) return false;
  const local = parseIp(localIp);
  if (local !== null && (sameAddress(remote, local) || (isLoopback(remote) && isLoopback(local)))) return true;
  return trustedNetworks.some((t) => {
    const block = cidr(t);
    return block !== null && cidrContains(block, remote);
  });
}
