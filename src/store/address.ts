/** Account, alias and domain addresses as the store keeps them. */
import { StoreError } from './errors.js';

/** An address as stored: trimmed, its domain lower-cased (the local part keeps its case). */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  const at = a.lastIndexOf('@');
  if (at <= 0 || at === a.length - 1 || /[\s<>()]/.test(a)) throw new StoreError('INVALID', `Not an email address: ${address}`);
  return a.slice(0, at) + '@' + a.slice(at + 1).toLowerCase();
}

/** An alias address: a whole address, or "@domain" for the domain's catch-all. */
export function normalizeAliasAddress(address: string): string {
  const a = address.trim();
  if (a.startsWith('@')) {
    const domain = a.slice(1).toLowerCase();
    if (domain === '' || domain.includes('@') || /[\s<>()]/.test(domain)) throw new StoreError('INVALID', `Not an email address or @domain: ${address}`);
    return `@${domain}`;
  }
  return normalizeAddress(a);
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
