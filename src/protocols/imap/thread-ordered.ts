/**
 * THREAD=ORDEREDSUBJECT (RFC 5256 §3), pure: messages sorted by base subject then sent date, one
 * thread per base subject, threads ordered by the sent date of their first message. The first
 * message is the root; every later one is its child (siblings of each other, no grandchildren).
 */
import type { ThreadNode } from './wire/index.js';
import { byDate, bySubjectThenDate, type ThreadMessage } from './thread-message.js';

export function orderedSubjectThreads(messages: readonly ThreadMessage[]): ThreadNode[] {
  const sorted = [...messages].sort(bySubjectThenDate);
  const threads: ThreadMessage[][] = [];
  for (const m of sorted) {
    const current = threads[threads.length - 1];
    if (current !== undefined && current[0]!.subject.key === m.subject.key) current.push(m);
    else threads.push([m]);
  }
  threads.sort((a, b) => byDate(a[0]!, b[0]!));
  return threads.map(([first, ...rest]) => ({
    message: first!.id,
    children: rest.map((m) => ({ message: m.id, children: [] })),
  }));
}
