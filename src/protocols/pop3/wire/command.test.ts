import { describe, expect, it } from 'vitest';
import { parseCommand, parseNumber } from './command.js';

describe('POP3 command lines', () => {
  it.each([
    ['CAPA', { name: 'CAPA' }],
    ['capa', { name: 'CAPA' }],
    ['StAt', { name: 'STAT' }],
    ['QUIT', { name: 'QUIT' }],
    ['USER alice@example.com', { name: 'USER', arg: 'alice@example.com' }],
    ['PASS pass with spaces ', { name: 'PASS', arg: 'pass with spaces ' }],
    ['USER bjørn@exämple.com', { name: 'USER', arg: 'bjørn@exämple.com' }],
    ['LIST', { name: 'LIST', msg: null }],
    ['LIST 3', { name: 'LIST', msg: 3 }],
    ['UIDL 12', { name: 'UIDL', msg: 12 }],
    ['RETR 1', { name: 'RETR', msg: 1 }],
    ['DELE 4294967295', { name: 'DELE', msg: 4294967295 }],
    ['TOP 2 0', { name: 'TOP', msg: 2, lines: 0 }],
    ['AUTH', { name: 'AUTH', mechanism: null, initial: null }],
    ['AUTH PLAIN', { name: 'AUTH', mechanism: 'PLAIN', initial: null }],
    ['AUTH PLAIN AGFsaWNlAHB3', { name: 'AUTH', mechanism: 'PLAIN', initial: 'AGFsaWNlAHB3' }],
    ['AUTH PLAIN =', { name: 'AUTH', mechanism: 'PLAIN', initial: '=' }],
    ['APOP mrose c4c9334bac560ecc979e58001b3e22fb', { name: 'APOP', arg: 'mrose c4c9334bac560ecc979e58001b3e22fb' }],
  ])('%j', (line, command) => {
    expect(parseCommand(line)).toEqual({ ok: true, command });
  });

  it.each([
    ['', 'Empty command'],
    [' STAT', 'Empty command'],
    ['XYZZY', 'Unknown command'],
    ['STAT 1', 'STAT takes no arguments'],
    ['QUIT now', 'QUIT takes no arguments'],
    ['USER', 'USER needs an argument'],
    ['PASS', 'PASS needs an argument'],
    ['RETR', 'Syntax: RETR message-number'],
    ['RETR 0x1', 'Syntax: RETR message-number'],
    ['RETR -1', 'Syntax: RETR message-number'],
    ['RETR 1 2', 'Syntax: RETR message-number'],
    ['RETR 99999999999', 'Syntax: RETR message-number'],
    ['DELE abc', 'Syntax: DELE message-number'],
    ['LIST 1 2', 'Syntax: LIST [message-number]'],
    ['LIST  1', 'Syntax: LIST [message-number]'],
    ['TOP 1', 'Syntax: TOP message-number lines'],
    ['TOP 1 x', 'Syntax: TOP message-number lines'],
    ['AUTH PLAIN a b', 'Syntax: AUTH mechanism [initial-response]'],
    ['AUTH  PLAIN', 'Syntax: AUTH mechanism [initial-response]'],
  ])('%j is refused', (line, error) => {
    expect(parseCommand(line)).toEqual({ ok: false, error });
  });

  it('numbers are plain decimal within 32 bits', () => {
    expect(parseNumber('0')).toBe(0);
    expect(parseNumber('007')).toBe(7);
    expect(parseNumber('4294967296')).toBeNull();
    expect(parseNumber('+1')).toBeNull();
    expect(parseNumber('1.0')).toBeNull();
    expect(parseNumber(undefined)).toBeNull();
  });
});
