// Small shared helpers: free loopback ports, waiting for a listener, seeded randomness, stats.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Asks the kernel for `count` distinct free TCP ports on the loopback address. */
export async function freePorts(count, host = '127.0.0.1') {
  const servers = [];
  const ports = [];
  try {
    for (let i = 0; i < count; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, host, resolve);
      });
      ports.push(srv.address().port);
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r()))));
  }
  return ports;
}

/** Resolves once something accepts a TCP connection and sends a greeting starting with `expect`. */
export async function waitForGreeting(host, port, expect, { timeoutMs = 15000, isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr = null;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`server exited before listening on ${host}:${port}`);
    try {
      const line = await new Promise((resolve, reject) => {
        const sock = net.connect({ host, port });
        let got = '';
        sock.setTimeout(2000, () => sock.destroy(new Error('greeting timeout')));
        sock.on('data', (d) => {
          got += d.toString('latin1');
          if (got.includes('\n')) {
            sock.destroy();
            resolve(got);
          }
        });
        sock.on('error', reject);
        sock.on('close', () => reject(new Error('closed before greeting')));
      });
      if (line.startsWith(expect)) return;
      lastErr = new Error(`unexpected greeting: ${line.trim()}`);
    } catch (err) {
      lastErr = err;
    }
    await sleep(50);
  }
  throw new Error(`no greeting on ${host}:${port}: ${lastErr ? lastErr.message : 'timeout'}`);
}

/** Deterministic PRNG (mulberry32): returns a function giving floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [lo, hi] from a PRNG. */
export function randInt(rand, lo, hi) {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `fn(i)` for i in [0, n) with at most `limit` in flight. */
export async function pool(n, limit, fn) {
  let next = 0;
  const runners = [];
  for (let w = 0; w < Math.min(limit, n); w++) {
    runners.push(
      (async () => {
        while (next < n) {
          const i = next++;
          await fn(i);
        }
      })(),
    );
  }
  await Promise.all(runners);
}

export { sleep };
