// The servers the benchmarks compare. Each start(opts) gets
// {users, protocols, keep, format, maxConnections} and returns
// { name, host, ports: {imap, imaps, pop3, pop3s}, users, rootPids, pids(), stop() }.
// `only` (optional) limits a target to the measurements where it differs from another.
import { startDovecot, dovecotAvailable } from './dovecot.js';
import { startRoost, roostAvailable } from './roost.js';

export const TARGETS = {
  // ---- Roost: see bench/roost.js (the start hook) -------------------------------------------
  roost: {
    label: 'Roost',
    available: roostAvailable,
    unavailable: 'not built (npm run build; needs dist/cli/main.js)',
    start: (o) => startRoost(o),
  },
  // ---- Dovecot 2.3 from Debian, private instance: see bench/dovecot.js -------------------------
  dovecot: {
    label: 'Dovecot',
    available: dovecotAvailable,
    unavailable: 'not installed (apt-get install dovecot-imapd dovecot-pop3d)',
    start: (o) => startDovecot({ ...o, highPerformance: false }),
  },
  // Dovecot with `service imap-login { service_count = 0 }` (high-performance login mode):
  // only where the login processes matter — reconnecting clients and TLS connections.
  'dovecot-hp': {
    label: 'Dovecot hp-login',
    available: dovecotAvailable,
    unavailable: 'not installed',
    start: (o) => startDovecot({ ...o, highPerformance: true }),
    only: ['a.reconnect', 'c.tls'],
  },
};

/** The peer the ratio column compares Roost with. */
export const PEER = 'dovecot';
