import { describe, expect, it } from 'vitest';
import { cidrContains, isLoopback, parseCidr, parseIp } from './ip.js';
import { parseListenAddress } from './listen.js';

const ip = (s: string): number[] => Array.from(parseIp(s) ?? []);

describe('parseIp', () => {
  it('parses IPv4, IPv6 and folds IPv4-mapped addresses', () => {
    expect(ip('10.1.2.3')).toEqual([10, 1, 2, 3]);
    expect(ip('::ffff:10.1.2.3')).toEqual([10, 1, 2, 3]);
    expect(ip('::ffff:a01:203')).toEqual([10, 1, 2, 3]);
    expect(ip('::1')).toEqual([...Array<number>(15).fill(0), 1]);
    expect(ip('[fe80::1%eth0]')).toEqual([0xfe, 0x80, ...Array<number>(13).fill(0), 1]);
    expect(ip('2001:db8::8:800:200c:417a')).toEqual([0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a]);
    expect(ip('::')).toEqual(Array<number>(16).fill(0));
    expect(parseIp('nope')).toBeNull();
    expect(parseIp('1.2.3')).toBeNull();
  });

  it('knows loopback', () => {
    expect(isLoopback(parseIp('127.9.9.9')!)).toBe(true);
    expect(isLoopback(parseIp('::1')!)).toBe(true);
    expect(isLoopback(parseIp('::ffff:127.0.0.1')!)).toBe(true);
    expect(isLoopback(parseIp('10.0.0.1')!)).toBe(false);
    expect(isLoopback(parseIp('::2')!)).toBe(false);
  });
});

describe('parseCidr', () => {
  const inBlock = (block: string, addr: string): boolean => cidrContains(parseCidr(block)!, parseIp(addr)!);

  it('matches addresses in the block', () => {
    expect(inBlock('10.0.0.0/8', '10.255.0.1')).toBe(true);
    expect(inBlock('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(inBlock('10.0.0.0/8', '::ffff:10.3.4.5')).toBe(true);
    expect(inBlock('192.168.1.0/25', '192.168.1.127')).toBe(true);
    expect(inBlock('192.168.1.0/25', '192.168.1.128')).toBe(false);
    expect(inBlock('0.0.0.0/0', '8.8.8.8')).toBe(true);
    expect(inBlock('fd00::/8', 'fd12::1')).toBe(true);
    expect(inBlock('fd00::/8', 'fe80::1')).toBe(false);
    expect(inBlock('fd00::/8', '10.0.0.1')).toBe(false);
    expect(inBlock('192.168.1.5', '192.168.1.5')).toBe(true);
    expect(inBlock('192.168.1.5', '192.168.1.6')).toBe(false);
    expect(inBlock('::ffff:10.0.0.0/104', '10.9.9.9')).toBe(true);
  });

  it('rejects malformed blocks', () => {
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/x', 'x/8', '10.0.0.0/8/8', '::ffff:10.0.0.0/8']) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });
});

describe('parseListenAddress', () => {
  it('parses host:port forms', () => {
    expect(parseListenAddress('0.0.0.0:143')).toEqual({ host: '0.0.0.0', port: 143 });
    expect(parseListenAddress('[::1]:143')).toEqual({ host: '::1', port: 143 });
    expect(parseListenAddress('[::]:993')).toEqual({ host: '::', port: 993 });
    expect(parseListenAddress('*:25')).toEqual({ host: '::', port: 25 });
    expect(parseListenAddress('mail.example.com:587')).toEqual({ host: 'mail.example.com', port: 587 });
    expect(typeof parseListenAddress('[::1]143')).toBe('string');
  });
});
