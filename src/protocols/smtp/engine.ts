/**
 * smtp-server with what Roost needs on top of it:
 * - replies whose text already starts with an enhanced status code (RFC 2034) are sent as they are;
 *   smtp-server would otherwise prefix a generic code derived from the reply code (550 → 5.1.1 even
 *   for "5.7.1 relay denied");
 * - the per-address connection limit of every Roost listener;
 * - AUTH before TLS is refused unless the client is trusted (auth/trust.ts), before the client sends
 *   credentials where the mechanism allows (RFC 4954 §4: 538 5.7.11 Encryption required);
 * - CHUNKING (RFC 3030): BDAT on a parser that can read binary chunks, announced in EHLO (bdat.ts).
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';
import { isTrusted } from '../../auth/trust.js';
import { bdatStarted, handleBdat } from './bdat.js';
import { ChunkingStream } from './bdat-stream.js';
import { hasEnhancedCode } from './reply.js';

export interface EngineOptions {
  maxConnectionsPerIp: number;
  trustedNetworks: readonly string[];
}

class RoostSmtpConnection extends SMTPConnection {
  /** The next reply is EHLO's 250 with its keywords. */
  private ehloReply = false;

  constructor(private readonly roost: RoostSmtpServer, socket: Socket | TLSSocket, options?: SMTPConnectionOptions | null) {
    super(roost, socket, options);
  }

  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    if (this.ehloReply) {
      this.ehloReply = false;
      // smtp-server has no option for a keyword of its own: CHUNKING joins the list it built. AUTH is
      // not offered where it would be refused (before TLS, untrusted): RFC 4954 §4 / RFC 8314 §3.3 —
      // a client must not be invited to send a password in the clear.
      if (code === 250 && Array.isArray(data)) {
        data = [...(this.authAllowed() ? data : data.filter((l) => !/^AUTH\b/i.test(l))), 'CHUNKING'];
      }
    }
    if (context === undefined && typeof data === 'string' && hasEnhancedCode(data)) {
      super.send(code, data, false);
      return;
    }
    super.send(code, data, context);
  }

  /**
   * Greets at once. smtp-server waits 100 ms first to catch clients that talk before the greeting
   * (an anti-spam heuristic); that caps a sender that opens a connection per message at ten messages
   * a second per connection, and an early talker is refused by it all the same ("You talk too soon").
   */
  override init(): void {
    this._setListeners(() => {
      if (this.roost.options.maxClients && this.roost.connections.size > this.roost.options.maxClients) {
        this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
        return;
      }
      this.connectionReady();
    });
  }

  override handler_EHLO(command: Buffer, callback: () => void): void {
    this.ehloReply = true;
    try {
      super.handler_EHLO(command, callback);
    } finally {
      this.ehloReply = false;
    }
  }

  /** smtp-server's parser, able to read BDAT chunks (called by SMTPConnection's constructor and STARTTLS). */
  override _createParser(): ChunkingStream {
    const parser = new ChunkingStream({ maxCommandLength: this._server.options.maxCommandLength });
    parser.oncommand = (command: Buffer, callback?: () => void) => this._onCommand(command, callback);
    parser.on('error', (err: Error) => this.send(421, 'Error: ' + err.message));
    return parser;
  }

  handler_BDAT(command: Buffer, callback: () => void): void {
    handleBdat(this, command, callback);
  }

  override handler_DATA(command: Buffer, callback: () => void): void {
    if (bdatStarted(this.session)) {
      // RFC 3030 §2: DATA and BDAT cannot be used in the same transaction.
      this.send(503, '5.5.1 DATA after BDAT in one transaction: send RSET');
      callback();
      return;
    }
    super.handler_DATA(command, callback);
  }

  private authAllowed(): boolean {
    return this.secure || isTrusted(this.remoteAddress, this.localAddress, this.roost.engine.trustedNetworks);
  }

  override handler_AUTH(command: Buffer, callback: () => void): void {
    if (!this.authAllowed()) {
      this.send(538, '5.7.11 Encryption required: issue STARTTLS first');
      callback();
      return;
    }
    super.handler_AUTH(command, callback);
  }
}

export class RoostSmtpServer extends SMTPServer {
  private readonly perIp = new Map<string, number>();
  /** Connection id (= session id) → the address it counts against. */
  private readonly counted = new Map<string, string>();

  constructor(options: SMTPServerOptions, readonly engine: EngineOptions) {
    // Trust is decided per connection in handler_AUTH above.
    super({
      ...options,
      allowInsecureAuth: true,
      onClose: (session, callback) => {
        this.release(session.id);
        options.onClose?.(session, callback);
      },
    });
  }

  private release(id: string): void {
    const ip = this.counted.get(id);
    if (ip === undefined) return;
    this.counted.delete(id);
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
  }

  override connect(socket: Socket | TLSSocket, socketOptions?: SMTPConnectionOptions | null): void {
    const ip = socketOptions?.remoteAddress ?? socket.remoteAddress ?? '';
    const count = (this.perIp.get(ip) ?? 0) + 1;
    if (count > this.engine.maxConnectionsPerIp) {
      socket.on('error', () => undefined);
      // RFC 5321 §3.1: a server that will not serve the client may answer 421 instead of its greeting.
      socket.end('421 4.7.0 Too many connections from your address\r\n');
      return;
    }
    const connection = new RoostSmtpConnection(this, socket, socketOptions);
    this.perIp.set(ip, count);
    this.counted.set(connection.id, ip);
    // onClose releases the slot; a socket that closes before the session is set up releases it here
    // (STARTTLS later drops this listener, but by then onClose is certain to run).
    socket.once('close', () => this.release(connection.id));
    this.connections.add(connection);
    connection.on('error', (err: Error) => this._onError(err));
    connection.on('connect', (data: Parameters<SMTPServer['_onClientConnect']>[0]) => this._onClientConnect(data));
    connection.init();
  }
}
