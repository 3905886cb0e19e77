/**
 * The engine against a real server: a private Dovecot (Debian's dovecot-pop3d) on loopback ports, with its own
 * config, CA and maildir. These tests never skip: without Dovecot they fail and say how to install it.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailError } from '../../app/errors.ts';
import { testAccountSettings } from '../../main/pop3/account-test.ts';
import type { AuthMethod } from '../../main/pop3/auth.ts';
import { Pop3Session, type SessionOptions } from '../../main/pop3/session.ts';
import { startDovecot, type DovecotServer } from '../support/dovecot.ts';
import { generateMessages, readMaildirMessages, writeMaildir, type GeneratedMessage } from '../support/mailbox.ts';

let server: DovecotServer;
let messages: GeneratedMessage[];

beforeAll(async () => {
  server = await startDovecot();
  messages = [...generateMessages({ count: 1000, seed: 7, kind: 'bench' })];
  writeMaildir(server.maildir(), messages);
});

afterAll(async () => {
  await server.stop();
});

function user() {
  const u = server.users[0];
  if (u === undefined) throw new Error('harness has no user');
  return u;
}

function options(security: SessionOptions['security'], extra: Partial<SessionOptions> = {}): SessionOptions {
  return {
    host: server.host,
    port: security === 'tls' ? server.tlsPort : server.plainPort,
    security,
    tls: { ca: server.pki.caPem },
    timeouts: { connectMs: 5000, greetingMs: 5000, idleMs: 10_000 },
    ...extra,
  };
}

async function rejection(p: Promise<unknown>): Promise<MailError> {
  try {
    await p;
  } catch (e) {
    return e as MailError;
  }
  throw new Error('expected a rejection');
}

describe('logins', () => {
  it.each<AuthMethod>(['USER', 'APOP', 'PLAIN', 'LOGIN', 'CRAM-MD5'])('%s logs in (password with a space)', async (method) => {
    const s = await Pop3Session.connect(options('none'));
    const { name, password } = user();
    expect(await s.authenticate({ user: name, password, method, allowPlaintextPassword: true })).toBe(method);
    expect(s.state).toBe('TRANSACTION');
    expect((await s.stat()).count).toBe(messages.length);
    await s.quit();
  });

  it('the strongest offered method is chosen: CRAM-MD5 over a plaintext link, without consent to plaintext', async () => {
    const s = await Pop3Session.connect(options('none'));
    expect(await s.authenticate({ user: user().name, password: user().password })).toBe('CRAM-MD5');
    await s.quit();
  });

  it('a password is not sent unencrypted without the account\'s consent', async () => {
    const s = await Pop3Session.connect(options('none'));
    const e = await rejection(s.authenticate({ user: user().name, password: user().password, method: 'USER' }));
    expect(e.code).toBe('PLAINTEXT_REFUSED');
    expect(s.state).toBe('AUTHORIZATION');
    await s.quit();
  });

  it('a wrong password is AUTH_FAILED with the server\'s words, and the session may try again', async () => {
    const s = await Pop3Session.connect(options('tls'));
    const e = await rejection(s.authenticate({ user: user().name, password: 'wrong', method: 'PLAIN' }));
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.details.serverText).toMatch(/auth/i);
    await s.authenticate({ user: user().name, password: user().password, method: 'PLAIN' });
    expect(s.state).toBe('TRANSACTION');
    await s.quit();
  });
});

describe('transports', () => {
  it('STLS upgrades, verifies the certificate and asks CAPA again', async () => {
    const s = await Pop3Session.connect(options('starttls'));
    expect(s.tlsInfo?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(s.tlsInfo?.trustedBy).toBe('ca');
    // Dovecot stops offering STLS once TLS is up: proof that the capabilities were read again.
    expect(s.capabilities.stls).toBe(false);
    await s.authenticate({ user: user().name, password: user().password, method: 'USER' });
    await s.quit();
  });

  it('implicit TLS verifies against the CA', async () => {
    const s = await Pop3Session.connect(options('tls'));
    expect(s.tlsInfo?.fingerprint256).toBe(server.pki.fingerprint256);
    await s.quit();
  });

  it('an unknown CA is CERT_UNTRUSTED, and the error carries the fingerprint to trust', async () => {
    const e = await rejection(Pop3Session.connect(options('tls', { tls: {} })));
    expect(e.code).toBe('CERT_UNTRUSTED');
    expect(e.details.facts?.fingerprint256).toBe(server.pki.fingerprint256);
  });

  it('a pinned fingerprint stands in for the CA; a different one is refused', async () => {
    const s = await Pop3Session.connect(options('tls', { tls: { fingerprint256: server.pki.fingerprint256 } }));
    expect(s.tlsInfo?.trustedBy).toBe('fingerprint');
    await s.quit();
    const other = server.pki.fingerprint256.replace(/^../, (x) => (x === '00' ? '11' : '00'));
    const e = await rejection(Pop3Session.connect(options('tls', { tls: { fingerprint256: other } })));
    expect(e.code).toBe('CERT_FINGERPRINT_MISMATCH');
  });
});

describe('downloads', () => {
  it('a pipelined download of 1,000 messages matches the maildir byte for byte', async () => {
    const s = await Pop3Session.connect(options('tls'));
    await s.authenticate({ user: user().name, password: user().password });
    expect(s.pipelining).toBe(true);
    const uids = await s.uidl();
    const sizes = await s.list();
    expect(uids).toHaveLength(1000);
    const seen: number[] = [];
    await s.fetchMany('retr', uids.map((u) => u.n), {}, (n, body) => {
      seen.push(n);
      const expected = messages[n - 1]?.bytes;
      expect(body.equals(expected ?? Buffer.alloc(0)), `message ${n}`).toBe(true);
      expect(body.length).toBe(sizes[n - 1]?.size);
    });
    expect(seen).toEqual(uids.map((u) => u.n));
    await s.quit();
  });

  it('TOP n 0 gives the header block; sequential mode gives the same as pipelined', async () => {
    const heads = async (pipelining: 'auto' | 'off'): Promise<Buffer[]> => {
      const s = await Pop3Session.connect(options('none', { pipelining }));
      await s.authenticate({ user: user().name, password: user().password, allowPlaintextPassword: true });
      const out: Buffer[] = [];
      await s.fetchMany('top', [1, 2, 3, 500, 1000], { lines: 0 }, (_n, body) => {
        out.push(body);
      });
      await s.quit();
      return out;
    };
    const pipelined = await heads('auto');
    const sequential = await heads('off');
    expect(pipelined).toEqual(sequential);
    const first = messages[0]?.bytes.toString('latin1') ?? '';
    expect(pipelined[0]?.toString('latin1')).toBe(first.slice(0, first.indexOf('\r\n\r\n') + 4));
  });

  it('retrInto streams into a slow writable with back-pressure', async () => {
    const s = await Pop3Session.connect(options('none'));
    await s.authenticate({ user: user().name, password: user().password });
    const sizes = await s.list();
    const biggest = sizes.reduce((a, b) => (b.size > a.size ? b : a));
    const parts: Buffer[] = [];
    let pressured = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        parts.push(Buffer.from(chunk));
        setImmediate(done);
      },
    });
    slow.on('drain', () => pressured++);
    const bytes = await s.retrInto(biggest.n, slow);
    expect(bytes).toBe(biggest.size);
    expect(pressured).toBeGreaterThan(0);
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(Buffer.concat(parts).equals(messages[biggest.n - 1]?.bytes ?? Buffer.alloc(0))).toBe(true);
    await s.quit();
  });
});

describe('deletion follows RFC 1939 §6', () => {
  it('DELE then QUIT removes the messages; DELE then a dropped connection removes nothing', async () => {
    const before = readMaildirMessages(server.maildir()).size;
    const s1 = await Pop3Session.connect(options('tls'));
    await s1.authenticate({ user: user().name, password: user().password });
    expect((await s1.deleMany([1, 2, 3])).size).toBe(0);
    s1.abort();
    expect(readMaildirMessages(server.maildir()).size).toBe(before);

    const s2 = await Pop3Session.connect(options('tls'));
    await s2.authenticate({ user: user().name, password: user().password });
    const gone = [messages[997], messages[998], messages[999]].map((m) => m?.messageId);
    await s2.deleMany([998, 999, 1000]);
    await s2.quit();
    const after = readMaildirMessages(server.maildir());
    expect(after.size).toBe(before - 3);
    for (const id of gone) expect(after.has(id ?? '')).toBe(false);
  });
});

describe('test account settings', () => {
  it('reports transport, certificate, capabilities, login and mailbox', async () => {
    const report = await testAccountSettings({
      host: server.host,
      port: server.tlsPort,
      security: 'tls',
      tls: { ca: server.pki.caPem },
      credentials: { user: user().name, password: user().password },
    });
    expect(report.chosen).toEqual({ security: 'tls', port: server.tlsPort });
    expect(report.certificate?.fingerprint256).toBe(server.pki.fingerprint256);
    expect(report.capabilities).toContain('PIPELINING');
    expect(report.authMethods).toEqual(['CRAM-MD5', 'APOP', 'PLAIN', 'LOGIN', 'USER']);
    expect(report.login).toEqual({ ok: true, method: 'CRAM-MD5' });
    expect(report.mailbox?.count).toBeGreaterThan(0);
  });

  it('auto-detects on a plaintext port: TLS fails fast, STLS works', async () => {
    const report = await testAccountSettings({
      host: server.host,
      port: server.plainPort,
      tls: { ca: server.pki.caPem },
      timeouts: { connectMs: 5000 },
    });
    expect(report.attempts.map((a) => [a.security, a.ok])).toEqual([
      ['tls', false],
      ['starttls', true],
    ]);
    expect(report.attempts[0]?.error?.code).toBe('TLS_FAILED');
    expect(report.login).toBeUndefined();
  });
});
