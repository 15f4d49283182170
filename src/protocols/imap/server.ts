/**
 * The IMAP listener (ports 143 with STARTTLS, 993 with implicit TLS): one ImapSession per connection,
 * all sharing the store's UID lists.
 */
import type { ProtocolServer, ServerDeps } from '../../cli/servers.js';
import { LIMITS } from '../../shared/limits.js';
import { LineListener } from '../common/listener.js';
import { ImapSession } from './session.js';
import { UidCache } from './uid-cache.js';

export function createImapServer(deps: ServerDeps): ProtocolServer {
  const uidCache = UidCache.for(deps.store);
  return new LineListener<ImapSession>({
    protocol: 'imap',
    tls: deps.tls,
    maxConnectionsPerIp: deps.maxConnectionsPerIp,
    logger: deps.logger,
    tooMany: '* BYE Too many connections from your address\r\n',
    start: (socket, tls, onEnd) => new ImapSession(socket, {
      store: deps.store,
      auth: deps.auth,
      logger: deps.logger,
      tls,
      uidCache,
      options: {
        hostname: deps.hostname,
        trustedNetworks: deps.trustedNetworks,
        appendLimit: LIMITS.imap.appendBytes,
      },
    }, onEnd),
  });
}
