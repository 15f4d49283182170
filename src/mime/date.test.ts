import { describe, expect, it } from 'vitest';
import { parseDate, parseDateWithZone } from './date.js';

const iso = (v: string): string | null => {
  const ms = parseDate(v);
  return ms === null ? null : new Date(ms).toISOString();
};

describe('parseDate (RFC 5322 §3.3, §4.3)', () => {
  const cases: [string, string | null][] = [
    // RFC 5322 Appendix A.1.1, A.3, A.4
    ['Fri, 21 Nov 1997 09:55:06 -0600', '1997-11-21T15:55:06.000Z'],
    ['Tue, 1 Jul 2003 10:52:37 +0200', '2003-07-01T08:52:37.000Z'],
    ['Thu, 13 Feb 1969 23:32:54 -0330', '1969-02-14T03:02:54.000Z'],
    // A.6.2 obsolete: two-digit year, alphabetic zone
    ['21 Nov 97 09:55:06 GMT', '1997-11-21T09:55:06.000Z'],
    // A.6.3 obsolete white space and comments
    ['Fri, 21 Nov 1997 09(comment):   55  :  06 -0600', '1997-11-21T15:55:06.000Z'],
    // §4.3: years 00-49 are 2000-2049, 50-99 are 1950-1999, three digits add 1900
    ['Mon, 1 Jan 49 00:00:00 +0000', '2049-01-01T00:00:00.000Z'],
    ['1 Jan 50 00:00:00 +0000', '1950-01-01T00:00:00.000Z'],
    ['1 Jan 103 00:00:00 +0000', '2003-01-01T00:00:00.000Z'],
    // obs-zone names; military zones count as -0000
    ['Thu, 8 Mar 2005 17:40:36 EDT', '2005-03-08T21:40:36.000Z'],
    ['Thu, 8 Mar 2005 17:40:36 pst', '2005-03-09T01:40:36.000Z'],
    ['1 Jan 2020 12:00:00 Z', '2020-01-01T12:00:00.000Z'],
    ['1 Jan 2020 12:00:00 A', '2020-01-01T12:00:00.000Z'],
    // corpus: comment before the zone, missing seconds, asctime order, no zone
    ['Wed, 20 Sep 1995 00:19:00 (EDT) -0400', '1995-09-20T04:19:00.000Z'],
    ['Sun, 7 May 95 16:21:03 GMT', '1995-05-07T16:21:03.000Z'],
    ['Fri, 23 Aug 2002 2:32:53 -0400', '2002-08-23T06:32:53.000Z'],
    ['1 Jan 2020 10:30 +0100', '2020-01-01T09:30:00.000Z'],
    ['Fri Feb 22 17:06:23 2008', '2008-02-22T17:06:23.000Z'],
    ['Wed, 26 Jan 2022 04:06:48 -0500 (EST)', '2022-01-26T09:06:48.000Z'],
    ['30 Jun 2016 23:59:60 +0000', '2016-06-30T23:59:59.000Z'],
    // not dates
    ['garbage', null],
    ['', null],
    ['31 Feb 2020 10:00:00 +0000', null],
    ['1 Jan 2020 25:00:00 +0000', null],
    ['2017-08-20T10:08:28Z', null],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });
  it('accepts null and undefined', () => {
    expect(parseDate(null)).toBeNull();
    expect(parseDate(undefined)).toBeNull();
  });
});

describe('parseDateWithZone', () => {
  it('gives the zone the date was written in, so the wall-clock time can be recovered', () => {
    expect(parseDateWithZone('Sun, 25 Mar 2007 00:30:00 +0200')).toEqual({ ms: Date.UTC(2007, 2, 24, 22, 30), zone: 120 });
    expect(parseDateWithZone('Thu, 13 Feb 1969 23:32:54 -0330')).toEqual({ ms: Date.UTC(1969, 1, 14, 3, 2, 54), zone: -210 });
    expect(parseDateWithZone('21 Nov 97 09:55:06 EST')?.zone).toBe(-300);
    expect(parseDateWithZone('21 Nov 1997 09:55:06')?.zone).toBe(0);
    expect(parseDateWithZone('not a date')).toBeNull();
  });
});
