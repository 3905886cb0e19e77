/**
 * Every bound the engine puts on what a server may send, in one place. Each breach is a named error code
 * (`LINE_TOO_LONG`, `RESPONSE_TOO_LARGE`), so hostile or broken servers cannot make Poplar buffer without end.
 */
export interface ReaderLimits {
  /**
   * Longest status line or listing line (UIDL, LIST, CAPA) in bytes, CRLF included. RFC 2449 §4 caps a
   * response line at 512 octets; we allow far more because real servers put long texts in greetings.
   */
  readonly maxLineBytes: number;
  /** Largest multi-line response (a whole message for RETR, a whole listing for UIDL) in bytes. */
  readonly maxResponseBytes: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxLineBytes: 64 * 1024,
  maxResponseBytes: 1024 * 1024 * 1024,
};

/** Deadlines in milliseconds; see `Pop3Timeouts` in connection.ts for what each covers. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
export const DEFAULT_GREETING_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** RFC 1939 §7 allows 1–70 characters in a unique-id; longer ones are kept, not fatal (C0039). */
export const MAX_UNIQUE_ID_CHARS = 512;

/** Pipelining window bounds (commands in flight); see pipeline.ts for how the window adapts in between. */
export const MIN_PIPELINE_WINDOW = 32;
export const MAX_PIPELINE_WINDOW = 4096;
