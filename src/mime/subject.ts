/**
 * RFC 5256 §2.1 base subject, for SORT SUBJECT and THREAD=ORDEREDSUBJECT/REFERENCES.
 * Case is kept; the SORT comparator applies its collation (RFC 5256 §2.3 i;unicode-casemap).
 */

// subj-leader = (*subj-blob subj-refwd) / WSP ; subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
const REFWD = /^(?:\[[^[\]]*\] *)*(?:re|fwd?) *(?:\[[^[\]]*\] *)?:/i;
// subj-blob = "[" *BLOBCHAR "]" *WSP
const BLOB = /^\[[^[\]]*\] */;
const FWD_TRAILER = /\(fwd\)$/i;

/** Whether reply/forward artifacts were removed (RFC 5256 §3 THREAD=REFERENCES: "reply or forward"). */
interface Seen {
  reply: boolean;
}

/** Step (2): remove subj-trailer ("(fwd)" / WSP) until none is left. */
function removeTrailers(s: string, seen: Seen): string {
  let out = s;
  for (;;) {
    if (out.endsWith(' ')) out = out.trimEnd();
    else if (FWD_TRAILER.test(out)) {
      out = out.slice(0, -5);
      seen.reply = true;
    } else return out;
  }
}

/** Steps (3) to (5): leaders and blobs, repeated until nothing changes. */
function removeLeaders(s: string, seen: Seen): string {
  let out = s;
  for (;;) {
    const before = out;
    for (;;) {
      if (out.startsWith(' ')) {
        out = out.trimStart();
        continue;
      }
      const m = REFWD.exec(out);
      if (m === null) break;
      out = out.slice(m[0].length);
      seen.reply = true;
    }
    const blob = BLOB.exec(out);
    // (4): remove a leading blob only if a non-empty subj-base remains.
    if (blob !== null && out.slice(blob[0].length).trim() !== '') out = out.slice(blob[0].length);
    if (out === before) return out;
  }
}

/**
 * The base subject, and whether the extraction removed a reply/forward artifact (a subj-refwd, a
 * "(fwd)" trailer or a "[fwd: ...]" wrapper): RFC 5256 §3 THREAD=REFERENCES treats such a message as a
 * reply or forward. `subject` is the decoded (RFC 2047) subject text.
 */
export function subjectInfo(subject: string): { base: string; isReply: boolean } {
  const seen: Seen = { reply: false };
  // (1) tabs and continuations to space, runs of spaces to one.
  let s = subject.replace(/[\t\r\n]/g, ' ').replace(/ {2,}/g, ' ');
  for (;;) {
    s = removeLeaders(removeTrailers(s, seen), seen);
    // (6) "[fwd:" subject "]": unwrap and start again from (2).
    if (s.length >= 6 && s.slice(0, 5).toLowerCase() === '[fwd:' && s.endsWith(']')) {
      s = s.slice(5, -1);
      seen.reply = true;
      continue;
    }
    return { base: s, isReply: seen.reply };
  }
}

/** `subject` is the decoded (RFC 2047) subject text. */
export function baseSubject(subject: string): string {
  return subjectInfo(subject).base;
}
