/**
 * The POP3 listener (ports 110 with STLS, 995 with implicit TLS): one Pop3Session per connection, all
 * sharing the maildrop locks and login times of this store (registry.ts).
 */
import type { ProtocolServer, ServerDeps } from '../../cli/servers.js';
import { LineListener } from '../common/listener.js';
import { PopRegistry } from './registry.js';
import { Pop3Session } from './session.js';

export function createPop3Server(deps: ServerDeps): ProtocolServer {
  const registry = PopRegistry.for(deps.store);
  return new LineListener<Pop3Session>({
    protocol: 'pop3',
    tls: deps.tls,
    maxConnectionsPerIp: deps.maxConnectionsPerIp,
    logger: deps.logger,
    tooMany: '-ERR [SYS/TEMP] Too many connections from your address\r\n',
    start: (socket, tls, onEnd) => new Pop3Session(socket, {
      store: deps.store,
      auth: deps.auth,
      logger: deps.logger,
      tls,
      registry,
      options: {
        hostname: deps.hostname,
        trustedNetworks: deps.trustedNetworks,
        loginDelaySeconds: deps.pop3LoginDelaySeconds,
      },
    }, onEnd),
  });
}
