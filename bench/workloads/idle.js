// Workload (c): server memory per idle IMAP connection.
//
// Opens `connections` connections (plain or TLS), each LOGIN + SELECT INBOX + IDLE, and
// compares the server's memory before and after: the sums over all server processes of RSS
// (resident, shared pages counted in every process) and PSS (proportional: shared pages
// split between the processes sharing them) from /proc/<pid>/smaps_rollup.
// "Before" is taken after one warm-up login, so processes started on first use (auth etc.)
// are in both figures.
import { ImapConn } from '../lib/imap.js';
import { memoryOf } from '../lib/proc.js';
import { mixedUsers } from './mixed.js';
import { populateUsers } from '../lib/populate.js';
import { pool, sleep } from '../lib/util.js';
import { execFileSync } from 'node:child_process';

const USERS = 20;

export function idleUsers() {
  return mixedUsers(USERS);
}

export async function prepareIdle(target, { mailboxSize = 20 } = {}) {
  return populateUsers(target, idleUsers(), mailboxSize, { parallel: 4, seed: 303 });
}

/** Soft limit on open files for this process (Node cannot raise its own; run.js re-execs). */
export function openFileLimit() {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return NaN;
  }
}

async function settle(target, ms = 1500) {
  await sleep(ms);
  return memoryOf(target.pids());
}

export async function runIdle(target, { connections = 1000, tls = false, parallel = 20, log = () => {} } = {}) {
  const need = connections + 200;
  const limit = openFileLimit();
  if (limit < need) throw new Error(`open-file limit ${limit} is below ${need}; raise ulimit -n`);
  const users = idleUsers();
  const port = tls ? target.ports.imaps : target.ports.imap;

  // Warm up: one full session so lazily started server processes exist in "before".
  const w = await ImapConn.connect({ host: target.host, port, tls });
  await w.login(users[0].name, users[0].pass);
  await w.ok('SELECT INBOX');
  await w.logout();
  const before = await settle(target);

  const conns = [];
  const t0 = Date.now();
  await pool(connections, parallel, async (i) => {
    const u = users[i % users.length];
    const c = await ImapConn.connect({ host: target.host, port, tls, timeoutMs: 0 });
    await c.login(u.name, u.pass);
    await c.ok('SELECT INBOX');
    c.idleState = await c.idle();
    conns.push(c);
  });
  const setupMs = Date.now() - t0;
  log(`  ${connections} ${tls ? 'TLS' : 'plain'} connections idling (set up in ${setupMs} ms)`);
  const after = await settle(target, 3000);

  // End the IDLEs and log out, a few at a time.
  await pool(conns.length, 50, async (i) => {
    const c = conns[i];
    c.idleDone();
    try {
      await c.idleState.done;
      await c.logout();
    } catch {
      c.destroy();
    }
  });

  return {
    connections,
    tls,
    setupMs,
    before,
    after,
    rssPerConn: (after.rss - before.rss) / connections,
    pssPerConn: (after.pss - before.pss) / connections,
    processesBefore: before.processes,
    processesAfter: after.processes,
  };
}
