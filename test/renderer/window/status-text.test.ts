import { describe, expect, it } from 'vitest';
import { MAIL_ERROR_CODES, type ErrorData, type MailErrorCode } from '../../../app/errors.ts';
import { describeProblem, knownCode, retryHeadline, untrustedFingerprint, whenText, type StatusAction } from '../../../renderer/window/status-text.ts';

const error = (code: ErrorData['code'], details: ErrorData['details'] = {}): ErrorData => ({ code, message: 'm', details });

describe('status text for each error code', () => {
  it('explains every code, with advice', () => {
    for (const code of [...MAIL_ERROR_CODES, 'BUG' as const]) {
      const text = describeProblem(error(code));
      expect(text.headline, code).toMatch(/\.$/);
      expect(text.advice.length, code).toBeGreaterThan(10);
    }
  });

  it('offers what the user can do', () => {
    const expected: Partial<Record<MailErrorCode | 'BUG', StatusAction>> = {
      AUTH_FAILED: 'password',
      CERT_UNTRUSTED: 'trust',
      LOGIN_DELAY: 'wait',
      IN_USE: 'retry',
      SYS_TEMP: 'retry',
      CONNECT_FAILED: 'retry',
      CONNECT_TIMEOUT: 'retry',
      CONNECTION_CLOSED: 'retry',
      GREETING_TIMEOUT: 'retry',
      IDLE_TIMEOUT: 'retry',
      SYS_PERM: 'settings',
      PLAINTEXT_REFUSED: 'settings',
      STLS_UNAVAILABLE: 'settings',
      CERT_FINGERPRINT_MISMATCH: 'settings',
      STORE_QUOTA: 'none',
      BUG: 'retry',
    };
    for (const [code, action] of Object.entries(expected)) {
      expect(describeProblem(error(code as MailErrorCode)).action, code).toBe(action);
    }
  });

  it('every temporary code (the scheduler retries them) says Poplar tries again', () => {
    for (const code of ['CONNECT_TIMEOUT', 'CONNECT_FAILED', 'GREETING_TIMEOUT', 'IDLE_TIMEOUT', 'CONNECTION_CLOSED', 'IN_USE', 'SYS_TEMP'] as const) {
      expect(describeProblem(error(code)).advice, code).toContain('tries again');
    }
  });

  it("keeps the server's own words", () => {
    const text = describeProblem(error('IN_USE', { serverText: '[IN-USE] Mailbox locked by another session' }));
    expect(text.serverWords).toBe('[IN-USE] Mailbox locked by another session');
    expect(describeProblem(error('IN_USE', { serverText: '' })).serverWords).toBeUndefined();
  });

  it('finds the fingerprint of an untrusted certificate', () => {
    const fp = 'AB:'.repeat(31) + 'AB';
    expect(untrustedFingerprint(error('CERT_UNTRUSTED', { facts: { fingerprint256: fp } }))).toBe(fp);
    expect(untrustedFingerprint(error('CERT_UNTRUSTED'))).toBeUndefined();
    expect(untrustedFingerprint(error('TLS_FAILED', { facts: { fingerprint256: fp } }))).toBeUndefined();
  });

  it('recognizes stored codes', () => {
    expect(knownCode('AUTH_FAILED')).toBe('AUTH_FAILED');
    expect(knownCode('BUG')).toBe('BUG');
    expect(knownCode('NOT_A_CODE')).toBeUndefined();
    expect(knownCode(undefined)).toBeUndefined();
  });
});

describe('the status bar words for a retry', () => {
  const NOW = new Date(2026, 2, 3, 14, 0).getTime();
  const moment = (at: number): string => `T${(at - NOW) / 60_000}`;

  it('names the server where that is what failed, and says busy for [IN-USE]', () => {
    expect(retryHeadline('IN_USE', 'pop.example.com')).toBe('Server busy (mailbox in use)');
    expect(retryHeadline('SYS_TEMP', 'pop.example.com')).toBe('Server has a temporary problem');
    expect(retryHeadline('CONNECT_FAILED', 'pop.example.com')).toBe('Cannot reach pop.example.com');
    expect(retryHeadline('CONNECT_TIMEOUT', 'pop.example.com')).toBe('Cannot reach pop.example.com (no answer in time)');
    expect(retryHeadline('LOGIN_DELAY', 'pop.example.com')).toBe('pop.example.com asks for a pause between logins');
    expect(retryHeadline('CONNECTION_CLOSED', 'pop.example.com')).toBe('The connection to pop.example.com was cut');
  });

  it('has a few words for every code, without the sentence’s full stop', () => {
    for (const code of [...MAIL_ERROR_CODES, 'BUG' as const]) {
      const text = retryHeadline(code, 'h.example');
      expect(text.length, code).toBeGreaterThan(5);
      expect(text, code).not.toMatch(/\.$/);
    }
  });

  it('says when: within the hour also how long, later only the time, and nothing once due', () => {
    expect(whenText(NOW + 2 * 60_000, NOW, moment)).toBe('at T2 (in 2 min)');
    expect(whenText(NOW + 90_000, NOW, moment)).toBe('at T1.5 (in 2 min)');
    expect(whenText(NOW + 20_000, NOW, moment)).toBe(`at ${moment(NOW + 20_000)} (in less than a minute)`);
    expect(whenText(NOW + 59 * 60_000, NOW, moment)).toBe('at T59 (in 59 min)');
    expect(whenText(NOW + 60 * 60_000, NOW, moment)).toBe('at T60');
    expect(whenText(NOW, NOW, moment)).toBeUndefined();
    expect(whenText(NOW - 1, NOW, moment)).toBeUndefined();
  });
});
