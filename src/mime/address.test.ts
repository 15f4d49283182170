import { describe, expect, it } from 'vitest';
import type { EnvelopeAddress } from './types.js';
import { decodedAddresses, envelopeAddresses } from './address.js';

const A = (name: string | null, adl: string | null, mailbox: string | null, host: string | null): EnvelopeAddress =>
  ({ name, adl, mailbox, host });
const START = (group: string): EnvelopeAddress => A(null, null, group, null);
const END = A(null, null, null, null);

describe('envelopeAddresses (RFC 5322 §3.4, RFC 9051 §7.5.2)', () => {
  const cases: [string, string, EnvelopeAddress[] | null][] = [
    // RFC 5322 Appendix A.1.1
    ['A.1.1 quoted name', '"Joe Q. Public" <john.q.public@example.com>',
      [A('Joe Q. Public', null, 'john.q.public', 'example.com')]],
    // A.1.2
    ['A.1.2 list', 'Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>', [
      A('Mary Smith', null, 'mary', 'x.test'), A(null, null, 'jdoe', 'example.org'), A('Who?', null, 'one', 'y.test'),
    ]],
    ['A.1.2 specials in a quoted name', '<boss@nil.test>, "Giant; \\"Big\\" Box" <sysservices@example.net>', [
      A(null, null, 'boss', 'nil.test'), A('Giant; "Big" Box', null, 'sysservices', 'example.net'),
    ]],
    // A.1.3
    ['A.1.3 group', 'A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;', [
      START('A Group'), A('Ed Jones', null, 'c', 'a.test'), A(null, null, 'joe', 'where.test'),
      A('John', null, 'jdoe', 'one.test'), END,
    ]],
    ['A.1.3 empty group', 'Undisclosed recipients:;', [START('Undisclosed recipients'), END]],
    // A.5 white space, comments and other oddities
    ['A.5 comments everywhere', 'Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>',
      [A('Pete', null, 'pete', 'silly.test')]],
    ['A.5 group with comments',
      'A Group(Some people)\r\n     :Chris Jones <c@(Chris\'s host.)public.example>,\r\n         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)',
      [START('A Group'), A('Chris Jones', null, 'c', 'public.example'), A(null, null, 'joe', 'example.org'),
        A('John', null, 'jdoe', 'one.test'), END]],
    // A.6.1 obsolete addressing
    ['A.6.1 obs-phrase with a period', 'Joe Q. Public <john.q.public@example.com>',
      [A('Joe Q. Public', null, 'john.q.public', 'example.com')]],
    ['A.6.1 route, empty member, CFWS in addr-spec', 'Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example', [
      A('Mary Smith', '@node.test', 'mary', 'example.net'), A(null, null, 'jdoe', 'test.example'),
    ]],
    ['obsolete route with two domains', '<@a.test,@b.test:user@c.test>', [A(null, '@a.test,@b.test', 'user', 'c.test')]],
    ['bare route without brackets (corpus content-length.mbox.txt)', '@develop:sblab!att!thumper.bellcore.com!nsb',
      [A(null, '@develop', 'sblab!att!thumper.bellcore.com!nsb', '')]],
    ['two "@": the last one starts the domain', 'develop!nextmime@ebony@sblab.att.com',
      [A(null, null, 'develop!nextmime@ebony', 'sblab.att.com')]],
    // RFC 822 style: a comment names an addr-spec without phrase (corpus bounce.txt).
    ['comment as name', 'MAILER-DAEMON@hmail.jitbit.com (Mail Delivery System)',
      [A('Mail Delivery System', null, 'MAILER-DAEMON', 'hmail.jitbit.com')]],
    ['comment names only its own item', 'a@b.test (A), c@d.test', [A('A', null, 'a', 'b.test'), A(null, null, 'c', 'd.test')]],
    ['quoted local part', '"john smith"@example.com', [A(null, null, 'john smith', 'example.com')]],
    ['domain literal', 'user@[192.0.2.1]', [A(null, null, 'user', '[192.0.2.1]')]],
    ['encoded-word name stays raw', '=?utf-8?Q?J=C3=B8rn?= <j@x.test>', [A('=?utf-8?Q?J=C3=B8rn?=', null, 'j', 'x.test')]],
    ['unquoted name with @ (corpus issue358.txt)', 'jang.abcdef@xyzlinu <jang.abcdef@xyzlinux12345678.it>',
      [A('jang.abcdef@xyzlinu', null, 'jang.abcdef', 'xyzlinux12345678.it')]],
    ['group with trailing comment (corpus delivery-status.txt)', 'unlisted-recipients:; (no To-header on input)',
      [START('unlisted-recipients'), END]],
    // Garbage: never a group marker by accident (host is "" not NIL), nothing lost.
    ['no domain in angle brackets (corpus feedback-report.txt)', '<Undisclosed Recipients>',
      [A('Undisclosed Recipients', null, '', '')]],
    ['bare word', 'undisclosed-recipients', [A(null, null, 'undisclosed-recipients', '')]],
    ['phrase without address', 'John Smith', [A('John Smith', null, '', '')]],
    ['null address', '<>', [A(null, null, '', '')]],
    ['unterminated angle', 'Joe <joe@x.test', [A('Joe', null, 'joe', 'x.test')]],
    ['unterminated group', 'G: a@b.test', [START('G'), A(null, null, 'a', 'b.test'), END]],
    ['only a comment', '(nobody)', null],
    ['empty', '', null],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(envelopeAddresses(input)).toEqual(expected);
  });

  it('is undefined-safe and turns 8-bit bytes into text', () => {
    expect(envelopeAddresses(undefined)).toBeNull();
    const latin1 = Buffer.from('Jørn <j@x.test>', 'utf8').toString('latin1');
    expect(envelopeAddresses(latin1)).toEqual([A('Jørn', null, 'j', 'x.test')]);
  });

  it('handles thousands of words (corpus stack-overflow.txt) without recursion', () => {
    const value = '"test" <test@test.com>,\r\n' + Array.from({ length: 50000 }, () => '\t=?utf-8?Q?date=3E2017-08-20T10:08:28.617=3C/pr?=').join('\r\n');
    const list = envelopeAddresses(value);
    expect(list).toHaveLength(2);
    expect(list?.[0]).toEqual(A('test', null, 'test', 'test.com'));
    expect(list?.[1]?.host).toBe('');
  });
});

describe('decodedAddresses', () => {
  it('flattens groups and decodes names', () => {
    expect(decodedAddresses('A Group:Ed Jones <c@a.test>,=?ISO-8859-1?Q?Andr=E9?= Pirard <p@x.test>;, z@y.test')).toEqual([
      { name: 'Ed Jones', address: 'c@a.test' },
      { name: 'André Pirard', address: 'p@x.test' },
      { name: '', address: 'z@y.test' },
    ]);
  });
  it('quotes local parts that need it', () => {
    expect(decodedAddresses('"john smith"@example.com')).toEqual([{ name: '', address: '"john smith"@example.com' }]);
  });
  it('gives an empty address for an unparseable item', () => {
    expect(decodedAddresses('John Smith')).toEqual([{ name: 'John Smith', address: '' }]);
    expect(decodedAddresses(undefined)).toEqual([]);
    expect(decodedAddresses('Undisclosed recipients:;')).toEqual([]);
  });
  it('decodes names split into quoted encoded words (common, not RFC 2047-conformant)', () => {
    expect(decodedAddresses('"=?utf-8?B?w6k=?=" <e@x.test>')).toEqual([{ name: 'é', address: 'e@x.test' }]);
  });
});
