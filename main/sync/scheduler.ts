/**
 * The sync scheduler: decides when each account runs. Start-up checks, per-account intervals, Send/Receive of
 * all or one account, and a "Work offline" switch under which nothing connects and marks wait in the store.
 *
 * - One session per account at a time; accounts run in parallel up to `maxParallel` (Thunderbird runs them one
 *   after another; nothing in POP3 requires that).
 * - LOGIN-DELAY (RFC 2449 §6.5, from CAPA or a `[LOGIN-DELAY]` refusal) is respected: never reconnect sooner,
 *   and the status says when the next check may run.
 * - Temporary failures (`[IN-USE]`, `[SYS/TEMP]`, network) retry with exponential backoff and full jitter, up
 *   to a cap; `[AUTH]`, `[SYS/PERM]`, certificate and policy problems stop and wait for the user.
 *
 * Time comes from an injected clock, so tests run a day of schedule in milliseconds.
 */
import type { ErrorData, MailErrorCode } from '../../app/errors.ts';
import type { AccountId } from '../../app/ids.ts';
import type { SchedulePolicy } from '../../app/sync/policy.ts';
import type { AccountStatus } from '../../app/sync/status.ts';

export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): unknown;
  clearTimer(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => setTimeout(fn, ms),
  clearTimer: (h) => {
    clearTimeout(h as NodeJS.Timeout);
  },
};

export type RunReason = 'startup' | 'interval' | 'manual' | 'retry' | 'online';

export interface RunResult {
  readonly ok: boolean;
  readonly error?: ErrorData;
  /** LOGIN-DELAY the server announced, in seconds. */
  readonly loginDelaySeconds?: number;
}

export type { AccountActivity, AccountStatus } from '../../app/sync/status.ts';

export interface SchedulerOptions {
  readonly clock?: Clock;
  readonly maxParallel?: number;
  readonly run: (accountId: AccountId, reason: RunReason) => Promise<RunResult>;
  readonly onStatus?: (status: AccountStatus) => void;
  /** [0, 1): jitter source, injectable for tests. */
  readonly random?: () => number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
}

const RETRYABLE: ReadonlySet<MailErrorCode | 'BUG'> = new Set<MailErrorCode | 'BUG'>([
  'IN_USE',
  'SYS_TEMP',
  'LOGIN_DELAY',
  'CONNECT_FAILED',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'IDLE_TIMEOUT',
  'CONNECTION_CLOSED',
]);

/** When the server refuses with `[LOGIN-DELAY]` but announced no value in CAPA. */
const DEFAULT_LOGIN_DELAY_MS = 5 * 60_000;

interface AccountEntry {
  schedule: SchedulePolicy;
  status: AccountStatus;
  timer?: unknown;
  running: boolean;
  /** A request that arrived while running or waiting: run once more afterwards. */
  again?: RunReason;
  loginDelayMs: number;
  lastLoginAt?: number;
}

export class SyncScheduler {
  private readonly accounts = new Map<AccountId, AccountEntry>();
  private readonly queue: Array<{ id: AccountId; reason: RunReason }> = [];
  private active = 0;
  private offline = false;
  private stopped = false;
  private readonly clock: Clock;
  private readonly maxParallel: number;
  private readonly random: () => number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.maxParallel = Math.max(1, options.maxParallel ?? 3);
    this.random = options.random ?? Math.random;
    this.backoffBaseMs = options.backoffBaseMs ?? 30_000;
    this.backoffCapMs = options.backoffCapMs ?? 30 * 60_000;
  }

  /** Adds or updates an account's schedule; removes accounts not listed. */
  setAccounts(accounts: ReadonlyArray<{ readonly id: AccountId; readonly schedule: SchedulePolicy }>): void {
    const keep = new Set(accounts.map((a) => a.id));
    for (const [id, entry] of this.accounts) {
      if (!keep.has(id)) {
        this.clear(entry);
        this.accounts.delete(id);
      }
    }
    for (const { id, schedule } of accounts) {
      const entry = this.accounts.get(id);
      if (entry === undefined) {
        this.accounts.set(id, {
          schedule,
          running: false,
          loginDelayMs: 0,
          status: { accountId: id, activity: this.offline ? 'offline' : 'idle', retryAttempt: 0 },
        });
      } else {
        entry.schedule = schedule;
        if (!entry.running && entry.status.activity === 'idle') this.planNext(id, entry);
      }
    }
  }

  /** Start-up: check the accounts that ask for it, and arm every interval. */
  start(): void {
    for (const [id, entry] of this.accounts) {
      if (entry.schedule.atStartup) this.request(id, 'startup');
      else this.planNext(id, entry);
    }
  }

  /** Send/Receive all (F9): every account included in it. */
  sendReceiveAll(): void {
    for (const [id, entry] of this.accounts) if (entry.schedule.inSendReceiveAll) this.request(id, 'manual');
  }

  /** Send/Receive one account; also how the user resumes an account that needed them. */
  sendReceive(accountId: AccountId): void {
    this.request(accountId, 'manual');
  }

  /** Work offline: nothing connects; turning it off runs the accounts that are due ("coming back online"). */
  setOffline(offline: boolean): void {
    if (this.offline === offline) return;
    this.offline = offline;
    for (const [id, entry] of this.accounts) {
      if (offline) {
        this.clear(entry);
        this.queue.splice(0, this.queue.length);
        if (!entry.running) this.update(id, entry, { activity: 'offline', nextCheckAt: undefined });
      } else if (entry.status.activity === 'offline') {
        this.update(id, entry, { activity: 'idle' });
        if (entry.schedule.everyMinutes !== null || entry.schedule.atStartup) this.request(id, 'online');
      }
    }
  }

  get isOffline(): boolean {
    return this.offline;
  }

  status(accountId: AccountId): AccountStatus | undefined {
    return this.accounts.get(accountId)?.status;
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.accounts.values()) this.clear(entry);
    this.queue.splice(0, this.queue.length);
  }

  private request(id: AccountId, reason: RunReason): void {
    const entry = this.accounts.get(id);
    if (entry === undefined || this.stopped || this.offline) return;
    if (entry.running || this.queue.some((q) => q.id === id)) {
      // One session per account: remember to run once more, do not start a second one.
      if (entry.running && reason === 'manual') entry.again = reason;
      return;
    }
    const notBefore = this.notBefore(entry);
    if (notBefore > this.clock.now()) {
      // LOGIN-DELAY: the earliest moment the server allows; the status tells the user when.
      this.arm(id, entry, notBefore - this.clock.now(), reason);
      this.update(id, entry, { activity: entry.status.activity === 'retrying' ? 'retrying' : 'queued', nextCheckAt: notBefore, notBefore });
      return;
    }
    this.clear(entry);
    this.queue.push({ id, reason });
    this.update(id, entry, { activity: 'queued', nextCheckAt: undefined });
    this.pump();
  }

  private notBefore(entry: AccountEntry): number {
    return entry.lastLoginAt === undefined ? 0 : entry.lastLoginAt + entry.loginDelayMs;
  }

  private pump(): void {
    while (this.active < this.maxParallel && this.queue.length > 0 && !this.offline && !this.stopped) {
      const next = this.queue.shift();
      if (next === undefined) return;
      const entry = this.accounts.get(next.id);
      if (entry === undefined) continue;
      this.active++;
      entry.running = true;
      entry.lastLoginAt = this.clock.now();
      this.update(next.id, entry, { activity: 'running', nextCheckAt: undefined });
      this.options
        .run(next.id, next.reason)
        .catch((e: unknown): RunResult => ({
          ok: false,
          error: { code: 'BUG', message: e instanceof Error ? e.message : 'the sync run threw', details: {} },
        }))
        .then((result) => {
          this.active--;
          entry.running = false;
          if (this.accounts.get(next.id) === entry) this.finished(next.id, entry, result);
          this.pump();
        })
        .catch(() => undefined);
    }
  }

  private finished(id: AccountId, entry: AccountEntry, result: RunResult): void {
    const now = this.clock.now();
    if (result.loginDelaySeconds !== undefined) entry.loginDelayMs = result.loginDelaySeconds * 1000;
    const lastCheck = { at: now, ok: result.ok, error: result.error };
    if (result.ok) {
      this.update(id, entry, { activity: this.offline ? 'offline' : 'idle', lastCheck, retryAttempt: 0, notBefore: undefined });
    } else {
      const code = result.error?.code;
      if (code === 'LOGIN_DELAY' && entry.loginDelayMs === 0) entry.loginDelayMs = DEFAULT_LOGIN_DELAY_MS;
      if (code !== undefined && RETRYABLE.has(code)) {
        const attempt = entry.status.retryAttempt + 1;
        // Full jitter: a random delay up to the exponential bound, so accounts on one server do not return at once.
        const bound = Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** (attempt - 1));
        const notBefore = this.notBefore(entry);
        const wait = Math.max(notBefore - now, Math.round(this.random() * bound));
        // The server's own earliest time (LOGIN-DELAY) goes with it, so the window can say "next check allowed at".
        this.update(id, entry, {
          activity: 'retrying',
          lastCheck,
          retryAttempt: attempt,
          nextCheckAt: now + wait,
          notBefore: notBefore > now ? notBefore : undefined,
        });
        this.arm(id, entry, wait, 'retry');
        return;
      }
      this.update(id, entry, { activity: 'needs-user', lastCheck, retryAttempt: 0, nextCheckAt: undefined });
      return;
    }
    const again = entry.again;
    entry.again = undefined;
    if (again !== undefined) this.request(id, again);
    else this.planNext(id, entry);
  }

  private planNext(id: AccountId, entry: AccountEntry): void {
    if (this.offline || this.stopped || entry.status.activity === 'needs-user') return;
    const minutes = entry.schedule.everyMinutes;
    if (minutes === null || minutes <= 0) {
      this.update(id, entry, { nextCheckAt: undefined });
      return;
    }
    const now = this.clock.now();
    const at = Math.max(now + minutes * 60_000, this.notBefore(entry));
    this.arm(id, entry, at - now, 'interval');
    this.update(id, entry, { nextCheckAt: at });
  }

  private arm(id: AccountId, entry: AccountEntry, ms: number, reason: RunReason): void {
    this.clear(entry);
    entry.timer = this.clock.setTimer(ms, () => {
      entry.timer = undefined;
      this.request(id, reason);
    });
  }

  private clear(entry: AccountEntry): void {
    if (entry.timer !== undefined) this.clock.clearTimer(entry.timer);
    entry.timer = undefined;
  }

  private update(id: AccountId, entry: AccountEntry, patch: Partial<AccountStatus>): void {
    entry.status = { ...entry.status, ...patch, accountId: id };
    this.options.onStatus?.(entry.status);
  }
}
