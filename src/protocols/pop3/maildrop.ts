/**
 * The maildrop a POP session works on: a snapshot of the offered INBOX messages taken at login
 * (RFC 1939 §4: numbered 1…n for the whole session), with the DELE marks and the downloads made.
 * Pure; the session reads the messages' bytes and commits the UPDATE through the store.
 */
import type { PopSettings, PopUpdate } from '../../store/pop.js';

export interface DropMessage {
  uid: number;
  size: number;
  blob: string;
  headerSize: number;
}

export type Lookup = { ok: true; message: DropMessage } | { ok: false; error: string };

export class Maildrop {
  private readonly deleted = new Set<number>();
  private readonly retrieved = new Set<number>();

  constructor(readonly uidValidity: number, readonly messages: readonly DropMessage[]) {}

  /** The message numbered `n` (1-based) unless it does not exist or is marked deleted. */
  get(n: number): Lookup {
    const message = this.messages[n - 1];
    if (n < 1 || message === undefined) return { ok: false, error: `No message ${n} (there are ${this.messages.length})` };
    if (this.deleted.has(n)) return { ok: false, error: `Message ${n} is already deleted` };
    return { ok: true, message };
  }

  /** Numbers of the messages not marked deleted, ascending. */
  *live(): Generator<[number, DropMessage]> {
    for (let i = 0; i < this.messages.length; i++) {
      if (!this.deleted.has(i + 1)) yield [i + 1, this.messages[i]!];
    }
  }

  stat(): { count: number; size: number } {
    let count = 0;
    let size = 0;
    for (const [, m] of this.live()) {
      count++;
      size += m.size;
    }
    return { count, size };
  }

  dele(n: number): void {
    this.deleted.add(n);
  }

  /** RFC 1939 §5 RSET: unmark every deletion. */
  rset(): void {
    this.deleted.clear();
  }

  markRetrieved(n: number): void {
    this.retrieved.add(n);
  }

  /** The unique-id listing value (RFC 1939 §7): stable for the life of the message in the INBOX. */
  uidl(m: DropMessage): string {
    return uniqueId(this.uidValidity, m.uid);
  }

  /**
   * What QUIT commits under the account's settings: DELE'd messages deleted (or moved to Trash), and
   * downloaded ones handled as "after download" says — whatever the client asked, DELE wins.
   */
  update(settings: PopSettings): PopUpdate {
    const u: PopUpdate = { remove: [], trash: [], archive: [], seen: [] };
    this.messages.forEach((m, i) => {
      const n = i + 1;
      if (this.deleted.has(n)) {
        (settings.dele === 'trash' ? u.trash : u.remove).push(m.uid);
      } else if (this.retrieved.has(n)) {
        if (settings.afterDownload === 'read') u.seen.push(m.uid);
        else if (settings.afterDownload === 'archive') u.archive.push(m.uid);
        else if (settings.afterDownload === 'trash') u.trash.push(m.uid);
      }
    });
    return u;
  }
}

/**
 * A message's unique id: INBOX UIDVALIDITY and UID, 8 hex digits each. The pair never names another
 * message (RFC 9051 §2.3.1.1), so a client that leaves mail on the server never downloads one twice.
 */
export function uniqueId(uidValidity: number, uid: number): string {
  return uidValidity.toString(16).padStart(8, '0') + uid.toString(16).padStart(8, '0');
}

export function isEmpty(u: PopUpdate): boolean {
  return u.remove.length + u.trash.length + u.archive.length + u.seen.length === 0;
}
