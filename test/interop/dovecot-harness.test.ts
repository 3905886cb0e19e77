/**
 * Tests of the Dovecot harness itself, over raw sockets: the POP3 engine under test elsewhere must not be what
 * proves its own test server right.
 */
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../support/dovecot.ts';
import { generateMessages, readMaildirMessages, writeMaildir, type GeneratedMessage } from '../support/mailbox.ts';

/** Just enough POP3 to check the server: status lines, multi-line responses, and the STLS switch. */
class RawPop {
  private buffer = Buffer.alloc(0);
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    socket.on('error', (err) => {
      this.failure ??= err;
      this.wake?.();
    });
    socket.on('close', () => {
      this.failure ??= new Error(`closed with ${JSON.stringify(this.buffer.toString('latin1'))} unread`);
      this.wake?.();
    });
  }

  static plain(port: number): RawPop {
    return new RawPop(net.connect(port, '127.0.0.1'));
  }

  static secure(port: number, ca: string): RawPop {
    return new RawPop(tls.connect({ host: '127.0.0.1', port, ca }));
  }

  /** Takes the first `length(buffer)` bytes once that is not -1. */
  private async take(length: (buffer: Buffer) => number): Promise<Buffer> {
    for (;;) {
      const n = length(this.buffer);
      if (n >= 0) {
        const out = this.buffer.subarray(0, n);
        this.buffer = this.buffer.subarray(n);
        return out;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async line(): Promise<string> {
    const raw = await this.take((b) => (b.includes('\r\n') ? b.indexOf('\r\n') + 2 : -1));
    return raw.toString('latin1').slice(0, -2);
  }

  /** The raw, still dot-stuffed lines of a multi-line response, up to and including the ".\r\n" terminator. */
  multiline(): Promise<Buffer> {
    return this.take((b) => (b.subarray(0, 3).toString() === '.\r\n' ? 3
      : b.includes('\r\n.\r\n') ? b.indexOf('\r\n.\r\n') + 5 : -1));
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.line();
  }

  async login(user = 'alice', password = 'secret pass'): Promise<void> {
    expect(await this.command(`USER ${user}`)).toMatch(/^\+OK/);
    expect(await this.command(`PASS ${password}`)).toMatch(/^\+OK/);
  }

  async quit(): Promise<void> {
    expect(await this.command('QUIT')).toMatch(/^\+OK/);
    this.socket.destroy();
  }
}

/** RFC 1939 3: the body is everything before the terminating ".\r\n", minus one leading dot on dot lines. */
function unstuff(raw: Buffer): Buffer {
  return Buffer.from(raw.subarray(0, -3).toString('latin1').replace(/(^|\r\n)\./g, '$1'), 'latin1');
}

const files = (maildir: string): string[] => readdirSync(path.join(maildir, 'cur')).sort();

/** A dropped session is over once Dovecot logs its disconnect; only then can we tell that it expunged nothing. */
async function waitForLog(server: DovecotServer, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 200 && !pattern.test(readFileSync(server.logPath, 'utf8')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(readFileSync(server.logPath, 'utf8')).toMatch(pattern);
}

describe('Dovecot harness', () => {
  let a: DovecotServer;
  let b: DovecotServer;
  let messages: GeneratedMessage[];
  let written: { count: number; bytes: number };

  beforeAll(async () => {
    // Two instances started side by side: parallel test files do the same.
    [a, b] = await Promise.all([startDovecot(), startDovecot({ users: [{ name: 'bob', password: 'hunter 2' }] })]);
    messages = [...generateMessages({ count: 12, seed: 42, kind: 'bench' })];
    written = writeMaildir(a.maildir(), messages);
    writeMaildir(b.maildir('bob'), generateMessages({ count: 5, seed: 7, kind: 'small' }));
  });

  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  it('runs two independent instances on distinct loopback ports', () => {
    const ports = new Set([a.plainPort, a.tlsPort, b.plainPort, b.tlsPort]);
    expect(ports.size).toBe(4);
    expect(a.host).toBe('127.0.0.1');
    expect(a.users).toEqual([{ name: 'alice', password: 'secret pass' }]);
    expect(a.dir).not.toBe(b.dir);
  });

  it('greets on both ports and advertises the capabilities the client relies on', async () => {
    const plain = RawPop.plain(a.plainPort);
    // APOP needs the timestamp in the greeting (RFC 1939 7).
    expect(await plain.line()).toMatch(/^\+OK .*<[^>]+@[^>]+>$/);
    expect(await plain.command('CAPA')).toMatch(/^\+OK/);
    const capa = (await plain.multiline()).toString('latin1').split('\r\n');
    for (const cap of ['PIPELINING', 'STLS', 'UIDL', 'TOP', 'USER', 'SASL PLAIN LOGIN CRAM-MD5']) expect(capa).toContain(cap);
    await plain.quit();

    const secure = RawPop.secure(a.tlsPort, a.pki.caPem);
    expect(await secure.line()).toMatch(/^\+OK/);
    await secure.quit();
  });

  it('serves implicit TLS with a certificate that verifies against the test CA', async () => {
    const session = RawPop.secure(a.tlsPort, a.pki.caPem);
    expect(await session.line()).toMatch(/^\+OK/);
    const socket = session.socket;
    if (!(socket instanceof tls.TLSSocket)) throw new Error('not a TLS socket');
    expect(socket.authorized).toBe(true);
    expect(socket.getPeerCertificate().fingerprint256).toBe(a.pki.fingerprint256);
    await session.login();
    await session.quit();
    // Without the CA the chain must not verify: it really is a private PKI.
    const untrusted = RawPop.secure(a.tlsPort, b.pki.caPem);
    await expect(untrusted.line()).rejects.toThrow(/certificate/i);
  });

  it('upgrades the plain port with STLS', async () => {
    const plain = RawPop.plain(a.plainPort);
    await plain.line();
    expect(await plain.command('STLS')).toMatch(/^\+OK/);
    plain.socket.removeAllListeners('data');
    const upgraded = new RawPop(tls.connect({ socket: plain.socket, ca: a.pki.caPem, servername: 'localhost' }));
    await upgraded.login();
    await upgraded.quit();
  });

  it('logs in with USER/PASS and reports what writeMaildir wrote, in order', async () => {
    const session = RawPop.plain(a.plainPort);
    await session.line();
    await session.login();
    expect(await session.command('STAT')).toBe(`+OK ${written.count} ${written.bytes}`);
    expect(await session.command('LIST')).toMatch(/^\+OK/);
    const list = (await session.multiline()).toString('latin1').trim().split('\r\n').slice(0, -1);
    expect(list).toEqual(messages.map((m, i) => `${i + 1} ${m.bytes.length}`));
    expect(await session.command('UIDL')).toMatch(/^\+OK/);
    const uidl = (await session.multiline()).toString('latin1').trim().split('\r\n').slice(0, -1);
    // Deterministic unique-ids: the Maildir base names, which follow from the write order and the Message-IDs.
    expect(uidl).toEqual(files(a.maildir()).map((f, i) => `${i + 1} ${f.slice(0, f.indexOf(':'))}`));
    await session.quit();
  });

  it('delivers RETR byte-exactly, dot-stuffed on the wire', async () => {
    const session = RawPop.plain(a.plainPort);
    await session.line();
    await session.login();
    // Message 2 (index 1) carries "." and ".." lines, "+OK"/"-ERR" lines, and ends with a lone ".".
    for (const n of [1, 2, 3, messages.length]) {
      const message = messages[n - 1];
      if (!message) throw new Error(`no message ${n}`);
      expect(await session.command(`RETR ${n}`)).toMatch(/^\+OK/);
      const raw = await session.multiline();
      expect(unstuff(raw).equals(message.bytes)).toBe(true);
      if (n === 2) {
        expect(raw.toString('latin1')).toContain('\r\n..\r\n');
        expect(raw.toString('latin1')).toContain('\r\n...line starting with two dots\r\n');
        expect(raw.toString('latin1').endsWith('\r\n..\r\n.\r\n')).toBe(true);
        expect(message.bytes.toString('latin1')).toContain('\r\n-ERR');
      }
    }
    await session.quit();
  });

  it('expunges nothing when the connection drops after DELE', async () => {
    const before = files(b.maildir('bob'));
    const session = RawPop.plain(b.plainPort);
    await session.line();
    await session.login('bob', 'hunter 2');
    expect(await session.command('DELE 1')).toMatch(/^\+OK/);
    session.socket.destroy();
    // Dovecot's del=<expunged>/<messages> counts only what was committed: nothing, without QUIT.
    await waitForLog(b, /pop3\(bob\).*Disconnected: Connection closed.*del=0\/5/);
    expect(files(b.maildir('bob'))).toEqual(before);
  });

  it('expunges the DELEd message on QUIT', async () => {
    const before = readMaildirMessages(b.maildir('bob'));
    const session = RawPop.plain(b.plainPort);
    await session.line();
    await session.login('bob', 'hunter 2');
    expect(await session.command('STAT')).toMatch(/^\+OK 5 /);
    expect(await session.command('DELE 2')).toMatch(/^\+OK/);
    await session.quit();
    const after = readMaildirMessages(b.maildir('bob'));
    const gone = [...before.keys()].filter((id) => !after.has(id));
    expect(gone).toHaveLength(1);
    expect(gone[0]).toMatch(/^<small-7-1\./);
    expect(files(b.maildir('bob'))).toHaveLength(4);
  });
});
