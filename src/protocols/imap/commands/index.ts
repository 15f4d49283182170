/**
 * The command table (DESIGN principle 2): one file per command, dispatched by `kind`.
 */
import type { CommandKind } from '../wire/index.js';
import type { CommandSpec } from '../context.js';
import { append } from './append.js';
import { authenticate } from './authenticate.js';
import { capability } from './capability.js';
import { compress } from './compress.js';
import { copy, move } from './copy.js';
import { create } from './create.js';
import { del } from './delete.js';
import { enable } from './enable.js';
import { expunge } from './expunge.js';
import { fetch } from './fetch.js';
import { id } from './id.js';
import { idle } from './idle.js';
import { list } from './list.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { lsub } from './lsub.js';
import { namespace } from './namespace.js';
import { check, noop } from './noop.js';
import { getquota, getquotaroot, setquota } from './quota.js';
import { rename } from './rename.js';
import { replace } from './replace.js';
import { search } from './search.js';
import { close, examine, select, unselect } from './select.js';
import { sort } from './sort.js';
import { starttls } from './starttls.js';
import { status } from './status.js';
import { store } from './store.js';
import { subscribe, unsubscribe } from './subscribe.js';
import { thread } from './thread.js';
import { unauthenticate } from './unauthenticate.js';

const SPECS = [
  append, authenticate, capability, check, close, compress, copy, create, del, enable, examine, expunge, fetch,
  getquota, getquotaroot, id, idle, list, login, logout, lsub, move, namespace, noop, rename, replace, search, select,
  setquota, sort, starttls, status, store, subscribe, thread, unauthenticate, unselect, unsubscribe,
] as const;

/** Every command kind maps to its spec; the compiler checks none is missing. */
export const COMMANDS: { readonly [K in CommandKind]: CommandSpec<K> } = Object.fromEntries(
  SPECS.map((s) => [s.name, s]),
) as unknown as { readonly [K in CommandKind]: CommandSpec<K> };

/** Compile-time check that SPECS covers every kind. */
type Missing = Exclude<CommandKind, (typeof SPECS)[number]['name']>;
const _complete: Missing extends never ? true : Missing = true;
void _complete;
