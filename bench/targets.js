// The servers the benchmarks compare. Each start(opts) gets
// {users, protocols, keep, format, maxConnections} and returns
// { name, host, ports: {imap, imaps, pop3, pop3s, smtp}, users, rootPids, pids(), stop() }.
// `workloads` (optional) lists the workloads a target can run (default: all);
// `only` (optional) limits a target to the measurements where it differs from another.
import { startDovecot, dovecotAvailable } from './dovecot.js';
import { startRoost, roostAvailable } from './roost.js';
import { startPostfix, postfixUnavailable } from './postfix.js';
import { smtpSourceAvailable } from './workloads/smtp.js';

const postfixWhyNot = (dovecot) => (smtpSourceAvailable() ? postfixUnavailable({ dovecot }) : 'no smtp-source (apt-get install postfix)');

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
    workloads: ['a', 'b', 'c', 'e'], // no SMTP
  },
  // Dovecot with `service imap-login { service_count = 0 }` (high-performance login mode):
  // only where the login processes matter — reconnecting clients and TLS connections.
  'dovecot-hp': {
    label: 'Dovecot hp-login',
    available: dovecotAvailable,
    unavailable: 'not installed',
    start: (o) => startDovecot({ ...o, highPerformance: true }),
    only: ['a.reconnect', 'c.tls'],
    workloads: ['a', 'c'],
  },
  // ---- Postfix 3.7 from Debian, private instance: see bench/postfix.js (workload f only) -------
  // Delivering with virtual(8) into a Maildir.
  'postfix-maildir': {
    label: 'Postfix→Maildir',
    available: () => postfixWhyNot(false) === '',
    get unavailable() {
      return postfixWhyNot(false);
    },
    start: (o) => startPostfix({ ...o, delivery: 'maildir' }),
    workloads: ['f'],
  },
  // Delivering through LMTP to a private Dovecot (its INBOX, as IMAP sees it).
  'postfix-dovecot': {
    label: 'Postfix→Dovecot',
    available: () => postfixWhyNot(true) === '',
    get unavailable() {
      return postfixWhyNot(true);
    },
    start: (o) => startPostfix({ ...o, delivery: 'dovecot' }),
    workloads: ['f'],
  },
};

/** The peer the ratio column compares Roost with (per workload; default 'dovecot'). */
export const PEER = 'dovecot';
export const PEERS = { f: 'postfix-dovecot' };
