/** Per-address connection limit ([security] max_connections_per_ip) on the real IMAP listener. */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerInProcess, type InProcessServer } from '../helpers/server.js';

let server: InProcessServer;

beforeAll(async () => {
  server = await startServerInProcess({ listeners: ['imap'], extraToml: '[security]\nmax_connections_per_ip = 3\n' });
});

afterAll(async () => {
  await server.stop();
});

/** Connects and resolves with the first line the server sends. */
function firstLine(port: number): Promise<{ socket: Socket; line: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (d: string) => {
      buf += d;
      const i = buf.indexOf('\r\n');
      if (i >= 0) resolve({ socket, line: buf.slice(0, i) });
    });
  });
}

describe('connections per client address', () => {
  it('greets up to the limit, refuses the next with BYE, and lets a new one in after a close', async () => {
    const port = server.ports.imap!;
    const open = await Promise.all([1, 2, 3].map(() => firstLine(port)));
    expect(open.every((c) => c.line.startsWith('* OK'))).toBe(true);
    const refused = await firstLine(port);
    expect(refused.line).toBe('* BYE Too many connections from your address');
    refused.socket.destroy();
    await new Promise<void>((r) => {
      open[0]!.socket.once('close', () => r());
      open[0]!.socket.end('a LOGOUT\r\n');
    });
    // The slot is freed when the server has closed its side.
    let again = await firstLine(port);
    for (let i = 0; i < 20 && !again.line.startsWith('* OK'); i++) {
      again.socket.destroy();
      await new Promise((r) => setTimeout(r, 50));
      again = await firstLine(port);
    }
    expect(again.line.startsWith('* OK')).toBe(true);
    for (const c of [...open, again]) c.socket.destroy();
  });
});
