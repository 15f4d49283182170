/** Pieces of the raw protocol clients in test/e2e (IMAP, POP3, SMTP): connecting, and waiting for data. */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface SocketOptions {
  host?: string;
  tls?: boolean;
  /** Connect from this address (127.0.0.2 is "another machine" for the trust rules). */
  localAddress?: string;
}

/** A connected socket (TLS handshake done when `tls`); the self-signed test certificate is accepted. */
export async function connectSocket(port: number, opts: SocketOptions = {}): Promise<Socket> {
  const host = opts.host ?? '127.0.0.1';
  const local = opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {};
  const socket: Socket = opts.tls === true
    ? tlsConnect({ host, port, rejectUnauthorized: false, ...local })
    : netConnect({ host, port, ...local });
  await new Promise<void>((ok, fail) => {
    socket.once(opts.tls === true ? 'secureConnect' : 'connect', () => ok());
    socket.once('error', fail);
  });
  return socket;
}

/**
 * Upgrades a connected socket to TLS in place (after the server's answer to STARTTLS/STLS): its data
 * and close listeners are dropped; attach new ones to the TLS socket returned.
 */
export async function upgradeSocket(plain: Socket): Promise<TLSSocket> {
  plain.removeAllListeners('data');
  plain.removeAllListeners('close');
  const secure: TLSSocket = tlsConnect({ socket: plain, rejectUnauthorized: false });
  await new Promise<void>((ok, fail) => {
    secure.once('secureConnect', () => ok());
    secure.once('error', fail);
  });
  return secure;
}

/** One reader waiting for more data: wait() resolves at the next wake() or after the time given. */
export class Wakeup {
  private waiter: (() => void) | null = null;

  wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  wait(ms: number): Promise<void> {
    return new Promise<void>((ok) => {
      const t = setTimeout(() => {
        this.waiter = null;
        ok();
      }, ms);
      this.waiter = () => {
        clearTimeout(t);
        ok();
      };
    });
  }
}
