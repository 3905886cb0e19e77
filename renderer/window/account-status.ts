/**
 * One account's status line, as data: what it is doing, how far the current run is, when it was checked and will
 * be next, and what went wrong with what to do about it. Built from main's live status when there is one, and
 * from the outcome stored with the account otherwise (after a restart). Pure, so every case is tested.
 */
import type { ErrorData } from '../../app/errors.ts';
import type { PlanNotice } from '../../app/sync/planner.ts';
import type { AccountStatus, SyncPhase, SyncProgress } from '../../app/sync/status.ts';
import { assertNever } from '../../app/errors.ts';
import type { AccountRecord } from '../store/index.ts';
import type { AccountLive } from './sync-status.ts';
import { describeProblem, knownCode, retryHeadline, untrustedFingerprint, whenText, type ProblemText } from './status-text.ts';
import { formatBytes, formatMoment } from './format.ts';

export interface ProgressView {
  /** 0..1, or undefined while the total is not known yet. */
  readonly fraction?: number;
  readonly text: string;
}

export interface ProblemView extends ProblemText {
  /** More about the failure when the server said nothing itself. */
  readonly detail?: string;
  /** For "Trust this certificate". */
  readonly fingerprint?: string;
  /** For LOGIN-DELAY: no check before this moment. */
  readonly waitUntil?: string;
}

/**
 * An account waiting to try again by itself, for the status bar: a temporary failure the scheduler retries with
 * backoff (`[IN-USE]`, `[SYS/TEMP]`, the network), or a check held back by the server's LOGIN-DELAY.
 */
export interface WaitView {
  /** "Server busy (mailbox in use) — retrying at 14:05 (in 2 min)". */
  readonly text: string;
  /** The server's own words, when it said something. */
  readonly serverWords?: string;
  /** The next try (or the first moment LOGIN-DELAY allows one), for putting the soonest first. */
  readonly at: number;
}

export interface AccountStatusView {
  /** The one line shown under the account's name. */
  readonly line: string;
  readonly busy: boolean;
  readonly progress?: ProgressView;
  readonly problem?: ProblemView;
  /** A migration waiting for the user's word (the planner matched some messages and not others). */
  readonly confirmation?: string;
  readonly notices: readonly string[];
}

const PHASES: Readonly<Record<SyncPhase, string>> = {
  connecting: 'Connecting',
  authenticating: 'Logging in',
  listing: 'Listing messages',
  downloading: 'Downloading',
  deleting: 'Deleting on the server',
  finishing: 'Finishing',
};

export function progressView(p: SyncProgress): ProgressView {
  const label = PHASES[p.phase];
  if (p.total <= 0) return { text: `${label}…` };
  const bytes = p.totalBytes > 0 ? ` (${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)})` : '';
  const fraction = p.totalBytes > 0 ? p.bytes / p.totalBytes : p.done / p.total;
  return {
    fraction: Math.min(1, Math.max(0, fraction)),
    text: `${label} ${p.done.toLocaleString()} of ${p.total.toLocaleString()}${bytes}`,
  };
}

export function noticeText(notice: PlanNotice): string | undefined {
  switch (notice.kind) {
    case 'no-top':
      return 'This server cannot send previews: Poplar downloads whole messages from it.';
    case 'uidl-required':
      return `This server cannot tell which messages Poplar has seen (no UIDL): ${notice.reason}`;
    case 'migration-suspected':
      // Shown as the confirmation question instead, when there is one to ask.
      return undefined;
    default:
      return assertNever(notice, 'plan notice');
  }
}

function problemView(error: ErrorData, storedMessage: boolean, notBefore: number | undefined, now: number): ProblemView {
  const text = describeProblem(error);
  const fingerprint = untrustedFingerprint(error);
  const detail = text.serverWords === undefined && error.message !== '' ? error.message : undefined;
  const waitUntil = error.code === 'LOGIN_DELAY' && notBefore !== undefined ? formatMoment(notBefore, now) : undefined;
  // A stored message is either the server's words or Poplar's; it is shown as a detail, not quoted as the server's.
  const view: ProblemView = storedMessage ? { ...text, serverWords: undefined } : text;
  return { ...view, detail, fingerprint, waitUntil };
}

/** The first moment LOGIN-DELAY allows a check, as far as the status tells: its own time, else the next check's. */
function allowedAt(status: AccountStatus, now: number): number | undefined {
  return status.notBefore !== undefined && status.notBefore > now ? status.notBefore : status.nextCheckAt;
}

function lastProblem(account: AccountRecord, live: AccountLive | undefined, now: number): ProblemView | undefined {
  const status = live?.status;
  if (status?.lastCheck !== undefined) {
    const { ok, error } = status.lastCheck;
    return ok || error === undefined ? undefined : problemView(error, false, allowedAt(status, now), now);
  }
  const stored = account.lastSync;
  if (stored === undefined || stored.ok) return undefined;
  const code = knownCode(stored.errorCode) ?? 'BUG';
  return problemView({ code, message: stored.message ?? '', details: {} }, true, undefined, now);
}

export function accountStatusView(
  account: AccountRecord,
  live: AccountLive | undefined,
  offline: boolean,
  now: number,
): AccountStatusView {
  const status = live?.status;
  const notices = (live?.outcome?.notices ?? []).flatMap((n) => noticeText(n) ?? []);
  const needs = live?.outcome?.needsConfirmation;
  const confirmation =
    needs === undefined
      ? undefined
      : `The server seems to have moved this mailbox: ${needs.matched.toLocaleString()} messages were found again, ` +
        `${needs.unmatched.toLocaleString()} could not be matched. Download those again?`;
  const problem = lastProblem(account, live, now);
  const lastAt = status?.lastCheck?.at ?? account.lastSync?.at;
  const checked = lastAt === undefined ? 'Not checked yet' : `Checked ${formatMoment(lastAt, now)}`;
  const nextAt = status?.nextCheckAt === undefined ? undefined : formatMoment(status.nextCheckAt, now);
  const next = nextAt === undefined ? '' : ` · next ${nextAt}`;
  const base = { problem, confirmation, notices };

  const activity = status?.activity;
  if (offline || activity === 'offline') return { ...base, line: `Offline · ${checked}`, busy: false };
  switch (activity) {
    case 'running': {
      const progress = live?.progress === undefined ? undefined : progressView(live.progress);
      return { ...base, problem: undefined, line: progress?.text ?? 'Checking…', busy: true, progress };
    }
    case 'queued': {
      // Asked for before the server's LOGIN-DELAY allows a login (RFC 2449 §6.5): it waits until then.
      const held = status?.notBefore !== undefined && status.notBefore > now ? formatMoment(status.notBefore, now) : undefined;
      if (held !== undefined) return { ...base, line: `${checked} · next check allowed at ${held}`, busy: false };
      return { ...base, line: 'Waiting to check…', busy: true };
    }
    case 'retrying':
      return { ...base, line: nextAt === undefined ? checked : `${checked} · trying again at ${nextAt}`, busy: false };
    case 'needs-user':
      return { ...base, line: `${checked} · waiting for you`, busy: false };
    case 'idle':
    case undefined:
      return { ...base, line: `${checked}${next}`, busy: false };
    default:
      return assertNever(activity, 'account activity');
  }
}

/**
 * What the status bar says of an account that will try again by itself, with the server's words and when; undefined
 * when it is not waiting (idle, running, offline, or stopped until the user acts).
 */
export function waitView(account: Pick<AccountRecord, 'host'>, live: AccountLive | undefined, offline: boolean, now: number): WaitView | undefined {
  const status = live?.status;
  if (offline || status === undefined) return undefined;
  const last = status.lastCheck;
  const error = last !== undefined && !last.ok ? last.error : undefined;
  if (status.activity === 'retrying') {
    const loginDelay = error?.code === 'LOGIN_DELAY';
    const at = (loginDelay ? allowedAt(status, now) : status.nextCheckAt) ?? now;
    const when = whenText(at, now, formatMoment);
    const headline = error === undefined ? 'The last check failed' : retryHeadline(error.code, account.host);
    const next = loginDelay ? `next check allowed ${when ?? 'now'}` : `retrying ${when ?? 'now'}`;
    const serverWords = error === undefined ? undefined : describeProblem(error).serverWords;
    return { text: `${headline} — ${next}`, at, ...(serverWords === undefined ? {} : { serverWords }) };
  }
  if (status.activity === 'queued' && status.notBefore !== undefined && status.notBefore > now) {
    const when = whenText(status.notBefore, now, formatMoment) ?? 'now';
    return { text: `${retryHeadline('LOGIN_DELAY', account.host)} — next check allowed ${when}`, at: status.notBefore };
  }
  return undefined;
}

/** The whole wait as one sentence, for a tooltip: "Home: Server busy (mailbox in use) — retrying at 14:05 (in 2 min). The server said: “…”" */
export function waitSentence(accountName: string, view: WaitView): string {
  const words = view.serverWords === undefined ? '' : ` The server said: “${view.serverWords}”`;
  return `${accountName}: ${view.text}.${words}`;
}
