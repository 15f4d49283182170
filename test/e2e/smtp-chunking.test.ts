/**
 * CHUNKING / BDAT (RFC 3030) on ports 25, 587 and 465 with a raw client (neither smtplib nor
 * nodemailer sends BDAT): chunks are exact binary octets, the LAST chunk takes the DATA path (size,
 * line endings, sender checks, delivery before 250), and refused chunks are still read so the session
 * stays in step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, mailboxMessages, message, RawSmtp, startSmtpServer, type SmtpTestServer } from './smtp-support.js';

let s: SmtpTestServer;

beforeAll(async () => {
  s = await startSmtpServer({ zone: { 'sender.example': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] } } });
});

afterAll(async () => {
  await s.stop();
});

function plain(user: { address: string; password: string }): string {
  return Buffer.from(`\0${user.address}\0${user.password}`).toString('base64');
}

async function inbound(): Promise<RawSmtp> {
  const { c } = await RawSmtp.connect(s.smtp);
  expect(await c.command('EHLO client.sender.example')).toMatch(/^250/);
  return c;
}

/** `BDAT <n>[ LAST]` immediately followed by the octets, as one write. */
function bdat(octets: Buffer, last: boolean): Buffer {
  return Buffer.concat([Buffer.from(`BDAT ${octets.length}${last ? ' LAST' : ''}\r\n`), octets]);
}

async function envelope(c: RawSmtp, from: string, to: string): Promise<void> {
  expect(await c.command(`MAIL FROM:<${from}>`)).toMatch(/^250 /);
  expect(await c.command(`RCPT TO:<${to}>`)).toMatch(/^250 /);
}

/** Sends the message in chunks of the given sizes (the last one LAST), waiting for each reply. */
async function sendChunks(c: RawSmtp, raw: Buffer, sizes: readonly number[]): Promise<string[]> {
  const replies: string[] = [];
  let at = 0;
  sizes.forEach((n, i) => {
    c.write(bdat(raw.subarray(at, at + n), i === sizes.length - 1));
    at += n;
  });
  for (let i = 0; i < sizes.length; i++) replies.push(await c.reply());
  return replies;
}

async function delivered(marker: string): Promise<Buffer[]> {
  return (await mailboxMessages(s.imap, BOB)).filter((m) => m.includes(marker));
}

function endsWith(got: Buffer | undefined, raw: Buffer): boolean {
  return got !== undefined && got.subarray(got.length - raw.length).equals(raw);
}

describe('CHUNKING / BDAT (RFC 3030)', () => {
  it('is announced on 25, 587 and 465, without BINARYMIME', async () => {
    for (const [port, tls] of [[s.smtp, false], [s.submission, false], [s.submissions, true]] as const) {
      const { c } = await RawSmtp.connect(port, { tls });
      const r = await c.command('EHLO client.example');
      expect(r).toMatch(/^250-[\s\S]*\n250[- ]CHUNKING/);
      expect(r).not.toContain('BINARYMIME');
      c.close();
    }
  });

  it('delivers a single LAST chunk with its exact bytes below our headers', async () => {
    const c = await inbound();
    await envelope(c, 'x@sender.example', BOB.address);
    const raw = message('x@sender.example', BOB.address, 'bdat single');
    expect(await sendChunks(c, raw, [raw.length])).toEqual([expect.stringMatching(/^250 2\.6\.0 Message accepted/)]);
    c.close();
    const [got] = await delivered('bdat single');
    expect(endsWith(got, raw)).toBe(true);
    const text = got?.toString('latin1') ?? '';
    expect(text).toMatch(/Authentication-Results: localhost;[\s\S]*spf=pass/);
    expect(text).toMatch(/Received: from client\.sender\.example \(\[127\.0\.0\.1\]\)\r\n\tby localhost \(Roost\) with ESMTP id /);
  });

  it('joins several chunks, keeps "\\r\\n.\\r\\n" and leading dots as they are, and takes BDAT 0 LAST', async () => {
    const c = await inbound();
    await envelope(c, 'x@sender.example', BOB.address);
    const raw = message('x@sender.example', BOB.address, 'bdat dots',
      '.leading dot\r\n..two dots\r\nbefore\r\n.\r\nafter the dot line\r\n.\r\n');
    // Each chunk boundary falls inside the message: one in the middle of "\r\n.\r\n".
    const cut = raw.indexOf('\r\n.\r\nafter') + 2;
    const chunks = [raw.subarray(0, 40), raw.subarray(40, cut), raw.subarray(cut)];
    for (const chunk of chunks) {
      c.write(bdat(chunk, false));
      expect(await c.reply()).toBe(`250 2.0.0 ${chunk.length} octets received`);
    }
    expect(await c.command('BDAT 0 LAST')).toMatch(/^250 2\.6\.0 /);
    expect(await c.command('NOOP')).toMatch(/^250 /);
    c.close();
    const got = await delivered('bdat dots');
    expect(got.length).toBe(1);
    expect(endsWith(got[0], raw)).toBe(true);
  });

  it('reads chunks that arrive a few bytes at a time', async () => {
    const c = await inbound();
    await envelope(c, 'x@sender.example', BOB.address);
    const raw = message('x@sender.example', BOB.address, 'bdat trickle', 'slow\r\n.\r\nbody\r\n');
    const wire = bdat(raw, true);
    for (let i = 0; i < wire.length; i += 7) {
      c.write(wire.subarray(i, i + 7));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await c.reply()).toMatch(/^250 2\.6\.0 /);
    c.close();
    expect(endsWith((await delivered('bdat trickle'))[0], raw)).toBe(true);
  });

  it('answers pipelined commands and chunks sent in one write, in order', async () => {
    const c = await inbound();
    const raw = message('x@sender.example', BOB.address, 'bdat pipelined', 'NOOP\r\nRSET\r\nQUIT\r\n');
    const half = Math.floor(raw.length / 2);
    c.write(Buffer.concat([
      Buffer.from(`MAIL FROM:<x@sender.example>\r\nRCPT TO:<${BOB.address}>\r\n`),
      bdat(raw.subarray(0, half), false), bdat(raw.subarray(half), true),
      Buffer.from('NOOP\r\n'),
    ]));
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await c.reply());
    expect(replies).toEqual([
      expect.stringMatching(/^250 /), expect.stringMatching(/^250 /),
      `250 2.0.0 ${half} octets received`, expect.stringMatching(/^250 2\.6\.0 /), expect.stringMatching(/^250 /),
    ]);
    c.close();
    expect(endsWith((await delivered('bdat pipelined'))[0], raw)).toBe(true);
  });

  it('refuses bare LF in a BDAT message (554 5.6.0) and delivers nothing', async () => {
    const c = await inbound();
    await envelope(c, 'x@sender.example', BOB.address);
    const raw = Buffer.from('From: <x@sender.example>\r\nSubject: bdat bare lf\r\n\r\nhello\n.\nMAIL FROM:<ceo@example.com>\r\n');
    expect(await sendChunks(c, raw, [20, raw.length - 20])).toEqual(['250 2.0.0 20 octets received', expect.stringMatching(/^554 5\.6\.0 /)]);
    expect(await c.command('NOOP')).toMatch(/^250 /);
    c.close();
    expect(await delivered('bdat bare lf')).toEqual([]);
  });

  it('refuses a message over SIZE (552 5.3.4), reading and discarding the octets', async () => {
    const c = await inbound();
    await envelope(c, 'x@sender.example', BOB.address);
    const head = Buffer.from('Subject: bdat too big\r\n\r\n');
    const line = Buffer.from('a'.repeat(998) + '\r\n');
    const body = Buffer.concat(Array.from({ length: 26 * 1024 }, () => line));
    c.write(bdat(Buffer.concat([head, body]), false));
    expect(await c.reply()).toMatch(/^250 2\.0\.0 \d+ octets received$/);
    // The second chunk takes the message past 50 MiB: refused once its octets are read.
    c.write(bdat(body, false));
    expect(await c.reply(30_000)).toMatch(/^552 5\.3\.4 /);
    // A chunk already pipelined after the failed one is read and discarded too (RFC 3030 §2).
    c.write(bdat(Buffer.from('NOOP\r\n'), true));
    expect(await c.reply()).toMatch(/^552 5\.3\.4 /);
    // The transaction is over; the session goes on.
    expect(await c.command('NOOP')).toMatch(/^250 /);
    c.close();
    expect(await delivered('bdat too big')).toEqual([]);
  });

  it('refuses DATA after BDAT in one transaction (503 5.5.1)', async () => {
    const c = await inbound();
    await envelope(c, 'x@sender.example', BOB.address);
    c.write(bdat(Buffer.from('Subject: bdat then data\r\n'), false));
    expect(await c.reply()).toMatch(/^250 2\.0\.0 /);
    expect(await c.command('DATA')).toMatch(/^503 5\.5\.1 /);
    expect(await c.command('RSET')).toMatch(/^250 /);
    // RSET cleared the chunks: a new transaction with DATA works.
    await envelope(c, 'x@sender.example', BOB.address);
    expect(await c.command('DATA')).toMatch(/^354 /);
    c.write(Buffer.concat([message('x@sender.example', BOB.address, 'data after rset'), Buffer.from('.\r\n')]));
    expect(await c.reply()).toMatch(/^250 2\.6\.0 /);
    c.close();
    const got = await delivered('data after rset');
    expect(got.length).toBe(1);
    expect(got[0]?.includes('bdat then data')).toBe(false);
  });

  it('refuses BDAT before MAIL/RCPT and after LAST (503), with the octets consumed', async () => {
    const c = await inbound();
    // The octets look like commands; they must not run.
    c.write(bdat(Buffer.from('QUIT\r\n'), false));
    expect(await c.reply()).toMatch(/^503 5\.5\.1 /);
    expect(await c.command('MAIL FROM:<x@sender.example>')).toMatch(/^250 /);
    c.write(bdat(Buffer.from('RSET\r\nQUIT\r\n'), true));
    expect(await c.reply()).toMatch(/^503 5\.5\.1 /);
    expect(await c.command(`RCPT TO:<${BOB.address}>`)).toMatch(/^250 /);
    const raw = message('x@sender.example', BOB.address, 'bdat after refusals');
    expect(await sendChunks(c, raw, [raw.length])).toEqual([expect.stringMatching(/^250 2\.6\.0 /)]);
    c.write(bdat(Buffer.from('QUIT\r\n'), true));
    expect(await c.reply()).toMatch(/^503 5\.5\.1 /);
    expect(await c.command('NOOP')).toMatch(/^250 /);
    c.close();
    expect(endsWith((await delivered('bdat after refusals'))[0], raw)).toBe(true);
  });

  it('answers a malformed size with 501 and closes; a wrong end marker only costs the chunk', async () => {
    let c = await inbound();
    expect(await c.command('BDAT ten LAST')).toMatch(/^501 5\.5\.4 /);
    expect(await c.reply()).toBe('');
    c = await inbound();
    await envelope(c, 'x@sender.example', BOB.address);
    c.write('BDAT 6 FINAL\r\nNOOP\r\n');
    expect(await c.reply()).toMatch(/^501 5\.5\.4 /);
    // The transaction failed: later chunks are discarded until RSET.
    c.write(bdat(Buffer.from('Subject: x\r\n'), true));
    expect(await c.reply()).toMatch(/^503 5\.5\.1 /);
    expect(await c.command('NOOP')).toMatch(/^250 /);
    c.close();
  });

  it('survives clients that vanish in the middle of a chunk or with a huge declared chunk', async () => {
    let c = await inbound();
    await envelope(c, 'x@sender.example', BOB.address);
    c.write('BDAT 1000 LAST\r\nSubject: bdat vanished\r\n');
    await new Promise((r) => setTimeout(r, 50));
    c.close();
    c = await inbound();
    c.write('BDAT 999999999999999 LAST\r\nhello');
    await new Promise((r) => setTimeout(r, 50));
    c.close();
    c = await inbound();
    expect(await c.command('NOOP')).toMatch(/^250 /);
    c.close();
    expect(await delivered('bdat vanished')).toEqual([]);
  });

  it('on 587 after STARTTLS and AUTH: delivered with the submission headers; sender checks apply', async () => {
    const { c } = await RawSmtp.connect(s.submission);
    await c.command('EHLO client.example');
    expect(await c.starttls()).toMatch(/^220 /);
    expect(await c.command('EHLO client.example')).toMatch(/CHUNKING/);
    // Before AUTH there is no transaction: the chunk is read and refused.
    c.write(bdat(Buffer.from('MAIL FROM:<alice@example.com>\r\n'), true));
    expect(await c.reply()).toMatch(/^503 5\.5\.1 /);
    expect(await c.command(`AUTH PLAIN ${plain(ALICE)}`)).toMatch(/^235 /);
    await envelope(c, ALICE.address, BOB.address);
    const raw = message(ALICE.address, BOB.address, 'bdat on 587', 'x\r\n.\r\ny\r\n');
    expect(await sendChunks(c, raw, [30, 30, raw.length - 60])).toEqual([
      '250 2.0.0 30 octets received', '250 2.0.0 30 octets received', expect.stringMatching(/^250 2\.6\.0 /),
    ]);
    await envelope(c, ALICE.address, BOB.address);
    const spoofed = message('bob@example.com', BOB.address, 'bdat spoofed');
    expect(await sendChunks(c, spoofed, [spoofed.length])).toEqual([expect.stringMatching(/^550 5\.7\.1 From: <bob@example\.com>/)]);
    c.close();
    const [got] = await delivered('bdat on 587');
    expect(endsWith(got, raw)).toBe(true);
    expect(got?.toString('latin1')).toMatch(/^Authentication-Results: localhost; auth=pass smtp\.auth=alice@example\.com\r\nReceived: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby localhost \(Roost\) with ESMTPSA /);
    expect(await delivered('bdat spoofed')).toEqual([]);
  });

  it('on 465 (implicit TLS), pipelined after AUTH', async () => {
    const { c } = await RawSmtp.connect(s.submissions, { tls: true });
    await c.command('EHLO client.example');
    expect(await c.command(`AUTH PLAIN ${plain(ALICE)}`)).toMatch(/^235 /);
    const raw = message(ALICE.address, BOB.address, 'bdat on 465');
    c.write(Buffer.concat([Buffer.from(`MAIL FROM:<${ALICE.address}>\r\nRCPT TO:<${BOB.address}>\r\n`), bdat(raw, true), Buffer.from('QUIT\r\n')]));
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await c.reply());
    expect(replies).toEqual([expect.stringMatching(/^250 /), expect.stringMatching(/^250 /), expect.stringMatching(/^250 2\.6\.0 /), expect.stringMatching(/^221 /)]);
    c.close();
    expect(endsWith((await delivered('bdat on 465'))[0], raw)).toBe(true);
  });
});
