import { describe, expect, it } from 'vitest';
import type { ErrorData } from '../../../app/errors.ts';
import { accountId, runId } from '../../../app/ids.ts';
import { DEFAULT_POLICY } from '../../../app/sync/policy.ts';
import type { AccountRecord } from '../../../renderer/store/index.ts';
import { accountStatusView, noticeText, progressView, waitSentence, waitView } from '../../../renderer/window/account-status.ts';
import { formatMoment } from '../../../renderer/window/format.ts';
import type { AccountLive } from '../../../renderer/window/sync-status.ts';

const A = accountId('a');
const NOW = new Date(2026, 2, 3, 14, 0).getTime();
const at = (ms: number) => formatMoment(ms, NOW);
const account: AccountRecord = {
  id: A,
  name: 'Home',
  email: 'me@example.org',
  host: 'pop.example.org',
  port: 995,
  security: 'tls',
  user: 'me',
  allowPlaintextPassword: false,
  policy: DEFAULT_POLICY,
  createdAt: 0,
  firstSyncDone: true,
};
const fail = (code: ErrorData['code'], details: ErrorData['details'] = {}, message = 'It failed.'): AccountLive => ({
  status: { accountId: A, activity: 'needs-user', retryAttempt: 0, lastCheck: { at: NOW - 60_000, ok: false, error: { code, message, details } } },
});

describe('an account status line', () => {
  it('says when the account was checked and will be next', () => {
    const view = accountStatusView(account, { status: { accountId: A, activity: 'idle', retryAttempt: 0, lastCheck: { at: NOW - 60_000, ok: true }, nextCheckAt: NOW + 600_000 } }, false, NOW);
    expect(view.line).toBe(`Checked ${at(NOW - 60_000)} · next ${at(NOW + 600_000)}`);
    expect(view.problem).toBeUndefined();
    expect(accountStatusView({ ...account, lastSync: undefined }, undefined, false, NOW).line).toBe('Not checked yet');
  });

  it('shows the progress of a run: phase, k of n, bytes', () => {
    const progress = { accountId: A, runId: runId('r'), phase: 'downloading', done: 3, total: 12, bytes: 512 * 1024, totalBytes: 2 * 1024 * 1024 } as const;
    const live: AccountLive = { status: { accountId: A, activity: 'running', retryAttempt: 0 }, progress };
    const view = accountStatusView(account, live, false, NOW);
    expect(view.busy).toBe(true);
    expect(view.line).toBe('Downloading 3 of 12 (512 KB of 2.0 MB)');
    expect(view.progress?.fraction).toBe(0.25);
    expect(progressView({ ...progress, phase: 'connecting', total: 0 })).toEqual({ text: 'Connecting…' });
  });

  it("shows a refused login in the server's words, with re-entering the password as the remedy", () => {
    const view = accountStatusView(account, fail('AUTH_FAILED', { serverText: '[AUTH] Invalid credentials' }), false, NOW);
    expect(view.problem?.action).toBe('password');
    expect(view.problem?.serverWords).toBe('[AUTH] Invalid credentials');
    expect(view.line).toContain('waiting for you');
  });

  it('offers to trust an untrusted certificate, with its fingerprint', () => {
    const fp = 'AA:'.repeat(31) + 'AA';
    const view = accountStatusView(account, fail('CERT_UNTRUSTED', { facts: { fingerprint256: fp } }), false, NOW);
    expect(view.problem?.action).toBe('trust');
    expect(view.problem?.fingerprint).toBe(fp);
  });

  it('shows until when LOGIN-DELAY makes it wait', () => {
    const { status } = fail('LOGIN_DELAY', { serverText: '[LOGIN-DELAY] wait 15 minutes' });
    if (status === undefined) throw new Error('fixture');
    const withTime: AccountLive = { status: { ...status, activity: 'retrying', notBefore: NOW + 15 * 60_000, nextCheckAt: NOW + 15 * 60_000 } };
    const view = accountStatusView(account, withTime, false, NOW);
    expect(view.problem?.action).toBe('wait');
    expect(view.problem?.waitUntil).toBe(at(NOW + 15 * 60_000));
    expect(view.line).toBe(`Checked ${at(NOW - 60_000)} · trying again at ${at(NOW + 15 * 60_000)}`);
  });

  it('offers to try again after a temporary failure, and shows the message when the server said nothing', () => {
    const view = accountStatusView(account, fail('CONNECT_FAILED', {}, 'connect ECONNREFUSED 10.0.0.1:995'), false, NOW);
    expect(view.problem?.action).toBe('retry');
    expect(view.problem?.serverWords).toBeUndefined();
    expect(view.problem?.detail).toBe('connect ECONNREFUSED 10.0.0.1:995');
  });

  it('after a restart, shows the stored outcome (its message as a detail, not as the server\u2019s words)', () => {
    const stored = { ...account, lastSync: { at: NOW - 3_600_000, ok: false, errorCode: 'SYS_TEMP', message: 'Try later' } };
    const view = accountStatusView(stored, undefined, false, NOW);
    expect(view.problem?.action).toBe('retry');
    expect(view.problem?.serverWords).toBeUndefined();
    expect(view.problem?.detail).toBe('Try later');
    const unknown = accountStatusView({ ...account, lastSync: { at: 0, ok: false, errorCode: 'WHAT' } }, undefined, false, NOW);
    expect(unknown.problem?.action).toBe('retry');
  });

  it('asks before downloading what a mailbox migration left unmatched', () => {
    const view = accountStatusView(
      account,
      { outcome: { accountId: A, ok: true, newMessages: 0, notices: [{ kind: 'migration-suspected', vanished: 10, appeared: 10 }], needsConfirmation: { matched: 8, unmatched: 2 } } },
      false,
      NOW,
    );
    expect(view.confirmation).toContain('8 messages were found again, 2 could not be matched');
    expect(view.notices).toEqual([]);
  });

  it('explains odd servers, and offline', () => {
    expect(noticeText({ kind: 'no-top', count: 3 })).toContain('cannot send previews');
    expect(noticeText({ kind: 'uidl-required', reason: 'Leave on server needs UIDL.' })).toContain('no UIDL');
    expect(accountStatusView(account, undefined, true, NOW).line).toMatch(/^Offline/);
  });
});

describe('an account waiting to try again, for the status bar', () => {
  const retrying = (code: ErrorData['code'], nextCheckAt: number, details: ErrorData['details'] = {}, notBefore?: number): AccountLive => ({
    status: {
      accountId: A,
      activity: 'retrying',
      retryAttempt: 1,
      nextCheckAt,
      ...(notBefore === undefined ? {} : { notBefore }),
      lastCheck: { at: NOW - 5_000, ok: false, error: { code, message: 'It failed.', details } },
    },
  });

  it("says the server is busy for [IN-USE], with its own words and the next try's time", () => {
    const view = waitView(account, retrying('IN_USE', NOW + 5 * 60_000, { serverText: '[IN-USE] Mailbox locked by another session' }), false, NOW);
    expect(view).toEqual({
      text: `Server busy (mailbox in use) — retrying at ${at(NOW + 5 * 60_000)} (in 5 min)`,
      serverWords: '[IN-USE] Mailbox locked by another session',
      at: NOW + 5 * 60_000,
    });
  });

  it('says the server has a temporary problem for [SYS/TEMP]', () => {
    const view = waitView(account, retrying('SYS_TEMP', NOW + 2 * 3_600_000, { serverText: '[SYS/TEMP] Try again later' }), false, NOW);
    expect(view?.text).toBe(`Server has a temporary problem — retrying at ${at(NOW + 2 * 3_600_000)}`);
    expect(view?.serverWords).toBe('[SYS/TEMP] Try again later');
  });

  it('names the server it cannot reach, and has no server words when the network failed', () => {
    const view = waitView(account, retrying('CONNECT_FAILED', NOW + 2 * 60_000), false, NOW);
    expect(view?.text).toBe(`Cannot reach pop.example.org — retrying at ${at(NOW + 2 * 60_000)} (in 2 min)`);
    expect(view).not.toHaveProperty('serverWords');
    expect(waitView(account, retrying('CONNECT_TIMEOUT', NOW + 30_000), false, NOW)?.text).toBe(
      `Cannot reach pop.example.org (no answer in time) — retrying at ${at(NOW + 30_000)} (in less than a minute)`,
    );
    expect(waitView(account, retrying('CONNECTION_CLOSED', NOW - 1), false, NOW)?.text).toBe('The connection to pop.example.org was cut — retrying now');
  });

  it('for [LOGIN-DELAY], says when the next check is allowed', () => {
    const live = retrying('LOGIN_DELAY', NOW + 16 * 60_000, { serverText: '[LOGIN-DELAY] wait 15 minutes' }, NOW + 15 * 60_000);
    const view = waitView(account, live, false, NOW);
    expect(view?.text).toBe(`pop.example.org asks for a pause between logins — next check allowed at ${at(NOW + 15 * 60_000)} (in 15 min)`);
    expect(view?.serverWords).toBe('[LOGIN-DELAY] wait 15 minutes');
    expect(view?.at).toBe(NOW + 15 * 60_000);
    // Without the server's moment in the status, the planned check is the time.
    const planned = waitView(account, retrying('LOGIN_DELAY', NOW + 16 * 60_000), false, NOW);
    expect(planned?.text).toContain(`next check allowed at ${at(NOW + 16 * 60_000)} (in 16 min)`);
    expect(accountStatusView(account, retrying('LOGIN_DELAY', NOW + 16 * 60_000), false, NOW).problem?.waitUntil).toBe(at(NOW + 16 * 60_000));
  });

  it('for a check asked for before LOGIN-DELAY allows one, says when it will run', () => {
    const held: AccountLive = { status: { accountId: A, activity: 'queued', retryAttempt: 0, nextCheckAt: NOW + 4 * 60_000, notBefore: NOW + 4 * 60_000, lastCheck: { at: NOW - 60_000, ok: true } } };
    expect(waitView(account, held, false, NOW)?.text).toBe(`pop.example.org asks for a pause between logins — next check allowed at ${at(NOW + 4 * 60_000)} (in 4 min)`);
    const line = accountStatusView(account, held, false, NOW);
    expect(line.line).toBe(`Checked ${at(NOW - 60_000)} · next check allowed at ${at(NOW + 4 * 60_000)}`);
    expect(line.busy).toBe(false);
    // Queued with no delay to wait for: nothing for the status bar, and the line says it is about to check.
    const queued: AccountLive = { status: { accountId: A, activity: 'queued', retryAttempt: 0 } };
    expect(waitView(account, queued, false, NOW)).toBeUndefined();
    expect(accountStatusView(account, queued, false, NOW).line).toBe('Waiting to check…');
  });

  it('writes the whole wait as one sentence, for the tooltip', () => {
    const view = waitView(account, retrying('IN_USE', NOW + 2 * 60_000, { serverText: '[IN-USE] Mailbox locked' }), false, NOW);
    if (view === undefined) throw new Error('no wait');
    expect(waitSentence('Home', view)).toBe(
      `Home: Server busy (mailbox in use) — retrying at ${at(NOW + 2 * 60_000)} (in 2 min). The server said: “[IN-USE] Mailbox locked”`,
    );
    const network = waitView(account, retrying('CONNECT_FAILED', NOW + 2 * 60_000), false, NOW);
    if (network === undefined) throw new Error('no wait');
    expect(waitSentence('Work', network)).toBe(`Work: Cannot reach pop.example.org — retrying at ${at(NOW + 2 * 60_000)} (in 2 min).`);
  });

  it('is nothing for an account that is idle, running, offline or stopped until the user acts', () => {
    expect(waitView(account, undefined, false, NOW)).toBeUndefined();
    expect(waitView(account, { status: { accountId: A, activity: 'idle', retryAttempt: 0 } }, false, NOW)).toBeUndefined();
    expect(waitView(account, { status: { accountId: A, activity: 'running', retryAttempt: 1 } }, false, NOW)).toBeUndefined();
    expect(waitView(account, fail('AUTH_FAILED', { serverText: '[AUTH] no' }), false, NOW)).toBeUndefined();
    expect(waitView(account, retrying('IN_USE', NOW + 60_000), true, NOW)).toBeUndefined();
  });
});
