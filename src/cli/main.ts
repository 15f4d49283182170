/**
 * The `roost` command line (bin/roost.js calls main with process.argv). Errors thrown from here are
 * printed by bin/roost.js as "roost: <message>" with exit code 1; StoreError, ConfigError and
 * UserError messages are written for the person at the terminal.
 */
import { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger } from '../shared/logger.js';
import * as admin from './admin.js';

export function buildProgram(io: admin.Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Command {
  const program = new Command('roost')
    .description('Roost: a self-hosted mail server (IMAP, POP3, SMTP, JMAP and webmail on one store)')
    .option('-c, --config <file>', 'config file (default: ./roost.toml if present, else built-in defaults)')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const config = (cmd: Command): Config => {
    const { config: path } = cmd.optsWithGlobals<{ config?: string }>();
    return loadConfig({ path });
  };

  program.command('serve')
    .description('run the server with every configured listener')
    .action(async (_opts: unknown, cmd: Command) => {
      const c = config(cmd);
      // Loaded on demand: the TLS and protocol modules would slow every admin command down.
      const { serveUntilSignal } = await import('./serve.js');
      await serveUntilSignal(c, createLogger(c.log.level));
      // Everything is closed; should a stray handle remain, do not hang after a clean shutdown.
      setTimeout(() => process.exit(0), 2000).unref();
    });

  const user = program.command('user').description('manage accounts');
  user.command('add <address>')
    .description('add an account; the password is the first line of stdin (its domain becomes local if new)')
    .action((address: string, _o: unknown, cmd: Command) => admin.userAdd(config(cmd), io, address));
  user.command('list')
    .description('list the accounts, one address a line')
    .option('-l, --long', 'also show the space used and the quota')
    .action((o: { long?: boolean }, cmd: Command) => admin.userList(config(cmd), io, o.long === true));
  user.command('del <address>')
    .description('delete an account and all its mail')
    .action((address: string, _o: unknown, cmd: Command) => admin.userDel(config(cmd), io, address));
  user.command('passwd <address>')
    .description("change an account's password (read from stdin)")
    .action((address: string, _o: unknown, cmd: Command) => admin.userPasswd(config(cmd), io, address));
  user.command('quota <address> <bytes>')
    .description('set the storage quota: bytes (or 500M, 2G) or "none"')
    .action((address: string, bytes: string, _o: unknown, cmd: Command) => admin.userQuota(config(cmd), io, address, bytes));
  user.command('pop <address>')
    .description('show or set what POP3 offers and does with downloaded mail')
    .option('--offer <which>', 'all (all INBOX mail), new (mail arriving from now on) or off (no POP access)')
    .option('--after-download <action>', 'after a client downloads a message and quits: keep, read, archive or trash')
    .option('--dele <action>', 'what a client\'s DELE does: delete, or trash (move to Trash)')
    .action((address: string, o: admin.PopOptions, cmd: Command) => admin.userPop(config(cmd), io, address, o));

  const domain = program.command('domain').description('manage local domains');
  domain.command('add <name>').description('add a local domain')
    .action((name: string, _o: unknown, cmd: Command) => admin.domainAdd(config(cmd), io, name));
  domain.command('list').description('list the local domains')
    .action((_o: unknown, cmd: Command) => admin.domainList(config(cmd), io));
  domain.command('dkim <name>').description('print the DNS TXT record of the domain\'s DKIM key (made now if it has none)')
    .action((name: string, _o: unknown, cmd: Command) => admin.domainDkim(config(cmd), io, name));
  domain.command('del <name>').description('delete a local domain (it must have no accounts)')
    .action((name: string, _o: unknown, cmd: Command) => admin.domainDel(config(cmd), io, name));

  const alias = program.command('alias').description('manage aliases (addresses delivered to another address)');
  alias.command('add <address> <target>').description('deliver mail for ADDRESS to TARGET; @DOMAIN catches every address of the domain without its own account or alias')
    .action((address: string, target: string, _o: unknown, cmd: Command) => admin.aliasAdd(config(cmd), io, address, target));
  alias.command('del <address>').description('delete an alias')
    .action((address: string, _o: unknown, cmd: Command) => admin.aliasDel(config(cmd), io, address));
  alias.command('list').description('list the aliases as "address -> target"')
    .action((_o: unknown, cmd: Command) => admin.aliasList(config(cmd), io));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
