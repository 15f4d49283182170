/**
 * APPEND's answer waits for the store: the OK never goes out before store.append resolved, which is
 * after the durable commit (DESIGN principle 8). A fake store lets the test hold the commit back; the
 * e2e tests cannot see this order, because the single-threaded SQLite engine commits before any output
 * is flushed.
 */
import { describe, expect, it } from 'vitest';
import type { AppendItem, AppendResult } from '../../../store/append.js';
import type { CommandResult, SessionContext } from '../context.js';
import type { AppendCommand } from '../wire/index.js';
import { append } from './append.js';

function fakeContext(appendImpl: (items: readonly AppendItem[]) => Promise<AppendResult>, mailboxes = ['INBOX']): SessionContext {
  const ctx = {
    account: { id: 1 },
    options: { appendLimit: 1000 },
    store: {
      findMailbox: async (_account: number, name: string) => (mailboxes.includes(name) ? { id: 7, name } : null),
      append: (_account: number, _mailbox: number, items: readonly AppendItem[]) => appendImpl(items),
    },
  };
  return ctx as unknown as SessionContext;
}

const command = (mailbox: string, ...data: string[]): AppendCommand => ({
  tag: 'a', kind: 'APPEND', mailbox,
  messages: data.map((d) => ({ flags: null, internalDate: null, data: Buffer.from(d), binary: false, utf8: false })),
});

describe('APPEND handler', () => {
  it('answers only after the store has committed, with APPENDUID', async () => {
    let commit: (r: AppendResult) => void = () => undefined;
    let stored: readonly AppendItem[] = [];
    const ctx = fakeContext((items) => {
      stored = items;
      return new Promise((resolve) => (commit = resolve));
    });
    let result: CommandResult | null = null;
    const run = append.run(ctx, command('INBOX', 'one', 'two')).then((r) => (result = r));
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(stored.map((i) => i.raw.toString())).toEqual(['one', 'two']);
    expect(result).toBeNull();
    commit({ uidValidity: 42, uids: [3, 4], entries: [] });
    await run;
    expect(result).toEqual({ status: 'OK', code: { code: 'APPENDUID', uidValidity: 42, uids: [3, 4] }, text: 'APPEND completed' });
  });

  it('never reaches the store when a message is bad or the mailbox is missing', async () => {
    let calls = 0;
    const ctx = fakeContext(async () => {
      calls++;
      return { uidValidity: 1, uids: [1], entries: [] };
    });
    expect(await append.run(ctx, command('INBOX', 'ok', ''))).toMatchObject({ status: 'NO' });
    expect(await append.run(ctx, command('Elsewhere', 'ok'))).toMatchObject({ status: 'NO', code: { code: 'TRYCREATE' } });
    expect(calls).toBe(0);
  });
});
