// Process-tree accounting from /proc (Linux only): which processes belong to a server,
// how much memory they hold (RSS and PSS from smaps_rollup) and how much CPU they used.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let clockTicks = 0;
function ticksPerSecond() {
  if (clockTicks === 0) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Parses /proc/<pid>/stat; returns null when the process is gone. */
function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); ppid is field 4, utime..cstime are fields 14..17.
  return {
    state: fields[0],
    ppid: Number(fields[1]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
    cutime: Number(fields[13]),
    cstime: Number(fields[14]),
  };
}

/** The given roots and all their live descendants. */
export function processTree(rootPids) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(name);
    if (st === null) continue;
    const pid = Number(name);
    const list = children.get(st.ppid);
    if (list) list.push(pid);
    else children.set(st.ppid, [pid]);
  }
  const out = [];
  const seen = new Set();
  const queue = [...rootPids];
  while (queue.length > 0) {
    const pid = queue.shift();
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push(pid);
    for (const c of children.get(pid) ?? []) queue.push(c);
  }
  return out;
}

/** Sum of Rss and Pss (bytes) over the processes, from /proc/<pid>/smaps_rollup. */
export function memoryOf(pids) {
  let rss = 0;
  let pss = 0;
  let count = 0;
  for (const pid of pids) {
    let text;
    try {
      text = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
    } catch {
      continue; // exited in the meantime
    }
    const r = /^Rss:\s+(\d+) kB/m.exec(text);
    const p = /^Pss:\s+(\d+) kB/m.exec(text);
    if (!r || !p) continue; // kernel threads / zombies have empty rollups
    rss += Number(r[1]) * 1024;
    pss += Number(p[1]) * 1024;
    count++;
  }
  return { rss, pss, processes: count };
}

/**
 * CPU seconds used so far by a process tree. Each live process contributes its own time plus
 * the time of children it has already reaped (cutime/cstime), so short-lived workers that have
 * exited (Dovecot's per-login processes) are still counted once: in their parent's cutime.
 */
export function cpuSecondsOfTree(rootPids) {
  let ticks = 0;
  for (const pid of processTree(rootPids)) {
    const st = readStat(pid);
    if (st === null) continue;
    ticks += st.utime + st.stime + st.cutime + st.cstime;
  }
  return ticks / ticksPerSecond();
}

/**
 * Whole-machine CPU counters from /proc/stat, in seconds summed over all cores:
 * busy (user, nice, system, irq, softirq, steal), iowait and idle.
 */
export function systemCpu() {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = v;
  const hz = ticksPerSecond();
  return {
    busy: (user + nice + system + irq + softirq + (steal || 0)) / hz,
    iowait: iowait / hz,
    idle: idle / hz,
  };
}

/**
 * A set of server process ids that are killed (their process group, then the process itself) when
 * this process exits, however it exits: the bench never leaves a server behind.
 */
export function killOnExit() {
  const pids = new Set();
  process.on('exit', () => {
    for (const pid of pids) {
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  });
  return pids;
}
