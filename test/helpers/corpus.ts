/**
 * Where the shared test corpus is (read-only, never copied into the repo): $ROOST_CORPUS_DIR, else
 * ../shared/corpus beside the project (the documented place), else /work/shared/corpus (a clone made
 * elsewhere on the development machine, as CI's is). Tests fail loudly when it cannot be found.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function findCorpus(): string {
  const candidates = [process.env['ROOST_CORPUS_DIR'], join(ROOT, '..', 'shared', 'corpus'), '/work/shared/corpus'];
  for (const c of candidates) if (c !== undefined && c !== '' && existsSync(join(c, 'mimekit', 'messages'))) return c;
  throw new Error(`test corpus not found (tried ${candidates.filter(Boolean).join(', ')}); set ROOST_CORPUS_DIR`);
}

/** The corpus root (containing mimekit/). */
export const CORPUS_ROOT = findCorpus();
/** mimekit/ inside it. */
export const MIMEKIT_DIR = join(CORPUS_ROOT, 'mimekit');
/** mimekit/messages/ inside it. */
export const MESSAGES_DIR = join(MIMEKIT_DIR, 'messages');
