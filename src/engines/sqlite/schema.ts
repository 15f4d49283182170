/**
 * SQLite schema for the embedded default engine. Metadata lives here (WAL mode, synchronous=FULL so a
 * commit is on disk before we acknowledge); small message bodies too, large ones as files (blobs.ts).
 * Migrations are append-only: a new entry per change, applied in order, recorded in user_version.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE domains (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    address TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    modseq INTEGER NOT NULL DEFAULT 1,
    last_uidvalidity INTEGER NOT NULL DEFAULT 0,
    quota_bytes INTEGER,
    used_bytes INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
  );
  CREATE TABLE aliases (
    address TEXT PRIMARY KEY COLLATE NOCASE,
    target TEXT NOT NULL
  );
  CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    special_use TEXT,
    uidvalidity INTEGER NOT NULL,
    uidnext INTEGER NOT NULL DEFAULT 1,
    highestmodseq INTEGER NOT NULL,
    messages INTEGER NOT NULL DEFAULT 0,
    unseen INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0,
    subscribed INTEGER NOT NULL DEFAULT 0,
    keywords TEXT NOT NULL DEFAULT '[]',
    UNIQUE (account_id, name)
  );
  CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    refs INTEGER NOT NULL,
    data BLOB
  ) WITHOUT ROWID;
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    blob TEXT NOT NULL,
    size INTEGER NOT NULL,
    header_size INTEGER NOT NULL,
    thread_id INTEGER NOT NULL,
    hdr_date INTEGER,
    subject TEXT NOT NULL,
    base_subject TEXT NOT NULL,
    from_text TEXT NOT NULL,
    to_text TEXT NOT NULL,
    cc_text TEXT NOT NULL,
    bcc_text TEXT NOT NULL,
    sort_from TEXT NOT NULL,
    sort_to TEXT NOT NULL,
    sort_cc TEXT NOT NULL,
    display_from TEXT NOT NULL,
    display_to TEXT NOT NULL,
    message_id TEXT,
    in_reply_to TEXT,
    refs TEXT,
    envelope TEXT NOT NULL,
    bodystructure TEXT NOT NULL,
    body TEXT NOT NULL,
    mime TEXT NOT NULL,
    preview TEXT NOT NULL,
    has_attachment INTEGER NOT NULL
  );
  CREATE INDEX messages_msgid ON messages(account_id, message_id);
  CREATE TABLE entries (
    mailbox_id INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    modseq INTEGER NOT NULL,
    flags INTEGER NOT NULL,
    keywords TEXT,
    internal_date INTEGER NOT NULL,
    save_date INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
  ) WITHOUT ROWID;
  CREATE INDEX entries_modseq ON entries(mailbox_id, modseq);
  CREATE INDEX entries_message ON entries(message_id);
  CREATE INDEX entries_unseen ON entries(mailbox_id, uid) WHERE (flags & 1) = 0;
  CREATE INDEX entries_deleted ON entries(mailbox_id, uid) WHERE (flags & 8) = 8;
  CREATE TABLE tombstones (
    mailbox_id INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    modseq INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
  ) WITHOUT ROWID;
  CREATE INDEX tombstones_modseq ON tombstones(mailbox_id, modseq);
  `,
  // 2: substring index for SEARCH over the search-folded header columns (text-index.ts). FTS5 trigram
  // tokens with case_sensitive 1 on already folded text: a phrase query is exactly instr()'s substring
  // match, answered from the index instead of a scan. External content (the text stays in messages);
  // writes.ts adds and removes index rows with the message rows (not triggers: FTS5 flushes its
  // pending data at every trigger's statement savepoint, which made appends five times dearer).
  `
  CREATE VIRTUAL TABLE message_text USING fts5(
    subject, from_text, to_text, cc_text, bcc_text,
    content = 'messages', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
  );
  INSERT INTO message_text (message_text) VALUES ('rebuild');
  -- HEADER Message-ID "<id>" (clients look messages up by id): case-insensitive exact match by index.
  CREATE INDEX messages_msgid_lower ON messages(lower(message_id));
  `,
  // 3: the Date header's zone (minutes east of UTC): SEARCH SENTBEFORE/SENTON/SENTSINCE compare the
  // date as written in the header, "disregarding time and timezone" (RFC 9051 §6.4.4), not its UTC day.
  // Rows from before have NULL and compare in UTC.
  `
  ALTER TABLE messages ADD COLUMN hdr_zone INTEGER;
  `,
  // 4: subscriptions to names that have no mailbox (any more): RFC 9051 §6.3.7 says a server "SHOULD
  // NOT unilaterally remove an existing mailbox name from the subscription list even if a mailbox by
  // that name no longer exists". An existing mailbox keeps its subscription on its row.
  `
  CREATE TABLE lost_subscriptions (
    account_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (account_id, name)
  ) WITHOUT ROWID;
  `,
  // 5: the header substring index becomes contentless with cheap deletes (a tombstone by rowid, no
  // re-tokenizing of the old text at every expunge) and is filled in bulk, behind the writes: rows
  // with an id above text_index_state.upto are not indexed yet, and searches scan just those
  // (text-index.ts). Filled again from scratch by the indexer after this migration.
  `
  DROP TABLE message_text;
  CREATE VIRTUAL TABLE message_text USING fts5(
    subject, from_text, to_text, cc_text, bcc_text,
    content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
  );
  CREATE TABLE text_index_state (id INTEGER PRIMARY KEY CHECK (id = 1), upto INTEGER NOT NULL);
  INSERT INTO text_index_state (id, upto) VALUES (1, 0);
  `,
  // 6: the outbound queue, one row per (message, recipient), the bytes a blob with one reference per
  // row (bytes stored once, fsynced before the commit that makes the rows visible). A row is claimed
  // with a lease (leased_until, lease_owner) so several nodes can share the queue; a lease that ran
  // out makes the row claimable again. And each local domain's DKIM key (RFC 6376), made lazily.
  `
  CREATE TABLE outbound_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    blob TEXT NOT NULL,
    size INTEGER NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    domain TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    leased_until INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    delay_notified INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX outbound_queue_due ON outbound_queue(next_attempt_at);
  CREATE TABLE dkim_keys (
    domain TEXT PRIMARY KEY COLLATE NOCASE,
    selector TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    private_key TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];
