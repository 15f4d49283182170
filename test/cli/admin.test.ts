/** The admin commands through the real CLI binary (node bin/roost.js), passwords on stdin. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/auth/password.js';
import { parseConfig } from '../../src/config/load.js';
import { openStore } from '../../src/cli/store.js';
import { runCli } from '../helpers/server.js';

let dir = '';
let config = '';
const roost = (args: string[], input = '') => runCli(['--config', config, ...args], input);

async function storedHash(address: string): Promise<string | null> {
  const store = openStore(parseConfig('data_dir = "data"', { baseDir: dir, source: config }));
  try {
    return (await store.getAccountByAddress(address))?.passwordHash ?? null;
  } finally {
    await store.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'roost-cli-'));
  config = join(dir, 'roost.toml');
  writeFileSync(config, 'data_dir = "data"\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('roost user', () => {
  it('adds an account with the password from stdin and makes its domain local', async () => {
    const r = await roost(['user', 'add', 'Alice@Example.COM'], 'alice pw 1\n');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('added Alice@example.com (example.com is now a local domain)\n');
    expect(await verifyPassword('alice pw 1', (await storedHash('alice@example.com')) ?? '')).toBe(true);
    expect((await roost(['domain', 'list'])).stdout).toBe('example.com\n');
  });

  it('reads only the first line, without its CRLF', async () => {
    const r = await roost(['user', 'add', 'bob@example.com'], 'bob-pw\r\nignored\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('added bob@example.com\n');
    expect(await verifyPassword('bob-pw', (await storedHash('bob@example.com')) ?? '')).toBe(true);
  });

  it('lists accounts one a line, and with -l their usage and quota', async () => {
    expect((await roost(['user', 'list'])).stdout).toBe('Alice@example.com\nbob@example.com\n');
    const long = await roost(['user', 'list', '-l']);
    expect(long.stdout).toContain('bob@example.com\tused 0 B\tquota none');
  });

  it('refuses a duplicate account, an empty password and a bad address (exit 1)', async () => {
    const dup = await roost(['user', 'add', 'bob@example.com'], 'x\n');
    expect(dup).toMatchObject({ code: 1, stdout: '' });
    expect(dup.stderr).toBe('roost: Account bob@example.com exists\n');
    const empty = await roost(['user', 'add', 'carol@example.com'], '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('empty password');
    const bad = await roost(['user', 'add', 'not-an-address'], 'x\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('roost: Not an email address: not-an-address\n');
  });

  it('changes a password', async () => {
    const r = await roost(['user', 'passwd', 'bob@example.com'], 'new bob pw\n');
    expect(r).toMatchObject({ code: 0, stdout: 'changed the password of bob@example.com\n' });
    const hash = (await storedHash('bob@example.com')) ?? '';
    expect(await verifyPassword('new bob pw', hash)).toBe(true);
    expect(await verifyPassword('bob-pw', hash)).toBe(false);
    const missing = await roost(['user', 'passwd', 'nobody@example.com'], 'x\n');
    expect(missing).toMatchObject({ code: 1, stderr: 'roost: No account nobody@example.com\n' });
  });

  it('sets and clears a quota', async () => {
    expect((await roost(['user', 'quota', 'bob@example.com', '2G'])).stdout).toBe('quota of bob@example.com: 2 GiB\n');
    expect((await roost(['user', 'list', '-l'])).stdout).toContain('bob@example.com\tused 0 B\tquota 2 GiB');
    expect((await roost(['user', 'quota', 'bob@example.com', 'none'])).stdout).toBe('quota of bob@example.com: none\n');
    const bad = await roost(['user', 'quota', 'bob@example.com', 'lots']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('quota must be a number of bytes');
  });

  it('shows and sets the POP settings', async () => {
    expect((await roost(['user', 'pop', 'bob@example.com'])).stdout).toBe('pop of bob@example.com: offer all, after download keep, dele delete\n');
    const set = await roost(['user', 'pop', 'bob@example.com', '--offer', 'new', '--after-download', 'Archive', '--dele', 'trash']);
    expect(set).toMatchObject({ code: 0, stdout: 'pop of bob@example.com: offer new, after download archive, dele trash\n' });
    expect((await roost(['user', 'pop', 'bob@example.com', '--offer', 'off'])).stdout).toBe('pop of bob@example.com: offer off, after download archive, dele trash\n');
    const bad = await roost(['user', 'pop', 'bob@example.com', '--after-download', 'shred']);
    expect(bad).toMatchObject({ code: 1, stderr: 'roost: --after-download must be one of keep, read, archive, trash, not "shred"\n' });
    const missing = await roost(['user', 'pop', 'nobody@example.com']);
    expect(missing).toMatchObject({ code: 1, stderr: 'roost: No account nobody@example.com\n' });
  });

  it('deletes an account', async () => {
    const r = await roost(['user', 'del', 'bob@example.com']);
    expect(r).toMatchObject({ code: 0, stdout: 'deleted bob@example.com and all its mail\n' });
    expect((await roost(['user', 'list'])).stdout).toBe('Alice@example.com\n');
    expect((await roost(['user', 'del', 'bob@example.com'])).code).toBe(1);
  });
});

describe('roost domain and alias', () => {
  it('adds, lists and deletes domains', async () => {
    expect((await roost(['domain', 'add', 'Example.ORG'])).stdout).toBe('added domain example.org\n');
    expect((await roost(['domain', 'list'])).stdout).toBe('example.com\nexample.org\n');
    expect((await roost(['domain', 'add', 'example.org'])).stderr).toBe('roost: Domain example.org exists\n');
    expect((await roost(['domain', 'add', 'bad_domain'])).code).toBe(1);
    const busy = await roost(['domain', 'del', 'example.com']);
    expect(busy).toMatchObject({ code: 1, stderr: 'roost: Domain example.com still has 1 account(s)\n' });
    expect((await roost(['domain', 'del', 'example.org'])).code).toBe(0);
    expect((await roost(['domain', 'list'])).stdout).toBe('example.com\n');
  });

  it('adds, lists and deletes aliases', async () => {
    const r = await roost(['alias', 'add', 'info@example.com', 'alice@example.com']);
    expect(r).toMatchObject({ code: 0, stdout: 'added alias info@example.com -> alice@example.com\n' });
    expect((await roost(['alias', 'list'])).stdout).toBe('info@example.com -> alice@example.com\n');
    expect((await roost(['alias', 'add', 'alice@example.com', 'x@example.net'])).stderr).toBe('roost: alice@example.com is an account\n');
    expect((await roost(['alias', 'del', 'info@example.com'])).stdout).toBe('deleted alias info@example.com\n');
    expect((await roost(['alias', 'list'])).stdout).toBe('');
    expect((await roost(['alias', 'del', 'info@example.com'])).stderr).toBe('roost: No alias info@example.com\n');
  });
});

describe('roost config handling', () => {
  it('uses ./roost.toml from the working folder when --config is not given', async () => {
    const r = await runCli(['user', 'list'], '', dir);
    expect(r).toMatchObject({ code: 0, stdout: 'Alice@example.com\n' });
  });

  it('fails clearly on a missing file, an unknown key, a wrong type or a postgres store', async () => {
    const missing = await runCli(['--config', join(dir, 'nope.toml'), 'user', 'list']);
    expect(missing).toMatchObject({ code: 1, stderr: `roost: config file ${join(dir, 'nope.toml')} does not exist\n` });

    const cases: [string, string][] = [
      ['[listen]\nimap4 = "127.0.0.1:143"\n', 'unknown key "listen.imap4"'],
      ['[listen]\nimap = 143\n', 'listen.imap must be a string "host:port", not an integer (143)'],
      ['[store]\nurl = "postgres://localhost/roost"\n', 'the PostgreSQL store is not available yet'],
    ];
    for (const [text, msg] of cases) {
      const file = join(dir, 'bad.toml');
      writeFileSync(file, text);
      const r = await runCli(['--config', file, 'user', 'list']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(msg);
    }
  });

  it('explains unknown commands', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('a new store opened by several processes at once', () => {
  it('migrates once: parallel first `user add`s all succeed', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'roost-cli-race-'));
    try {
      const cfg = join(fresh, 'roost.toml');
      writeFileSync(cfg, 'data_dir = "data"\n');
      const results = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) => runCli(['--config', cfg, 'user', 'add', `u${i}@race${i}.example`], 'pw-secret\n')),
      );
      expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
      const list = await runCli(['--config', cfg, 'user', 'list']);
      expect(list.stdout.trim().split('\n').sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `u${i}@race${i}.example`));
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
