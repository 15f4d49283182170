/**
 * SIGKILL of the receiving server in the middle of a burst of inbound deliveries on port 25 (issue 4:
 * "a crash after 250 loses nothing"): after the restart, every message that got a 250 is in the
 * recipient's INBOX, none twice. Messages whose 250 was lost in the kill may be there too (their commit
 * came first); nothing else is.
 */
import { createTransport } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ChildServer, type TestUser } from '../helpers/server.js';
import { burstUntilKilled, messageId } from './smtp-outbound-support.js';
import { mailboxMessages, message } from './smtp-support.js';

const BOB: TestUser = { address: 'bob@b.test', password: 'bob-secret' };

let srv: ChildServer | undefined;

afterAll(async () => {
  await srv?.stop();
});

describe('inbound durability', () => {
  it('a killed receiver keeps every message it acknowledged, none twice', async () => {
    srv = await startServer({ users: [BOB], listeners: ['smtp', 'imap'], hostname: 'mx.b.test' });
    const port = srv.ports.smtp;
    if (port === undefined) throw new Error(`no smtp listener:\n${srv.stderr()}`);
    const transports = [0, 1, 2, 3].map(() => createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'client.sender.test' }));
    const { acked, tried: sent } = await burstUntilKilled(30, async (n, i, tried) => {
      const raw = message('someone@sender.test', BOB.address, `inbound burst ${n}-${i}`);
      tried.add(messageId(raw));
      await transports[n]!.sendMail({ envelope: { from: 'someone@sender.test', to: [BOB.address] }, raw });
      return messageId(raw);
    }, () => srv!.kill('SIGKILL'));
    for (const t of transports) t.close();
    await srv.restart();
    const imap = srv.ports.imap;
    if (imap === undefined) throw new Error('no imap listener');
    const inbox = await mailboxMessages(imap, BOB);
    const ids = inbox.map(messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const stored = new Set(ids);
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    // Only messages that were sent, and at most one unacknowledged per sender (the one in flight).
    expect(ids.every((id) => sent.has(id))).toBe(true);
    expect(ids.length).toBeLessThanOrEqual(acked.length + 4);
  }, 90_000);
});
