/**
 * Whether a connection may log in with a plaintext password before TLS: the client's address is the
 * server's own address of that connection (the client runs on this machine and reached us through the
 * address we listen on), or it is in one of `[security] trusted_networks`. Another loopback address
 * (127.0.0.2 talking to 127.0.0.1) is not the server's address: list 127.0.0.0/8 to trust it.
 */
import { cidrContains, parseCidr, parseIp, sameAddress, type Cidr } from '../config/ip.js';

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
  if (local !== null && sameAddress(remote, local)) return true;
  return trustedNetworks.some((t) => {
    const block = cidr(t);
    return block !== null && cidrContains(block, remote);
  });
}
