// A deliberately small raw-socket IMAP client for load generation.
//
// It frames server responses and nothing more: a response is one line, or a line ending in a
// literal announcement {N} followed by N bytes and more of the same line. Literal bytes are
// counted and skipped without being copied or decoded, so a 20 KB BODY[] costs almost nothing.
// Only the first line of each response is decoded (latin1) and handed to the caller. That is
// enough for the benchmarks: tagged status, EXISTS/EXPUNGE counts, SEARCH results, counting
// FETCH responses.
import net from 'node:net';
import tls from 'node:tls';
import { Buffer } from 'node:buffer';
// Timers imported explicitly: the lint config declares no timer globals for .js files.
import { setTimeout as setTimeoutRef, clearTimeout as clearTimeoutRef } from 'node:timers';

const LF = 10;
const CR = 13;
const RBRACE = 0x7d;
const LBRACE = 0x7b;

export class ImapError extends Error {
  constructor(message, response) {
    super(message);
    this.response = response;
  }
}

/** Quotes a string as an IMAP quoted string. */
export function quote(s) {
  return `"${String(s).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export class ImapConn {
  /**
   * @param {{host: string, port: number, tls?: boolean, timeoutMs?: number}} opts
   * @returns {Promise<ImapConn>} connected, greeting read
   */
  static async connect(opts) {
    const conn = new ImapConn(opts);
    await conn.ready;
    return conn;
  }

  constructor({ host, port, tls: useTls = false, timeoutMs = 120000 }) {
    this.tagSeq = 0;
    this.pending = new Map(); // tag -> {resolve, reject}
    this.partial = null; // bytes of an incomplete line
    this.skip = 0; // literal bytes still to skip
    this.firstLine = null; // first line of a response whose literal is being read
    this.literalBytes = 0; // total literal bytes received (for sanity checks)
    this.onUntagged = null; // (line: string) => void, set by callers
    this.contWaiter = null; // resolver for the next '+' continuation
    this.caps = new Set();
    this.closed = false;
    this.closeError = null;

    let greetResolve;
    let greetReject;
    this.ready = new Promise((res, rej) => {
      greetResolve = res;
      greetReject = rej;
    });
    this.greetResolve = greetResolve;
    this.greetReject = greetReject;

    const sock = useTls
      ? tls.connect({ host, port, rejectUnauthorized: false, servername: 'localhost' })
      : net.connect({ host, port });
    sock.setNoDelay(true);
    if (timeoutMs > 0) sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`IMAP timeout after ${timeoutMs} ms`)));
    sock.on('data', (chunk) => this.onData(chunk));
    sock.on('error', (err) => {
      this.closeError = err;
    });
    sock.on('close', () => this.onClose());
    this.sock = sock;
  }

  /** Disables (0) or changes the inactivity timeout, e.g. for IDLE. */
  setTimeout(ms) {
    this.sock.setTimeout(ms);
  }

  onClose() {
    this.closed = true;
    const err = this.closeError ?? new Error('connection closed');
    this.greetReject(err);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (this.contWaiter) this.contWaiter.reject(err);
    this.contWaiter = null;
  }

  onData(chunk) {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, len - pos);
        this.skip -= n;
        this.literalBytes += n;
        pos += n;
        continue;
      }
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) {
        const rest = chunk.subarray(pos);
        this.partial = this.partial ? Buffer.concat([this.partial, rest]) : rest;
        return;
      }
      let line = chunk.subarray(pos, nl + 1);
      pos = nl + 1;
      if (this.partial) {
        line = Buffer.concat([this.partial, line]);
        this.partial = null;
      }
      this.onLine(line);
    }
  }

  onLine(buf) {
    let end = buf.length - 1; // index of LF
    if (end > 0 && buf[end - 1] === CR) end--;
    // A literal announcement "{123}" (or "~{123}" for literal8) at the end of the line.
    if (end > 2 && buf[end - 1] === RBRACE) {
      let i = end - 2;
      let n = 0;
      let mul = 1;
      while (i >= 0 && buf[i] >= 0x30 && buf[i] <= 0x39) {
        n += (buf[i] - 0x30) * mul;
        mul *= 10;
        i--;
      }
      if (i >= 0 && buf[i] === LBRACE && mul > 1) {
        if (this.firstLine === null) this.firstLine = buf.toString('latin1', 0, end);
        this.skip = n;
        return;
      }
    }
    if (this.firstLine !== null) {
      const first = this.firstLine;
      this.firstLine = null;
      this.dispatch(first);
    } else {
      this.dispatch(buf.toString('latin1', 0, end));
    }
  }

  dispatch(line) {
    const c = line.charCodeAt(0);
    if (c === 42 /* '*' */) {
      if (this.greetResolve) {
        // The greeting.
        const resolve = this.greetResolve;
        this.greetResolve = null;
        this.parseCaps(line);
        if (line.startsWith('* BYE')) this.greetReject(new ImapError(`server said: ${line}`, line));
        else resolve(line);
        return;
      }
      if (line.startsWith('* CAPABILITY ')) this.setCaps(line.slice(13));
      if (this.onUntagged) this.onUntagged(line);
      return;
    }
    if (c === 43 /* '+' */) {
      const w = this.contWaiter;
      this.contWaiter = null;
      if (w) w.resolve(line);
      return;
    }
    const sp = line.indexOf(' ');
    const tag = line.slice(0, sp);
    const p = this.pending.get(tag);
    if (!p) return; // e.g. an unexpected tagged response; ignore
    this.pending.delete(tag);
    const sp2 = line.indexOf(' ', sp + 1);
    const status = (sp2 < 0 ? line.slice(sp + 1) : line.slice(sp + 1, sp2)).toUpperCase();
    if (status === 'OK' && line.includes('[CAPABILITY ')) this.parseCaps(line);
    p.resolve({ status, line });
  }

  parseCaps(line) {
    const i = line.indexOf('[CAPABILITY ');
    if (i < 0) return;
    const j = line.indexOf(']', i);
    this.setCaps(line.slice(i + 12, j < 0 ? undefined : j));
  }

  setCaps(text) {
    this.caps = new Set(text.toUpperCase().split(' '));
  }

  get literalPlus() {
    return this.caps.has('LITERAL+');
  }

  nextTag() {
    this.tagSeq++;
    return `a${this.tagSeq}`;
  }

  /** Sends one command line (no literals) and resolves with {status, line} of its tagged reply. */
  send(command) {
    if (this.closed) return Promise.reject(this.closeError ?? new Error('connection closed'));
    const tag = this.nextTag();
    const p = new Promise((resolve, reject) => this.pending.set(tag, { resolve, reject }));
    this.sock.write(`${tag} ${command}\r\n`);
    return p;
  }

  /** Like send(), but rejects unless the reply is OK. */
  async ok(command) {
    const r = await this.send(command);
    if (r.status !== 'OK') throw new ImapError(`${command.split(' ')[0]} failed: ${r.line}`, r.line);
    return r;
  }

  /**
   * APPEND with the message as a literal. Uses a non-synchronizing literal when the server
   * announced LITERAL+, else waits for the continuation. Resolves with the tagged reply.
   */
  append(mailbox, flags, message) {
    if (this.closed) return Promise.reject(this.closeError ?? new Error('connection closed'));
    const tag = this.nextTag();
    const done = new Promise((resolve, reject) => this.pending.set(tag, { resolve, reject }));
    const flagPart = flags ? ` (${flags})` : '';
    if (this.literalPlus) {
      this.sock.cork();
      this.sock.write(`${tag} APPEND ${mailbox}${flagPart} {${message.length}+}\r\n`);
      this.sock.write(message);
      this.sock.write('\r\n');
      this.sock.uncork();
      return done;
    }
    const cont = new Promise((resolve, reject) => {
      this.contWaiter = { resolve, reject };
    });
    this.sock.write(`${tag} APPEND ${mailbox}${flagPart} {${message.length}}\r\n`);
    return Promise.race([
      done,
      cont.then(() => {
        this.sock.cork();
        this.sock.write(message);
        this.sock.write('\r\n');
        this.sock.uncork();
        return done;
      }),
    ]);
  }

  async login(user, pass) {
    await this.ok(`LOGIN ${quote(user)} ${quote(pass)}`);
    if (this.caps.size === 0 || !this.caps.has('IMAP4REV1')) await this.ok('CAPABILITY');
  }

  /**
   * Sends IDLE and resolves once the server has sent its continuation, with `{ done }`:
   * a promise of the tagged reply, which comes after idleDone().
   */
  async idle() {
    const tag = this.nextTag();
    const done = new Promise((resolve, reject) => this.pending.set(tag, { resolve, reject }));
    const cont = new Promise((resolve, reject) => {
      this.contWaiter = { resolve, reject };
    });
    this.sock.write(`${tag} IDLE\r\n`);
    const first = await Promise.race([cont, done]);
    if (typeof first === 'object') throw new ImapError(`IDLE refused: ${first.line}`, first.line);
    return { done };
  }

  idleDone() {
    this.sock.write('DONE\r\n');
  }

  /** Polite close: LOGOUT, then wait for the server to close (bounded). */
  async logout() {
    if (this.closed) return;
    const closed = new Promise((resolve) => this.sock.once('close', resolve));
    this.send('LOGOUT').catch(() => {});
    const t = setTimeoutRef(() => this.sock.destroy(), 5000);
    await closed;
    clearTimeoutRef(t);
  }

  destroy() {
    this.sock.destroy();
  }
}
