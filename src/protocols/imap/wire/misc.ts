/**
 * Small commands with arguments: ID (RFC 2971), ENABLE (RFC 5161), COMPRESS (RFC 4978),
 * GETQUOTA / SETQUOTA (RFC 9208).
 */
import type { Reader } from './reader.js';
import type { CompressCommand, EnableCommand, GetQuotaCommand, IdCommand, IdParam, QuotaLimit, SetQuotaCommand } from './types.js';

/** RFC 2971 §3.3: at most 30 field-value pairs. */
const ID_MAX_PAIRS = 30;

/** id = "ID" SP ("(" [string SP nstring *(SP string SP nstring)] ")" / nil) */
export function parseId(r: Reader, tag: string): IdCommand {
  r.sp();
  if (r.peek() !== 0x28) {
    if (r.keyword() !== 'NIL') r.fail('Expected ID parameter list or NIL');
    return { tag, kind: 'ID', params: null };
  }
  r.open();
  const params: IdParam[] = [];
  if (!r.eat(0x29)) {
    for (;;) {
      if (params.length === ID_MAX_PAIRS) r.fail('Too many ID parameters');
      const field = r.string();
      r.sp();
      params.push({ field, value: r.nstring() });
      if (r.eat(0x29)) break;
      r.sp();
    }
  }
  r.leave();
  return { tag, kind: 'ID', params };
}

/** enable = "ENABLE" 1*(SP capability) */
export function parseEnable(r: Reader, tag: string): EnableCommand {
  const capabilities: string[] = [];
  do {
    r.sp();
    capabilities.push(r.keyword());
  } while (!r.atEnd());
  return { tag, kind: 'ENABLE', capabilities };
}

/** compress = "COMPRESS" SP algorithm */
export function parseCompress(r: Reader, tag: string): CompressCommand {
  r.sp();
  return { tag, kind: 'COMPRESS', algorithm: r.keyword() };
}

/** getquota = "GETQUOTA" SP quota-root-name */
export function parseGetQuota(r: Reader, tag: string): GetQuotaCommand {
  r.sp();
  return { tag, kind: 'GETQUOTA', root: r.astring() };
}

/** setquota = "SETQUOTA" SP quota-root-name SP "(" [resource-name SP resource-limit *(SP ...)] ")" */
export function parseSetQuota(r: Reader, tag: string): SetQuotaCommand {
  r.sp();
  const root = r.astring();
  r.sp();
  r.open();
  const limits: QuotaLimit[] = [];
  if (!r.eat(0x29)) {
    for (;;) {
      const resource = r.keyword();
      r.sp();
      limits.push({ resource, limit: r.number64() });
      if (r.eat(0x29)) break;
      r.sp();
    }
  }
  r.leave();
  return { tag, kind: 'SETQUOTA', root, limits };
}
