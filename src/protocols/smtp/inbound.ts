/**
 * Port 25, mail from the world (RFC 5321): recipients only at local domains and existing addresses,
 * SPF/DKIM/DMARC/ARC recorded in Authentication-Results (RFC 8601) above our Received header (RFC 5321
 * §4.4), a DMARC p=reject failure refused or filed as Junk per `[smtp] dmarc_reject`. A local alias
 * whose target is another domain forwards: the message is queued for it with the original sender.
 */
import type { SMTPServerOptions } from 'smtp-server';
import { withoutOwnAuthResults } from '../../delivery/auth-results.js';
import { authenticateMessage } from '../../delivery/mail-auth.js';
import { recipientsOf, remotesOf, type SmtpContext } from './context.js';
import { deliver, envelopeSender, heloOf, internalError, lineEndingError, readMessage, receivedFor } from './data.js';
import { rcptHandler } from './recipient-reply.js';
import { isSmtpReply, smtpError } from './reply.js';

type Handlers = Pick<SMTPServerOptions, 'onRcptTo' | 'onData'>;

export function inboundHandlers(ctx: SmtpContext): Handlers {
  return {
    onRcptTo: rcptHandler(ctx, 'mx'),

    onData(stream, session, callback) {
      const accounts = recipientsOf(session);
      const remotes = remotesOf(session);
      const run = async (): Promise<string> => {
        const raw = await readMessage(stream);
        if (raw === null) throw smtpError(552, '5.3.4 Message too big');
        const bad = lineEndingError(raw);
        if (bad !== null) throw bad;
        const sender = envelopeSender(session);
        const verdict = await authenticateMessage({
          raw, ip: session.remoteAddress, helo: heloOf(session), sender, mta: ctx.hostname, resolver: ctx.resolver,
        });
        if (verdict.dmarcReject && ctx.dmarcReject === 'reject') {
          ctx.logger.info('rejected by DMARC policy', { session: session.id, sender });
          // RFC 7489 §6.7 / §7.3: a rejection uses 550 5.7.1.
          throw smtpError(550, '5.7.1 Message rejected: it fails the DMARC policy of its From: domain');
        }
        // p=quarantine failures, and p=reject ones kept by `dmarc_reject = "junk"`, go to Junk (RFC 7489 §6.3).
        const folder = verdict.dmarcReject || verdict.dmarcQuarantine ? 'junk' : 'inbox';
        const message = Buffer.concat([Buffer.from(verdict.headers + receivedFor(ctx, session, false), 'utf8'), withoutOwnAuthResults(raw, ctx.hostname)]);
        // A message filed as Junk is not forwarded: the next hop would refuse it and bounce to a forged
        // sender. When forwarding was all there was to do, it is refused instead of accepted and dropped.
        const forward = folder === 'junk' ? [] : remotes;
        if (accounts.length === 0 && forward.length === 0) {
          throw smtpError(550, '5.7.1 Message rejected: it fails the DMARC policy of its From: domain');
        }
        const failed = await deliver(ctx, session, { accounts, remotes: forward, sender }, message, folder);
        if (failed !== null) throw failed;
        return `Message accepted as ${session.id}`;
      };
      run().then((text) => callback(null, text), (err: unknown) => {
        callback(isSmtpReply(err) ? err : internalError(ctx, session, err));
      });
    },
  };
}
