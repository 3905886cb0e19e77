// Proves the fake POP3 server itself, with raw node:net / node:tls sockets (never the project's engine).
import { createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestPki } from './certs.ts';
import { assertScriptDone, startFakeServer, type FakeServer, type FakeServerOptions } from './fake-pop3-server.ts';

/** A bare client: collects every read as a separate latin1 chunk, and reads up to a marker with a deadline. */
class RawClient {
  readonly chunks: string[] = [];
  ended = false;
  private buffer = '';
  private wake: (() => void) | undefined;

  private constructor(private socket: net.Socket) {
    this.listen(socket);
  }

  static async connect(port: number, pki?: TestPki): Promise<RawClient> {
    const socket = pki === undefined
      ? net.connect(port, '127.0.0.1')
      : tls.connect({ port, host: '127.0.0.1', ca: pki.caPem, servername: 'localhost' });
    await once(socket, pki === undefined ? 'connect' : 'secureConnect');
    const client = new RawClient(socket);
    clients.push(client);
    return client;
  }

  private readonly onData = (data: Buffer): void => {
    const text = data.toString('latin1');
    this.chunks.push(text);
    this.buffer += text;
    this.wake?.();
  };

  private readonly onClose = (): void => {
    this.ended = true;
    this.wake?.();
  };

  private listen(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', () => undefined);
  }

  send(text: string): void {
    this.socket.write(text, 'latin1');
  }

  /** Everything up to and including `marker`; fails after `ms` or at end of stream. */
  async until(marker: string, ms = 2000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const at = this.buffer.indexOf(marker);
      if (at !== -1) {
        const out = this.buffer.slice(0, at + marker.length);
        this.buffer = this.buffer.slice(at + marker.length);
        return out;
      }
      if (this.ended) throw new Error(`connection ended before ${JSON.stringify(marker)}; got ${JSON.stringify(this.buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${JSON.stringify(marker)}; got ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  line(): Promise<string> {
    return this.until('\r\n');
  }

  /** Sends one command and returns its single-line answer. */
  async ask(command: string): Promise<string> {
    this.send(`${command}\r\n`);
    return this.line();
  }

  /** Sends one command and returns its multi-line answer through the terminator (RFC 1939 §3). */
  async askMulti(command: string): Promise<string> {
    this.send(`${command}\r\n`);
    const first = await this.line();
    return first.startsWith('+') ? first + (await this.until('\r\n.\r\n')) : first;
  }

  /** Whatever arrives within `ms` (for "nothing arrives" checks). */
  async idle(ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const out = this.buffer;
    this.buffer = '';
    return out;
  }

  async waitEnd(ms = 2000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('connection did not end');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** RFC 2595 §4: start TLS on the same socket, as a client that already read the +OK. */
  async startTls(pki: TestPki): Promise<void> {
    const plain = this.socket;
    plain.off('data', this.onData);
    plain.off('close', this.onClose);
    const secure = tls.connect({ socket: plain, ca: pki.caPem, servername: 'localhost' });
    this.listen(secure);
    await once(secure, 'secureConnect');
    this.socket = secure;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

const clients: RawClient[] = [];
const servers: FakeServer[] = [];

async function start(options: FakeServerOptions): Promise<FakeServer> {
  const server = await startFakeServer(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const GREETING = '+OK ready <1896.697170952@dbc.mtview.ca.us>\r\n';

describe('script mode', () => {
  it('plays the dialogue, records the transcript, and closes after QUIT', async () => {
    const server = await start({
      script: [
        { expect: 'USER bob', reply: '+OK' },
        { expect: /^PASS /, reply: '+OK logged in' },
        { expect: 'DELE 1', reply: '+OK deleted' },
        { expect: 'QUIT', reply: '+OK bye' },
      ],
    });
    const c = await RawClient.connect(server.port);
    expect(await c.line()).toBe(GREETING);
    expect(await c.ask('USER bob')).toBe('+OK\r\n');
    expect(await c.ask('PASS p w')).toBe('+OK logged in\r\n');
    expect(await c.ask('DELE 1')).toBe('+OK deleted\r\n');
    expect(await c.ask('QUIT')).toBe('+OK bye\r\n');
    await c.waitEnd();
    await server.closed(0);
    assertScriptDone(server);
    expect(server.transcript).toEqual(['USER bob', 'PASS p w', 'DELE 1', 'QUIT']);
    const rec = server.connections[0];
    expect(rec?.reads).toEqual([1, 1, 1, 1]);
    expect(rec?.rawReceived().toString('latin1')).toBe('USER bob\r\nPASS p w\r\nDELE 1\r\nQUIT\r\n');
    expect([rec?.quitReceived, rec?.committed, [...(rec?.deleted ?? [])]]).toEqual([true, true, [1]]);
  });

  it('answers a mismatch with -ERR, records it, and assertScriptDone explains', async () => {
    const server = await start({ greeting: '+OK hi', script: [{ expect: 'USER bob', reply: '+OK' }, { expect: 'PASS x', reply: '+OK' }] });
    const c = await RawClient.connect(server.port);
    await c.line();
    expect(await c.ask('USER  bob')).toBe('-ERR unexpected command\r\n');
    expect(await c.ask('USER bob')).toBe('+OK\r\n');
    expect(server.mismatches).toEqual(['connection 0, step 1: expected "USER bob", got "USER  bob"']);
    expect(() => assertScriptDone(server)).toThrow(/mismatches:[\s\S]*steps not reached \(1 of 2\):\n {2}2\. expect "PASS x"/);
    expect(await c.ask('PASS x')).toBe('+OK\r\n');
    expect(await c.ask('NOOP')).toBe('-ERR unexpected command\r\n');
    expect(server.mismatches[1]).toMatch(/after the end of the script \(2 steps\), got "NOOP"/);
  });

  it('sends chunks as separate writes that arrive as separate reads', async () => {
    const server = await start({
      script: [{ expect: 'LIST', reply: { chunks: ['+OK\r\n1 120\r\n.', '\r', '\n'], delayMs: 40 } }],
    });
    const c = await RawClient.connect(server.port);
    await c.line();
    c.send('LIST\r\n');
    expect(await c.until('\r\n.\r\n')).toBe('+OK\r\n1 120\r\n.\r\n');
    expect(c.chunks.slice(-3)).toEqual(['+OK\r\n1 120\r\n.', '\r', '\n']);
    assertScriptDone(server);
  });

  it('can stay silent: no greeting, or hang after a command', async () => {
    const silent = await start({ greeting: null, script: [] });
    const a = await RawClient.connect(silent.port);
    expect(await a.idle(40)).toBe('');
    const hanging = await start({ script: [{ expect: 'USER bob', action: 'hang' }] });
    const b = await RawClient.connect(hanging.port);
    await b.line();
    b.send('USER bob\r\nPASS secret\r\n');
    expect(await b.idle(60)).toBe('');
    expect(b.ended).toBe(false);
    expect(hanging.transcript).toEqual(['USER bob', 'PASS secret']);
    assertScriptDone(hanging);
    await hanging.close();
    await b.waitEnd();
  });

  it('closes right after the greeting, and the script continues on the next connection', async () => {
    const server = await start({ script: [{ action: 'close' }, { expect: 'CAPA', action: 'close' }] });
    const a = await RawClient.connect(server.port);
    expect(await a.line()).toBe(GREETING);
    await a.waitEnd();
    await server.closed(0);
    const b = await RawClient.connect(server.port);
    await b.line();
    b.send('CAPA\r\n');
    await b.waitEnd();
    await server.closed(1);
    assertScriptDone(server);
  });

  it('STLS: +OK with injected plaintext in one write, then TLS; pipelined plaintext is dropped', async () => {
    const server = await start({
      tls: 'stls',
      script: [
        { action: 'starttls', injectAfterOk: '+OK injected\r\n' },
        { expect: 'USER bob', reply: '+OK over TLS' },
        { expect: 'QUIT', reply: '+OK bye' },
      ],
    });
    const pki = server.pki;
    if (pki === undefined) throw new Error('no PKI');
    const c = await RawClient.connect(server.port);
    await c.line();
    c.send('STLS\r\nUSER early\r\n');
    expect(await c.until('+OK injected\r\n')).toBe('+OK Begin TLS negotiation\r\n+OK injected\r\n');
    expect(c.chunks.at(-1)).toBe('+OK Begin TLS negotiation\r\n+OK injected\r\n');
    await c.startTls(pki);
    expect(await c.ask('USER bob')).toBe('+OK over TLS\r\n');
    expect(await c.ask('QUIT')).toBe('+OK bye\r\n');
    await server.closed(0);
    await c.waitEnd();
    expect(server.transcript).toEqual(['STLS', 'USER early', 'USER bob', 'QUIT']);
    expect(server.connections[0]?.tls).toBe(true);
    assertScriptDone(server);
  });
});

const MSG1 = 'Subject: one\r\nFrom: a@example.org\r\n\r\n.leading dot\r\nsecond\r\n..two dots\r\n.\r\nlast\r\n';
const MSG2 = 'Subject: two\n\nbody\n';

describe('mailbox mode', () => {
  async function login(port: number, pki?: TestPki): Promise<RawClient> {
    const c = await RawClient.connect(port, pki);
    await c.line();
    expect(await c.ask('USER bob')).toMatch(/^\+OK/i);
    expect(await c.ask('PASS secret')).toMatch(/^\+OK/i);
    return c;
  }

  it('serves LIST, UIDL, TOP and RETR with byte-stuffing (RFC 1939 §3)', async () => {
    const server = await start({ mailbox: { messages: [MSG1, MSG2], uids: ['AAA', undefined] } });
    const c = await login(server.port);
    const size2 = MSG2.replace(/\n/g, '\r\n').length;
    expect(await c.ask('STAT')).toBe(`+OK 2 ${MSG1.length + size2}\r\n`);
    expect(await c.askMulti('LIST')).toBe(`+OK 2 messages (${MSG1.length + size2} octets)\r\n1 ${MSG1.length}\r\n2 ${size2}\r\n.\r\n`);
    expect(await c.ask('LIST 2')).toBe(`+OK 2 ${size2}\r\n`);
    expect(await c.askMulti('UIDL')).toBe('+OK unique-id listing follows\r\n1 AAA\r\n2 uid-2\r\n.\r\n');
    expect(await c.askMulti('TOP 1 1')).toBe('+OK top of message follows\r\nSubject: one\r\nFrom: a@example.org\r\n\r\n..leading dot\r\n.\r\n');
    const body = 'Subject: one\r\nFrom: a@example.org\r\n\r\n..leading dot\r\nsecond\r\n...two dots\r\n..\r\nlast\r\n';
    expect(await c.askMulti('RETR 1')).toBe(`+OK ${MSG1.length} octets\r\n${body}.\r\n`);
    expect(await c.askMulti('RETR 2')).toBe(`+OK ${size2} octets\r\nSubject: two\r\n\r\nbody\r\n.\r\n`);
    expect(await c.ask('RETR 3')).toBe('-ERR no such message\r\n');
    expect(await c.ask('STAT 1')).toMatch(/^-ERR/);
    expect(await c.askMulti('CAPA')).toBe('+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nRESP-CODES\r\n.\r\n');
  });

  it('bends the format with quirks: tabs, spaces, +ok, trailing text', async () => {
    const server = await start({ mailbox: { messages: ['a\r\n'], quirks: { tabsInListings: true, lowercaseStatus: true, trailingText: true } } });
    const c = await login(server.port);
    expect(await c.ask('STAT')).toBe('+ok\t1\t3 extra text\r\n');
    expect(await c.askMulti('UIDL')).toBe('+ok unique-id listing follows\r\n1\tuid-1 extra text\r\n.\r\n');
    expect(await c.ask('DELE 9')).toBe('-err no such message\r\n');
    const spaced = await start({ mailbox: { messages: ['a\r\n'], quirks: { extraSpaces: true } } });
    const d = await login(spaced.port);
    expect(await d.ask('LIST 1')).toBe('+OK   1   3\r\n');
  });

  it('commits DELE on QUIT, but not when the connection is just dropped (RFC 1939 §6)', async () => {
    const server = await start({ mailbox: { messages: ['one\r\n', 'two\r\n'] } });
    const a = await login(server.port);
    expect(await a.ask('DELE 1')).toBe('+OK message 1 deleted\r\n');
    a.destroy();
    await server.closed(0);
    expect([server.connections[0]?.committed, [...(server.connections[0]?.deleted ?? [])]]).toEqual([false, [1]]);
    const b = await login(server.port);
    expect(await b.ask('STAT')).toBe('+OK 2 10\r\n');
    expect(await b.ask('DELE 1')).toMatch(/^\+OK/);
    expect(await b.ask('DELE 1')).toBe('-ERR message 1 already deleted\r\n');
    expect(await b.ask('QUIT')).toBe('+OK bye\r\n');
    await server.closed(1);
    expect([server.connections[1]?.committed, server.connections[1]?.quitReceived]).toEqual([true, true]);
    const c = await login(server.port);
    expect(await c.askMulti('UIDL')).toBe('+OK unique-id listing follows\r\n1 uid-2\r\n.\r\n');
  });

  it('answers pipelined commands in order and records them as one read', async () => {
    const server = await start({ mailbox: { messages: ['x\r\n'], pipelining: true } });
    const c = await RawClient.connect(server.port);
    await c.line();
    c.send('USER bob\r\nPASS secret\r\nSTAT\r\nCAPA\r\n');
    const answers = await c.until('.\r\n');
    expect(answers).toMatch(/^\+OK send PASS\r\n\+OK bob's maildrop has 1 messages\r\n\+OK 1 3\r\n\+OK Capability list follows\r\n/);
    expect(answers).toContain('\r\nPIPELINING\r\n');
    expect(server.connections[0]?.reads).toEqual([4]);
  });

  it('authenticates with APOP and SASL PLAIN, LOGIN, CRAM-MD5, XOAUTH2 (RFC 1939 §7, RFC 5034)', async () => {
    const server = await start({ mailbox: { messages: [], apop: true, sasl: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] } });
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const fresh = async (): Promise<RawClient> => {
      const c = await RawClient.connect(server.port);
      await c.line();
      return c;
    };
    const apop = await fresh();
    const digest = createHash('md5').update('<1896.697170952@dbc.mtview.ca.us>secret').digest('hex');
    expect(await apop.ask(`APOP bob ${digest}`)).toMatch(/^\+OK/);
    expect(await (await fresh()).ask(`AUTH PLAIN ${b64('\0bob\0secret')}`)).toMatch(/^\+OK/);
    const login = await fresh();
    expect(await login.ask('AUTH LOGIN')).toBe(`+ ${b64('Username:')}\r\n`);
    expect(await login.ask(b64('bob'))).toBe(`+ ${b64('Password:')}\r\n`);
    expect(await login.ask(b64('wrong'))).toBe('-ERR [AUTH] invalid credentials\r\n');
    const cram = await fresh();
    const challenge = (await cram.ask('AUTH CRAM-MD5')).slice(2, -2);
    const hmac = createHmac('md5', 'secret').update(Buffer.from(challenge, 'base64')).digest('hex');
    expect(await cram.ask(b64(`bob ${hmac}`))).toMatch(/^\+OK/);
    const xo = await fresh();
    expect(await xo.ask(`AUTH XOAUTH2 ${b64('user=bob\x01auth=Bearer nope\x01\x01')}`)).toMatch(/^\+ eyJ/);
    expect(await xo.ask('')).toBe('-ERR [AUTH] invalid credentials\r\n');
    expect(await xo.ask(`AUTH XOAUTH2 ${b64('user=bob\x01auth=Bearer secret\x01\x01')}`)).toMatch(/^\+OK/);
  });

  it('refuses right credentials with [LOGIN-DELAY] / [IN-USE], and answers CAPA -ERR when told', async () => {
    const server = await start({ mailbox: { messages: [], capabilities: null, quirks: { loginDelayCode: 1, inUse: 1 } } });
    const c = await RawClient.connect(server.port);
    await c.line();
    expect(await c.ask('CAPA')).toBe('-ERR unknown command\r\n');
    await c.ask('USER bob');
    expect(await c.ask('PASS secret')).toBe('-ERR [LOGIN-DELAY] minimum time between logins not elapsed\r\n');
    await c.ask('USER bob');
    expect(await c.ask('PASS secret')).toBe('-ERR [IN-USE] maildrop is locked by another session\r\n');
    await c.ask('USER bob');
    expect(await c.ask('PASS secret')).toMatch(/^\+OK/);
  });

  it('drops the connection after N bytes of output', async () => {
    const server = await start({ mailbox: { messages: ['0123456789\r\n'], quirks: { dropAfterBytes: GREETING.length + 60 } } });
    const c = await login(server.port);
    c.send('RETR 1\r\n');
    await c.waitEnd();
    const all = c.chunks.join('');
    expect(all.length).toBe(GREETING.length + 60);
    expect(all.endsWith('.\r\n')).toBe(false);
  });

  it('speaks implicit TLS, and STLS (announced only before TLS, RFC 2595 §4)', async () => {
    const implicit = await start({ tls: 'implicit', mailbox: { messages: ['x\r\n'] } });
    const pki = implicit.pki;
    if (pki === undefined) throw new Error('no PKI');
    const a = await login(implicit.port, pki);
    expect(await a.ask('STAT')).toBe('+OK 1 3\r\n');
    expect(implicit.connections[0]?.tls).toBe(true);
    a.destroy();
    await implicit.closed(0);
    const stls = await start({ tls: 'stls', mailbox: { messages: [] } });
    const b = await RawClient.connect(stls.port);
    await b.line();
    expect(await b.askMulti('CAPA')).toContain('\r\nSTLS\r\n');
    expect(await b.ask('STLS')).toBe('+OK Begin TLS negotiation\r\n');
    await b.startTls(pki);
    expect(await b.askMulti('CAPA')).not.toContain('STLS');
    expect(await b.ask('STLS')).toMatch(/^-ERR/);
    expect(stls.pki).toBe(pki);
  });
});
