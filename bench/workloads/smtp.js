// Workload (f): SMTP messages per second accepted-and-durable on the inbound port (25 in
// production; a free loopback port here), with Debian postfix's load generator smtp-source:
//
//   smtp-source -s 10 -l 4096 -m 20000 -f sender@remote.test -t smtp@bench.test 127.0.0.1:<port>
//
// 10 parallel sessions, a new connection per message (smtp-source's default: EHLO, MAIL, RCPT,
// DATA, QUIT), 4 KB of body per message, 20,000 messages, all to one local mailbox.
// Two figures per target:
//   accepted  — messages / wall time of smtp-source (every message got its 250; smtp-source
//               exits non-zero on any other reply). A 250 means durable for every target here:
//               Roost answers after the message is committed (fsynced) in its store, Postfix after
//               its queue file is fsynced.
//   delivered — messages / time until all of them are in the recipient's mailbox. Postfix
//               delivers after the 250 (virtual(8) into a Maildir, or lmtp(8) to Dovecot), so its
//               delivered rate is lower; counted as files in the mailbox, polled every 100 ms.
//               Roost's 250 comes after delivery into the store, so delivered = accepted; it is
//               checked, not assumed: right after smtp-source exits, IMAP STATUS must show every
//               message (otherwise it is polled like the others).
// At the end the count is verified (IMAP STATUS INBOX (MESSAGES) where the target has IMAP:
// Roost, Dovecot): exactly `messages`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ImapConn } from '../lib/imap.js';
import { cpuSecondsOfTree, systemCpu } from '../lib/proc.js';
import { nowMs, sleep } from '../lib/util.js';

export const SMTP_SOURCE = '/usr/sbin/smtp-source';
export const SMTP_USER = { name: 'smtp@bench.test', pass: 'pw-smtp' };
export const SENDER = 'sender@remote.test';

export function smtpUsers() {
  return [SMTP_USER];
}

export function smtpSourceAvailable() {
  return existsSync(SMTP_SOURCE);
}

/** CPU seconds of this process's children that have exited and been reaped (smtp-source). */
function reapedChildrenCpu() {
  const text = readFileSync('/proc/self/stat', 'latin1');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, USER_HZ (100 on Linux)
}

async function imapMessages(target) {
  const conn = await ImapConn.connect({ host: target.host, port: target.ports.imap });
  try {
    await conn.login(SMTP_USER.name, SMTP_USER.pass);
    let messages = NaN;
    conn.onUntagged = (line) => {
      const m = /MESSAGES (\d+)/.exec(line);
      if (line.startsWith('* STATUS') && m) messages = Number(m[1]);
    };
    const r = await conn.send('STATUS INBOX (MESSAGES)');
    if (r.status !== 'OK') throw new Error(`STATUS: ${r.line}`);
    await conn.logout();
    return messages;
  } finally {
    conn.destroy();
  }
}

function runSmtpSource(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(SMTP_SOURCE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d) => {
      out += d;
      if (out.length > 20000) out = out.slice(-10000);
    };
    p.stdout.on('data', keep);
    p.stderr.on('data', keep);
    p.on('error', reject);
    p.on('exit', (code, signal) => resolve({ code, signal, out, pid: p.pid }));
  });
}

/**
 * @param {object} target  a started target with ports.smtp; countDelivered(user) when it can count
 *   delivered messages cheaply (files), ports.imap when IMAP can verify the count
 * @returns {Promise<object>} figures (rates in msg/s, times in s) and CPU shares (cores)
 */
export async function runSmtp(target, { messages = 20000, sessions = 10, size = 4096, stallSec = 60, log = () => {} } = {}) {
  const user = SMTP_USER.name;
  const counter = target.countDelivered ? async () => target.countDelivered(user) : target.ports.imap ? () => imapMessages(target) : null;
  if (!counter) throw new Error(`${target.name}: no way to count delivered messages`);
  const before = await counter();
  if (before !== 0) throw new Error(`${target.name}: mailbox not empty before the run (${before})`);

  const args = ['-s', String(sessions), '-l', String(size), '-m', String(messages), '-f', SENDER, '-t', user, `${target.host}:${target.ports.smtp}`];
  log(`  ${SMTP_SOURCE} ${args.join(' ')}`);

  const sys0 = systemCpu();
  const srv0 = cpuSecondsOfTree(target.rootPids);
  const cli0 = reapedChildrenCpu();
  const self0 = process.cpuUsage();
  const t0 = nowMs();
  let deliveredAt = null;
  let last = 0;
  const samples = [];

  // Poll the mailbox while smtp-source runs, when counting is cheap (files).
  let polling = Boolean(target.countDelivered);
  const poller = (async () => {
    while (polling) {
      await sleep(100);
      const n = await counter();
      const t = nowMs();
      if (n !== last) samples.push([Math.round(t - t0), n]);
      last = n;
      if (n >= messages && deliveredAt === null) deliveredAt = t;
    }
  })();

  const src = await runSmtpSource(args);
  const acceptedAt = nowMs();
  const srvAccept = cpuSecondsOfTree(target.rootPids);
  const sysAccept = systemCpu();
  const cli1 = reapedChildrenCpu();
  const self1 = process.cpuUsage(self0);
  const selfSec = (self1.user + self1.system) / 1e6;
  polling = false;
  await poller;
  if (src.code !== 0) throw new Error(`smtp-source failed (exit ${src.code ?? src.signal}): ${src.out.trim().slice(-2000)}`);
  const acceptSec = (acceptedAt - t0) / 1000;
  log(`  accepted ${messages} in ${acceptSec.toFixed(2)} s (${(messages / acceptSec).toFixed(0)} msg/s); waiting for delivery`);

  // Then until every message is in the mailbox (or nothing moves for stallSec).
  let lastChange = nowMs();
  while (deliveredAt === null) {
    const n = await counter();
    const t = nowMs();
    if (n !== last) {
      samples.push([Math.round(t - t0), n]);
      last = n;
      lastChange = t;
    }
    if (n >= messages) {
      deliveredAt = t;
      break;
    }
    if (t - lastChange > stallSec * 1000) throw new Error(`${target.name}: delivery stalled at ${n}/${messages} messages`);
    await sleep(100);
  }
  // Delivery can't end before the last 250 (a poll may see the last file before smtp-source has
  // exited): delivered time is at least the accept time.
  deliveredAt = Math.max(deliveredAt, acceptedAt);
  const srv1 = cpuSecondsOfTree(target.rootPids);
  const sys1 = systemCpu();
  const deliveredSec = (deliveredAt - t0) / 1000;

  // Verify: exactly `messages`, by IMAP where the target has it, else by the file count.
  const final = target.ports.imap ? await imapMessages(target) : await counter();
  if (final !== messages) throw new Error(`${target.name}: ${final} messages in the mailbox, expected ${messages}`);
  log(`  delivered all ${messages} after ${deliveredSec.toFixed(2)} s (${(messages / deliveredSec).toFixed(0)} msg/s); verified ${final} by ${target.ports.imap ? 'IMAP STATUS' : 'counting files'}`);

  const busyAccept = sysAccept.busy - sys0.busy;
  return {
    messages,
    sessions,
    size,
    acceptSec,
    acceptRate: messages / acceptSec,
    deliveredSec,
    deliveredRate: messages / deliveredSec,
    verifiedBy: target.ports.imap ? 'imap-status' : 'files',
    // Cores used on average while smtp-source ran (accept phase).
    serverCpu: (srvAccept - srv0) / acceptSec,
    clientCpu: (cli1 - cli0) / acceptSec,
    benchCpu: selfSec / acceptSec, // this driver (polling the mailbox)
    otherCpu: (busyAccept - (srvAccept - srv0) - (cli1 - cli0) - selfSec) / acceptSec,
    iowait: (sysAccept.iowait - sys0.iowait) / acceptSec,
    // Server CPU seconds for the whole run, per 1,000 messages delivered.
    serverCpuPer1k: ((srv1 - srv0) * 1000) / messages,
    totalIowait: sys1.iowait - sys0.iowait,
    samples: samples.filter((_, i) => i % 10 === 0 || i === samples.length - 1),
  };
}
