// Workload (e): a POP3 download of a big INBOX (default 10,000 messages, ~24 MB).
//
// The INBOX is filled through IMAP APPEND (pipelined; not part of the figure). Then `runs`
// times, one client: USER/PASS, LIST, UIDL, RETR 1..N one at a time (each RETR waits for
// the previous reply, as download clients do), QUIT without DELE. LIST, UIDL and the whole
// RETR sequence are timed separately; the median over runs is reported and the first run
// separately (a server may compute sizes and UIDLs on first access).
import { Pop3Conn } from '../lib/pop3.js';
import { appendMessages } from '../lib/populate.js';
import { median, nowMs } from '../lib/util.js';

export const POP_USER = { name: 'pop@bench.test', pass: 'pw-pop' };
// Sizes chosen so that 10,000 messages are about 24 MB (average ~2.4 KB).
const SIZES = { minSize: 1300, maxSize: 4300 };

export function pop3Users() {
  return [POP_USER];
}

export async function preparePop3(target, { messages = 10000 } = {}) {
  const r = await appendMessages(target, POP_USER, messages, { seed: 909, depth: 16, sizes: SIZES, flags: () => '' });
  return { messages, bytes: r.bytes, seconds: r.ms / 1000 };
}

export async function runPop3(target, { messages = 10000, runs = 3, tls = false, log = () => {} } = {}) {
  const t = { list: [], uidl: [], retr: [] };
  let retrBytes = 0;
  for (let run = 0; run < runs; run++) {
    const c = await Pop3Conn.connect({ host: target.host, port: tls ? target.ports.pop3s : target.ports.pop3, tls });
    await c.login(POP_USER.name, POP_USER.pass);
    let t0 = nowMs();
    const list = await c.multi('LIST', true);
    t.list.push(nowMs() - t0);
    if (list.lines.length !== messages) throw new Error(`LIST: ${list.lines.length} lines, expected ${messages}`);
    t0 = nowMs();
    const uidl = await c.multi('UIDL', true);
    t.uidl.push(nowMs() - t0);
    if (uidl.lines.length !== messages) throw new Error(`UIDL: ${uidl.lines.length} lines, expected ${messages}`);
    t0 = nowMs();
    let bytes = 0;
    for (let i = 1; i <= messages; i++) bytes += (await c.multi(`RETR ${i}`)).bytes;
    t.retr.push(nowMs() - t0);
    retrBytes = bytes;
    await c.quit();
    log(`  run ${run + 1}: LIST ${t.list[run].toFixed(1)} ms, UIDL ${t.uidl[run].toFixed(1)} ms, RETR all ${(t.retr[run] / 1000).toFixed(2)} s (${(bytes / 1e6).toFixed(1)} MB)`);
  }
  const m = (v) => ({ medianMs: median(v), firstMs: v[0], allMs: v });
  const retr = m(t.retr);
  return {
    messages,
    bytes: retrBytes,
    list: m(t.list),
    uidl: m(t.uidl),
    retr,
    retrMsgPerSec: (messages * 1000) / retr.medianMs,
    retrMBPerSec: retrBytes / 1e6 / (retr.medianMs / 1000),
  };
}
