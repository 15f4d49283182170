import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { domainAdd, domainDkim, type Io } from './admin.js';
import { openStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(): { config: ReturnType<typeof parseConfig>; io: Io; out: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'roost-dkim-'));
  dirs.push(dir);
  const config = parseConfig('data_dir = "data"', { baseDir: dir, source: null, defaultHostname: 'mx.example.com' });
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  return { config, io: { stdin: Readable.from([]), stdout, stderr: new PassThrough() }, out: () => text };
}

describe('roost domain dkim', () => {
  it('domain add makes the key; domain dkim prints its TXT record, the same every time', async () => {
    const { config, io, out } = setup();
    await domainAdd(config, io, 'Example.ORG');
    await domainDkim(config, io, 'example.org');
    await domainDkim(config, io, 'EXAMPLE.org');
    const records = out().split('\n').filter((l) => l.startsWith('roost._domainkey.example.org. IN TXT ( "v=DKIM1; k=rsa; p='));
    expect(records).toHaveLength(2);
    expect(records[0]).toBe(records[1]);
    expect(out()).toContain('; publish in DNS');
  });

  it('makes a key for a domain that has none yet (domains from before keys existed), and refuses unknown domains', async () => {
    const { config, io, out } = setup();
    const store = openStore(config);
    try {
      await store.addDomain('old.example');
      expect(await store.getDkimKey('old.example')).toBeNull();
    } finally {
      await store.close();
    }
    await domainDkim(config, io, 'old.example');
    expect(out()).toMatch(/^roost\._domainkey\.old\.example\. IN TXT/m);
    await expect(domainDkim(config, io, 'nope.example')).rejects.toThrow('No domain nope.example');
    // The host name signs bounces and forwarded mail: its record is printed too.
    await domainDkim(config, io, 'mx.example.com');
    expect(out()).toMatch(/^roost\._domainkey\.mx\.example\.com\. IN TXT/m);
  });
});
