/**
 * Fetches a domain's MTA-STS policy file (RFC 8461 §3.3): GET https://mta-sts.<domain>/.well-known/mta-sts.txt
 * with the certificate verified against the host name, no redirects followed, only a 200 answer of
 * type text/plain, at most LIMITS.mtaSts.policyBytes, within LIMITS.mtaSts.fetchTimeoutMs. The host
 * name is resolved through our DNS port (so tests can point it at 127.0.0.1).
 */
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { LIMITS } from '../../shared/limits.js';
import type { DnsResolver } from '../dns.js';

export interface FetchOptions {
  resolver: DnsResolver;
  /** Tests only: a CA trusted in addition to Node's root certificates (PEM). */
  extraCa?: string;
  /** Tests only: the HTTPS port (443 otherwise). */
  port?: number;
  timeoutMs?: number;
}

/** Returns the policy text, or throws with a reason. */
export type PolicyFetcher = (domain: string) => Promise<string>;

/** node:net's `lookup` over the DNS port: A records first, then AAAA. */
function portLookup(resolver: DnsResolver): LookupFunction {
  return (hostname, options, callback) => {
    void (async () => {
      let address: string | undefined;
      let family = 4;
      try {
        address = (await resolver.resolve(hostname, 'A'))[0];
      } catch {
        address = undefined;
      }
      if (address === undefined) {
        try {
          address = (await resolver.resolve(hostname, 'AAAA'))[0];
          family = 6;
        } catch {
          address = undefined;
        }
      }
      if (address === undefined) {
        callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      } else if (options.all === true) {
        (callback as unknown as (err: null, all: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
      } else {
        callback(null, address, family);
      }
    })();
  };
}

export function httpsPolicyFetcher(opts: FetchOptions): PolicyFetcher {
  const timeoutMs = opts.timeoutMs ?? LIMITS.mtaSts.fetchTimeoutMs;
  return (domain) => new Promise<string>((resolve, reject) => {
    const host = `mta-sts.${domain.toLowerCase().replace(/\.$/, '')}`;
    const req = request({
      host, servername: host, port: opts.port ?? 443, path: '/.well-known/mta-sts.txt', method: 'GET',
      lookup: portLookup(opts.resolver), rejectUnauthorized: true, agent: false,
      ...(opts.extraCa !== undefined ? { ca: [...rootCertificates, opts.extraCa] } : {}),
    }, (res) => {
      const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      // §3.3: redirects are not followed; any answer but 200 is a failure.
      if (res.statusCode !== 200) return fail(new Error(`HTTP ${res.statusCode ?? '?'} from ${host}`));
      if (type !== 'text/plain') return fail(new Error(`policy of type ${type ?? 'none'}, not text/plain`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > LIMITS.mtaSts.policyBytes) fail(new Error(`policy larger than ${LIMITS.mtaSts.policyBytes} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => fail(new Error(`policy fetch from ${host} timed out`)), timeoutMs);
    function fail(err: Error): void {
      clearTimeout(timer);
      req.destroy();
      reject(err);
    }
    req.on('error', fail);
    req.end();
  });
}
