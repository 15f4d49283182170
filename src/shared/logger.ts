/**
 * Structured logging: one line per event, `level msg key=value…`, to stderr. Secrets are never
 * passed to the logger (passwords shown once go straight to the terminal, see cli/).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function format(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s !== undefined && /^[\w.:/@-]+$/.test(s) ? s : JSON.stringify(s ?? String(v));
}

export function createLogger(level: LogLevel = 'info', base: Record<string, unknown> = {},
  write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = ORDER[level];
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lvl] < min) return;
    const all = { ...base, ...fields };
    let line = `${new Date().toISOString()} ${lvl} ${msg}`;
    for (const [k, v] of Object.entries(all)) if (v !== undefined) line += ` ${k}=${format(v)}`;
    write(line + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (f) => createLogger(level, { ...base, ...f }, write),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const nullLogger: Logger = {
  debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined,
  child: () => nullLogger,
};
