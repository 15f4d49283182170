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
import { applyPolicy, MtaSts, mtaStsApplies } from './mta-sts.js';
import { deferRow, failRow, type Failure, type NotifyContext } from './notify.js';
import { routeFor, type Route, type RouteOptions } from './route.js';
import { domainOf } from '../../store/address.js';

export interface AttemptContext extends NotifyContext {
  route: RouteOptions;
  retrySeconds: readonly number[];
  lifetimeSeconds: number;
  delayNoticeSeconds: number;
  logger: Logger;
  /** MTA-STS policies (RFC 8461); one per context over `route.resolver` when not given (tests pass one). */
  mtaSts?: MtaSts;
}

const policies = new WeakMap<AttemptContext, MtaSts>();

function mtaStsOf(ctx: AttemptContext): MtaSts {
  if (ctx.mtaSts !== undefined) return ctx.mtaSts;
  let m = policies.get(ctx);
  if (m === undefined) {
    m = new MtaSts({ resolver: ctx.route.resolver, logger: ctx.logger });
    policies.set(ctx, m);
  }
  return m;
}

/** The route, narrowed by the domain's MTA-STS policy when it has one; `enforced` when TLS is required by it. */
async function routeWithPolicy(ctx: AttemptContext, domain: string): Promise<{ route: Route; enforced: boolean }> {
  const route = await routeFor(domain, ctx.route);
  if (route.kind === 'fail' || !mtaStsApplies(domain, ctx.route)) return { route, enforced: false };
  const policy = await mtaStsOf(ctx).policyFor(domain);
  if (policy === null) return { route, enforced: false };
  return { route: applyPolicy(domain, route.hops, policy, ctx.logger), enforced: policy.mode === 'enforce' };
}

/**
 * Every outgoing message is signed: with the key of the sender's domain when it is one of ours, else
 * (bounces from the null sender, mail forwarded for an outside sender) with the server host name's
 * key, so that receivers can tell the mail came through this server (`roost domain dkim HOSTNAME`).
 */
async function signed(ctx: AttemptContext, sender: string, raw: Buffer): Promise<Buffer> {
  const senderDomain = sender === '' ? null : domainOf(sender);
  const local = senderDomain !== null && (await ctx.store.engine.getDomain(senderDomain)) !== null;
  const domain = local && senderDomain !== null ? senderDomain : ctx.hostname.toLowerCase();
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
  const { route, enforced } = await routeWithPolicy(ctx, first.domain);
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
      // Under an enforced MTA-STS policy a failure to set up verified TLS is temporary (RFC 8461 §5): next MX, then retry.
      const reply = enforced ? `${result.reply} (MTA-STS enforce: TLS with a valid certificate required)` : result.reply;
      last = { smtpReply: smtp, text: `${mta}: ${reply}`, permanent: result.permanent && !enforced, remoteMta: mta, ...(smtp === null ? { status: enforced ? '4.7.5' : '4.4.1' } : {}) };
      if (result.nextHop || enforced) continue;
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
