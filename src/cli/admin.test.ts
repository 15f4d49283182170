import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatBytes, parseQuota } from './admin.js';
import { readFirstLine, readPassword } from './stdin.js';

describe('parseQuota / formatBytes', () => {
  it('parses bytes, binary units and none', () => {
    expect(parseQuota('1073741824')).toBe(1073741824);
    expect(parseQuota('500M')).toBe(500 * 1024 ** 2);
    expect(parseQuota('2G')).toBe(2 * 1024 ** 3);
    expect(parseQuota('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseQuota('10k')).toBe(10240);
    expect(parseQuota('none')).toBeNull();
    expect(parseQuota('NONE')).toBeNull();
    for (const bad of ['', 'x', '-1', '5X', '1e9', '99999999999T']) expect(() => parseQuota(bad), bad).toThrow();
  });

  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GiB');
  });
});

describe('reading the password', () => {
  it('takes the first line of a stream, whatever the chunking', async () => {
    expect(await readFirstLine(Readable.from([Buffer.from('pa'), Buffer.from('ss\r\nmore\n')]))).toBe('pass');
    expect(await readFirstLine(Readable.from([Buffer.from('no newline')]))).toBe('no newline');
    expect(await readFirstLine(Readable.from([]))).toBe('');
  });

  it('stops reading at the first newline, without waiting for the end', async () => {
    const input = new PassThrough();
    input.write('secret\n');
    expect(await readFirstLine(input)).toBe('secret');
  });

  it('refuses an empty password', async () => {
    await expect(readPassword(Readable.from(['\n']), new PassThrough(), 'a@b.c')).rejects.toThrow('empty password');
  });
});
