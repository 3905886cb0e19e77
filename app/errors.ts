/**
 * The one error vocabulary of Poplar. Every expected failure is a `MailError` with a code from a closed union,
 * built by one factory; a broken invariant is a `BugError`. Errors cross IPC as data (see `toErrorData`).
 */

export type MailErrorCode =
  // Transport: TCP, TLS and STLS (RFC 8314, RFC 2595).
  | 'CONNECT_TIMEOUT'
  | 'CONNECT_FAILED'
  | 'TLS_FAILED'
  | 'CERT_UNTRUSTED'
  | 'CERT_FINGERPRINT_MISMATCH'
  | 'STLS_UNAVAILABLE'
  | 'STLS_INJECTION'
  | 'PLAINTEXT_REFUSED'
  // Never hang: C0002, C0005, C0006, C0014.
  | 'GREETING_TIMEOUT'
  | 'IDLE_TIMEOUT'
  | 'CONNECTION_CLOSED'
  // The reader: bounded, hostile-input-safe.
  | 'LINE_TOO_LONG'
  | 'RESPONSE_TOO_LARGE'
  | 'BAD_RESPONSE'
  | 'UNEXPECTED_DATA'
  // Server answers, with the RFC 2449 / RFC 3206 response codes.
  | 'SERVER_ERROR'
  | 'IN_USE'
  | 'LOGIN_DELAY'
  | 'SYS_TEMP'
  | 'SYS_PERM'
  | 'AUTH_FAILED'
  | 'NO_AUTH_MECHANISM'
  | 'NOT_SUPPORTED'
  // Caller input (C0003): refused before anything is sent.
  | 'INVALID_ARGUMENT'
  // The session was closed by its owner while a command was pending.
  | 'ABORTED'
  // The local store (IndexedDB) refused a write or a read: full, closed, or broken.
  | 'STORE_QUOTA'
  | 'STORE_CLOSED'
  | 'STORE_FAILED'
  | 'STORE_NOT_FOUND'
  | 'STORE_INVALID';

/** Every code at run time (IPC validation, tests); the compiler checks it lists the union exactly. */
const CODE_SET: Readonly<Record<MailErrorCode, true>> = {
  CONNECT_TIMEOUT: true,
  CONNECT_FAILED: true,
  TLS_FAILED: true,
  CERT_UNTRUSTED: true,
  CERT_FINGERPRINT_MISMATCH: true,
  STLS_UNAVAILABLE: true,
  STLS_INJECTION: true,
  PLAINTEXT_REFUSED: true,
  GREETING_TIMEOUT: true,
  IDLE_TIMEOUT: true,
  CONNECTION_CLOSED: true,
  LINE_TOO_LONG: true,
  RESPONSE_TOO_LARGE: true,
  BAD_RESPONSE: true,
  UNEXPECTED_DATA: true,
  SERVER_ERROR: true,
  IN_USE: true,
  LOGIN_DELAY: true,
  SYS_TEMP: true,
  SYS_PERM: true,
  AUTH_FAILED: true,
  NO_AUTH_MECHANISM: true,
  NOT_SUPPORTED: true,
  INVALID_ARGUMENT: true,
  ABORTED: true,
  STORE_QUOTA: true,
  STORE_CLOSED: true,
  STORE_FAILED: true,
  STORE_NOT_FOUND: true,
  STORE_INVALID: true,
};

export const MAIL_ERROR_CODES: readonly MailErrorCode[] = Object.keys(CODE_SET) as MailErrorCode[];

export interface MailErrorDetails {
  /** The server's own words (the status line text without the indicator), for the account status. */
  readonly serverText?: string;
  /** An RFC 2449 extended response code such as `IN-USE` or `SYS/TEMP`, upper-cased (codes are case-insensitive). */
  readonly responseCode?: string;
  /** The command that failed, already redacted (`PASS ****`). */
  readonly command?: string;
  /** Free-form extra facts (a certificate fingerprint, a limit), all safe to log. */
  readonly facts?: Readonly<Record<string, string | number | boolean>>;
}

export class MailError extends Error {
  override readonly name = 'MailError';
  readonly code: MailErrorCode;
  readonly details: MailErrorDetails;

  constructor(code: MailErrorCode, message: string, details: MailErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** True when the same operation may succeed later without the user changing anything. */
  get transient(): boolean {
    return TRANSIENT_CODES.has(this.code);
  }
}

const TRANSIENT_CODES: ReadonlySet<MailErrorCode> = new Set<MailErrorCode>([
  'CONNECT_TIMEOUT',
  'CONNECT_FAILED',
  'GREETING_TIMEOUT',
  'IDLE_TIMEOUT',
  'CONNECTION_CLOSED',
  'IN_USE',
  'LOGIN_DELAY',
  'SYS_TEMP',
]);

/** The single factory for expected failures. */
export function mailError(
  code: MailErrorCode,
  message: string,
  details: MailErrorDetails = {},
  cause?: unknown,
): MailError {
  return new MailError(code, message, details, cause === undefined ? undefined : { cause });
}

/** A broken invariant inside Poplar: a programming error, never a server's or a user's fault. */
export class BugError extends Error {
  override readonly name = 'BugError';
}

export function assertNever(value: never, what = 'value'): never {
  throw new BugError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

export function isMailError(e: unknown): e is MailError {
  return e instanceof MailError;
}

/** The plain-data form of an error, as it crosses IPC. */
export interface ErrorData {
  readonly code: MailErrorCode | 'BUG';
  readonly message: string;
  readonly details: MailErrorDetails;
}

export function toErrorData(e: unknown): ErrorData {
  if (e instanceof MailError) return { code: e.code, message: e.message, details: e.details };
  return { code: 'BUG', message: e instanceof Error ? e.message : String(e), details: {} };
}
