/**
 * DKIM signing of outgoing mail (RFC 6376) with a key per local domain: RSA 2048 (what every
 * verifier accepts, RFC 8301 §3.2), selector "roost", made on first use or by `roost domain dkim`,
 * which prints the DNS TXT record to publish (RFC 6376 §3.6.1). Signing itself is mailauth's.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { dkimSign } from 'mailauth';
import type { MailStore } from '../store/store.js';
import type { DkimKey } from '../store/types.js';

export const DKIM_SELECTOR = 'roost';

const generate = promisify(generateKeyPair);

/** A new RSA 2048 key for `domain`. */
export async function generateDkimKey(domain: string, now: number = Date.now()): Promise<DkimKey> {
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    domain: domain.toLowerCase(), selector: DKIM_SELECTOR, algorithm: 'rsa-sha256', privateKey,
    publicKey: publicKey.toString('base64'), createdAt: now,
  };
}

/** The domain's key, made and stored now if it has none yet. */
export async function ensureDkimKey(store: Pick<MailStore, 'getDkimKey' | 'saveDkimKey'>, domain: string): Promise<DkimKey> {
  const existing = await store.getDkimKey(domain);
  if (existing !== null) return existing;
  // Two callers racing both generate; saveDkimKey keeps the first one stored.
  return store.saveDkimKey(await generateDkimKey(domain));
}

/** The TXT record publishing the key (RFC 6376 §3.6.1): its name and its value. */
export function dkimRecord(key: DkimKey): { name: string; value: string } {
  const k = key.algorithm.startsWith('ed25519') ? 'ed25519' : 'rsa';
  return { name: `${key.selector}._domainkey.${key.domain}`, value: `v=DKIM1; k=${k}; p=${key.publicKey}` };
}

/** The record in zone-file form, its value split into strings of at most 255 octets (RFC 1035 §3.3.14). */
export function dkimZoneLine(key: DkimKey): string {
  const { name, value } = dkimRecord(key);
  const parts = value.match(/.{1,255}/g) ?? [];
  return `${name}. IN TXT ( ${parts.map((p) => `"${p}"`).join(' ')} )`;
}

/** `raw` with a DKIM-Signature field in front; unsigned when signing fails (a reason is returned). */
export async function signMessage(raw: Buffer, key: DkimKey): Promise<{ raw: Buffer; error: string | null }> {
  try {
    const signature = {
      signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey, algorithm: key.algorithm,
      canonicalization: 'relaxed/relaxed',
    };
    // mailauth signs only what is listed in signatureData (the top-level fields are defaults for it).
    const result = await dkimSign(raw, { ...signature, signatureData: [signature] });
    const first = result.errors[0];
    if (first !== undefined || !result.signatures.startsWith('DKIM-Signature:')) return { raw, error: first?.message ?? 'no signature' };
    const sig = result.signatures.replace(/\r?\n/g, '\r\n');
    return { raw: Buffer.concat([Buffer.from(sig.endsWith('\r\n') ? sig : sig + '\r\n', 'utf8'), raw]), error: null };
  } catch (err) {
    return { raw, error: err instanceof Error ? err.message : String(err) };
  }
}
