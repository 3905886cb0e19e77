/**
 * Structured logging for main/: one JSON object a line on stderr, with the account and run ids carried by child
 * loggers. Protocol lines go at debug level and are redacted before they get here (see connection.ts).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  readonly level: LogLevel;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  /** Cheap guard for hot paths: skip building a message nobody will see. */
  enabled(level: LogLevel): boolean;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogWriter = (line: string) => void;

export function createLogger(level: LogLevel, write: LogWriter, base: LogFields = {}): Logger {
  const emit = (at: LogLevel, message: string, fields?: LogFields): void => {
    if (RANK[at] < RANK[level]) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: at, msg: message, ...base, ...fields }));
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(level, write, { ...base, ...fields }),
    enabled: (at) => RANK[at] >= RANK[level],
  };
}

export function stderrLogger(level: LogLevel): Logger {
  return createLogger(level, (line) => process.stderr.write(`${line}\n`));
}

/** A logger that drops everything: the default for library calls. */
export const SILENT_LOGGER: Logger = createLogger('error', () => undefined);
