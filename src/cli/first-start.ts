/**
 * First start: a store without accounts gets postmaster@<hostname> with a generated password, shown
 * once on the terminal (straight to stdout, never through the logger, so it is in no log file).
 * The account's domain is the hostname as configured, even a single-label one like "localhost":
 * we do not invent a domain; set `hostname` in roost.toml to the server's real name first.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/password.js';
import type { Config } from '../config/schema.js';
import type { MailStore } from '../store/store.js';

/** 144 random bits as 24 characters of unambiguous base64url. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function roostCommand(config: Config): string {
  return config.source === null ? 'npx roost' : `npx roost --config ${config.source}`;
}

/** Creates the postmaster account when the store has none; returns its address, or null. */
export async function ensureFirstAccount(config: Config, store: MailStore, write: (text: string) => void): Promise<string | null> {
  if ((await store.listAccounts()).length > 0) return null;
  const address = `postmaster@${config.hostname}`;
  const password = generatePassword();
  await store.createAccount(address, await hashPassword(password));
  const cmd = roostCommand(config);
  const lines = [
    '',
    'Roost first start: created the account',
    '',
    `    user:     ${address}`,
    `    password: ${password}`,
    '',
    'This password is shown only this once. Change it with:',
    `    ${cmd} user passwd ${address}`,
    'Add accounts (the password is read from stdin) with:',
    `    ${cmd} user add you@example.com`,
  ];
  if (!config.hostname.includes('.')) {
    lines.push(`(The hostname "${config.hostname}" has no domain: set hostname = "mail.example.com" in roost.toml to name this server.)`);
  }
  write(lines.join('\n') + '\n\n');
  return address;
}
