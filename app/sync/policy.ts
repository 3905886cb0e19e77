/**
 * Account policy: the union of what Outlook and Thunderbird offer for a POP3 account, per account.
 */

/** What a new message brings down. */
export type DownloadPolicy =
  /** Headers and the first `lines` lines of the body, by TOP (RFC 1939 §7). */
  | { readonly kind: 'previews'; readonly lines: number }
  /** The whole message, by RETR. */
  | { readonly kind: 'whole' }
  /** Whole messages up to `maxBytes` on the server; previews of `lines` lines above that. */
  | { readonly kind: 'whole-up-to'; readonly maxBytes: number; readonly lines: number };

/** What stays on the server. Nothing is ever deleted there before its whole content is stored locally. */
export type LeavePolicy =
  /** Download, then delete on the server (classic POP3). */
  | { readonly kind: 'nothing' }
  /** Never delete on the server. */
  | { readonly kind: 'forever' }
  /** Delete a downloaded message on the server `days` days after Poplar first saw it. */
  | { readonly kind: 'days'; readonly days: number }
  /** Delete on the server when it is deleted for good in Poplar (removed from Deleted Items). */
  | { readonly kind: 'until-deleted' };

export interface SchedulePolicy {
  readonly atStartup: boolean;
  /** Minutes between automatic checks, or null for "only by hand". */
  readonly everyMinutes: number | null;
  /** Whether "Send/Receive all" includes this account. */
  readonly inSendReceiveAll: boolean;
}

/** A new account: fetch what is already on the server, or adopt it as seen and start from now. */
export type NewAccountPolicy = 'fetch-all' | 'start-from-now';

export interface AccountPolicy {
  readonly download: DownloadPolicy;
  readonly leave: LeavePolicy;
  readonly schedule: SchedulePolicy;
  readonly newAccount: NewAccountPolicy;
}

/** A few dozen lines: enough to read what a message is about, small enough to scan a mailbox quickly. */
export const DEFAULT_PREVIEW_LINES = 40;

export const DEFAULT_POLICY: AccountPolicy = {
  download: { kind: 'previews', lines: DEFAULT_PREVIEW_LINES },
  leave: { kind: 'until-deleted' },
  schedule: { atStartup: true, everyMinutes: 10, inSendReceiveAll: true },
  newAccount: 'fetch-all',
};

const DAY_MS = 86_400_000;

export function daysToMs(days: number): number {
  return days * DAY_MS;
}
