/**
 * End to end: COMPRESS=DEFLATE (RFC 4978) with a real raw-DEFLATE client (Python imaplib over a zlib
 * wrapper, plain and TLS; a raw client pipelining compressed bytes behind the command), and
 * UNAUTHENTICATE (RFC 8437) followed by a login as another user on the same (TLS) connection.
 * imapflow's own COMPRESS is exercised by imap-messages.test.ts.
 */
import { connect } from 'node:net';
import { constants as zc, deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ChildServer } from '../helpers/server.js';
import { address, appendCommand, code, existsIn, PASSWORD, raw as rawAt, send, testUsers } from './imap-messages-support.js';
import { CORPUS_DIR, PY_PRELUDE, pyLines, runPython, simpleMessage } from './imap-support.js';

let srv: ChildServer;

beforeAll(async () => {
  srv = await startServer({ users: testUsers(['zip', 'ziptls', 'zipraw', 'first', 'second']), listeners: ['imap', 'imaps'] });
});

afterAll(async () => {
  await srv?.stop();
});

/** imaplib with RFC 4978 DEFLATE: raw deflate (wbits -15), every command sync-flushed; counts compressed bytes read. */
const PY_ZIP = `${PY_PRELUDE}
import zlib
imaplib.Commands['COMPRESS'] = ('AUTH', 'SELECTED')
imaplib.Commands['UNAUTHENTICATE'] = ('AUTH', 'SELECTED')
class Deflating:
    _z = None
    wire = 0
    def start_compression(self):
        self._z = zlib.compressobj(6, zlib.DEFLATED, -15)
        self._u = zlib.decompressobj(-15)
        self._buf = b''
    def send(self, data):
        if self._z is not None:
            data = self._z.compress(data) + self._z.flush(zlib.Z_SYNC_FLUSH)
        self.sock.sendall(data)
    def _more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise self.abort('connection closed')
        self.wire += len(chunk)
        self._buf += self._u.decompress(chunk)
    def read(self, size):
        if self._z is None:
            return super().read(size)
        while len(self._buf) < size:
            self._more()
        d, self._buf = self._buf[:size], self._buf[size:]
        return d
    def readline(self):
        if self._z is None:
            return super().readline()
        while b'\\n' not in self._buf:
            self._more()
        i = self._buf.index(b'\\n') + 1
        d, self._buf = self._buf[:i], self._buf[i:]
        return d
class Z(Deflating, imaplib.IMAP4): pass
class ZS(Deflating, imaplib.IMAP4_SSL): pass
`;

describe('COMPRESS=DEFLATE', () => {
  it('compresses both ways for imaplib: commands, literals and a large FETCH arrive intact', async () => {
    const out = await runPython(`${PY_ZIP}
M = Z('127.0.0.1', A['port'])
M.login(A['user'], A['pw'])
typ, dat = M.capability()
out(step='caps-before', caps=dat[0])
typ, dat = M._simple_command('COMPRESS', 'DEFLATE')
out(step='compress', typ=typ, dat=dat)
M.start_compression()
typ, dat = M.capability()
out(step='caps-after', caps=dat[0])
typ, dat = M._simple_command('COMPRESS', 'DEFLATE')
out(step='again', typ=typ, dat=dat)
# imaplib's append() turns bare LF into CRLF: compare with what it sent.
msg = imaplib.MapCRLF.sub(imaplib.CRLF, open(A['file'], 'rb').read())
typ, dat = M.append('INBOX', None, None, msg)
out(step='append', typ=typ, dat=dat)
M.select('INBOX')
before = M.wire
typ, dat = M.fetch('1', '(BODY.PEEK[])')
out(step='fetch', typ=typ, same=dat[0][1] == msg, size=len(msg), wire=M.wire - before)
try:
    typ, dat = M._simple_command('UNAUTHENTICATE')
    out(step='unauth', typ=typ, dat=dat)
except imaplib.IMAP4.error as e:
    out(step='unauth', typ='BAD', dat=str(e))
typ, dat = M.noop()
out(step='noop', typ=typ)
typ, dat = M.logout()
out(step='logout', typ=typ, dat=dat)
`, { port: srv.ports.imap, user: address('zip'), pw: PASSWORD, file: `${CORPUS_DIR}/stack-overflow.txt` });
    const steps = Object.fromEntries(pyLines(out).map((l) => [String(l.step), l]));
    expect(String(steps['caps-before']!.caps)).toMatch(/ COMPRESS=DEFLATE/);
    expect(steps.compress).toMatchObject({ typ: 'OK' });
    expect(String(steps['caps-after']!.caps)).not.toMatch(/COMPRESS=DEFLATE|UNAUTHENTICATE/);
    expect(String(steps['caps-after']!.caps)).toMatch(/ MOVE /);
    expect(steps.again).toMatchObject({ typ: 'NO' });
    expect(JSON.stringify(steps.again!.dat)).toContain('[COMPRESSIONACTIVE]');
    expect(steps.append).toMatchObject({ typ: 'OK' });
    expect(steps.fetch).toMatchObject({ typ: 'OK', same: true });
    // The 135 KB message came over the wire in far fewer bytes: compression is real.
    expect(Number(steps.fetch!.wire)).toBeLessThan(Number(steps.fetch!.size) / 2);
    // UNAUTHENTICATE is not announced while compressing, so it is BAD (RFC 8437 §3); the session goes on.
    expect(steps.unauth).toMatchObject({ typ: 'BAD' });
    expect(steps.noop).toMatchObject({ typ: 'OK' });
    expect(steps.logout).toMatchObject({ typ: 'BYE' });
  });

  it('works inside TLS (imaps): DEFLATE under the TLS layer', async () => {
    const out = await runPython(`${PY_ZIP}
M = ZS('127.0.0.1', A['port'], ssl_context=unverified())
M.login(A['user'], A['pw'])
typ, dat = M._simple_command('COMPRESS', 'DEFLATE')
M.start_compression()
msg = b'From: z@example.com\\r\\nSubject: tls+deflate\\r\\n\\r\\n' + b'hello deflate\\r\\n' * 2000
typ, dat = M.append('Archive', r'(\\Seen)', None, msg)
M.select('Archive')
typ, dat = M.fetch('1', '(FLAGS BODY.PEEK[])')
out(typ=typ, same=dat[0][1] == msg, meta=dat[0][0], tls=M.sock.version(), wire=M.wire, size=len(msg))
M.logout()
`, { port: srv.ports.imaps, user: address('ziptls'), pw: PASSWORD });
    const [r] = pyLines(out);
    expect(r).toMatchObject({ typ: 'OK', same: true });
    expect(String(r!.meta)).toContain('FLAGS (\\Seen)');
    expect(String(r!.tls)).toMatch(/^TLSv1\.[23]$/);
    expect(Number(r!.wire)).toBeLessThan(Number(r!.size) / 4);
  });

  it('inflates compressed bytes that arrived in the same packet as COMPRESS; refuses unknown mechanisms', async () => {
    const c = await rawAt(srv.ports.imap!, 'zipraw');
    expect((await send(c, 'COMPRESS LZW')).status).toMatch(/^BAD /);
    c.close();
    // A socket of our own: after the OK everything is deflate, which the line-based raw client cannot read.
    const sock = connect({ host: '127.0.0.1', port: srv.ports.imap! });
    const received: Buffer[] = [];
    sock.on('data', (d: Buffer) => received.push(d));
    const waitFor = async (pred: () => boolean): Promise<void> => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const text = (): string => Buffer.concat(received).toString('latin1');
    await waitFor(() => text().includes('\r\n'));
    sock.write(`l LOGIN ${address('zipraw')} ${PASSWORD}\r\n`);
    await waitFor(() => text().includes('l OK'));
    received.length = 0;
    const tail = deflateRawSync(Buffer.from('n NOOP\r\nc CAPABILITY\r\n'), { finishFlush: zc.Z_SYNC_FLUSH });
    sock.write(Buffer.concat([Buffer.from('z COMPRESS DEFLATE\r\n'), tail]));
    await waitFor(() => {
      const all = Buffer.concat(received);
      const ok = all.indexOf('z OK DEFLATE active\r\n');
      if (ok < 0) return false;
      try {
        return inflateRawSync(all.subarray(ok + 'z OK DEFLATE active\r\n'.length), { finishFlush: zc.Z_SYNC_FLUSH }).includes('c OK');
      } catch {
        return false;
      }
    });
    const all = Buffer.concat(received);
    const ok = all.indexOf('z OK DEFLATE active\r\n');
    expect(ok).toBe(0);
    const answers = inflateRawSync(all.subarray(ok + 'z OK DEFLATE active\r\n'.length), { finishFlush: zc.Z_SYNC_FLUSH }).toString('latin1');
    expect(answers).toMatch(/^n OK [^\r]*\r\n\* CAPABILITY [^\r]*\r\nc OK /);
    expect(answers).not.toContain('COMPRESS=DEFLATE');
    sock.destroy();
  });
});

describe('UNAUTHENTICATE', () => {
  it('returns to not-authenticated on the same TLS connection; the next user sees only their own mail (imaplib)', async () => {
    const first = await rawAt(srv.ports.imap!, 'first');
    await send(first, appendCommand('INBOX', [{ data: simpleMessage('first-private') }, { data: simpleMessage('first-two') }]));
    first.close();
    const out = await runPython(`${PY_PRELUDE}
imaplib.Commands['UNAUTHENTICATE'] = ('AUTH', 'SELECTED')
imaplib.Commands['ENABLE'] = ('AUTH', 'SELECTED')
M = imaplib.IMAP4_SSL('127.0.0.1', A['port'], ssl_context=unverified())
M.login(A['first'], A['pw'])
typ, dat = M.select('INBOX')
out(step='select1', typ=typ, exists=dat[0])
typ, dat = M._simple_command('ENABLE', 'CONDSTORE')
out(step='enable1', typ=typ, enabled=M.untagged_responses.pop('ENABLED', None))
typ, dat = M._simple_command('UNAUTHENTICATE')
out(step='unauth', typ=typ, dat=dat)
M.state = 'NONAUTH'
typ, dat = M.capability()
out(step='caps', caps=dat[0])
M.login(A['second'], A['pw'])
typ, dat = M.select('INBOX')
out(step='select2', typ=typ, exists=dat[0])
typ, dat = M._simple_command('ENABLE', 'CONDSTORE')
out(step='enable2', typ=typ, enabled=M.untagged_responses.pop('ENABLED', None))
out(step='tls', version=M.sock.version())
M.logout()
`, { port: srv.ports.imaps, first: address('first'), second: address('second'), pw: PASSWORD });
    const steps = Object.fromEntries(pyLines(out).map((l) => [String(l.step), l]));
    expect(steps.select1).toMatchObject({ typ: 'OK', exists: '2' });
    expect(steps.unauth).toMatchObject({ typ: 'OK' });
    expect(String(steps.caps!.caps)).toMatch(/AUTH=PLAIN/);
    expect(String(steps.caps!.caps)).not.toMatch(/\bMOVE\b|\bUIDPLUS\b|UNAUTHENTICATE/);
    expect(steps.select2).toMatchObject({ typ: 'OK', exists: '0' });
    // ENABLE state was reset (RFC 8437 §4.1): CONDSTORE is newly enabled for the second user.
    expect(JSON.stringify(steps.enable2!.enabled)).toContain('CONDSTORE');
    expect(String(steps.tls!.version)).toMatch(/^TLSv1\.[23]$/);
  });

  it('pipelined UNAUTHENTICATE + LOGIN works; nothing of the first user follows the session', async () => {
    const port = srv.ports.imap!;
    const c = await rawAt(port, 'first');
    const other = await rawAt(port, 'first');
    try {
      expect(existsIn((await send(c, 'SELECT INBOX')).untagged)).toBe(2);
      const t1 = c.nextTag();
      const t2 = c.nextTag();
      const t3 = c.nextTag();
      c.write(`${t1} UNAUTHENTICATE\r\n${t2} LOGIN ${address('second')} ${PASSWORD}\r\n${t3} SELECT INBOX\r\n`);
      const r1 = await c.result(t1);
      expect(r1.status).toMatch(/^OK \[CAPABILITY /);
      expect(code(r1.status)).not.toMatch(/ MOVE /);
      expect((await c.result(t2)).status).toMatch(/^OK /);
      expect(existsIn((await c.result(t3)).untagged)).toBe(0);
      // The first user's mailbox changes; the session now belongs to the second user and hears nothing.
      await send(other, appendCommand('INBOX', [{ data: simpleMessage('first-three') }]));
      expect((await send(c, 'NOOP')).untagged).toEqual([]);
      expect((await send(c, 'FETCH 1:* (UID)')).untagged).toEqual([]);
      // Back to not authenticated: mailbox commands are refused until the next login.
      await send(c, 'UNAUTHENTICATE');
      expect((await send(c, 'SELECT INBOX')).status).toMatch(/^BAD /);
      expect((await send(c, 'UNAUTHENTICATE')).status).toMatch(/^BAD /);
      await c.login(address('first'), PASSWORD);
      expect(existsIn((await send(c, 'SELECT INBOX')).untagged)).toBe(3);
    } finally {
      c.close();
      other.close();
    }
  });
});
