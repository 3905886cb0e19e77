/**
 * Transport security and deadlines: STLS (RFC 2595) with CAPA asked again and plaintext injection refused,
 * implicit TLS (RFC 8314), and the timers that keep Poplar from hanging where Outlook does (C0002, C0014):
 * connect deadline, greeting timeout, idle timeout. A cut connection is CONNECTION_CLOSED. None of these
 * failures is followed by a QUIT, so the server commits nothing.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Pop3Session } from '../../main/pop3/session.ts';
import { assertScriptDone, type FakeServer } from '../support/fake-pop3-server.ts';
import { conn, LOGIN_STEPS, mailRejection, sessionOptions, useFixtures } from './helpers.ts';

const { fake, connect, login, rawServer } = useFixtures();
const SHORT = { connectMs: 2000, greetingMs: 200, idleMs: 300 };

function ca(server: FakeServer): string {
  if (server.pki === undefined) throw new Error('the fake server has no PKI');
  return server.pki.caPem;
}

describe('STLS (RFC 2595)', () => {
  it('upgrades, verifies the certificate, and asks CAPA again before logging in', async () => {
    const server = await fake({ tls: 'stls', mailbox: { messages: ['x\r\n'] } });
    const s = await connect(server, { security: 'starttls', tls: { ca: ca(server) } });
    expect(s.tlsInfo?.trustedBy).toBe('ca');
    expect(s.tlsInfo?.protocol).toMatch(/^TLSv1\.[23]$/);
    // The fake stops announcing STLS once TLS is up: the capabilities are the ones read after the upgrade.
    expect(s.capabilities.stls).toBe(false);
    await s.authenticate({ user: 'bob', password: 'secret', method: 'USER' });
    expect(await s.stat()).toEqual({ count: 1, size: 3 });
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'STLS', 'CAPA', 'USER bob', 'PASS secret', 'CAPA', 'STAT', 'QUIT']);
    expect(conn(server).tls).toBe(true);
  });

  it('bytes injected after the +OK to STLS are STLS_INJECTION, and nothing more is sent', async () => {
    const server = await fake({
      tls: 'stls',
      script: [
        { expect: 'CAPA', reply: '+OK\r\nSTLS\r\nUSER\r\n.' },
        { action: 'starttls', injectAfterOk: '+OK injected\r\n' },
      ],
    });
    const e = await mailRejection(Pop3Session.connect(sessionOptions(server.port, { security: 'starttls', tls: { ca: ca(server) } })));
    expect([e.code, e.details.facts?.bytes]).toEqual(['STLS_INJECTION', 14]);
    await server.closed(0);
    expect(server.transcript).toEqual(['CAPA', 'STLS']);
    assertScriptDone(server);
  });

  it('a server without STLS is STLS_UNAVAILABLE, and no USER or PASS is ever sent', async () => {
    const server = await fake({ mailbox: { messages: [] } });
    const e = await mailRejection(Pop3Session.connect(sessionOptions(server.port, { security: 'starttls' })));
    expect(e.code).toBe('STLS_UNAVAILABLE');
    // Without CAPA the client cannot know, so it asks; a -ERR is STLS_UNAVAILABLE too.
    const old = await fake({ mailbox: { messages: [], capabilities: null } });
    const f = await mailRejection(Pop3Session.connect(sessionOptions(old.port, { security: 'starttls' })));
    expect([f.code, f.details.serverText]).toEqual(['STLS_UNAVAILABLE', undefined]);
    await Promise.all([server.closed(0), old.closed(0)]);
    expect([server.transcript, old.transcript]).toEqual([['CAPA'], ['CAPA', 'STLS']]);
  });
});

describe('implicit TLS (RFC 8314)', () => {
  it('verifies the server against the given CA before any POP3 byte', async () => {
    const server = await fake({ tls: 'implicit', mailbox: { messages: ['x\r\n'] } });
    const s = await login(server, { security: 'tls', tls: { ca: ca(server) } });
    expect(s.tlsInfo?.trustedBy).toBe('ca');
    expect(s.tlsInfo?.subject).toContain('CN=localhost');
    expect(await s.stat()).toEqual({ count: 1, size: 3 });
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'CAPA', 'STAT', 'QUIT']);
    expect(conn(server).tls).toBe(true);
  });

  it('an untrusted certificate is CERT_UNTRUSTED; a pinned fingerprint is trusted, a wrong pin is a mismatch', async () => {
    const server = await fake({ tls: 'implicit', mailbox: { messages: [] } });
    const untrusted = await mailRejection(Pop3Session.connect(sessionOptions(server.port, { security: 'tls' })));
    expect(untrusted.code).toBe('CERT_UNTRUSTED');
    const fingerprint256 = server.pki?.fingerprint256 ?? '';
    const pinned = await connect(server, { security: 'tls', tls: { fingerprint256 } });
    expect(pinned.tlsInfo?.trustedBy).toBe('fingerprint');
    const wrong = await mailRejection(Pop3Session.connect(sessionOptions(server.port, { security: 'tls', tls: { fingerprint256: '00'.repeat(32) } })));
    expect(wrong.code).toBe('CERT_FINGERPRINT_MISMATCH');
    expect(server.transcript).toEqual(['CAPA']);
  });
});

describe('deadlines', () => {
  it('connect deadline: a listener that accepts but never speaks TLS is CONNECT_TIMEOUT', async () => {
    const port = await rawServer(() => undefined);
    const started = performance.now();
    const e = await mailRejection(Pop3Session.connect(sessionOptions(port, { security: 'tls', timeouts: { connectMs: 200 } })));
    expect(e.code).toBe('CONNECT_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('greeting timeout: no greeting after the TLS handshake is GREETING_TIMEOUT', async () => {
    const server = await fake({ tls: 'implicit', greeting: null, script: [] });
    const e = await mailRejection(Pop3Session.connect(sessionOptions(server.port, { security: 'tls', tls: { ca: ca(server) }, timeouts: SHORT })));
    expect([e.code, e.details.facts?.timeoutMs]).toEqual(['GREETING_TIMEOUT', 200]);
    await server.closed(0);
    expect(server.transcript).toEqual([]);
  });

  it('idle timeout mid-RETR: a body that stops arriving is IDLE_TIMEOUT; no QUIT, nothing committed', async () => {
    const server = await fake({
      script: [
        ...LOGIN_STEPS,
        { expect: 'DELE 2', reply: '+OK' },
        { expect: 'RETR 1', reply: { chunks: ['+OK 900 octets\r\n', 'line 1\r\n', 'line 2\r\n'] } },
        { action: 'hang' },
      ],
    });
    const s = await login(server, { timeouts: SHORT });
    await s.dele(2);
    const e = await mailRejection(s.retr(1));
    expect(e.code).toBe('IDLE_TIMEOUT');
    await server.closed(0);
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'DELE 2', 'RETR 1']);
    expect([conn(server).quitReceived, conn(server).committed]).toEqual([false, false]);
    assertScriptDone(server);
  });

  it('idle timeout is about silence, not length: a slow but steady body is read whole, also when streamed', async () => {
    // Pauses of 100 ms under an idle limit of 300 ms, for a whole of 400 ms.
    const reply = { chunks: ['+OK\r\n', 'a\r\n', 'b\r\n', 'c\r\n', '.\r\n'], delayMs: 100 };
    const server = await fake({
      script: [...LOGIN_STEPS, { expect: 'RETR 1', reply }, { expect: 'RETR 1', reply: { ...reply, chunks: reply.chunks.slice(0, 3) } }, { action: 'hang' }],
    });
    const s = await login(server, { timeouts: SHORT });
    expect((await s.retr(1)).toString()).toBe('a\r\nb\r\nc\r\n');
    const written: Buffer[] = [];
    const target = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk);
        done();
      },
    });
    const e = await mailRejection(s.retrInto(1, target));
    expect(e.code).toBe('IDLE_TIMEOUT');
    expect(Buffer.concat(written).toString()).toBe('a\r\nb\r\n');
    assertScriptDone(server);
  });

  it('a server that closes mid-response is CONNECTION_CLOSED, in a body or in a status line', async () => {
    const server = await fake({
      script: [...LOGIN_STEPS, { expect: 'RETR 1', reply: '+OK\r\npartial line\r\n' }, { action: 'close' }],
    });
    const s = await login(server);
    const e = await mailRejection(s.retr(1));
    expect([e.code, e.transient]).toEqual(['CONNECTION_CLOSED', true]);
    expect(s.state).toBe('CLOSED');
    const half = await fake({ script: [...LOGIN_STEPS, { expect: 'STAT', reply: Buffer.from('+OK 1', 'latin1') }, { action: 'close' }] });
    const t = await login(half);
    expect((await mailRejection(t.stat())).code).toBe('CONNECTION_CLOSED');
    assertScriptDone(half);
    // The mailbox cuts the connection 5000 bytes into its output: in the middle of the 10 kB message.
    const cut = await fake({ mailbox: { messages: ['x'.repeat(10_000)], quirks: { dropAfterBytes: 5000 } } });
    const u = await login(cut);
    expect((await mailRejection(u.retr(1))).code).toBe('CONNECTION_CLOSED');
    expect(cut.transcript).not.toContain('QUIT');
  });
});
