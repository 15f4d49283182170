import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../engines/sqlite/engine.js';
import { MailStore } from '../store/store.js';
import { maySendAs, resolveRecipient } from './recipients.js';

describe('resolveRecipient / maySendAs', () => {
  let dir: string;
  let store: MailStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roost-rcpt-'));
    store = new MailStore(SqliteEngine.open(dir));
    await store.createAccount('bob@example.com', 'x');
    await store.createAccount('alice@example.com', 'x');
    await store.addAlias('team@example.com', 'bob@example.com');
    await store.addAlias('fwd@example.com', 'someone@elsewhere.example');
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const kind = async (a: string): Promise<string> => {
    const r = await resolveRecipient(store, a);
    return r.kind === 'local' ? `local ${r.account.address}${r.catchAll === true ? ' (catch-all)' : ''}` : r.kind;
  };

  it('accounts, +tags, aliases, forwards, unknown users and other domains', async () => {
    expect(await kind('Bob@EXAMPLE.com')).toBe('local bob@example.com');
    expect(await kind('bob+news@example.com')).toBe('local bob@example.com');
    expect(await kind('team@example.com')).toBe('local bob@example.com');
    expect(await kind('fwd@example.com')).toBe('forward');
    expect(await kind('nobody@example.com')).toBe('unknown');
    expect(await kind('x@elsewhere.example')).toBe('remote');
    expect(await kind('not an address')).toBe('invalid');
  });

  it('a catch-all alias (@domain) takes what has no account or alias of its own, but gives no right to send as it', async () => {
    await store.addAlias('@Example.COM', 'bob@example.com');
    expect((await store.listAliases()).map((a) => a.address)).toContain('@example.com');
    expect(await kind('nobody@example.com')).toBe('local bob@example.com (catch-all)');
    expect(await kind('alice@example.com')).toBe('local alice@example.com');
    expect(await kind('team@example.com')).toBe('local bob@example.com');
    const bob = (await store.getAccountByAddress('bob@example.com'))!;
    expect(await maySendAs(store, bob, 'team@example.com')).toBe(true);
    expect(await maySendAs(store, bob, 'bob+x@example.com')).toBe(true);
    expect(await maySendAs(store, bob, 'nobody@example.com')).toBe(false);
    expect(await maySendAs(store, bob, 'alice@example.com')).toBe(false);
    await expect(store.addAlias('@', 'bob@example.com')).rejects.toThrow('Not an email address or @domain');
    await store.deleteAlias('@example.com');
    expect(await kind('nobody@example.com')).toBe('unknown');
  });
});
