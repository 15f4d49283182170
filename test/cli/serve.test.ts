/**
 * `roost serve`: first start (certificate, postmaster), listener registry, bind errors, shutdown.
 * Most run the composition root in-process with a stand-in protocol server; the binary tests at the
 * end run whatever protocol servers this build has.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authenticator.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { bindErrorMessage, startServer } from '../../src/cli/serve.js';
import type { ProtocolServer, ServerFactory, TlsMode } from '../../src/cli/servers.js';
import { openStore } from '../../src/cli/store.js';
import { createLogger } from '../../src/shared/logger.js';
import { freePorts, ROOT, runCli, startServer as startBinary, startServerInProcess } from '../helpers/server.js';

/** A stand-in protocol server: greets and records how it was asked to listen. */
function fakeFactory(calls: { host: string; port: number; tls: TlsMode }[] = []): ServerFactory {
  return () => {
    const srv: Server = createServer((s) => s.end('* OK fake\r\n'));
    const server: ProtocolServer = {
      listen: (host, port, tls) => new Promise((ok, fail) => {
        calls.push({ host, port, tls });
        srv.once('error', fail);
        srv.listen(port, host, () => {
          srv.off('error', fail);
          ok();
        });
      }),
      close: () => new Promise((ok) => srv.close(() => ok())),
    };
    return server;
  };
}

function failingFactory(code: string): ServerFactory {
  return () => ({
    listen: () => Promise.reject(Object.assign(new Error(`listen ${code}`), { code })),
    close: () => Promise.resolve(),
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'roost-serve-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function configIn(dir: string, text: string): Config {
  const path = join(dir, 'roost.toml');
  writeFileSync(path, text);
  return parseConfig(text, { baseDir: dir, source: path });
}

async function start(config: Config, factories: Parameters<typeof startServer>[1]['factories']) {
  let log = '';
  let printed = '';
  const running = await startServer(config, {
    logger: createLogger('debug', {}, (l) => (log += l)), print: (t) => (printed += t), factories,
  });
  cleanups.push(() => running.close());
  return { running, log: () => log, printed: () => printed };
}

function greeting(port: number): Promise<string> {
  return new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    s.setEncoding('utf8').on('data', (d: string) => (data += d)).on('end', () => ok(data)).on('error', fail);
  });
}

describe('serve, first start', () => {
  it('makes a self-signed certificate naming the hostname, localhost, 127.0.0.1 and ::1, and reuses it', async () => {
    const dir = tempDir();
    const [port = 0] = await freePorts(1);
    const config = configIn(dir, `hostname = "mail.example.test"\ndata_dir = "data"\n[listen]\nimap = "127.0.0.1:${port}"\n`);
    const first = await start(config, { imap: fakeFactory() });
    const certPath = join(dir, 'data', 'tls', 'cert.pem');
    const keyPath = join(dir, 'data', 'tls', 'key.pem');
    const cert = new X509Certificate(readFileSync(certPath));
    expect(cert.subjectAltName).toBe('DNS:mail.example.test, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkHost('mail.example.test')).toBe('mail.example.test');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.ca).toBe(false);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(first.log()).toContain('made a self-signed TLS certificate');
    await first.running.close();
    cleanups.pop();

    const second = await start(config, { imap: fakeFactory() });
    expect(new X509Certificate(readFileSync(certPath)).fingerprint256).toBe(cert.fingerprint256);
    expect(second.log()).not.toContain('self-signed');
  });

  it('remakes its certificate when the hostname changes', async () => {
    const dir = tempDir();
    const [port = 0] = await freePorts(1);
    const a = await start(configIn(dir, `hostname = "a.example.test"\ndata_dir = "data"\n[listen]\nimap = "127.0.0.1:${port}"\n`), { imap: fakeFactory() });
    await a.running.close();
    cleanups.pop();
    await start(configIn(dir, `hostname = "b.example.test"\ndata_dir = "data"\n[listen]\nimap = "127.0.0.1:${port}"\n`), { imap: fakeFactory() });
    const cert = new X509Certificate(readFileSync(join(dir, 'data', 'tls', 'cert.pem')));
    expect(cert.checkHost('b.example.test')).toBe('b.example.test');
  });

  it('uses the configured certificate and key, and says clearly when they are missing', async () => {
    const dir = tempDir();
    const [port = 0] = await freePorts(1);
    const made = await import('../../src/cli/tls.js').then((m) => m.makeSelfSigned('own.example.test'));
    writeFileSync(join(dir, 'c.pem'), made.cert);
    writeFileSync(join(dir, 'k.pem'), made.key);
    const base = `data_dir = "data"\n[listen]\nimap = "127.0.0.1:${port}"\n`;
    await start(configIn(dir, base + '[tls]\ncert = "c.pem"\nkey = "k.pem"\n'), { imap: fakeFactory() });
    expect(existsSync(join(dir, 'data', 'tls'))).toBe(false);
    await expect(startServer(configIn(dir, base + '[tls]\ncert = "nope.pem"\nkey = "k.pem"\n'), { logger: createLogger('error', {}, () => undefined), factories: {} }))
      .rejects.toThrow(`cannot read tls.cert = "${join(dir, 'nope.pem')}": no such file`);
  });

  it('creates postmaster@hostname with a password shown once, which logs in', async () => {
    const srv = await startServerInProcess({ users: [], hostname: 'mail.example.test', listeners: ['imap'], factories: { imap: fakeFactory() } });
    cleanups.push(() => srv.stop());
    expect(srv.postmaster?.address).toBe('postmaster@mail.example.test');
    const password = srv.postmaster?.password ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(srv.stdout()).toContain(`npx roost --config ${srv.configPath} user add you@example.com`);
    // Never in the log.
    expect(srv.stderr()).not.toContain(password);
    const auth = new Authenticator(srv.running.store);
    expect((await auth.login('postmaster@mail.example.test', password, '127.0.0.1')).ok).toBe(true);
    expect((await auth.login('postmaster@mail.example.test', 'wrong', '127.0.0.1')).ok).toBe(false);

    // A second start of the same data folder does not make another account or show a password.
    await srv.running.close();
    const config = parseConfig(readFileSync(srv.configPath, 'utf8'), { baseDir: srv.dir, source: srv.configPath });
    const again = await start(config, { imap: fakeFactory() });
    expect(again.printed()).toBe('');
    expect((await again.running.store.listAccounts()).map((a) => a.address)).toEqual(['postmaster@mail.example.test']);
    cleanups.pop();
    await again.running.close();
    cleanups.push(() => rmSync(srv.dir, { recursive: true, force: true }));
  });

  it('does not make postmaster when accounts exist', async () => {
    const srv = await startServerInProcess({ listeners: ['imap'], factories: { imap: fakeFactory() } });
    cleanups.push(() => srv.stop());
    expect(srv.postmaster).toBeNull();
    expect(srv.stdout()).toBe('');
  });
});

describe('serve, listeners', () => {
  it('starts each configured listener with its TLS mode and skips protocols not built', async () => {
    const calls: { host: string; port: number; tls: TlsMode }[] = [];
    const factory = fakeFactory(calls);
    const srv = await startServerInProcess({ listeners: ['imap', 'imaps', 'smtp', 'pop3s'], factories: { imap: factory, imaps: factory } });
    cleanups.push(() => srv.stop());
    expect(Object.keys(srv.ports).sort()).toEqual(['imap', 'imaps']);
    expect(calls.map((c) => c.tls).sort()).toEqual(['implicit', 'starttls']);
    expect(await greeting(srv.ports.imap ?? 0)).toBe('* OK fake\r\n');
    expect(srv.stderr()).toMatch(/info smtp on 127\.0\.0\.1:\d+ not available yet in this version/);
    expect(srv.stderr()).toMatch(/info pop3s on 127\.0\.0\.1:\d+ not available yet in this version/);
    expect(srv.stderr()).toMatch(/info ready .*listeners="imap,imaps"/);
  });

  it('names the config key when a port is in use, and keeps the other listeners', async () => {
    const dir = tempDir();
    const [busy = 0, free = 0] = await freePorts(2);
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(busy, '127.0.0.1', ok));
    cleanups.push(() => new Promise<void>((ok) => blocker.close(() => ok())));
    const config = configIn(dir, `data_dir = "data"\n[listen]\nimap = "127.0.0.1:${busy}"\nimaps = "127.0.0.1:${free}"\n`);
    const s = await start(config, { imap: fakeFactory(), imaps: fakeFactory() });
    expect(s.running.listeners.map((l) => l.name)).toEqual(['imaps']);
    expect(s.log()).toContain(`error cannot bind imap on 127.0.0.1:${busy}: address already in use`);
    expect(s.log()).toContain(`set [listen] imap = "host:port" to a free port in ${join(dir, 'roost.toml')}`);
  });

  it('explains permission denied with the key and a suggested port', () => {
    const msg = bindErrorMessage('imap', { host: '0.0.0.0', port: 143 }, Object.assign(new Error('x'), { code: 'EACCES' }), '/etc/roost.toml');
    expect(msg).toBe('cannot bind imap on 0.0.0.0:143: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE); '
      + 'set [listen] imap = "0.0.0.0:1143" in /etc/roost.toml');
    const v6 = bindErrorMessage('imaps', { host: '::', port: 993 }, Object.assign(new Error('x'), { code: 'EACCES' }), null);
    expect(v6).toContain('set [listen] imaps = "[::]:1993" in roost.toml');
  });

  it('fails when no listener could start, and closes the store', async () => {
    const dir = tempDir();
    const [port = 0] = await freePorts(1);
    const config = configIn(dir, `data_dir = "data"\n[listen]\nimap = "127.0.0.1:${port}"\n`);
    let log = '';
    await expect(startServer(config, { logger: createLogger('info', {}, (l) => (log += l)), print: () => undefined, factories: { imap: failingFactory('EACCES') } }))
      .rejects.toThrow('no listener could start');
    expect(log).toContain('cannot bind imap');
    // The store was closed: it opens again at once.
    const store = openStore(config);
    await store.close();
  });

  it('falls back to IPv4 when "::" is not available', async () => {
    const dir = tempDir();
    const [port = 0] = await freePorts(1);
    const calls: string[] = [];
    const fallback: ServerFactory = () => {
      const inner = fakeFactory()(undefined as never);
      return {
        listen: (host, p, tls) => {
          calls.push(host);
          if (host === '::') return Promise.reject(Object.assign(new Error('no v6'), { code: 'EAFNOSUPPORT' }));
          return inner.listen('127.0.0.1', p, tls);
        },
        close: () => inner.close(),
      };
    };
    const s = await start(configIn(dir, `data_dir = "data"\n[listen]\nimap = "*:${port}"\n`), { imap: fallback });
    expect(calls).toEqual(['::', '0.0.0.0']);
    expect(s.log()).toContain(`listening listener=imap address=0.0.0.0:${port}`);
  });

  it('refuses a postgres store clearly', async () => {
    const dir = tempDir();
    const config = configIn(dir, '[store]\nurl = "postgres://db/roost"\n[listen]\n');
    await expect(startServer(config, { logger: createLogger('error', {}, () => undefined), factories: {} }))
      .rejects.toThrow('the PostgreSQL store is not available yet in this version');
  });
});

const imapBuilt = existsSync(join(ROOT, 'dist', 'protocols', 'imap', 'server.js'));

describe('serve, the binary', () => {
  it.skipIf(imapBuilt)('without any protocol server built, explains and exits 1 after the first-start setup', async () => {
    const dir = tempDir();
    const [port = 0] = await freePorts(1);
    writeFileSync(join(dir, 'roost.toml'), `hostname = "localhost"\ndata_dir = "data"\n[listen]\nimap = "127.0.0.1:${port}"\n`);
    const r = await runCli(['--config', join(dir, 'roost.toml'), 'serve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not available yet in this version');
    expect(r.stderr).toContain('roost: no listener could start');
    expect(r.stdout).toContain('user:     postmaster@localhost');
    expect(existsSync(join(dir, 'data', 'tls', 'cert.pem'))).toBe(true);
  });

  it.skipIf(!imapBuilt)('starts, prints the postmaster password once, and stops cleanly on SIGTERM', async () => {
    const srv = await startBinary({ users: [], listeners: ['imap', 'imaps', 'smtp', 'http'] });
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : srv.stop()));
    expect(srv.ports.imap).toBeGreaterThan(0);
    expect(srv.ports.imaps).toBeGreaterThan(0);
    expect(srv.postmaster?.address).toBe('postmaster@localhost');
    expect(srv.ports.smtp).toBeGreaterThan(0);
    // A protocol this build does not have yet is named and skipped; the others run.
    expect(srv.stderr()).toContain('http on 127.0.0.1:');
    const store = openStore(parseConfig(readFileSync(srv.configPath, 'utf8'), { baseDir: srv.dir, source: srv.configPath }));
    try {
      const r = await new Authenticator(store).login('postmaster@localhost', srv.postmaster?.password ?? '', '127.0.0.1');
      expect(r.ok).toBe(true);
    } finally {
      await store.close();
    }
    await srv.stop();
    stopped = true;
    expect(srv.stderr()).toContain('info stopped');
  });

  it.skipIf(!imapBuilt)('a port already in use gives the clear message naming the key', async () => {
    const dir = tempDir();
    const [busy = 0, free = 0] = await freePorts(2);
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(busy, '127.0.0.1', ok));
    cleanups.push(() => new Promise<void>((ok) => blocker.close(() => ok())));
    writeFileSync(join(dir, 'roost.toml'), `data_dir = "data"\n[listen]\nimap = "127.0.0.1:${busy}"\nimaps = "127.0.0.1:${free}"\n`);
    // Only imap is configured on a busy port, so the server exits 1 after saying why.
    writeFileSync(join(dir, 'only.toml'), `data_dir = "data"\n[listen]\nimap = "127.0.0.1:${busy}"\n`);
    const r = await runCli(['--config', join(dir, 'only.toml'), 'serve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot bind imap on 127.0.0.1:${busy}: address already in use`);
    expect(r.stderr).toContain('set [listen] imap');
  });
});
