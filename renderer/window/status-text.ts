/**
 * An account's problem in plain words, with what the user can do about it (house style 19: expected failures
 * become per-account status, with the server's own words). One entry per error code, closed by assertNever, so a
 * new code cannot reach the window unexplained.
 */
import { MAIL_ERROR_CODES, assertNever, type ErrorData, type MailErrorCode } from '../../app/errors.ts';

/** What the status line offers: a button, or just advice. */
export type StatusAction =
  /** "Try again now": a temporary problem; Poplar also retries by itself. */
  | 'retry'
  /** "Enter the password": the server refused the login. */
  | 'password'
  /** "Trust this certificate": a self-signed or otherwise unverifiable certificate. */
  | 'trust'
  /** Nothing to press: the server asked for a pause between logins (LOGIN-DELAY). */
  | 'wait'
  /** "Account settings": something in the settings must change. */
  | 'settings'
  /** Advice only (free space, report a bug). */
  | 'none';

export interface ProblemText {
  /** One short sentence: what went wrong. */
  readonly headline: string;
  /** What to do, in plain words. */
  readonly advice: string;
  readonly action: StatusAction;
  /** The server's own words, when it said something. */
  readonly serverWords?: string;
}

type Entry = readonly [headline: string, advice: string, action: StatusAction];

const RETRY_LATER = 'Poplar tries again by itself, waiting a little longer each time.';
const CHECK_SETTINGS = 'Check the server name, port and security in the account settings, or test them there.';

function entry(code: MailErrorCode | 'BUG'): Entry {
  switch (code) {
    case 'CONNECT_TIMEOUT':
      return ['The server did not answer in time.', `Check your network connection. ${RETRY_LATER}`, 'retry'];
    case 'CONNECT_FAILED':
      return ['Could not connect to the server.', `Check your network connection and the server name. ${RETRY_LATER}`, 'retry'];
    case 'GREETING_TIMEOUT':
      return ['The server accepted the connection but never greeted.', RETRY_LATER, 'retry'];
    case 'IDLE_TIMEOUT':
      return ['The server stopped answering in the middle of a check.', RETRY_LATER, 'retry'];
    case 'CONNECTION_CLOSED':
      return ['The connection was cut during the check.', `Nothing was lost. ${RETRY_LATER}`, 'retry'];
    case 'TLS_FAILED':
      return ['A secure connection could not be set up.', CHECK_SETTINGS, 'settings'];
    case 'CERT_UNTRUSTED':
      return [
        "The server's certificate is not trusted.",
        'If this is your own server with a self-signed certificate, and the fingerprint is the one you expect, trust it.',
        'trust',
      ];
    case 'CERT_FINGERPRINT_MISMATCH':
      return [
        'The server presented a different certificate from the one this account trusts.',
        'This can mean the server changed its certificate, or that someone is in between. Check with your provider, then test the account settings again.',
        'settings',
      ];
    case 'STLS_UNAVAILABLE':
      return ['The server does not offer STARTTLS.', 'Choose SSL/TLS (usually port 995) in the account settings.', 'settings'];
    case 'STLS_INJECTION':
      return [
        'The server sent unexpected data while the connection was being secured; Poplar refused it.',
        'This can be an attack on the connection. Try again on another network.',
        'retry',
      ];
    case 'PLAINTEXT_REFUSED':
      return [
        'The password would travel unencrypted, and this account does not allow that.',
        'Choose SSL/TLS or STARTTLS, or allow sending the password unencrypted in the account settings.',
        'settings',
      ];
    case 'LINE_TOO_LONG':
    case 'RESPONSE_TOO_LARGE':
    case 'BAD_RESPONSE':
    case 'UNEXPECTED_DATA':
      return ['The server sent an answer Poplar could not read.', RETRY_LATER, 'retry'];
    case 'SERVER_ERROR':
      return ['The server refused a command.', RETRY_LATER, 'retry'];
    case 'IN_USE':
      return ['The mailbox is in use by another program or device.', RETRY_LATER, 'retry'];
    case 'LOGIN_DELAY':
      return ['The server asks for a pause between logins.', 'Poplar checks again as soon as the server allows.', 'wait'];
    case 'SYS_TEMP':
      return ['The server has a temporary problem.', RETRY_LATER, 'retry'];
    case 'SYS_PERM':
      return [
        'The server reports a lasting problem with this mailbox.',
        'Automatic checks are paused. Contact your provider, then try again.',
        'settings',
      ];
    case 'AUTH_FAILED':
      return [
        'The server did not accept the user name or password.',
        'Automatic checks are paused until you enter the password again.',
        'password',
      ];
    case 'NO_AUTH_MECHANISM':
      return [
        'The server offers no login method Poplar can use with these settings.',
        'Test the account settings to see what the server offers.',
        'settings',
      ];
    case 'NOT_SUPPORTED':
      return ['The server does not support what this account needs.', 'Test the account settings to see what the server offers.', 'settings'];
    case 'INVALID_ARGUMENT':
      return ['Some account setting is not valid.', 'Open the account settings and correct it.', 'settings'];
    case 'ABORTED':
      return ['The check was stopped.', RETRY_LATER, 'retry'];
    case 'STORE_QUOTA':
      return [
        'There is no more room for mail on this computer.',
        'Empty Deleted Items or delete large messages, then try again.',
        'none',
      ];
    case 'STORE_CLOSED':
      return ['The mail store was closed.', 'Reload the window.', 'retry'];
    case 'STORE_FAILED':
    case 'STORE_INVALID':
      return ['The mail store refused a change.', 'Nothing was lost. Try again.', 'retry'];
    case 'STORE_NOT_FOUND':
      return ['That item is no longer in the mail store.', 'It was probably deleted meanwhile.', 'none'];
    case 'BUG':
      return ['Poplar ran into a problem of its own.', 'Try again; if it keeps happening, please report it.', 'retry'];
    default:
      return assertNever(code, 'error code');
  }
}

export function describeProblem(error: Pick<ErrorData, 'code'> & Partial<Pick<ErrorData, 'details'>>): ProblemText {
  const [headline, advice, action] = entry(error.code);
  const serverWords = error.details?.serverText;
  return serverWords === undefined || serverWords === '' ? { headline, advice, action } : { headline, advice, action, serverWords };
}

/**
 * A temporary failure the scheduler retries by itself, in a few words for the status bar, naming the server where
 * that is what failed: "Server busy (mailbox in use)", "Cannot reach pop.example.com". A code the scheduler does
 * not retry never reaches this, but gets its headline if it does.
 */
export function retryHeadline(code: MailErrorCode | 'BUG', host: string): string {
  const words = RETRY_WORDS[code];
  return words === undefined ? entry(code)[0].replace(/\.$/, '') : words(host);
}

/** The codes the scheduler retries (main/sync/scheduler.ts, RETRYABLE), in a few words each. */
const RETRY_WORDS: Partial<Record<MailErrorCode | 'BUG', (host: string) => string>> = {
  IN_USE: () => 'Server busy (mailbox in use)',
  SYS_TEMP: () => 'Server has a temporary problem',
  LOGIN_DELAY: (host) => `${host} asks for a pause between logins`,
  CONNECT_FAILED: (host) => `Cannot reach ${host}`,
  CONNECT_TIMEOUT: (host) => `Cannot reach ${host} (no answer in time)`,
  GREETING_TIMEOUT: (host) => `${host} accepted the connection but never greeted`,
  IDLE_TIMEOUT: (host) => `${host} stopped answering`,
  CONNECTION_CLOSED: (host) => `The connection to ${host} was cut`,
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * When something happens next, for a status that says so: "at 14:05 (in 2 min)" within the hour, "at 14:05" or
 * "at Mar 3, 14:05" later; `formatMoment` writes the time in the user's locale. Due or past: undefined.
 */
export function whenText(at: number, now: number, formatMoment: (at: number, now: number) => string): string | undefined {
  const wait = at - now;
  if (wait <= 0) return undefined;
  const moment = `at ${formatMoment(at, now)}`;
  if (wait >= HOUR) return moment;
  if (wait < MINUTE) return `${moment} (in less than a minute)`;
  return `${moment} (in ${Math.ceil(wait / MINUTE)} min)`;
}

/** Whether a code (from the live status or the one stored with the account) is one Poplar knows. */
export function knownCode(code: string | undefined): MailErrorCode | 'BUG' | undefined {
  if (code === 'BUG') return 'BUG';
  return MAIL_ERROR_CODES.find((c) => c === code);
}

/** The certificate fingerprint a CERT_UNTRUSTED error carries (main puts the peer's facts in its details). */
export function untrustedFingerprint(error: ErrorData | undefined): string | undefined {
  if (error?.code !== 'CERT_UNTRUSTED') return undefined;
  const fp = error.details.facts?.fingerprint256;
  return typeof fp === 'string' && fp !== '' ? fp : undefined;
}
