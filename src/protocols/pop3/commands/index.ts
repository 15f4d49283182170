/** Every POP3 command, by name (the session dispatches from here). */
import type { Pop3Command } from '../wire/command.js';
import type { Pop3CommandSpec } from '../context.js';
import { apop } from './apop.js';
import { auth } from './auth.js';
import { capa } from './capa.js';
import { dele } from './dele.js';
import { list } from './list.js';
import { noop } from './noop.js';
import { pass } from './pass.js';
import { quit } from './quit.js';
import { retr } from './retr.js';
import { rset } from './rset.js';
import { stat } from './stat.js';
import { stls } from './stls.js';
import { top } from './top.js';
import { uidl } from './uidl.js';
import { user } from './user.js';
import { utf8 } from './utf8.js';

export const COMMANDS: { [N in Pop3Command['name']]: Pop3CommandSpec<N> } = {
  APOP: apop, AUTH: auth, CAPA: capa, DELE: dele, LIST: list, NOOP: noop, PASS: pass, QUIT: quit, RETR: retr,
  RSET: rset, STAT: stat, STLS: stls, TOP: top, UIDL: uidl, USER: user, UTF8: utf8,
};
