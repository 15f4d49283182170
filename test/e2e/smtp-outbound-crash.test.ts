/**
 * SIGKILL of the sending server in the middle of a burst of submissions: after the restart, every
 * message that got a 250 reaches the receiver (an SMTP sink counting Message-IDs), none twice. The
 * sink answers 451 during the burst, so every acknowledged message is still in the queue when the
 * server dies (no delivery is under way at the kill). Besides them the sink may get a message whose
 * rows were committed but whose 250 was lost in the kill: at most one per client.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ChildServer, type TestUser } from '../helpers/server.js';
import { burstUntilKilled, messageId, startSink, waitFor, type Sink } from './smtp-outbound-support.js';
import { mailer, message } from './smtp-support.js';

const ALICE: TestUser = { address: 'alice@a.test', password: 'alice-secret' };

let sender: ChildServer | undefined;
let sink: Sink | undefined;

afterAll(async () => {
  await sender?.stop();
  await sink?.close();
});

describe('outbound queue durability', () => {
  it('a killed sender delivers every acknowledged message after its restart, none twice', async () => {
    sink = await startSink();
    sink.mode = 'defer';
    sender = await startServer({
      users: [ALICE], listeners: ['submission'], hostname: 'mx.a.test',
      extraToml: `[smtp]\nmx_override = { "b.test" = "127.0.0.1:${sink.port}" }\nretry_schedule = [1]\n`,
    });
    const port = sender.ports.submission;
    if (port === undefined) throw new Error(`no submission listener:\n${sender.stderr()}`);
    const transports = [0, 1, 2, 3].map(() => mailer(port, { secure: false, user: ALICE }));
    const { acked } = await burstUntilKilled(20, async (n, i) => {
      const raw = message(ALICE.address, 'bob@b.test', `burst ${n}-${i}`);
      await transports[n]!.sendMail({ envelope: { from: ALICE.address, to: ['bob@b.test'] }, raw });
      return messageId(raw);
    }, () => sender!.kill('SIGKILL'));
    for (const t of transports) t.close();
    await sender.restart();
    sink.mode = 'accept';
    const s = sink;
    await waitFor('every acknowledged message at the sink', async () => {
      const got = new Set(s.messages.map((m) => messageId(m.raw)));
      return acked.every((id) => got.has(id));
    }, 30_000);
    // Rows committed whose 250 was lost in the kill are delivered too: let them arrive.
    await new Promise((ok) => setTimeout(ok, 1_500));
    const ids = s.messages.map((m) => messageId(m.raw));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(acked.length);
    expect(ids.length).toBeLessThanOrEqual(acked.length + 4);
    expect(s.messages.every((m) => m.from === ALICE.address && m.to.join() === 'bob@b.test')).toBe(true);
  }, 90_000);
});
