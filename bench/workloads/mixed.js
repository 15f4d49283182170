// Workload (a): a mixed multi-client IMAP workload, measured in commands per second.
//
// Each client has its own user and INBOX (pre-filled with `mailboxSize` messages).
//   reconnect mode, one cycle = LOGIN, LIST "" *, SELECT INBOX, FETCH a:b (FLAGS),
//     FETCH k (BODY.PEEK[]), STORE a:a+2 +FLAGS (\Seen), APPEND, STORE 1 +FLAGS.SILENT (\Deleted),
//     EXPUNGE, LOGOUT  (10 commands, new TCP connection each cycle)
//   persistent mode: log in and SELECT once, then loop the middle six commands
//     (FETCH, FETCH, STORE, APPEND, STORE, EXPUNGE).
// APPEND one and EXPUNGE the oldest per cycle keeps every mailbox at a stable size.
// Only commands that complete inside the window [warmup, warmup + duration] count.
// Clients are spread over `workers` child processes; client and server CPU time over the
// window is reported so one can tell whether the load generator was the bottleneck.
import { fork } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';
import { cpuSecondsOfTree, systemCpu } from '../lib/proc.js';
import { populateUsers } from '../lib/populate.js';
import { sleep } from '../lib/util.js';

const WORKER = fileURLToPath(new URL('./mixed-worker.js', import.meta.url));

/** Users this workload needs (the target must create them before start). */
export function mixedUsers(clients) {
  return Array.from({ length: clients }, (_, i) => ({ name: `mix${i + 1}@bench.test`, pass: `pw-mix-${i + 1}` }));
}

export async function prepareMixed(target, { clients = 50, mailboxSize = 100 } = {}) {
  const users = mixedUsers(clients);
  return populateUsers(target, users, mailboxSize, { parallel: 4, seed: 101 });
}

/**
 * @returns {Promise<{cmdPerSec: number, commands: number, cycles: number, errors: number,
 *   serverCpu: number, clientCpu: number, perCommand: object}>}
 */
export async function runMixed(target, opts = {}) {
  const {
    clients = 50,
    mode = 'reconnect',
    warmup = 5,
    duration = 20,
    workers = 2,
    tls = false,
    seed = 7,
  } = opts;
  const users = mixedUsers(clients);
  const port = tls ? target.ports.imaps : target.ports.imap;
  const nWorkers = Math.max(1, Math.min(workers, clients));
  const children = [];
  const results = [];
  const ready = [];
  for (let w = 0; w < nWorkers; w++) {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const mine = users
      .map((u, i) => ({ id: i, user: u.name, pass: u.pass }))
      .filter((_, i) => i % nWorkers === w);
    ready.push(
      new Promise((resolve, reject) => {
        child.on('message', (m) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'fatal') reject(new Error(`mixed worker: ${m.error}`));
          else if (m.type === 'result') results.push(m);
        });
        child.on('exit', (code) => {
          if (code !== 0) reject(new Error(`mixed worker exited with ${code}`));
        });
      }),
    );
    child.send({ type: 'init', host: target.host, port, tls, mode, clients: mine, seed: seed + w, sizes: {} });
  }
  const exits = children.map((c) => new Promise((resolve) => c.on('exit', resolve)));
  try {
    await Promise.all(ready);
  } catch (err) {
    for (const c of children) c.kill();
    throw err;
  }

  const start = Date.now() + 100;
  const from = start + warmup * 1000;
  const to = from + duration * 1000;
  for (const c of children) c.send({ type: 'go', from, to });

  await sleep(from - Date.now());
  const sys0 = systemCpu();
  const srv0 = cpuSecondsOfTree(target.rootPids);
  const cli0 = cpuSecondsOfTree(children.map((c) => c.pid));
  await sleep(to - Date.now());
  const srv1 = cpuSecondsOfTree(target.rootPids);
  const cli1 = cpuSecondsOfTree(children.map((c) => c.pid));
  const sys1 = systemCpu();
  await Promise.all(exits);

  const perCommand = {};
  let commands = 0;
  let cycles = 0;
  let errors = 0;
  const errorSamples = [];
  for (const r of results) {
    cycles += r.cycles;
    errors += r.errors;
    errorSamples.push(...r.errorSamples);
    for (const [name, n] of Object.entries(r.counts)) {
      commands += n;
      const pc = (perCommand[name] ??= { count: 0, latMs: 0 });
      pc.count += n;
      pc.latMs += r.latMs[name];
    }
  }
  for (const pc of Object.values(perCommand)) pc.avgMs = pc.latMs / pc.count;
  return {
    mode,
    clients,
    duration,
    cmdPerSec: commands / duration,
    commands,
    cycles,
    errors,
    errorSamples: errorSamples.slice(0, 5),
    serverCpu: (srv1 - srv0) / duration, // cores busy on average
    clientCpu: (cli1 - cli0) / duration,
    // Busy cores not explained by server or client (other processes on the machine; kernel
    // work such as loopback TCP is mostly charged to server and client already).
    otherCpu: (sys1.busy - sys0.busy - (srv1 - srv0) - (cli1 - cli0)) / duration,
    iowait: (sys1.iowait - sys0.iowait) / duration,
    idle: (sys1.idle - sys0.idle) / duration,
    perCommand,
  };
}
