import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { LIMITS } from '../shared/limits.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig, parseConfig } from './load.js';
import { LISTENER_NAMES, STANDARD_PORTS } from './schema.js';

const opts = { baseDir: '/etc/roost', source: '/etc/roost/roost.toml', defaultHostname: 'box.example.org' };
const parse = (text: string) => parseConfig(text, opts);
const error = (text: string): string => {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('parseConfig', () => {
  it('gives defaults for an empty file', () => {
    const c = parse('');
    expect(c.hostname).toBe('box.example.org');
    expect(c.dataDir).toBe('/etc/roost/data');
    expect(c.source).toBe('/etc/roost/roost.toml');
    expect(c.tls).toBeNull();
    expect(c.store.url).toBeNull();
    expect(c.security.trustedNetworks).toEqual([]);
    expect(c.security.maxConnectionsPerIp).toBe(LIMITS.connections.perIp);
    expect(c.pop3.loginDelaySeconds).toBe(0);
    expect(c.smtp.dmarcReject).toBe('reject');
    expect(c.log.level).toBe('info');
    for (const name of LISTENER_NAMES) expect(c.listen[name]).toEqual({ host: '::', port: STANDARD_PORTS[name] });
  });

  it('reads every key', () => {
    const c = parse(`
      hostname = "Mail.Example.COM."
      data_dir = "/var/lib/roost"
      [listen]
      imap = "127.0.0.1:1143"
      imaps = "[::1]:1993"
      smtp = "*:2525"
      pop3 = ""
      [tls]
      cert = "certs/fullchain.pem"
      key = "/abs/key.pem"
      [store]
      url = "postgres://roost@db/roost"
      [security]
      trusted_networks = ["10.0.0.0/8", "fd00::/8", "192.168.1.5"]
      max_connections_per_ip = 1000
      [log]
      level = "debug"
      [pop3]
      login_delay = 900
      [smtp]
      dmarc_reject = "junk"
    `);
    expect(c.pop3.loginDelaySeconds).toBe(900);
    expect(c.smtp.dmarcReject).toBe('junk');
    expect(c.smtp.mxOverride).toEqual({});
    expect(c.smtp.smarthost).toBeNull();
    expect(c.smtp.retrySeconds).toEqual([60, 300, 900, 1800, 3600, 7200]);
    expect(c.smtp.queueLifetimeSeconds).toBe(5 * 24 * 3600);
    expect(c.hostname).toBe('mail.example.com');
    expect(c.dataDir).toBe('/var/lib/roost');
    expect(c.listen).toEqual({
      imap: { host: '127.0.0.1', port: 1143 },
      imaps: { host: '::1', port: 1993 },
      smtp: { host: '::', port: 2525 },
    });
    expect(c.tls).toEqual({ cert: '/etc/roost/certs/fullchain.pem', key: '/abs/key.pem' });
    expect(c.store.url).toBe('postgres://roost@db/roost');
    expect(c.security.trustedNetworks).toEqual(['10.0.0.0/8', 'fd00::/8', '192.168.1.5']);
    expect(c.security.maxConnectionsPerIp).toBe(1000);
    expect(c.log.level).toBe('debug');
  });

  it('turns every listener off with an empty [listen] table', () => {
    expect(parse('[listen]').listen).toEqual({});
  });

  it('resolves a relative data_dir against the config folder', () => {
    expect(parse('data_dir = "../mail"').dataDir).toBe('/etc/mail');
  });

  it.each([
    ['imap4 = "x"', 'unknown key "imap4"'],
    ['[listen]\nimap4 = ":143"', 'unknown key "listen.imap4"'],
    ['[tls]\ncrt = "a"', 'unknown key "tls.crt"'],
    ['[logging]\nlevel = "info"', 'unknown key "logging"'],
  ])('rejects unknown keys: %s', (text, msg) => {
    expect(error(text)).toContain(msg);
  });

  it.each([
    ['hostname = 5', 'hostname must be a string, not an integer (5)'],
    ['data_dir = true', 'data_dir must be a string (a folder path), not a boolean (true)'],
    ['[listen]\nimap = 143', 'listen.imap must be a string "host:port", not an integer (143)'],
    ['listen = "x"', 'listen must be a table ([listen])'],
    ['[security]\ntrusted_networks = "10.0.0.0/8"', 'security.trusted_networks must be an array of strings'],
    ['[security]\ntrusted_networks = [10]', 'security.trusted_networks[0] must be a string'],
    ['[security]\nmax_connections_per_ip = 0', 'security.max_connections_per_ip must be a positive integer'],
    ['[pop3]\nlogin_delay = -1', 'pop3.login_delay must be a whole number of 0 or more'],
    ['[pop3]\nlogin_delay = 100000', 'pop3.login_delay is in seconds and at most 86400'],
    ['[pop3]\ndelay = 5', 'delay'],
    ['[smtp]\ndmarc_reject = "bounce"', 'smtp.dmarc_reject must be "reject" or "junk", not "bounce"'],
    ['[smtp]\ndmarc_reject = true', 'smtp.dmarc_reject must be "reject" or "junk", not a boolean'],
    ['[smtp]\nmx_override = "x"', 'smtp.mx_override must be a table'],
    ['[smtp]\nmx_override = { "a.test" = "nope" }', 'smtp.mx_override."a.test" = "nope": expected "host:port"'],
    ['[smtp]\nsmarthost = { port = 587 }', 'smtp.smarthost.host is required'],
    ['[smtp]\nsmarthost = { host = "r", tls = "yes" }', 'smtp.smarthost.tls must be one of starttls, implicit, none'],
    ['[smtp]\nsmarthost = { host = "r", username = "u" }', 'username and password go together'],
    ['[smtp]\nsmarthost = { host = "r", user = "u" }', 'unknown key "smtp.smarthost.user"'],
    ['[smtp]\nretry_schedule = []', 'smtp.retry_schedule must be a non-empty array'],
    ['[smtp]\nretry_schedule = [1, 0]', 'smtp.retry_schedule[1] must be a positive whole number'],
    ['[smtp]\nqueue_lifetime = 0', 'smtp.queue_lifetime must be a positive integer'],
    ['[security]\nmax_connections_per_ip = "many"', 'security.max_connections_per_ip must be a positive integer'],
    ['[log]\nlevel = "loud"', 'log.level must be one of debug, info, warn, error'],
  ])('names the key and expected type: %s', (text, msg) => {
    const m = error(text);
    expect(m).toContain(msg);
    expect(m.startsWith('/etc/roost/roost.toml: ')).toBe(true);
  });

  it('reads the outbound delivery keys of [smtp]', () => {
    const c = parseConfig([
      '[smtp]', 'mx_override = { "B.test" = "127.0.0.1:2525", "c.test" = "[::1]:25" }',
      'smarthost = { host = "relay.example.net", username = "u", password = "p" }',
      'retry_schedule = [1, 2]', 'queue_lifetime = 30',
    ].join('\n'), { baseDir: '/etc/roost', source: '/etc/roost/roost.toml', defaultHostname: 'h' });
    expect(c.smtp.mxOverride).toEqual({ 'b.test': { host: '127.0.0.1', port: 2525 }, 'c.test': { host: '::1', port: 25 } });
    expect(c.smtp.smarthost).toEqual({ host: 'relay.example.net', port: 587, username: 'u', password: 'p', tls: 'starttls' });
    expect(c.smtp.retrySeconds).toEqual([1, 2]);
    expect(c.smtp.queueLifetimeSeconds).toBe(30);
    const implicit = parseConfig('[smtp.smarthost]\nhost = "r"\ntls = "implicit"', { baseDir: '/', source: null, defaultHostname: 'h' });
    expect(implicit.smtp.smarthost).toMatchObject({ port: 465, tls: 'implicit', username: null });
  });

  it.each([
    ['imap = "143"', 'expected "host:port"'],
    ['imap = "::1:143"', 'brackets'],
    ['imap = "0.0.0.0:99999"', 'from 1 to 65535'],
    ['imap = "0.0.0.0:0"', 'from 1 to 65535'],
    ['imap = ":143"', 'host is missing'],
    ['imap = "[nope]:143"', 'not an IPv6 address'],
    ['imap = "1.2.3.4:143"\nimaps = "1.2.3.4:143"', 'listen.imap and listen.imaps both use 1.2.3.4:143'],
  ])('rejects bad listen addresses: %s', (line, msg) => {
    expect(error(`[listen]\n${line}`)).toContain(msg);
  });

  it('rejects other errors clearly', () => {
    expect(error('[tls]\ncert = "a.pem"')).toContain('tls.cert and tls.key go together');
    expect(error('[store]\nurl = "mysql://x"')).toContain('store.url must be a postgres:// URL');
    expect(error('[security]\ntrusted_networks = ["10.0.0.0/33"]')).toContain('not a CIDR block');
    expect(error('hostname = "bad_name"')).toContain('not a valid host name');
    expect(error('hostname = "a" = "b"')).toContain('TOML syntax error at line 1');
  });
});

describe('loadConfig', () => {
  let dir = '';
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('uses built-in defaults without a file', () => {
    dir = mkdtempSync(join(tmpdir(), 'roost-config-'));
    const c = loadConfig({ cwd: dir });
    expect(c.source).toBeNull();
    expect(c.dataDir).toBe(join(dir, 'data'));
    expect(c.listen.imap).toEqual({ host: '::', port: 143 });
    expect(defaultConfig(dir)).toEqual(c);
  });

  it('reads ./roost.toml when present, and --config FILE when given', () => {
    dir = mkdtempSync(join(tmpdir(), 'roost-config-'));
    writeFileSync(join(dir, 'roost.toml'), 'data_dir = "d1"\n');
    writeFileSync(join(dir, 'other.toml'), 'data_dir = "d2"\n[listen]\n');
    expect(loadConfig({ cwd: dir }).dataDir).toBe(join(dir, 'd1'));
    const other = loadConfig({ cwd: '/', path: join(dir, 'other.toml') });
    expect(other.dataDir).toBe(join(dir, 'd2'));
    expect(other.listen).toEqual({});
  });

  it('fails clearly when --config FILE does not exist', () => {
    dir = mkdtempSync(join(tmpdir(), 'roost-config-'));
    expect(() => loadConfig({ cwd: dir, path: 'missing.toml' })).toThrow(/config file .*missing.toml does not exist/);
  });
});
