/**
 * APPEND durability (DESIGN principle 8): every APPEND the server answered OK is on disk. The server binary
 * is SIGKILLed the moment the last OK arrives, restarted on the same data folder, and every message must
 * be there byte for byte: small ones in the database, large ones in blob files beside it. (That the OK
 * is only sent after the commit is checked in src/protocols/imap/commands/append.test.ts: with SQLite the
 * commit finishes before any output is flushed, so this test cannot see the order itself.)
 */
import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import { appendCommand, flow as flowAt, raw as rawAt, send, testUsers } from './imap-messages-support.js';
import { simpleMessage } from './imap-support.js';

describe('durability', () => {
  it('every APPEND answered OK survives a SIGKILL right after the last OK, byte for byte', async () => {
    const dsrv = await startServer({ users: testUsers(['durable']), listeners: ['imap'] });
    const dport = dsrv.ports.imap!;
    try {
      const messages: Buffer[] = [];
      for (let i = 0; i < 30; i++) {
        // Some large enough to be stored as files beside the database.
        const pad = i % 7 === 3 || i === 29 ? 'x'.repeat(300 * 1024 + i) : 'y'.repeat(i * 50);
        messages.push(simpleMessage(`durable ${i}`, `${pad}\r\nline ${i}\r\n`));
      }
      const c = await rawAt(dport, 'durable');
      // Ten one at a time, then twenty pipelined (their commits may share one fsync).
      for (const m of messages.slice(0, 10)) expect((await send(c, appendCommand('INBOX', [{ data: m }]))).status).toMatch(/^OK /);
      const tags = messages.slice(10).map((m) => {
        const tag = c.nextTag();
        c.write(Buffer.concat([Buffer.from(`${tag} `), appendCommand('INBOX', [{ data: m }])]));
        return tag;
      });
      for (const tag of tags) expect((await c.result(tag)).status).toMatch(/^OK /);
      // No await between the last OK and the signal: the server gets no time to finish anything it had not.
      process.kill(dsrv.pid(), 'SIGKILL');
      await dsrv.kill('SIGKILL');
      c.close();
      await dsrv.restart();
      const f = await flowAt(dport, 'durable');
      try {
        const box = await f.mailboxOpen('INBOX');
        expect(box.exists).toBe(messages.length);
        const got: Buffer[] = [];
        for await (const m of f.fetch('1:*', { source: true, uid: true })) got[m.uid - 1] = m.source!;
        expect(got.length).toBe(messages.length);
        for (const [i, m] of messages.entries()) expect(got[i]?.equals(m), `message ${i}`).toBe(true);
      } finally {
        await f.logout();
      }
    } finally {
      await dsrv.stop();
    }
  }, 60_000);
});
