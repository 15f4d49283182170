/**
 * The admin commands (`user`, `domain`, `alias`): open the store, act, close. They run safely while
 * the server runs (SQLite WAL, busy timeout), so nothing here talks to the server.
 */
import type { Readable, Writable } from 'node:stream';
import { hashPassword, PasswordTooLongError } from '../auth/password.js';
import type { Config } from '../config/schema.js';
import { dkimZoneLine, ensureDkimKey } from '../delivery/dkim.js';
import { StoreError } from '../store/errors.js';
import { POP_AFTER_DOWNLOAD, POP_DELE, POP_OFFERS, popSettings } from '../store/pop.js';
import { domainOf, normalizeAddress, normalizeAliasAddress, type MailStore } from '../store/store.js';
import { UserError } from './errors.js';
import { readPassword } from './stdin.js';
import { openStore } from './store.js';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

async function withStore<T>(config: Config, fn: (store: MailStore) => Promise<T>): Promise<T> {
  const store = openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function newPasswordHash(io: Io, address: string): Promise<string> {
  const password = await readPassword(io.stdin, io.stderr, address);
  try {
    return await hashPassword(password);
  } catch (err) {
    if (err instanceof PasswordTooLongError) throw new UserError(err.message);
    throw err;
  }
}

const line = (io: Io, text: string): void => {
  io.stdout.write(text + '\n');
};

export async function userAdd(config: Config, io: Io, address: string): Promise<void> {
  const addr = normalizeAddress(address);
  await withStore(config, async (store) => {
    // Check first, so an existing address fails before the password is asked for.
    if ((await store.getAccountByAddress(addr)) !== null) throw new StoreError('ALREADYEXISTS', `Account ${addr} exists`);
    const hash = await newPasswordHash(io, addr);
    const domain = domainOf(addr);
    const isNew = !(await store.listDomains()).some((d) => d.name === domain);
    await store.createAccount(addr, hash);
    line(io, `added ${addr}` + (isNew ? ` (${domain} is now a local domain)` : ''));
  });
}

export async function userList(config: Config, io: Io, long: boolean): Promise<void> {
  await withStore(config, async (store) => {
    for (const a of await store.listAccounts()) {
      if (!long) line(io, a.address);
      else line(io, `${a.address}\tused ${formatBytes(a.usedBytes)}\tquota ${a.quotaBytes === null ? 'none' : formatBytes(a.quotaBytes)}`);
    }
  });
}

export async function userDel(config: Config, io: Io, address: string): Promise<void> {
  await withStore(config, async (store) => {
    await store.deleteAccount(address);
    line(io, `deleted ${address.trim()} and all its mail`);
  });
}

export async function userPasswd(config: Config, io: Io, address: string): Promise<void> {
  await withStore(config, async (store) => {
    // Check first, so a typo in the address fails before the password is asked for.
    if ((await store.getAccountByAddress(address)) === null) throw new StoreError('NONEXISTENT', `No account ${address}`);
    const hash = await newPasswordHash(io, address);
    await store.setPasswordHash(address, hash);
    line(io, `changed the password of ${address.trim()}`);
  });
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** "none" → null; "1073741824", "500M", "2G", "1.5GiB" (binary units) → bytes. */
export function parseQuota(text: string): number | null {
  const t = text.trim();
  if (/^(none|unlimited)$/i.test(t)) return null;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(t);
  const factor = UNITS[(m?.[2] ?? '').toUpperCase()];
  if (m === null || factor === undefined) throw new UserError(`quota must be a number of bytes (like 1073741824, 500M or 2G) or "none", not ${JSON.stringify(text)}`);
  const bytes = Math.round(Number(m[1]) * factor);
  if (!Number.isSafeInteger(bytes)) throw new UserError(`quota ${text} is too large`);
  return bytes;
}

export function formatBytes(n: number): string {
  for (const [unit, size] of [['TiB', 1024 ** 4], ['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  }
  return `${n} B`;
}

export async function userQuota(config: Config, io: Io, address: string, quota: string): Promise<void> {
  const bytes = parseQuota(quota);
  await withStore(config, async (store) => {
    const account = await store.getAccountByAddress(address);
    if (account === null) throw new StoreError('NONEXISTENT', `No account ${address}`);
    await store.setQuota(account.id, bytes);
    line(io, `quota of ${account.address}: ${bytes === null ? 'none' : formatBytes(bytes)}`);
  });
}

export interface PopOptions {
  offer?: string;
  afterDownload?: string;
  dele?: string;
}

function pick<T extends string>(values: readonly T[], v: string | undefined, option: string): T | undefined {
  if (v === undefined) return undefined;
  const found = values.find((x) => x === v.toLowerCase());
  if (found === undefined) throw new UserError(`${option} must be one of ${values.join(', ')}, not ${JSON.stringify(v)}`);
  return found;
}

/** `user pop ADDRESS [--offer …] [--after-download …] [--dele …]`: sets what given, then prints all three. */
export async function userPop(config: Config, io: Io, address: string, o: PopOptions): Promise<void> {
  const patch = {
    ...(o.offer !== undefined ? { offer: pick(POP_OFFERS, o.offer, '--offer') } : {}),
    ...(o.afterDownload !== undefined ? { afterDownload: pick(POP_AFTER_DOWNLOAD, o.afterDownload, '--after-download') } : {}),
    ...(o.dele !== undefined ? { dele: pick(POP_DELE, o.dele, '--dele') } : {}),
  };
  await withStore(config, async (store) => {
    const account = await store.getAccountByAddress(address);
    if (account === null) throw new StoreError('NONEXISTENT', `No account ${address}`);
    const s = Object.keys(patch).length > 0 ? await store.setPopSettings(account.id, patch) : popSettings(account);
    line(io, `pop of ${account.address}: offer ${s.offer}, after download ${s.afterDownload}, dele ${s.dele}`);
  });
}

export async function domainAdd(config: Config, io: Io, name: string): Promise<void> {
  await withStore(config, async (store) => {
    const d = await store.addDomain(name);
    // Its DKIM key (RFC 6376) now; `domain dkim` prints the record to publish.
    await ensureDkimKey(store, d.name);
    line(io, `added domain ${d.name}`);
  });
}

/** `domain dkim DOMAIN`: the DKIM TXT record to publish (the key is made now if the domain has none). */
export async function domainDkim(config: Config, io: Io, name: string): Promise<void> {
  await withStore(config, async (store) => {
    const domain = name.trim().toLowerCase();
    // A local domain, or the server's host name (it signs bounces and forwarded mail).
    if (domain !== config.hostname.toLowerCase() && (await store.engine.getDomain(domain)) === null) throw new StoreError('NONEXISTENT', `No domain ${domain}`);
    const key = await ensureDkimKey(store, domain);
    line(io, `; publish in DNS so that receivers can verify Roost's DKIM signatures of mail from ${domain}:`);
    line(io, dkimZoneLine(key));
  });
}

export async function domainList(config: Config, io: Io): Promise<void> {
  await withStore(config, async (store) => {
    for (const d of await store.listDomains()) line(io, d.name);
  });
}

export async function domainDel(config: Config, io: Io, name: string): Promise<void> {
  await withStore(config, async (store) => {
    await store.deleteDomain(name);
    line(io, `deleted domain ${name.trim().toLowerCase()}`);
  });
}

export async function aliasAdd(config: Config, io: Io, address: string, target: string): Promise<void> {
  await withStore(config, async (store) => {
    await store.addAlias(address, target);
    line(io, `added alias ${normalizeAliasAddress(address)} -> ${normalizeAddress(target)}`);
  });
}

export async function aliasDel(config: Config, io: Io, address: string): Promise<void> {
  await withStore(config, async (store) => {
    await store.deleteAlias(address);
    line(io, `deleted alias ${address.trim()}`);
  });
}

export async function aliasList(config: Config, io: Io): Promise<void> {
  await withStore(config, async (store) => {
    for (const a of await store.listAliases()) line(io, `${a.address} -> ${a.target}`);
  });
}
