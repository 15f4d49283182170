// A minimal raw-socket POP3 client: single-line replies and dot-terminated multi-line replies
// (counted, not stored; only LIST/UIDL lines are kept when asked for).
import net from 'node:net';
import tls from 'node:tls';
import { Buffer } from 'node:buffer';

const TERMINATOR = Buffer.from('\r\n.\r\n');

export class Pop3Conn {
  static async connect(opts) {
    const c = new Pop3Conn(opts);
    const greeting = await c.readSingle();
    if (!greeting.startsWith('+OK')) throw new Error(`POP3 greeting: ${greeting}`);
    return c;
  }

  constructor({ host, port, tls: useTls = false, timeoutMs = 120000 }) {
    this.buf = Buffer.alloc(0);
    this.waiter = null;
    this.closed = false;
    const sock = useTls
      ? tls.connect({ host, port, rejectUnauthorized: false, servername: 'localhost' })
      : net.connect({ host, port });
    sock.setNoDelay(true);
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error('POP3 timeout')));
    sock.on('data', (d) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.pump();
    });
    sock.on('error', (e) => (this.err = e));
    sock.on('close', () => {
      this.closed = true;
      if (this.waiter) this.waiter.reject(this.err ?? new Error('POP3 connection closed'));
      this.waiter = null;
    });
    this.sock = sock;
  }

  pump() {
    const w = this.waiter;
    if (!w) return;
    if (w.multi === false || w.status === undefined) {
      const nl = this.buf.indexOf('\r\n');
      if (nl < 0) return;
      const line = this.buf.toString('latin1', 0, nl);
      this.buf = this.buf.subarray(nl + 2);
      if (!w.multi || !line.startsWith('+OK')) {
        this.waiter = null;
        w.resolve({ line, bytes: 0, lines: null });
        return;
      }
      w.status = line;
      this.buf = Buffer.concat([Buffer.from('\r\n'), this.buf]); // so an empty body ends at "\r\n.\r\n"
    }
    const end = this.buf.indexOf(TERMINATOR, w.scanFrom);
    if (end < 0) {
      w.scanFrom = Math.max(0, this.buf.length - 4);
      return;
    }
    const body = this.buf.subarray(2, end + 2); // without the leading CRLF we added, with the last CRLF
    this.buf = this.buf.subarray(end + TERMINATOR.length);
    this.waiter = null;
    w.resolve({ line: w.status, bytes: body.length, lines: w.keepLines ? body.toString('latin1').split('\r\n').filter(Boolean) : null });
  }

  request(command, multi, keepLines = false) {
    if (this.closed) return Promise.reject(this.err ?? new Error('POP3 connection closed'));
    const p = new Promise((resolve, reject) => {
      this.waiter = { resolve, reject, multi, keepLines, status: undefined, scanFrom: 0 };
    });
    if (command !== null) this.sock.write(`${command}\r\n`);
    this.pump();
    return p;
  }

  readSingle() {
    return this.request(null, false).then((r) => r.line);
  }

  async single(command) {
    const r = await this.request(command, false);
    if (!r.line.startsWith('+OK')) throw new Error(`${command.split(' ')[0]}: ${r.line}`);
    return r.line;
  }

  async multi(command, keepLines = false) {
    const r = await this.request(command, true, keepLines);
    if (!r.line.startsWith('+OK')) throw new Error(`${command.split(' ')[0]}: ${r.line}`);
    return r;
  }

  async login(user, pass) {
    await this.single(`USER ${user}`);
    await this.single(`PASS ${pass}`);
  }

  async quit() {
    try {
      await this.single('QUIT');
    } finally {
      this.sock.destroy();
    }
  }
}
