/**
 * RemoteMailStore over a real channel pair in this process: writes run on a second MailStore (as the
 * writer thread does), reads on a read-only engine, and the writer's changes reach the caller's bus
 * before each answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../src/engines/sqlite/engine.js';
import { StoreError } from '../../src/store/errors.js';
import { RemoteMailStore, serveWrites, type CallerMessage, type WriteChannel, type WriterMessage } from '../../src/store/remote.js';
import { MailStore } from '../../src/store/store.js';
import type { Change } from '../../src/store/types.js';

function pair(writer: MailStore): { channel: WriteChannel; crash(): void } {
  let toCaller: (m: WriterMessage) => void = () => undefined;
  const exits: Array<(e: Error) => void> = [];
  let closed!: () => void;
  const closedP = new Promise<void>((r) => (closed = r));
  // Structured clone, as between threads: Buffers arrive as Uint8Arrays.
  const handle = serveWrites(writer, (m) => queueMicrotask(() => toCaller(structuredClone(m))), () => closed());
  return {
    channel: {
      send: (m: CallerMessage) => queueMicrotask(() => handle(structuredClone(m))),
      onMessage: (h) => (toCaller = h),
      onExit: (h) => exits.push(h),
      closed: () => closedP,
    },
    crash: () => exits.forEach((h) => h(new Error('writer stopped'))),
  };
}

describe('RemoteMailStore', () => {
  let dir: string;
  let remote: RemoteMailStore;
  let crash: () => void;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roost-remote-'));
    const writer = new MailStore(SqliteEngine.open(dir));
    const p = pair(writer);
    crash = p.crash;
    remote = new RemoteMailStore(SqliteEngine.openReader(dir), p.channel);
  });

  afterEach(async () => {
    await remote.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards writes, reads locally, and publishes the change before the write resolves', async () => {
    const account = await remote.createAccount('a@example.com', 'hash');
    const inbox = (await remote.findMailbox(account.id, 'INBOX'))!;
    const seen: Change[] = [];
    remote.bus.subscribe(account.id, (c) => seen.push(c));
    const raw = Buffer.from('Subject: hi\r\n\r\nbody\r\n');
    const r = await remote.append(account.id, inbox.id, [{ raw }]);
    expect(seen.map((c) => c.kind)).toEqual(['added']);
    expect(r.uids).toEqual([1]);
    const e = await remote.getEntries(inbox.id, [[1, 1]], []);
    expect((await remote.readBlob(e[0]!.blob)).equals(raw)).toBe(true);
    const flags = await remote.storeFlags(account.id, inbox.id, [[1, 1]], 'add', 1, ['$x']);
    expect([...flags.changed]).toEqual([1]);
  });

  it('keeps store error codes, and fails every write once the writer is gone', async () => {
    await remote.createAccount('a@example.com', 'hash');
    const err = await remote.createAccount('a@example.com', 'hash').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('ALREADYEXISTS');
    crash();
    await expect(remote.addDomain('example.org')).rejects.toThrow('writer stopped');
    expect((await remote.listDomains()).map((d) => d.name)).toEqual(['example.com']);
  });

  it('refuses writes on the read-only engine itself', async () => {
    await expect(remote.engine.write(async () => 1)).rejects.toThrow(/read-only/);
  });
});
