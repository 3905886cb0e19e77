import { describe, expect, it } from 'vitest';
import type { AccountTestReport } from '../../../app/account-test.ts';
import { attemptLines, reportLines, untrustedCertificate } from '../../../renderer/accounts/report-text.ts';

const FP = Array.from({ length: 32 }, () => 'C0').join(':');

const working: AccountTestReport = {
  host: 'pop.example.org',
  attempts: [{ security: 'tls', port: 995, ok: true, millis: 42 }],
  chosen: { security: 'tls', port: 995 },
  certificate: {
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    subject: 'CN=pop.example.org',
    issuer: "CN=Let's Encrypt R3",
    validTo: 'Jan 1 00:00:00 2027 GMT',
    fingerprint256: FP,
    trustedBy: 'ca',
  },
  greeting: '+OK Dovecot ready.',
  capabilities: ['TOP', 'UIDL', 'PIPELINING', 'SASL PLAIN'],
  pipelining: true,
  loginDelaySeconds: 300,
  expire: 'NEVER',
  authMethods: ['PLAIN', 'USER'],
  login: { ok: true, method: 'PLAIN' },
  mailbox: { count: 1234, size: 5 * 1024 * 1024 },
};

const text = (r: AccountTestReport) => reportLines(r).map((l) => `${l.label}: ${l.text}`);

describe('the account test report in plain words', () => {
  it('says what works, how it is secured, what the server offers and what is in the mailbox', () => {
    expect(text(working)).toEqual([
      'SSL/TLS on port 995: works (42 ms)',
      'Result: Use SSL/TLS on port 995.',
      'Encryption: TLSv1.3, TLS_AES_256_GCM_SHA384',
      "Certificate: CN=pop.example.org, issued by CN=Let's Encrypt R3, valid until Jan 1 00:00:00 2027 GMT; trusted through its certificate authority",
      `Fingerprint (SHA-256): ${FP}`,
      'Greeting: +OK Dovecot ready.',
      'Capabilities: TOP, UIDL, PIPELINING, SASL PLAIN',
      'Pipelining: yes: Poplar sends commands in batches',
      'Login delay: at least 5 min between logins',
      'Expiry: the server keeps mail until it is deleted',
      'Login methods: PLAIN, USER',
      'Login: works, with PLAIN',
      'Mailbox: 1,234 messages, 5.0 MB',
    ]);
  });

  it('explains a refused login in the server\u2019s words, and an unencrypted connection', () => {
    const lines = text({
      ...working,
      certificate: undefined,
      chosen: { security: 'none', port: 110 },
      login: { ok: false, error: { code: 'AUTH_FAILED', message: 'refused', details: { serverText: '[AUTH] Invalid login' } } },
      mailbox: undefined,
    });
    expect(lines).toContain('Encryption: None: the connection is not encrypted.');
    expect(lines).toContain('Login: The server did not accept the user name or password. The server said: “[AUTH] Invalid login”');
  });

  it('lists every transport Auto-detect tried, and offers to trust an untrusted certificate', () => {
    const detected: AccountTestReport = {
      host: 'home.lan',
      attempts: [
        { security: 'tls', port: 995, ok: false, millis: 12, error: { code: 'CERT_UNTRUSTED', message: 'self-signed', details: { facts: { fingerprint256: FP, subject: 'CN=home.lan' } } } },
        { security: 'starttls', port: 110, ok: true, millis: 20 },
      ],
      chosen: { security: 'starttls', port: 110 },
      capabilities: [],
      pipelining: false,
      authMethods: [],
    };
    expect(attemptLines(detected).map((l) => l.tone)).toEqual(['bad', 'ok', 'ok']);
    expect(attemptLines(detected)[0]?.text).toContain('not trusted');
    expect(attemptLines(detected)[2]?.text).toBe('Use STARTTLS on port 110.');
    expect(untrustedCertificate(detected)).toEqual({ fingerprint: FP, subject: 'CN=home.lan' });
    expect(untrustedCertificate(working)).toBeUndefined();
  });

  it('says so when nothing worked', () => {
    const lines = reportLines({ host: 'nowhere', attempts: [], capabilities: [], pipelining: false, authMethods: [] });
    expect(lines).toEqual([{ label: 'Result', text: 'No way of reaching nowhere worked.', tone: 'bad' }]);
  });
});
