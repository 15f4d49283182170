/**
 * MTA-STS (RFC 8461) without I/O: the `_mta-sts` TXT record (§3.1), the policy file (§3.2) and MX
 * host matching (§4.1). Everything here is a pure function over strings.
 */
import { LIMITS } from '../../shared/limits.js';

export type StsMode = 'enforce' | 'testing' | 'none';

export interface StsPolicy {
  mode: StsMode;
  /** MX patterns ("mx.example.com" or "*.example.com"), lower case, no trailing dot. */
  mx: string[];
  /** Seconds the policy may be cached (capped at LIMITS.mtaSts.maxAgeSeconds). */
  maxAge: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The policy id of the TXT records at `_mta-sts.<domain>` (§3.1), or null when there is no valid
 * STSv1 record. Records not starting with "v=STSv1" are ignored; more than one STSv1 record means
 * none (§3.1: "senders MUST assume that this domain does not have an MTA-STS policy").
 */
export function stsRecordId(records: readonly (readonly string[])[]): string | null {
  const sts = records.map((chunks) => chunks.join('')).filter((r) => /^v=STSv1\s*(;|$)/.test(r));
  if (sts.length !== 1 || sts[0] === undefined) return null;
  for (const field of sts[0].split(';')) {
    const m = /^\s*id\s*=\s*([A-Za-z0-9]{1,32})\s*$/.exec(field);
    if (m?.[1] !== undefined) return m[1];
  }
  return null;
}

const MODES: readonly string[] = ['enforce', 'testing', 'none'];

/** A pattern of the mx field (§3.2: a domain name, optionally with "*." as its leftmost label). */
function validMx(pattern: string): boolean {
  return /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(pattern);
}

/**
 * Parses a policy file (§3.2): "key: value" lines ended by CRLF or LF; unknown keys are ignored; mx
 * may repeat; for the other keys the first occurrence counts. version must be STSv1, mode one of
 * enforce/testing/none, max_age 1-10 digits, at least one mx unless the mode is none.
 */
export function parsePolicy(text: string): ParseResult<StsPolicy> {
  const fields = new Map<string, string>();
  const mx: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^([A-Za-z0-9_]+)[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) return { ok: false, error: `not a policy line: ${line.slice(0, 80)}` };
    const [key, value] = [m[1], m[2]];
    if (key === 'mx') mx.push(value.toLowerCase().replace(/\.$/, ''));
    else if (!fields.has(key)) fields.set(key, value);
  }
  if (fields.get('version') !== 'STSv1') return { ok: false, error: 'version is not STSv1' };
  const mode = fields.get('mode') ?? '';
  if (!MODES.includes(mode)) return { ok: false, error: `unknown mode "${mode}"` };
  const age = fields.get('max_age') ?? '';
  if (!/^\d{1,10}$/.test(age)) return { ok: false, error: 'max_age missing or not a number' };
  const bad = mx.find((p) => !validMx(p));
  if (bad !== undefined) return { ok: false, error: `invalid mx pattern "${bad}"` };
  if (mx.length === 0 && mode !== 'none') return { ok: false, error: 'no mx pattern' };
  return { ok: true, value: { mode: mode as StsMode, mx, maxAge: Math.min(Number(age), LIMITS.mtaSts.maxAgeSeconds) } };
}

/**
 * Whether an MX host name matches a policy pattern (§4.1): equal ignoring case, or "*.rest" where the
 * wildcard stands for exactly one leftmost label ("*.example.com" matches "mx1.example.com", not
 * "example.com" nor "a.b.example.com").
 */
export function mxMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

export function policyAllows(policy: StsPolicy, host: string): boolean {
  return policy.mx.some((p) => mxMatches(p, host));
}
