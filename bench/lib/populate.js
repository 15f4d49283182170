// Filling mailboxes through IMAP APPEND (works the same on every target).
import { ImapConn } from './imap.js';
import { makeMessage } from './messages.js';
import { nowMs, pool } from './util.js';

/**
 * Appends `count` generated messages to one user's INBOX over one connection.
 * With LITERAL+ the APPENDs are pipelined `depth` deep (no round trip per message); without
 * it every APPEND waits for its continuation, i.e. depth 1.
 * `onProgress(done, elapsedMs)` is called after every APPEND completes.
 */
export async function appendMessages(target, user, count, opts = {}) {
  const {
    seed = 1,
    first = 0,
    depth = 1,
    sizes = {},
    flags = (i) => (i % 10 < 7 ? '\\Seen' : ''),
    onProgress = null,
    tls = false,
  } = opts;
  const conn = await ImapConn.connect({ host: target.host, port: tls ? target.ports.imaps : target.ports.imap, tls });
  await conn.login(user.name, user.pass);
  const effectiveDepth = conn.literalPlus ? depth : 1;
  const t0 = nowMs();
  let done = 0;
  let failed = 0;
  let next = 0;
  let bytes = 0;
  const inflight = new Set();
  try {
    while (next < count || inflight.size > 0) {
      while (next < count && inflight.size < effectiveDepth) {
        const i = first + next++;
        const msg = makeMessage(seed, i, sizes);
        bytes += msg.length;
        const p = conn.append('INBOX', flags(i), msg).then((r) => {
          inflight.delete(p);
          if (r.status !== 'OK') {
            failed++;
            if (failed === 1) process.stderr.write(`APPEND failed: ${r.line}\n`);
          }
          done++;
          if (onProgress) onProgress(done, nowMs() - t0);
        });
        inflight.add(p);
      }
      await Promise.race(inflight);
    }
  } finally {
    await conn.logout();
  }
  if (failed > 0) throw new Error(`${failed} of ${count} APPENDs failed for ${user.name}`);
  return { count, bytes, ms: nowMs() - t0 };
}

/** Fills several users' INBOXes with `perUser` messages each, `parallel` users at a time. */
export async function populateUsers(target, users, perUser, { parallel = 4, seed = 11, depth = 8, sizes } = {}) {
  const t0 = nowMs();
  await pool(users.length, parallel, (u) =>
    appendMessages(target, users[u], perUser, { seed: seed + u, depth, sizes }),
  );
  return { messages: users.length * perUser, ms: nowMs() - t0 };
}
