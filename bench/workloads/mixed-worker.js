// Child process of workloads/mixed.js: runs a share of the mixed-workload clients.
// Protocol over IPC:
//   parent -> {type:'init', host, port, tls, mode, clients:[{id,user,pass}], seed, sizes}
//   child  -> {type:'ready'}            (persistent clients are logged in and selected)
//   parent -> {type:'go', from, to}     (epoch ms: measurement window; clients stop at `to`)
//   child  -> {type:'result', ...}      then exits
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapConn, quote } from '../lib/imap.js';
import { makeMessage } from '../lib/messages.js';
import { rng, randInt } from '../lib/util.js';

const epochNow = () => performance.timeOrigin + performance.now();

const stats = { counts: {}, latMs: {}, errors: 0, errorSamples: [], cycles: 0, connects: 0 };
let windowFrom = Infinity;
let windowTo = -Infinity;
let stopAt = Infinity;

function record(name, t0, status, line) {
  const t1 = epochNow();
  if (t1 >= windowFrom && t1 <= windowTo) {
    stats.counts[name] = (stats.counts[name] ?? 0) + 1;
    stats.latMs[name] = (stats.latMs[name] ?? 0) + (t1 - t0);
    if (status !== 'OK') {
      stats.errors++;
      if (stats.errorSamples.length < 5) stats.errorSamples.push(`${name}: ${line}`);
    }
  }
}

async function timed(name, conn, command) {
  const t0 = epochNow();
  const r = await conn.send(command);
  record(name, t0, r.status, r.line);
  return r;
}

async function timedAppend(conn, msg) {
  const t0 = epochNow();
  const r = await conn.append('INBOX', '', msg);
  record('APPEND', t0, r.status, r.line);
  return r;
}

/** Keeps the message count up to date from untagged EXISTS / EXPUNGE responses. */
function trackExists(conn, state) {
  conn.onUntagged = (line) => {
    if (line.endsWith(' EXISTS')) state.exists = parseInt(line.slice(2), 10);
    else if (line.endsWith(' EXPUNGE')) state.exists--;
  };
}

/** The commands between SELECT and LOGOUT; the same in both modes. */
async function middle(conn, state, rand, pool) {
  const n = state.exists;
  if (n > 0) {
    const a = randInt(rand, 1, Math.max(1, n - 9));
    const b = Math.min(n, a + 9);
    await timed('FETCH', conn, `FETCH ${a}:${b} (FLAGS)`);
    await timed('FETCH', conn, `FETCH ${randInt(rand, a, b)} (BODY.PEEK[])`);
    await timed('STORE', conn, `STORE ${a}:${Math.min(b, a + 2)} +FLAGS (\\Seen)`);
  }
  await timedAppend(conn, pool[randInt(rand, 0, pool.length - 1)]);
  // Expunge the oldest message so the mailbox keeps its size.
  await timed('STORE', conn, 'STORE 1 +FLAGS.SILENT (\\Deleted)');
  await timed('EXPUNGE', conn, 'EXPUNGE');
  const t = epochNow();
  if (t >= windowFrom && t <= windowTo) stats.cycles++;
}

async function openSession(cfg, client, state, timedLogin) {
  const conn = await ImapConn.connect({ host: cfg.host, port: cfg.port, tls: cfg.tls });
  stats.connects++;
  trackExists(conn, state);
  const login = `LOGIN ${quote(client.user)} ${quote(client.pass)}`;
  const r = timedLogin ? await timed('LOGIN', conn, login) : await conn.send(login);
  if (r.status !== 'OK') throw new Error(`LOGIN failed: ${r.line}`);
  return conn;
}

async function reconnectClient(cfg, client, rand, pool) {
  const state = { exists: 0 };
  while (epochNow() < stopAt) {
    let conn = null;
    try {
      conn = await openSession(cfg, client, state, true);
      await timed('LIST', conn, 'LIST "" *');
      await timed('SELECT', conn, 'SELECT INBOX');
      await middle(conn, state, rand, pool);
      await timed('LOGOUT', conn, 'LOGOUT');
    } catch (err) {
      stats.errors++;
      if (stats.errorSamples.length < 5) stats.errorSamples.push(String(err.message ?? err));
      await sleep(20);
    } finally {
      if (conn) conn.destroy();
    }
  }
}

async function persistentSetup(cfg, client) {
  const state = { exists: 0 };
  const conn = await openSession(cfg, client, state, false);
  const r = await conn.send('SELECT INBOX');
  if (r.status !== 'OK') throw new Error(`SELECT failed: ${r.line}`);
  return { conn, state };
}

async function persistentClient(cfg, client, session, rand, pool) {
  let { conn, state } = session;
  while (epochNow() < stopAt) {
    try {
      await middle(conn, state, rand, pool);
    } catch (err) {
      stats.errors++;
      if (stats.errorSamples.length < 5) stats.errorSamples.push(String(err.message ?? err));
      conn.destroy();
      await sleep(20);
      ({ conn, state } = await persistentSetup(cfg, client));
    }
  }
  await conn.logout();
}

process.on('message', async (msg) => {
  if (msg.type !== 'init') return;
  const cfg = msg;
  // A pool of messages to APPEND, different per worker, generated before the clock starts.
  const pool = [];
  for (let i = 0; i < 48; i++) pool.push(makeMessage(cfg.seed, 1_000_000 + i, cfg.sizes));
  const sessions = [];
  try {
    if (cfg.mode === 'persistent') {
      for (const c of cfg.clients) sessions.push(await persistentSetup(cfg, c));
    }
  } catch (err) {
    process.send({ type: 'fatal', error: String(err.message ?? err) });
    process.exit(1);
  }
  process.send({ type: 'ready' });
  process.once('message', async (go) => {
    windowFrom = go.from;
    windowTo = go.to;
    stopAt = go.to;
    const cpu0 = process.cpuUsage();
    const runs = cfg.clients.map((c, k) => {
      const rand = rng(cfg.seed * 7919 + c.id);
      return cfg.mode === 'persistent'
        ? persistentClient(cfg, c, sessions[k], rand, pool)
        : reconnectClient(cfg, c, rand, pool);
    });
    await Promise.all(runs);
    const cpu = process.cpuUsage(cpu0);
    process.send({ type: 'result', ...stats, cpuSec: (cpu.user + cpu.system) / 1e6 }, () => process.exit(0));
  });
});
