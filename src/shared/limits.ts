/**
 * Every limit Roost enforces, in one place, each with the reason it exists.
 * Limits before authentication are tighter than after: an anonymous peer gets
 * just enough room to log in and no more.
 */
export const LIMITS = {
  imap: {
    /**
     * Longest command line (excluding literals) before login. RFC 2971 §3.3 lets a client send ID with 30
     * fields of up to 30 octets and values of up to 1024 octets: about 32 KB quoted, up to twice that
     * with quoted-string escapes.
     */
    lineBytesPreAuth: 64 * 1024,
    /** Longest command line after login: long UID sets from sync clients need room (RFC 7162 §4 suggests >= 8192). */
    lineBytes: 256 * 1024,
    /** Largest literal accepted before login (only a user name or password fits). */
    literalBytesPreAuth: 4 * 1024,
    /** Largest non-APPEND literal after login (search strings, mailbox names). */
    literalBytes: 1024 * 1024,
    /** Largest message accepted by APPEND; advertised as APPENDLIMIT (RFC 7889). */
    appendBytes: 64 * 1024 * 1024,
    /** Messages in one MULTIAPPEND command. */
    multiappendMessages: 1000,
    /** Nesting depth of parenthesised lists and search keys in a command. */
    nestingDepth: 32,
    /** Total bytes of a single command including literals, after login (bounded memory per session). */
    commandBytes: 72 * 1024 * 1024,
    /** Commands buffered (pipelined) but not yet executed before we stop reading from the socket. */
    pipelinedCommands: 64,
    /** Bytes queued for a client that does not read before the connection is dropped. */
    outputBufferBytes: 16 * 1024 * 1024,
    /** Idle time before a non-authenticated connection is closed (RFC 9051 §5.4: at least 30 minutes for authenticated). */
    preAuthIdleMs: 60_000,
    /** Idle time for an authenticated connection; IDLE clients re-issue well within it (RFC 2177: 29 minutes). */
    authIdleMs: 31 * 60_000,
    /** Bad commands in a row before we close the connection. */
    badCommandsInRow: 20,
    /** Mailbox name length in bytes (UTF-8). */
    mailboxNameBytes: 1024,
    /** Hierarchy depth of mailbox names. */
    mailboxDepth: 32,
    /** Mailboxes per account. */
    mailboxesPerAccount: 10_000,
    /** Keywords (user flags) per mailbox before further new ones are refused (PERMANENTFLAGS stops listing \*). */
    keywordsPerMailbox: 1000,
    /** Length of a single keyword. */
    keywordBytes: 255,
    /**
     * UIDs kept in the shared per-mailbox UID cache (4 bytes each: 16 MB). SELECT of a cached mailbox
     * reads nothing, and every session on it shares one array; least recently selected go first.
     */
    uidCacheMessages: 4_000_000,
    /**
     * Message-IDs of one message's References used by THREAD=REFERENCES (the first and the latest are
     * kept): MUAs truncate long lists anyway, and a hostile header of thousands of ids must not make
     * threading quadratic.
     */
    threadReferences: 100,
  },
  mime: {
    /** Nesting depth of multiparts/message parts we descend into; deeper parts are treated as opaque leaves. */
    depth: 64,
    /** Parts in one message we index; further parts are treated as opaque leaves. */
    parts: 10_000,
    /** Header bytes of one part we parse for structure. */
    headerBytes: 1024 * 1024,
    /** Characters of text kept for PREVIEW (RFC 8970 §3: at most 256 characters; clients show ~200). */
    previewChars: 200,
  },
  auth: {
    /** Failed logins from one IP within the window before each further attempt is delayed. */
    failuresPerIpBeforeDelay: 3,
    /** Failed logins for one account within the window before each further attempt is delayed. */
    failuresPerAccountBeforeDelay: 5,
    /** Window over which failures are counted. */
    failureWindowMs: 15 * 60_000,
    /** Longest delay applied to a failing login. */
    maxDelayMs: 15_000,
    /** How long a verified password stays in the fast in-memory login cache (Dovecot's auth cache idea). */
    verifiedCacheMs: 10 * 60_000,
    /** Password length accepted (bounds hashing cost). */
    passwordBytes: 1024,
  },
  pop3: {
    /**
     * Longest command line. RFC 2449 §4 allows 255 octets, but lifts that for AUTH and SASL answers
     * (RFC 5034 §4) and real passwords can be long: anything longer is refused, the line skipped.
     */
    lineBytes: 8 * 1024,
    /** Errors in a row (bad commands, failed logins) before the connection is closed. */
    errorsBeforeClose: 10,
    /** Inactivity before the server closes the connection; RFC 1939 §3 asks for at least 10 minutes. */
    idleMs: 10 * 60_000,
    /** Pipelined input waiting to be handled above which the socket is paused (the kernel holds the rest). */
    inputBytes: 64 * 1024,
    /**
     * Output queued for a client that does not read before it is dropped (RETR streams its message
     * as the client reads, so this bounds pipelined answers nobody collects).
     */
    outputBufferBytes: 16 * 1024 * 1024,
    /** Largest message read ahead for the next RETR while the client reads the current one. */
    readAheadBytes: 1024 * 1024,
  },
  smtp: {
    /**
     * Largest message accepted (advertised as SIZE, RFC 1870 §4). Matches the usual 50 MB of big
     * providers; IMAP APPEND allows a little more so a message that arrived can always be copied back.
     */
    messageBytes: 50 * 1024 * 1024,
    /** Recipients of one transaction; RFC 5321 §4.5.3.1.8 requires room for at least 100. */
    recipientsPerMessage: 100,
    /** Longest command line; RFC 5321 §4.5.3.1.4 says 512 octets, extensions' parameters need more. */
    commandLineBytes: 4096,
    /** Inactivity before the server closes the connection; RFC 5321 §4.5.3.2.7 asks for at least 5 minutes. */
    idleMs: 5 * 60_000,
    /** Commands before AUTH on submission (EHLO, STARTTLS, EHLO, AUTH …) before the client is dropped. */
    commandsBeforeAuth: 10,
    /** How long close() lets a session finish its transaction before it is cut (a server that stops). */
    closeGraceMs: 5_000,
    /** Messages one user may submit per hour (450 4.7.1 after that): an account taken over is no spam cannon. */
    submissionsPerUserPerHour: 300,
    /** Alias hops followed from an address to an account (an alias of an alias …); a loop ends here. */
    aliasHops: 8,
    /** Time one DMARC/SPF/DKIM evaluation may take before it is treated as a temporary DNS error. */
    authenticationMs: 20_000,
  },
  outbound: {
    /**
     * Waits between delivery attempts of one queued recipient, in seconds; the last repeats
     * (RFC 5321 §4.5.4.1: at least 30 minutes between retries is the SHOULD for a busy queue, but the
     * first retries come sooner because most temporary failures are greylisting and short outages).
     * `[smtp] retry_schedule` replaces it (tests use seconds).
     */
    retrySeconds: [60, 5 * 60, 15 * 60, 30 * 60, 60 * 60, 2 * 60 * 60],
    /** How long a message is retried before it bounces (RFC 5321 §4.5.4.1: at least 4-5 days). */
    lifetimeSeconds: 5 * 24 * 60 * 60,
    /** After this long undelivered, the sender gets one delay notice (RFC 3464 Action: delayed). */
    delayNoticeSeconds: 4 * 60 * 60,
    /** How often the worker looks for due rows when nothing woke it. */
    pollMs: 5_000,
    /** Rows one claim takes. */
    claimRows: 100,
    /**
     * A claimed row stays with its node this long; a node that died leaves its rows to others after
     * it (a restarted node takes its own back at once). Longer than the slowest delivery.
     */
    leaseMs: 15 * 60_000,
    /** Deliveries (connections to remote servers) running at once. */
    concurrentDeliveries: 10,
    /** Recipients of one message sent in one transaction to one server (RFC 5321 §4.5.3.1.8: >= 100). */
    recipientsPerTransaction: 100,
    /** Time to connect, and to wait for the greeting (RFC 5321 §4.5.3.2.1: 5 minutes). */
    connectMs: 60_000,
    greetingMs: 5 * 60_000,
    /** Inactivity on a connection to a remote server (RFC 5321 §4.5.3.2 asks for minutes per step). */
    socketMs: 10 * 60_000,
    /** MX hosts tried for one domain in one attempt. */
    mxHosts: 5,
    /** Characters of a remote server's reply kept as the row's last error and quoted in a DSN. */
    errorChars: 1000,
    /** Original message bytes returned in a bounce beyond its header (RFC 3464 §2.1 text/rfc822-headers: header only). */
    bounceHeaderBytes: 64 * 1024,
  },
  mtaSts: {
    /** Time for the whole policy fetch over HTTPS (RFC 8461 §3.3: senders should bound the fetch time). */
    fetchTimeoutMs: 10_000,
    /** A policy body larger than this is refused (RFC 8461 §3.3: senders should bound the policy size). */
    policyBytes: 64 * 1024,
    /** A policy is cached at most this long, whatever its max_age (RFC 8461 §3.2: max_age <= 31557600). */
    maxAgeSeconds: 31_557_600,
    /** Policies kept in memory at most (the oldest goes first). */
    cacheEntries: 10_000,
  },
  dns: {
    /** How long an answer is reused (node:dns gives no TTL for TXT and MX; real TTLs are rarely shorter). */
    cacheMs: 60_000,
    /** How long "no such name" / "no such record" is reused. */
    negativeCacheMs: 30_000,
    /** Answers kept at most (the oldest goes first). */
    cacheEntries: 10_000,
  },
  connections: {
    /** Concurrent connections from one IP address per protocol listener. */
    perIp: 200,
    /** Concurrent connections per listener. */
    perListener: 20_000,
  },
  store: {
    /** Messages at most this large are kept inside the database; larger ones as files (see store/blobs). */
    inlineBlobBytes: 256 * 1024,
    /**
     * The writer checkpoints the WAL into the database once it holds this many pages (4 KiB each).
     * SQLite's default (1000) checkpoints every few hundred busy writes; a longer WAL copies a page
     * rewritten many times (a mailbox's last leaf, say) once instead of every time: 8% more
     * persistent-client throughput in bench (a), readers unaffected.
     */
    walCheckpointPages: 10000,
    /** After a checkpoint, a WAL file longer than this is truncated back to it (bounds its disk use). */
    walSizeLimitBytes: 64 * 1024 * 1024,
  },
} as const;
