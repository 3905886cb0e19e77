import { describe, expect, it } from 'vitest';
import { MAIL_ERROR_CODES, type ErrorData, type MailErrorCode } from '../../../app/errors.ts';
import { describeProblem, knownCode, untrustedFingerprint, type StatusAction } from '../../../renderer/window/status-text.ts';

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
