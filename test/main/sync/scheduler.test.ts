import { describe, expect, it } from 'vitest';
import type { MailErrorCode } from '../../../app/errors.ts';
import { accountId, type AccountId } from '../../../app/ids.ts';
import type { SchedulePolicy } from '../../../app/sync/policy.ts';
import { SyncScheduler, type AccountStatus, type RunReason, type RunResult } from '../../../main/sync/scheduler.ts';
import { FakeClock, settle } from '../../support/fake-clock.ts';

const A = accountId('a');
const B = accountId('b');
const C = accountId('c');
const MIN = 60_000;

const every = (minutes: number | null, extra: Partial<SchedulePolicy> = {}): SchedulePolicy => ({
  atStartup: true,
  everyMinutes: minutes,
  inSendReceiveAll: true,
  ...extra,
});

const fail = (code: MailErrorCode): RunResult => ({ ok: false, error: { code, message: code, details: {} } });

/** A scheduler whose runs are controlled by the test: each run waits until the test resolves it. */
function harness(opts: { maxParallel?: number; results?: (id: AccountId, n: number) => RunResult; hold?: boolean } = {}) {
  const clock = new FakeClock();
  const runs: Array<{ id: AccountId; reason: RunReason; at: number; finish: (r?: RunResult) => void }> = [];
  const statuses: AccountStatus[] = [];
  let running = 0;
  let maxRunning = 0;
  const perAccount = new Map<AccountId, number>();
  const scheduler = new SyncScheduler({
    clock,
    maxParallel: opts.maxParallel ?? 3,
    random: () => 0.5,
    onStatus: (s) => statuses.push(s),
    run: (id, reason) =>
      new Promise<RunResult>((resolve) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        const n = (perAccount.get(id) ?? 0) + 1;
        perAccount.set(id, n);
        const finish = (r?: RunResult): void => {
          running--;
          resolve(r ?? opts.results?.(id, n) ?? { ok: true });
        };
        runs.push({ id, reason, at: clock.now(), finish });
        if (opts.hold !== true) queueMicrotask(() => finish());
      }),
  });
  return { clock, runs, statuses, scheduler, maxRunning: () => maxRunning };
}

describe('SyncScheduler', () => {
  it('checks at start-up, then every N minutes per account', async () => {
    const h = harness();
    h.scheduler.setAccounts([
      { id: A, schedule: every(10) },
      { id: B, schedule: every(25, { atStartup: false }) },
    ]);
    h.scheduler.start();
    await h.clock.advance(60 * MIN);
    const t0 = Date.UTC(2026, 10, 22, 8, 0, 0);
    expect(h.runs.filter((r) => r.id === A).map((r) => (r.at - t0) / MIN)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(h.runs.filter((r) => r.id === B).map((r) => (r.at - t0) / MIN)).toEqual([25, 50]);
    expect(h.runs[0]?.reason).toBe('startup');
    expect(h.runs[1]?.reason).toBe('interval');
  });

  it('"only by hand" never runs by itself; Send/Receive all skips accounts left out of it', async () => {
    const h = harness();
    h.scheduler.setAccounts([
      { id: A, schedule: every(null, { atStartup: false }) },
      { id: B, schedule: every(null, { atStartup: false, inSendReceiveAll: false }) },
    ]);
    h.scheduler.start();
    await h.clock.advance(600 * MIN);
    expect(h.runs).toHaveLength(0);
    h.scheduler.sendReceiveAll();
    await h.clock.advance(1);
    expect(h.runs.map((r) => r.id)).toEqual([A]);
    h.scheduler.sendReceive(B);
    await h.clock.advance(1);
    expect(h.runs.map((r) => r.id)).toEqual([A, B]);
  });

  it('one session per account: a request while running runs once more afterwards, never in parallel', async () => {
    const h = harness({ hold: true });
    h.scheduler.setAccounts([{ id: A, schedule: every(null, { atStartup: false }) }]);
    h.scheduler.sendReceive(A);
    await settle();
    h.scheduler.sendReceive(A);
    h.scheduler.sendReceive(A);
    await settle();
    expect(h.runs).toHaveLength(1);
    h.runs[0]?.finish();
    await h.clock.advance(1);
    expect(h.runs).toHaveLength(2);
    h.runs[1]?.finish();
    await h.clock.advance(1);
    expect(h.runs).toHaveLength(2);
  });

  it('accounts run in parallel up to the limit', async () => {
    const h = harness({ hold: true, maxParallel: 2 });
    h.scheduler.setAccounts([A, B, C].map((id) => ({ id, schedule: every(null) })));
    h.scheduler.start();
    await settle();
    expect(h.runs.map((r) => r.id)).toEqual([A, B]);
    expect(h.scheduler.status(C)?.activity).toBe('queued');
    h.runs[0]?.finish();
    await settle();
    expect(h.runs.map((r) => r.id)).toEqual([A, B, C]);
    expect(h.maxRunning()).toBe(2);
  });

  it('LOGIN-DELAY: never reconnects sooner, and the status says when the next check may run', async () => {
    const h = harness({ results: () => ({ ok: true, loginDelaySeconds: 900 }) });
    h.scheduler.setAccounts([{ id: A, schedule: every(5) }]);
    h.scheduler.start();
    await h.clock.advance(1);
    h.scheduler.sendReceive(A);
    await settle();
    const status = h.scheduler.status(A);
    expect(status?.notBefore).toBe((h.runs[0]?.at ?? 0) + 900_000);
    expect(status?.nextCheckAt).toBe(status?.notBefore);
    await h.clock.advance(60 * MIN);
    const gaps = h.runs.slice(1).map((r, i) => r.at - (h.runs[i]?.at ?? 0));
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900_000);
  });

  it('a [LOGIN-DELAY] refusal without a CAPA value waits the default delay before retrying', async () => {
    const h = harness({ results: (_id, n) => (n === 1 ? fail('LOGIN_DELAY') : { ok: true }) });
    h.scheduler.setAccounts([{ id: A, schedule: every(null) }]);
    h.scheduler.start();
    await h.clock.advance(1);
    expect(h.scheduler.status(A)?.activity).toBe('retrying');
    // The retry status carries the server's earliest time, for "next check allowed at …".
    expect(h.scheduler.status(A)?.notBefore).toBe((h.runs[0]?.at ?? 0) + 5 * MIN);
    expect(h.scheduler.status(A)?.nextCheckAt).toBe(h.scheduler.status(A)?.notBefore);
    await h.clock.advance(4 * MIN);
    expect(h.runs).toHaveLength(1);
    await h.clock.advance(2 * MIN);
    expect(h.runs).toHaveLength(2);
  });

  it('temporary failures back off exponentially with jitter, up to a cap; success resets', async () => {
    const h = harness({ results: (_id, n) => (n <= 8 ? fail(n % 2 === 0 ? 'IN_USE' : 'SYS_TEMP') : { ok: true }) });
    h.scheduler.setAccounts([{ id: A, schedule: every(null) }]);
    h.scheduler.start();
    await h.clock.advance(24 * 60 * MIN);
    const gaps = h.runs.slice(1).map((r, i) => (r.at - (h.runs[i]?.at ?? 0)) / 1000);
    // random() = 0.5: half of 30 s × 2^k, capped at 30 min.
    expect(gaps).toEqual([15, 30, 60, 120, 240, 480, 900, 900]);
    expect(h.scheduler.status(A)).toMatchObject({ activity: 'idle', retryAttempt: 0 });
  });

  it.each<MailErrorCode>(['AUTH_FAILED', 'SYS_PERM', 'CERT_UNTRUSTED', 'PLAINTEXT_REFUSED'])(
    '%s stops retrying and waits for the user; a manual Send/Receive resumes',
    async (code) => {
      const h = harness({ results: (_id, n) => (n === 1 ? fail(code) : { ok: true }) });
      h.scheduler.setAccounts([{ id: A, schedule: every(5) }]);
      h.scheduler.start();
      await h.clock.advance(120 * MIN);
      expect(h.runs).toHaveLength(1);
      expect(h.scheduler.status(A)).toMatchObject({ activity: 'needs-user', lastCheck: { ok: false, error: { code } } });
      h.scheduler.sendReceive(A);
      await h.clock.advance(1);
      expect(h.runs).toHaveLength(2);
      expect(h.scheduler.status(A)?.activity).toBe('idle');
    },
  );

  it('work offline: nothing connects, requests are ignored; coming back online checks at once', async () => {
    const h = harness();
    h.scheduler.setAccounts([{ id: A, schedule: every(10, { atStartup: false }) }]);
    h.scheduler.start();
    h.scheduler.setOffline(true);
    h.scheduler.sendReceiveAll();
    await h.clock.advance(120 * MIN);
    expect(h.runs).toHaveLength(0);
    expect(h.scheduler.status(A)?.activity).toBe('offline');
    h.scheduler.setOffline(false);
    await h.clock.advance(1);
    expect(h.runs.map((r) => r.reason)).toEqual(['online']);
  });

  it('a thrown run is reported as a failure, and the scheduler keeps going', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const scheduler = new SyncScheduler({
      clock,
      random: () => 0,
      run: () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve({ ok: true });
      },
    });
    scheduler.setAccounts([{ id: A, schedule: every(1) }]);
    scheduler.start();
    await clock.advance(1);
    expect(scheduler.status(A)).toMatchObject({ activity: 'needs-user', lastCheck: { error: { code: 'BUG' } } });
    scheduler.sendReceive(A);
    await clock.advance(3 * MIN);
    expect(calls).toBeGreaterThanOrEqual(3);
    scheduler.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
