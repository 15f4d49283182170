/**
 * The TLS key and certificate: the `[tls]` PEM files when configured, else a self-signed
 * certificate made once in data_dir/tls/ and reused (remade when it expires or no longer names the
 * hostname). It names the hostname and localhost, plus 127.0.0.1 and ::1, so local clients and tests
 * can verify it against itself.
 */
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Config } from '../config/schema.js';
import type { Logger } from '../shared/logger.js';
import { UserError } from './errors.js';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
}

/** Apple platforms refuse server certificates valid for more than 825 days. */
const VALID_DAYS = 825;

export function selfSignedPaths(dataDir: string): { dir: string; cert: string; key: string } {
  const dir = join(dataDir, 'tls');
  return { dir, cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
}

function checkPair(m: TlsMaterial, what: string): void {
  try {
    createSecureContext({ key: m.key, cert: m.cert } satisfies SecureContextOptions);
  } catch (err) {
    throw new UserError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function readPem(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    throw new UserError(`cannot read ${key} = ${JSON.stringify(path)}: ${reason}`);
  }
}

/** Whether a certificate we made earlier can still serve `hostname`. */
function usable(cert: Buffer, hostname: string, now: Date): boolean {
  try {
    const x = new X509Certificate(cert);
    const margin = 7 * 24 * 3600 * 1000;
    return new Date(x.validTo).getTime() - margin > now.getTime() && x.checkHost(hostname) !== undefined;
  } catch {
    return false;
  }
}

function writePrivate(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

export async function makeSelfSigned(hostname: string, now = new Date()): Promise<{ key: string; cert: string }> {
  const notAfterDate = new Date(now.getTime() + VALID_DAYS * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: hostname }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 3600 * 1000),
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          ...(hostname === 'localhost' ? [] : [{ type: 2 as const, value: 'localhost' }]),
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function loadTls(config: Config, logger: Logger): Promise<TlsMaterial> {
  if (config.tls !== null) {
    const m = { cert: readPem(config.tls.cert, 'tls.cert'), key: readPem(config.tls.key, 'tls.key') };
    checkPair(m, `tls.cert/tls.key (${config.tls.cert}, ${config.tls.key})`);
    return m;
  }
  const p = selfSignedPaths(config.dataDir);
  if (existsSync(p.cert) && existsSync(p.key)) {
    const m = { cert: readFileSync(p.cert), key: readFileSync(p.key) };
    if (usable(m.cert, config.hostname, new Date())) {
      checkPair(m, `self-signed certificate in ${p.dir}`);
      return m;
    }
    logger.info('self-signed certificate expired or names another host; making a new one', { dir: p.dir });
  }
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  const made = await makeSelfSigned(config.hostname);
  writePrivate(p.key, made.key, 0o600);
  writePrivate(p.cert, made.cert, 0o644);
  logger.warn('made a self-signed TLS certificate; clients will ask to trust it. Set [tls] cert and key in roost.toml for a real one', {
    hostname: config.hostname, cert: p.cert,
  });
  return { cert: Buffer.from(made.cert), key: Buffer.from(made.key) };
}
