/**
 * The corpus messages for golden tests: every file of ../shared/corpus/mimekit/messages and every
 * message of the mbox files, as stored (LF line endings) and normalized to CRLF (as SMTP and IMAP
 * APPEND deliver them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { MIMEKIT_DIR } from '../helpers/corpus.js';
import { splitMbox } from './mbox.js';

export const CORPUS_DIR = MIMEKIT_DIR + '/';

export interface CorpusMessage {
  /** e.g. "messages/body.1.txt" or "mbox/simple.mbox.txt#2". */
  source: string;
  /** File name of the golden file. */
  golden: string;
  /** The bytes as in the corpus. */
  raw: Buffer;
}

export function toCrlf(raw: Buffer): Buffer {
  return Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

export function corpusMessages(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  for (const name of readdirSync(CORPUS_DIR + 'messages').sort()) {
    out.push({ source: 'messages/' + name, golden: name + '.golden', raw: readFileSync(CORPUS_DIR + 'messages/' + name) });
  }
  for (const name of readdirSync(CORPUS_DIR + 'mbox').sort()) {
    splitMbox(readFileSync(CORPUS_DIR + 'mbox/' + name)).forEach((raw, i) => {
      out.push({ source: `mbox/${name}#${i + 1}`, golden: `${name}-${i + 1}.golden`, raw });
    });
  }
  return out;
}
