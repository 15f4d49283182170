// Workload (b): one folder with many messages (default 100,000).
//
// 1. Populate the INBOX of one user through APPEND on one connection, one APPEND at a time
//    (the next is sent when the previous is acknowledged, as a client copying mail does).
//    Throughput is reported over the whole run and per window of `window` messages, so a
//    slowdown as the folder grows shows as first window vs last window.
// 2. Then, `runs` times: on a fresh connection SELECT INBOX, UID FETCH 1:* (FLAGS),
//    FETCH 1:* (ENVELOPE), UID SEARCH SUBJECT <word in 1% of subjects>,
//    UID SEARCH HEADER Message-ID <one id>; then on another fresh connection
//    STATUS INBOX (MESSAGES UNSEEN UIDNEXT).
//    Each is timed from sending the command to its tagged OK; the median over the runs is
//    reported, and the first run separately (it fills whatever caches the server keeps).
import { ImapConn } from '../lib/imap.js';
import { appendMessages } from '../lib/populate.js';
import { RARE_SUBJECT_WORD, isRareSubject, messageId } from '../lib/messages.js';
import { median, nowMs } from '../lib/util.js';

const SEED = 4242;

export const BIG_USER = { name: 'big@bench.test', pass: 'pw-big' };

export function bigfolderUsers() {
  return [BIG_USER];
}

export async function populateBigFolder(target, { messages = 100000, window = 10000, depth = 1, log = () => {} } = {}) {
  const marks = [];
  let lastMark = 0;
  const res = await appendMessages(target, BIG_USER, messages, {
    seed: SEED,
    depth,
    onProgress: (done, ms) => {
      if (done % window === 0 || done === messages) {
        const n = done - (marks.length ? marks[marks.length - 1].done : 0);
        const rate = (n * 1000) / (ms - lastMark);
        marks.push({ done, ms, rate });
        lastMark = ms;
        log(`  appended ${done}/${messages}: ${rate.toFixed(0)} msg/s in this window`);
      }
    },
  });
  return {
    messages,
    bytes: res.bytes,
    seconds: res.ms / 1000,
    rate: (messages * 1000) / res.ms,
    windows: marks.map((m) => ({ upTo: m.done, rate: m.rate })),
    firstWindowRate: marks[0]?.rate ?? NaN,
    lastWindowRate: marks[marks.length - 1]?.rate ?? NaN,
  };
}

async function timeCommand(conn, command) {
  let untagged = 0;
  let lastSearch = '';
  conn.onUntagged = (line) => {
    untagged++;
    if (line.startsWith('* SEARCH')) lastSearch = line;
  };
  const t0 = nowMs();
  const r = await conn.send(command);
  const ms = nowMs() - t0;
  conn.onUntagged = null;
  if (r.status !== 'OK') throw new Error(`${command} failed: ${r.line}`);
  return { ms, untagged, searchHits: lastSearch ? lastSearch.split(' ').length - 2 : 0 };
}

export async function queryBigFolder(target, { messages = 100000, runs = 5, log = () => {} } = {}) {
  const expectedSubject = Array.from({ length: messages }, (_, i) => i).filter(isRareSubject).length;
  const probeId = messageId(SEED, Math.floor(messages * 0.61));
  // SELECT first, on a fresh connection: nothing before it in that session has opened the
  // mailbox. STATUS gets a fresh connection of its own (STATUS before SELECT in one session
  // would open the mailbox and leave SELECT next to nothing to do).
  const sessions = [
    {
      select: 'SELECT INBOX',
      fetchFlags: 'UID FETCH 1:* (FLAGS)',
      fetchEnvelope: 'FETCH 1:* (ENVELOPE)',
      searchSubject: `UID SEARCH SUBJECT ${RARE_SUBJECT_WORD}`,
      searchMessageId: `UID SEARCH HEADER Message-ID "<${probeId}>"`,
    },
    { status: 'STATUS INBOX (MESSAGES UNSEEN UIDNEXT)' },
  ];
  const keys = ['select', 'status', 'fetchFlags', 'fetchEnvelope', 'searchSubject', 'searchMessageId'];
  const times = Object.fromEntries(keys.map((k) => [k, []]));
  for (let run = 0; run < runs; run++) {
    for (const commands of sessions) {
      const conn = await ImapConn.connect({ host: target.host, port: target.ports.imap, timeoutMs: 600000 });
      await conn.login(BIG_USER.name, BIG_USER.pass);
      for (const [key, cmd] of Object.entries(commands)) {
        const r = await timeCommand(conn, cmd);
        times[key].push(r.ms);
        // Sanity checks: the server really did the work.
        if (key === 'fetchFlags' || key === 'fetchEnvelope') {
          if (r.untagged < messages) throw new Error(`${cmd}: ${r.untagged} responses, expected ${messages}`);
        } else if (key === 'searchSubject' && r.searchHits !== expectedSubject) {
          throw new Error(`${cmd}: ${r.searchHits} hits, expected ${expectedSubject}`);
        } else if (key === 'searchMessageId' && r.searchHits !== 1) {
          throw new Error(`${cmd}: ${r.searchHits} hits, expected 1`);
        }
      }
      await conn.logout();
    }
    log(`  run ${run + 1}: ${keys.map((k) => `${k} ${times[k][run].toFixed(1)} ms`).join(', ')}`);
  }
  const out = {};
  for (const [k, v] of Object.entries(times)) out[k] = { medianMs: median(v), firstMs: v[0], allMs: v };
  return out;
}
