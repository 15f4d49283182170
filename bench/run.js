#!/usr/bin/env node
// `npm run bench` — runs the workloads on each target (Roost, Dovecot, Postfix) and prints one
// table: workload, Roost figure, peer figure(s), ratio. See bench/README.md.
//
//   node bench/run.js                        everything, full sizes (about 30-40 minutes)
//   node bench/run.js --quick                small sizes, a few minutes
//   node bench/run.js --only a,c --targets dovecot
//   node bench/run.js --only b --messages 20000 --runs 3 --json /tmp/b.json
//   node bench/run.js --only f --targets roost,postfix-maildir,postfix-dovecot
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { TARGETS, PEER, PEERS } from './targets.js';
import { mixedUsers, prepareMixed, runMixed } from './workloads/mixed.js';
import { bigfolderUsers, populateBigFolder, queryBigFolder } from './workloads/bigfolder.js';
import { idleUsers, prepareIdle, runIdle, openFileLimit } from './workloads/idle.js';
import { pop3Users, preparePop3, runPop3 } from './workloads/pop3.js';
import { smtpUsers, runSmtp, smtpSourceAvailable, SMTP_SOURCE } from './workloads/smtp.js';
import { postfixVersion } from './postfix.js';
import { systemCpu, cpuSecondsOfTree } from './lib/proc.js';
import { sleep } from './lib/util.js';

const USAGE = `usage: node bench/run.js [options]
  --only LIST          workloads, comma-separated (default a,b,c,e,f):
                         a  mixed IMAP clients (reconnecting and persistent), commands/s
                         b  big folder: APPEND throughput, then SELECT/STATUS/FETCH/SEARCH times
                         c  memory per idle IMAP connection (plain and TLS)
                         e  POP3 download of a big INBOX
                         f  SMTP messages/s accepted-and-durable (smtp-source), and delivered
  --targets LIST       default roost,dovecot,dovecot-hp,postfix-maildir,postfix-dovecot
                       (roost is skipped while not built; postfix-* run only f, dovecot* not f)
  --quick              small sizes for a quick check (overridable by the options below)
  --clients N          (a) clients, one user each (50)
  --warmup S           (a) seconds before measuring (5)
  --duration S         (a) measured seconds per mode (20)
  --workers N          (a) load-generator processes (2)
  --mailbox N          (a) messages in each client's INBOX (100)
  --messages N         (b) messages in the big folder (100000)
  --window N           (b) APPEND throughput window (10000)
  --runs N             (b) query runs, median reported (5)
  --connections N      (c) idle connections (1000)
  --pop3-messages N    (e) messages to download (10000)
  --pop3-runs N        (e) download runs (3)
  --smtp-messages N    (f) messages smtp-source sends (20000)
  --smtp-sessions N    (f) parallel SMTP sessions (10)
  --smtp-size N        (f) message size in bytes, smtp-source -l (4096)
  --format F           Dovecot mail format: maildir (default) or sdbox (also postfix-dovecot's)
  --wait-quiet S       before each run, wait up to S seconds for other processes to
                       leave the CPUs idle (120; 0 = don't wait)
  --json FILE          also write all figures and details as JSON
  --keep               keep the servers' temporary folders
  --verbose            progress details
`;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'a,b,c,e,f' },
    targets: { type: 'string', default: 'roost,dovecot,dovecot-hp,postfix-maildir,postfix-dovecot' },
    quick: { type: 'boolean', default: false },
    clients: { type: 'string' },
    warmup: { type: 'string' },
    duration: { type: 'string' },
    workers: { type: 'string' },
    mailbox: { type: 'string' },
    messages: { type: 'string' },
    window: { type: 'string' },
    runs: { type: 'string' },
    connections: { type: 'string' },
    'pop3-messages': { type: 'string' },
    'pop3-runs': { type: 'string' },
    'smtp-messages': { type: 'string' },
    'smtp-sessions': { type: 'string' },
    'smtp-size': { type: 'string' },
    format: { type: 'string', default: 'maildir' },
    'wait-quiet': { type: 'string' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const defaults = args.quick
  ? { clients: 50, warmup: 2, duration: 5, workers: 2, mailbox: 50, messages: 5000, window: 1000, runs: 3, connections: 200, pop3Messages: 2000, pop3Runs: 2, smtpMessages: 2000 }
  : { clients: 50, warmup: 5, duration: 20, workers: 2, mailbox: 100, messages: 100000, window: 10000, runs: 5, connections: 1000, pop3Messages: 10000, pop3Runs: 3, smtpMessages: 20000 };
const num = (v, d) => (v === undefined ? d : Number(v));
const opt = {
  clients: num(args.clients, defaults.clients),
  warmup: num(args.warmup, defaults.warmup),
  duration: num(args.duration, defaults.duration),
  workers: num(args.workers, defaults.workers),
  mailbox: num(args.mailbox, defaults.mailbox),
  messages: num(args.messages, defaults.messages),
  window: num(args.window, defaults.window),
  runs: num(args.runs, defaults.runs),
  connections: num(args.connections, defaults.connections),
  pop3Messages: num(args['pop3-messages'], defaults.pop3Messages),
  pop3Runs: num(args['pop3-runs'], defaults.pop3Runs),
  smtpMessages: num(args['smtp-messages'], defaults.smtpMessages),
  smtpSessions: num(args['smtp-sessions'], 10),
  smtpSize: num(args['smtp-size'], 4096),
  format: args.format,
  waitQuiet: num(args['wait-quiet'], 120),
};
const only = args.only.split(',').map((s) => s.trim()).filter(Boolean);
const targetNames = args.targets.split(',').map((s) => s.trim()).filter(Boolean);
for (const t of targetNames) if (!TARGETS[t]) throw new Error(`unknown target ${t} (${Object.keys(TARGETS).join(', ')})`);

// 1,000 connections need more open files than the usual soft limit of 1024: re-run this
// script under a raised limit (a shell's ulimit), once.
if (only.includes('c')) {
  const need = opt.connections * 2 + 500;
  if (openFileLimit() < need && !process.env.ROOST_BENCH_ULIMIT) {
    const script = fileURLToPath(import.meta.url);
    const r = spawnSync('sh', ['-c', `ulimit -n ${need} && exec "$0" "$@"`, process.execPath, script, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, ROOST_BENCH_ULIMIT: '1' },
    });
    if (r.status === null || r.error) {
      process.stderr.write(`bench: cannot raise the open-file limit to ${need} (ulimit -n); run as root or raise it first\n`);
      process.exit(1);
    }
    process.exit(r.status);
  }
}

const log = (s) => process.stderr.write(`${s}\n`);
const vlog = args.verbose ? log : () => {};

// ---- The metrics, in table order ----------------------------------------------------------
const K = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const METRICS = [
  // "per server CPU-second": throughput divided by the cores the server used, which is less
  // sensitive to other load on a shared machine than commands/s.
  { id: 'a.reconnect', w: 'a', label: `mixed, ${opt.clients} reconnecting clients`, unit: 'cmd/s', better: 'higher', digits: 0 },
  { id: 'a.reconnect.eff', w: 'a', label: '  same, per server CPU-second', unit: 'cmd/cpu-s', better: 'higher', digits: 0 },
  { id: 'a.persistent', w: 'a', label: `mixed, ${opt.clients} persistent clients`, unit: 'cmd/s', better: 'higher', digits: 0 },
  { id: 'a.persistent.eff', w: 'a', label: '  same, per server CPU-second', unit: 'cmd/cpu-s', better: 'higher', digits: 0 },
  { id: 'b.append', w: 'b', label: `APPEND ${K(opt.messages)} msgs, whole run`, unit: 'msg/s', better: 'higher', digits: 0 },
  { id: 'b.appendFirst', w: 'b', label: `APPEND, first ${K(opt.window)}`, unit: 'msg/s', better: 'higher', digits: 0 },
  { id: 'b.appendLast', w: 'b', label: `APPEND, last ${K(opt.window)}`, unit: 'msg/s', better: 'higher', digits: 0 },
  { id: 'b.select', w: 'b', label: `SELECT (${K(opt.messages)} msgs)`, unit: 'ms', better: 'lower', digits: 1 },
  { id: 'b.status', w: 'b', label: 'STATUS (new session)', unit: 'ms', better: 'lower', digits: 1 },
  { id: 'b.fetchFlags', w: 'b', label: 'UID FETCH 1:* (FLAGS)', unit: 'ms', better: 'lower', digits: 0 },
  { id: 'b.fetchEnvelope', w: 'b', label: 'FETCH 1:* (ENVELOPE)', unit: 'ms', better: 'lower', digits: 0 },
  { id: 'b.searchSubject', w: 'b', label: 'UID SEARCH SUBJECT (1% hits)', unit: 'ms', better: 'lower', digits: 0 },
  { id: 'b.searchMessageId', w: 'b', label: 'UID SEARCH HEADER Message-ID', unit: 'ms', better: 'lower', digits: 0 },
  { id: 'c.plain.rss', w: 'c', label: `idle IMAP, RSS per conn (${K(opt.connections)})`, unit: 'MB', better: 'lower', digits: 2 },
  { id: 'c.plain.pss', w: 'c', label: 'idle IMAP, PSS per conn', unit: 'MB', better: 'lower', digits: 2 },
  { id: 'c.tls.rss', w: 'c', label: 'idle IMAPS, RSS per conn', unit: 'MB', better: 'lower', digits: 2 },
  { id: 'c.tls.pss', w: 'c', label: 'idle IMAPS, PSS per conn', unit: 'MB', better: 'lower', digits: 2 },
  { id: 'e.list', w: 'e', label: `POP3 LIST (${K(opt.pop3Messages)} msgs)`, unit: 'ms', better: 'lower', digits: 1 },
  { id: 'e.uidl', w: 'e', label: 'POP3 UIDL', unit: 'ms', better: 'lower', digits: 1 },
  { id: 'e.retr', w: 'e', label: 'POP3 RETR all, one at a time', unit: 's', better: 'lower', digits: 2 },
  { id: 'e.retrRate', w: 'e', label: 'POP3 RETR rate', unit: 'msg/s', better: 'higher', digits: 0 },
  // (f): accepted = every 250 received (durable: fsynced); delivered = all in the mailbox.
  { id: 'f.accept', w: 'f', label: `SMTP ${K(opt.smtpMessages)} × ${opt.smtpSize % 1024 === 0 ? `${opt.smtpSize / 1024} KB` : `${opt.smtpSize} B`}, ${opt.smtpSessions} sessions, accepted`, unit: 'msg/s', better: 'higher', digits: 0 },
  { id: 'f.delivered', w: 'f', label: '  delivered (all in the mailbox)', unit: 'msg/s', better: 'higher', digits: 0 },
  { id: 'f.eff', w: 'f', label: '  delivered per server CPU-second', unit: 'msg/cpu-s', better: 'higher', digits: 0 },
  // Ratio rows: the ratio column only, Roost's delivered rate over each Postfix variant's
  // (issue 4's targets: at least 1× Postfix→Maildir, at least 2× Postfix→Dovecot LMTP).
  { id: 'f.vsMaildir', w: 'f', label: '  delivered, Roost ÷ Postfix→Maildir (target ≥ 1)', unit: '×', better: 'higher', ratioOf: ['f.delivered', 'postfix-maildir'] },
  { id: 'f.vsDovecot', w: 'f', label: '  delivered, Roost ÷ Postfix→Dovecot (target ≥ 2)', unit: '×', better: 'higher', ratioOf: ['f.delivered', 'postfix-dovecot'] },
];

const results = {}; // metric id -> target name -> number | string (error/skip note)
const details = {}; // target name -> workload -> raw result objects
const notes = [];
const record = (id, target, value) => ((results[id] ??= {})[target] = value);
// A target's `only` entries name metrics or groups of them ('c.tls' covers 'c.tls.rss').
// A target's `workloads` (when given) lists the workloads it can run at all.
const applies = (target, id) =>
  (!TARGETS[target].workloads || TARGETS[target].workloads.includes(id.split('.')[0])) &&
  (!TARGETS[target].only || TARGETS[target].only.some((o) => id === o || id.startsWith(`${o}.`)));
const MB = 1024 * 1024;

// ---- The workloads --------------------------------------------------------------------------
const WORKLOADS = {
  a: {
    protocols: ['imap'],
    users: () => mixedUsers(opt.clients),
    maxConnections: () => opt.clients + 50,
    async run(t, name) {
      log(`  [${name}] filling ${opt.clients} INBOXes with ${opt.mailbox} messages each`);
      await prepareMixed(t, { clients: opt.clients, mailboxSize: opt.mailbox });
      for (const mode of ['reconnect', 'persistent']) {
        const id = `a.${mode}`;
        if (!applies(name, id)) continue;
        log(`  [${name}] mixed workload, ${mode} clients: ${opt.warmup} s warm-up + ${opt.duration} s`);
        const r = await runMixed(t, { clients: opt.clients, mode, warmup: opt.warmup, duration: opt.duration, workers: opt.workers });
        record(id, name, r.errors > 0 ? `${r.cmdPerSec.toFixed(0)} (${r.errors} errors)` : r.cmdPerSec);
        if (r.serverCpu > 0) record(`${id}.eff`, name, r.cmdPerSec / r.serverCpu);
        ((details[name] ??= {})[id] = r);
        const cpu = `server ${r.serverCpu.toFixed(2)} cores, load generator ${r.clientCpu.toFixed(2)}, other ${r.otherCpu.toFixed(2)}, idle ${r.idle.toFixed(2)}, iowait ${r.iowait.toFixed(2)}`;
        log(`  [${name}] ${r.cmdPerSec.toFixed(0)} commands/s (${r.cycles} cycles, ${r.errors} errors); CPU: ${cpu}`);
        notes.push(`${id} ${name}: CPU ${cpu}`);
        if (r.errors > 0) log(`  [${name}] errors: ${r.errorSamples.join(' | ')}`);
        vlog(`  [${name}] per command (count, avg ms): ${Object.entries(r.perCommand).map(([k, v]) => `${k} ${v.count} ${v.avgMs.toFixed(2)}`).join(', ')}`);
      }
    },
  },
  b: {
    protocols: ['imap'],
    users: bigfolderUsers,
    maxConnections: () => 50,
    async run(t, name) {
      log(`  [${name}] appending ${opt.messages} messages, one at a time`);
      const p = await populateBigFolder(t, { messages: opt.messages, window: opt.window, log: vlog });
      record('b.append', name, p.rate);
      record('b.appendFirst', name, p.firstWindowRate);
      record('b.appendLast', name, p.lastWindowRate);
      log(`  [${name}] APPEND ${p.rate.toFixed(0)} msg/s overall (${(p.bytes / 1e6).toFixed(0)} MB in ${p.seconds.toFixed(0)} s); per ${opt.window}: ${p.windows.map((w) => w.rate.toFixed(0)).join(' ')}`);
      log(`  [${name}] timing queries, ${opt.runs} runs`);
      const q = await queryBigFolder(t, { messages: opt.messages, runs: opt.runs, log: vlog });
      for (const [k, v] of Object.entries(q)) record(`b.${k}`, name, v.medianMs);
      ((details[name] ??= {}).b = { populate: p, queries: q });
      notes.push(`b ${name}: first run (ms): ${Object.entries(q).map(([k, v]) => `${k} ${v.firstMs.toFixed(1)}`).join(', ')}`);
    },
  },
  c: {
    protocols: ['imap'],
    users: idleUsers,
    maxConnections: () => opt.connections + 100,
    async run(t, name) {
      await prepareIdle(t);
      for (const tls of [false, true]) {
        const kind = tls ? 'tls' : 'plain';
        if (!applies(name, `c.${kind}`)) continue;
        log(`  [${name}] ${opt.connections} idle ${tls ? 'TLS' : 'plain'} connections`);
        const r = await runIdle(t, { connections: opt.connections, tls, log: vlog });
        record(`c.${kind}.rss`, name, r.rssPerConn / MB);
        record(`c.${kind}.pss`, name, r.pssPerConn / MB);
        ((details[name] ??= {})[`c.${kind}`] = r);
        log(`  [${name}] per connection: RSS ${(r.rssPerConn / MB).toFixed(2)} MB, PSS ${(r.pssPerConn / MB).toFixed(2)} MB (server processes ${r.processesBefore} -> ${r.processesAfter}; total RSS ${(r.before.rss / MB).toFixed(0)} -> ${(r.after.rss / MB).toFixed(0)} MB, PSS ${(r.before.pss / MB).toFixed(0)} -> ${(r.after.pss / MB).toFixed(0)} MB)`);
        await sleep(1000);
      }
    },
  },
  e: {
    protocols: ['imap', 'pop3'],
    users: pop3Users,
    maxConnections: () => 50,
    async run(t, name) {
      log(`  [${name}] filling the POP3 INBOX with ${opt.pop3Messages} messages`);
      const p = await preparePop3(t, { messages: opt.pop3Messages });
      log(`  [${name}] ${(p.bytes / 1e6).toFixed(1)} MB appended; downloading ${opt.pop3Runs} times`);
      const r = await runPop3(t, { messages: opt.pop3Messages, runs: opt.pop3Runs, log: vlog });
      record('e.list', name, r.list.medianMs);
      record('e.uidl', name, r.uidl.medianMs);
      record('e.retr', name, r.retr.medianMs / 1000);
      record('e.retrRate', name, r.retrMsgPerSec);
      ((details[name] ??= {}).e = r);
      notes.push(`e ${name}: first run LIST ${r.list.firstMs.toFixed(1)} ms, UIDL ${r.uidl.firstMs.toFixed(1)} ms, RETR ${(r.retr.firstMs / 1000).toFixed(2)} s; ${(r.retrMBPerSec).toFixed(1)} MB/s`);
    },
  },
  f: {
    protocols: ['imap', 'smtp'],
    users: smtpUsers,
    maxConnections: () => opt.smtpSessions + 50,
    async run(t, name) {
      if (!smtpSourceAvailable()) throw new Error(`${SMTP_SOURCE} not found (apt-get install postfix, and keep its service stopped)`);
      log(`  [${name}] smtp-source: ${opt.smtpMessages} messages of ${opt.smtpSize} bytes, ${opt.smtpSessions} sessions`);
      const r = await runSmtp(t, { messages: opt.smtpMessages, sessions: opt.smtpSessions, size: opt.smtpSize, log: vlog });
      record('f.accept', name, r.acceptRate);
      record('f.delivered', name, r.deliveredRate);
      if (r.serverCpuPer1k > 0) record('f.eff', name, 1000 / r.serverCpuPer1k);
      ((details[name] ??= {}).f = r);
      const cpu = `server ${r.serverCpu.toFixed(2)} cores, smtp-source ${r.clientCpu.toFixed(2)}, bench ${r.benchCpu.toFixed(2)}, other ${r.otherCpu.toFixed(2)}, iowait ${r.iowait.toFixed(2)}`;
      log(`  [${name}] accepted ${r.acceptRate.toFixed(0)} msg/s (${r.acceptSec.toFixed(2)} s), delivered ${r.deliveredRate.toFixed(0)} msg/s (${r.deliveredSec.toFixed(2)} s); while accepting: ${cpu}`);
      notes.push(`f ${name}: accepted in ${r.acceptSec.toFixed(2)} s, all delivered after ${r.deliveredSec.toFixed(2)} s (verified by ${r.verifiedBy}); while accepting: ${cpu}; server ${r.serverCpuPer1k.toFixed(2)} CPU-s per 1,000 messages`);
    },
  },
};

/**
 * CPU seconds used by other processes than this bench and the servers it started: its children,
 * and the running target's own process trees (Postfix's master daemonizes, so it is no child).
 */
function otherCpuNow() {
  return systemCpu().busy - cpuSecondsOfTree([process.pid, ...(current?.rootPids ?? [])]);
}

/**
 * Waits (at most `maxSec`) until other processes have used under 0.15 cores for 3 s in a row:
 * this machine may be shared, and a busy machine skews every figure.
 */
async function waitQuiet(maxSec) {
  const t0 = Date.now();
  let quiet = 0;
  let last = otherCpuNow();
  let other = 0;
  while (quiet < 3) {
    if (Date.now() - t0 > maxSec * 1000) {
      log(`  warning: the machine is busy (${other.toFixed(2)} cores used by other processes); measuring anyway`);
      return;
    }
    await sleep(1000);
    const now = otherCpuNow();
    other = now - last;
    last = now;
    quiet = other < 0.15 ? quiet + 1 : 0;
  }
  if (Date.now() - t0 > 5000) log(`  (waited ${((Date.now() - t0) / 1000).toFixed(0)} s for the machine to be quiet)`);
}

let current = null;
process.on('SIGINT', async () => {
  log('interrupted; stopping the server');
  if (current) await current.stop().catch(() => {});
  process.exit(130);
});

async function main() {
  log(`bench: workloads ${only.join(',')} on ${targetNames.join(', ')}; ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}`);
  for (const w of only) {
    const wl = WORKLOADS[w];
    if (!wl) throw new Error(`unknown workload ${w}`);
    const ids = METRICS.filter((m) => m.w === w && !m.ratioOf).map((m) => m.id);
    for (const name of targetNames) {
      const tdef = TARGETS[name];
      if (!ids.some((id) => applies(name, id))) continue;
      if (!tdef.available()) {
        for (const id of ids) if (applies(name, id)) record(id, name, tdef.unavailable.split(' (')[0]);
        log(`[${w}] ${name}: ${tdef.unavailable}`);
        continue;
      }
      log(`[${w}] ${name}: starting`);
      await waitQuiet(opt.waitQuiet);
      const other0 = otherCpuNow();
      const wall0 = Date.now();
      try {
        current = await tdef.start({
          users: wl.users(),
          protocols: wl.protocols,
          keep: args.keep,
          format: opt.format,
          maxConnections: wl.maxConnections(),
        });
        await wl.run(current, name);
        const other = (otherCpuNow() - other0) / ((Date.now() - wall0) / 1000);
        notes.push(`${w} ${name}: other processes on the machine used ${other.toFixed(2)} cores on average during the run`);
        if (other > 0.2) log(`[${w}] ${name}: warning: other processes used ${other.toFixed(2)} cores on average during this run`);
      } catch (err) {
        log(`[${w}] ${name}: FAILED: ${err.stack ?? err}`);
        for (const id of ids) if (applies(name, id) && results[id]?.[name] === undefined) record(id, name, 'error');
      } finally {
        if (current) await current.stop();
        current = null;
      }
    }
  }
  printTable();
  if (args.json) {
    const out = { date: new Date().toISOString(), machine: machineInfo(), options: opt, only, targets: targetNames, results, details, notes };
    writeFileSync(args.json, `${JSON.stringify(out, null, 2)}\n`);
    log(`figures written to ${args.json}`);
  }
}

function machineInfo() {
  let dovecot = '';
  try {
    dovecot = spawnSync('/usr/sbin/dovecot', ['--version'], { encoding: 'utf8' }).stdout.trim();
  } catch {
    // not installed
  }
  let kernel = '';
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    // not Linux
  }
  return { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, kernel, dovecot, postfix: postfixVersion() };
}

function fmt(v, digits) {
  if (v === undefined) return '-';
  if (typeof v === 'string') return v;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable() {
  // Targets with at least one figure in the shown workloads (dovecot* have none for f, postfix-* only f).
  const cols = targetNames.filter((c) => METRICS.some((m) => only.includes(m.w) && results[m.id]?.[c] !== undefined));
  const ratioOf = (id, peerName) => {
    const roost = results[id]?.roost;
    const peer = results[id]?.[peerName];
    return typeof roost === 'number' && typeof peer === 'number' && peer !== 0 ? (roost / peer).toFixed(2) : null;
  };
  const rows = [];
  // The ratio column compares with Dovecot (a-e) and Postfix→Dovecot LMTP (f).
  const peersShown = new Set(only.map((w) => PEERS[w] ?? PEER));
  for (const m of METRICS) {
    if (!only.includes(m.w)) continue;
    if (m.ratioOf) {
      const ratio = ratioOf(...m.ratioOf);
      if (ratio !== null) rows.push([m.w, m.label, m.unit, ...cols.map(() => ''), ratio, m.better]);
      continue;
    }
    if (!results[m.id]) continue;
    const peer = PEERS[m.w] ?? PEER;
    const ratio = ratioOf(m.id, peer);
    rows.push([m.w, m.label, m.unit, ...cols.map((c) => fmt(results[m.id][c], m.digits)), ratio ?? '-', m.better]);
  }
  const ratioHeader = peersShown.size === 1 ? `Roost/${TARGETS[[...peersShown][0]].label}` : 'Roost/peer';
  const header = ['', 'workload', 'unit', ...cols.map((c) => TARGETS[c].label), ratioHeader, 'better'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i <= 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  process.stdout.write(`\n${out.join('\n')}\n`);
  if (ratioHeader === 'Roost/peer') process.stdout.write(`\nRoost/peer: Roost over ${TARGETS[PEER].label} for (a)-(e), over ${TARGETS[PEERS.f].label} for (f)\n`);
  if (notes.length) process.stdout.write(`\n${notes.map((n) => `  ${n}`).join('\n')}\n`);
}

main().catch((err) => {
  log(`bench: ${err.stack ?? err}`);
  process.exit(1);
});
