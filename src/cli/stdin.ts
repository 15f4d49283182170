/**
 * Reading a password for `user add` / `user passwd`: the first line of stdin when it is a pipe or
 * file (scripts: `echo "$PW" | npx roost user add a@b`); on a terminal, a hidden prompt asked twice.
 */
import type { Readable, Writable } from 'node:stream';
import { UserError } from './errors.js';

/** The first line of `input` (without its line ending); reading stops at the first newline. */
export function readFirstLine(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      const text = Buffer.concat(chunks).toString('utf8');
      const nl = text.indexOf('\n');
      resolve((nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string): void => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      size += b.length;
      if (b.includes(0x0a) || size > 64 * 1024) finish();
    };
    const onEnd = (): void => finish();
    const onError = (err: Error): void => reject(err);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
  });
}

interface TtyInput extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Reads one line from a terminal without echoing it. */
function readHidden(input: TtyInput, output: Writable, prompt: string): Promise<string> {
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (err: Error | null): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err !== null) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new UserError('cancelled'));
        if (ch === '\u007f' || ch === '\b') text = Array.from(text).slice(0, -1).join('');
        else text += ch;
      }
    };
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}

/** The password for `address`: hidden prompt (twice) on a terminal, else the first line of input. */
export async function readPassword(input: Readable, prompts: Writable, address: string): Promise<string> {
  const tty = input as TtyInput;
  let password: string;
  if (tty.isTTY === true) {
    password = await readHidden(tty, prompts, `Password for ${address}: `);
    const again = await readHidden(tty, prompts, 'Again: ');
    if (again !== password) throw new UserError('the passwords do not match');
  } else {
    password = await readFirstLine(input);
  }
  if (password === '') throw new UserError('empty password (give it on the first line of stdin, e.g. echo "$PASSWORD" | npx roost user add ADDRESS)');
  return password;
}
