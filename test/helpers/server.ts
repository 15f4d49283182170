/**
 * End-to-end helper: a real Roost on free loopback ports with a temporary data folder.
 *
 *   const srv = await startServer({ users: [{ address: 'alice@example.com', password: 'pw' }] });
 *   // … connect to 127.0.0.1:srv.ports.imap …
 *   await srv.stop();
 *
 * startServer spawns `node bin/roost.js --config <file> serve` (the built dist/, as `npm test` builds it
 * first) and waits for its startup log lines; startServerInProcess runs the same composition root in this
 * process (faster, and lets a test inject protocol server factories). Test users are written to the store
 * before the server starts, with cheap scrypt parameters so logins are fast.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hashPassword } from '../../src/auth/password.js';
import { parseConfig } from '../../src/config/load.js';
import { LISTENER_NAMES, type ListenerName } from '../../src/config/schema.js';
import { startServer as startInProcess, type RunningServer } from '../../src/cli/serve.js';
import type { ServerFactories } from '../../src/cli/servers.js';
import { openStore } from '../../src/cli/store.js';
import { createLogger } from '../../src/shared/logger.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin', 'roost.js');

export interface TestUser {
  address: string;
  password: string;
}

export interface ServerOptions {
  /** Accounts created before the start; default one, alice@example.com. [] leaves the store empty (first start). */
  users?: TestUser[];
  /** Listeners to configure; default all of them (the ones this build lacks are skipped by the server). */
  listeners?: readonly ListenerName[];
  /** Default "localhost" (the self-signed certificate names it and 127.0.0.1). */
  hostname?: string;
  /** More TOML tables appended to the config (after [listen]), e.g. '[security]\ntrusted_networks = ["10.0.0.0/8"]'. */
  extraToml?: string;
  /** Keep the temporary folder after stop() (debugging). */
  keep?: boolean;
}

export interface TestServer {
  dir: string;
  configPath: string;
  dataDir: string;
  /** The port of every listener that is listening. */
  ports: Partial<Record<ListenerName, number>>;
  users: TestUser[];
  /** The first-start account when `users: []`, with the password the server printed. */
  postmaster: TestUser | null;
  /** Everything the server wrote so far. */
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** A server running as a child process (startServer): it can also be killed and started again. */
export interface ChildServer extends TestServer {
  /** The server process id. */
  pid(): number;
  /** Sends `signal` (default SIGKILL: a crash) and waits until the process is gone; the data folder stays. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same config, data folder and ports (after kill() or a crash). */
  restart(): Promise<void>;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/roost.js …args` with `input` on stdin. */
export function runCli(args: readonly string[], input = '', cwd = ROOT): Promise<CliResult> {
  requireBuild();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
}

/** `count` distinct free loopback ports (bound to port 0 together, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = createServer();
      servers.push(s);
      await new Promise<void>((ok, fail) => s.once('error', fail).listen(0, '127.0.0.1', ok));
      const a = s.address();
      if (a === null || typeof a === 'string') throw new Error('no port');
      ports.push(a.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  }
}

const FAST_HASH = { ln: 10, r: 8, p: 1 };

interface Prepared {
  /** The config's top-level part; [listen] and extraToml follow it. */
  head: string;
  dir: string;
  configPath: string;
  dataDir: string;
  users: TestUser[];
}

async function prepare(opts: ServerOptions): Promise<Prepared> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-e2e-'));
  const configPath = join(dir, 'roost.toml');
  const users = opts.users ?? [{ address: 'alice@example.com', password: 'alice-secret' }];
  const head = `hostname = ${JSON.stringify(opts.hostname ?? 'localhost')}\ndata_dir = "data"\n[log]\nlevel = "debug"\n`;
  const text = head + (opts.extraToml ?? '');
  writeFileSync(configPath, text);
  if (users.length > 0) {
    const store = openStore(parseConfig(text, { baseDir: dir, source: configPath }));
    try {
      for (const u of users) await store.createAccount(u.address, await hashPassword(u.password, FAST_HASH));
    } finally {
      await store.close();
    }
  }
  return { head, dir, configPath, dataDir: join(dir, 'data'), users };
}

async function writeListen(p: Prepared, names: readonly ListenerName[], extraToml: string | undefined): Promise<Map<ListenerName, number>> {
  const ports = await freePorts(names.length);
  const byName = new Map<ListenerName, number>();
  let listen = '[listen]\n';
  names.forEach((n, i) => {
    const port = ports[i] ?? 0;
    byName.set(n, port);
    listen += `${n} = "127.0.0.1:${port}"\n`;
  });
  writeFileSync(p.configPath, p.head + listen + (extraToml ?? ''));
  return byName;
}

/** The listeners a server reported as listening (its "listening listener=… address=…" lines). */
export function parseListening(log: string): Partial<Record<ListenerName, number>> {
  const out: Partial<Record<ListenerName, number>> = {};
  for (const m of log.matchAll(/ info listening listener=(\w+) address="?(\S*?):(\d+)"?(?: |$)/gm)) {
    const name = LISTENER_NAMES.find((n) => n === m[1]);
    if (name !== undefined) out[name] = Number(m[3]);
  }
  return out;
}

function parsePostmaster(stdout: string): TestUser | null {
  const user = /user:\s+(\S+)/.exec(stdout)?.[1];
  const password = /password:\s+(\S+)/.exec(stdout)?.[1];
  return user !== undefined && password !== undefined ? { address: user, password } : null;
}

function waitReady(child: ChildProcess, out: { stdout: string; stderr: string }, timeoutMs: number): Promise<void> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => finish(new Error(`server not ready after ${timeoutMs} ms:\n${out.stderr}`)), timeoutMs);
    const onData = (): void => {
      if (/ info ready /.test(out.stderr)) finish(null);
    };
    const onExit = (code: number | null): void => finish(new Error(`server exited (${code}) before it was ready:\n${out.stderr}`));
    function finish(err: Error | null): void {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (err === null) ok();
      else fail(err);
    }
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      ok();
    });
    child.kill('SIGTERM');
  });
}

function launch(p: Prepared): { child: ChildProcess; out: { stdout: string; stderr: string } } {
  const out = { stdout: '', stderr: '' };
  const child = spawn(process.execPath, [BIN, '--config', p.configPath, 'serve'], { cwd: p.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  return { child, out };
}

function killChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    child.once('exit', () => ok());
    child.kill(signal);
  });
}

/** Starts `node bin/roost.js --config <tmp>/roost.toml serve` on free loopback ports. */
export async function startServer(opts: ServerOptions = {}): Promise<ChildServer> {
  requireBuild();
  const p = await prepare(opts);
  const names = opts.listeners ?? LISTENER_NAMES;
  for (let attempt = 1; ; attempt++) {
    await writeListen(p, names, opts.extraToml);
    let { child, out } = launch(p);
    try {
      await waitReady(child, out, 20_000);
    } catch (err) {
      await stopChild(child);
      // Another process took one of the ports between our check and the server's bind: try new ones.
      if (attempt < 3 && /already in use/.test(out.stderr)) continue;
      if (opts.keep !== true) rmSync(p.dir, { recursive: true, force: true });
      throw err;
    }
    const ports = parseListening(out.stderr);
    if (/already in use/.test(out.stderr) && attempt < 3) {
      await stopChild(child);
      continue;
    }
    return {
      ...p, ports, postmaster: parsePostmaster(out.stdout),
      stdout: () => out.stdout,
      stderr: () => out.stderr,
      stop: async () => {
        await stopChild(child);
        if (opts.keep !== true) rmSync(p.dir, { recursive: true, force: true });
      },
      pid: () => child.pid ?? 0,
      kill: (signal = 'SIGKILL') => killChild(child, signal),
      restart: async () => {
        await stopChild(child);
        ({ child, out } = launch(p));
        try {
          await waitReady(child, out, 20_000);
        } catch (err) {
          await stopChild(child);
          throw err;
        }
      },
    };
  }
}

export interface InProcessServer extends TestServer {
  running: RunningServer;
}

/**
 * The same server in this process: quicker, and `factories` can replace the protocol servers.
 * Its log lines are kept (stderr()); the first-start text goes to stdout().
 */
export async function startServerInProcess(opts: ServerOptions & { factories?: ServerFactories } = {}): Promise<InProcessServer> {
  const p = await prepare(opts);
  const names = opts.listeners ?? LISTENER_NAMES;
  await writeListen(p, names, opts.extraToml);
  const out = { stdout: '', stderr: '' };
  const config = parseConfig(readText(p.configPath), { baseDir: p.dir, source: p.configPath });
  const logger = createLogger('debug', {}, (l) => (out.stderr += l));
  let running: RunningServer;
  try {
    // The writer thread runs the compiled store (dist/, built by `npm test`), as the real server does.
    running = await startInProcess(config, {
      logger, print: (t) => (out.stdout += t), factories: opts.factories, storeWorker: pathToFileURL(join(ROOT, 'dist', 'cli', 'store-worker.js')),
    });
  } catch (err) {
    if (opts.keep !== true) rmSync(p.dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...p, running, ports: parseListening(out.stderr), postmaster: parsePostmaster(out.stdout),
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    stop: async () => {
      await running.close();
      if (opts.keep !== true) rmSync(p.dir, { recursive: true, force: true });
    },
  };
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
