/**
 * One delivery attempt of one message to the recipients it has at one domain: sign (DKIM), find the
 * hops, try them in order until one runs the transaction, then settle every row: delivered, deferred
 * with backoff (and a delay notice once), or failed with a bounce. Nothing here throws at a remote
 * server's answers; every outcome is a row state.
 */
import type { Logger } from '../../shared/logger.js';
import type { QueueRow } from '../../store/types.js';
import { ensureDkimKey, signMessage } from '../dkim.js';
import { delayNoticeDue, expired, retryDelayMs } from './backoff.js';
import { deliverToHop, type RecipientOutcome } from './client.js';
import { deferRow, failRow, type Failure, type NotifyContext } from './notify.js';
import { routeFor, type RouteOptions } from './route.js';

export interface AttemptContext extends NotifyContext {
  route: RouteOptions;
  retrySeconds: readonly number[];
  lifetimeSeconds: number;
  delayNoticeSeconds: number;
  logger: Logger;
}

/** Signs with the key of the sender's domain when it is one of ours (bounces: the host name's). */
async function signed(ctx: AttemptContext, sender: string, raw: Buffer): Promise<Buffer> {
  const domain = (sender === '' ? ctx.hostname : sender.slice(sender.lastIndexOf('@') + 1)).toLowerCase();
  if ((await ctx.store.engine.getDomain(domain)) === null) return raw;
  const key = await ensureDkimKey(ctx.store, domain);
  const result = await signMessage(raw, key);
  if (result.error !== null) ctx.logger.warn('DKIM signing failed; sending unsigned', { domain, error: result.error });
  return result.raw;
}

async function settle(ctx: AttemptContext, row: QueueRow, original: Buffer, f: Failure): Promise<void> {
  const now = ctx.now();
  if (f.permanent || expired(row.createdAt, now, ctx.lifetimeSeconds)) {
    const text = f.permanent ? f.text : `gave up after ${row.attempts + 1} attempts: ${f.text}`;
    await failRow(ctx, row, original, { ...f, text, permanent: true });
    return;
  }
  const until = row.createdAt + ctx.lifetimeSeconds * 1000;
  const notice = delayNoticeDue(row.createdAt, now, ctx.delayNoticeSeconds, row.delayNotified) && row.sender !== '' ? { until } : null;
  const retryAt = Math.min(now + retryDelayMs(row.attempts + 1, ctx.retrySeconds), until);
  await deferRow(ctx, row, original, f, retryAt, notice);
}

function failureOf(o: Exclude<RecipientOutcome, { ok: true }>, mta: string): Failure {
  return { smtpReply: o.reply, text: o.reply, permanent: o.permanent, remoteMta: mta };
}

/** Delivers `rows` (one message: same blob and sender, one domain). */
export async function attemptDelivery(ctx: AttemptContext, rows: readonly QueueRow[]): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const original = await ctx.store.readBlob(first.blob);
  const each = async (f: (row: QueueRow) => Promise<void>): Promise<void> => {
    for (const row of rows) {
      try {
        await f(row);
      } catch (err) {
        // The row keeps its lease until it runs out and is tried again then: never lost.
        ctx.logger.error('could not record an outbound outcome', { id: row.id, error: err });
      }
    }
  };
  const route = await routeFor(first.domain, ctx.route);
  if (route.kind === 'fail') {
    const f: Failure = { smtpReply: null, text: route.message, permanent: route.permanent, remoteMta: null, status: route.status };
    await each((row) => settle(ctx, row, original, f));
    return;
  }
  const raw = await signed(ctx, first.sender, original);
  let last: Failure = { smtpReply: null, text: 'no mail server could be reached', permanent: false, remoteMta: null, status: '4.4.1' };
  for (const hop of route.hops) {
    const result = await deliverToHop(hop, { from: first.sender, to: rows.map((r) => r.recipient) }, raw, ctx.hostname);
    const mta = hop.name === hop.host ? hop.host : `${hop.name} [${hop.host}]`;
    if (result.kind === 'failed') {
      const smtp = /^\d{3}\b/.test(result.reply) ? result.reply : null;
      last = { smtpReply: smtp, text: `${mta}: ${result.reply}`, permanent: result.permanent, remoteMta: mta, ...(smtp === null ? { status: '4.4.1' } : {}) };
      if (result.nextHop) continue;
      break;
    }
    const byAddress = new Map([...result.outcomes].map(([k, v]) => [k.toLowerCase(), v]));
    await each(async (row) => {
      const o = byAddress.get(row.recipient.toLowerCase()) ?? { ok: false, permanent: false, reply: 'no reply for this recipient' };
      if (o.ok) {
        await ctx.store.markDelivered(row.id, ctx.owner);
        ctx.logger.info('outbound delivered', { id: row.id, recipient: row.recipient, mta, reply: o.reply });
      } else {
        await settle(ctx, row, original, failureOf(o, mta));
      }
    });
    return;
  }
  const failure = last;
  await each((row) => settle(ctx, row, original, failure));
}
