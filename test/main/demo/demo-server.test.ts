/**
 * The demo's POP3 server, driven by Poplar's own engine (main/pop3/session.ts) the way the sync does: login,
 * listings, TOP and RETR byte-exact through dot-stuffing, DELE with and without the UPDATE state. Raw sockets
 * check what the engine never sends: overlong lines, silence.
 */
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../app/errors.ts';
import type { Credentials } from '../../../main/pop3/auth.ts';
import { Pop3Session } from '../../../main/pop3/session.ts';
import {
  dotStuffed,
  MAX_LINE_BYTES,
  startDemoServer,
  topOf,
  type DemoMessage,
  type DemoServer,
  type DemoServerOptions,
} from '../../../main/demo/demo-server.ts';

const CREDENTIALS: Credentials = { user: 'demo', password: 'demo', method: 'USER', allowPlaintextPassword: true };

const crlf = (text: string): Buffer => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');

/** Lines that need dot-stuffing: a lone dot, dots at the start, a dot after a bare CR, and a body without one. */
const DOTTED = crlf(
  'From: a@example.org\nSubject: dots\nMessage-ID: <dots@example.org>\n\n' +
    'first line\n.\n..two\n.leading dot\n...\nmiddle . dot\n\n.\nlast line\n',
);
const PLAIN = crlf('From: b@example.org\nSubject: plain\n\nline 1\nline 2\nline 3\nline 4\n');
const THIRD = crlf('From: c@example.org\nSubject: third\n\nhello\n');

const MESSAGES: readonly DemoMessage[] = [
  { uid: 'uid-dots', bytes: DOTTED },
  { uid: 'uid-plain', bytes: PLAIN },
  { uid: 'uid-third', bytes: THIRD },
];

const servers: DemoServer[] = [];
const sessions: Pop3Session[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) s.abort('test over');
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(extra: Partial<DemoServerOptions> = {}): Promise<DemoServer> {
  const s = await startDemoServer({ user: 'demo', password: 'demo', messages: MESSAGES, ...extra });
  servers.push(s);
  return s;
}

async function connect(s: DemoServer): Promise<Pop3Session> {
  const session = await Pop3Session.connect({
    host: '127.0.0.1',
    port: s.port,
    security: 'none',
    timeouts: { connectMs: 2000, greetingMs: 2000, idleMs: 2000 },
  });
  sessions.push(session);
  return session;
}

async function login(s: DemoServer, credentials: Credentials = CREDENTIALS): Promise<Pop3Session> {
  const session = await connect(s);
  await session.authenticate(credentials);
  return session;
}

async function failure(p: Promise<unknown>): Promise<MailError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MailError) return e;
    throw e;
  }
  throw new Error('expected a MailError');
}

/** A raw client: what it receives, as text, and a way to wait for the server to close. */
async function raw(s: DemoServer): Promise<{ socket: net.Socket; received: () => string; closed: Promise<unknown> }> {
  const socket = net.connect(s.port, '127.0.0.1');
  sockets.push(socket);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => undefined);
  const closed = once(socket, 'close');
  await once(socket, 'connect');
  return { socket, received: () => Buffer.concat(chunks).toString('utf8'), closed };
}

describe('the demo POP3 server with the engine', () => {
  it('offers the capabilities of the brief and logs in with USER/PASS', async () => {
    const s = await server();
    const session = await connect(s);
    expect(session.capabilities.lines).toEqual(expect.arrayContaining(['TOP', 'UIDL', 'USER', 'PIPELINING', 'RESP-CODES']));
    expect(await session.authenticate(CREDENTIALS)).toBe('USER');
    expect(session.state).toBe('TRANSACTION');
    expect(session.pipelining).toBe(true);
  });

  it('refuses a wrong password with [AUTH], and a second session with [IN-USE]', async () => {
    const s = await server();
    const wrong = await connect(s);
    const refused = await failure(wrong.authenticate({ ...CREDENTIALS, password: 'nope' }));
    expect(refused.code).toBe('AUTH_FAILED');
    await login(s);
    const second = await connect(s);
    expect((await failure(second.authenticate(CREDENTIALS))).code).toBe('IN_USE');
  });

  it('lists sizes and unique-ids, and counts in STAT', async () => {
    const s = await server();
    const session = await login(s);
    expect(await session.stat()).toMatchObject({ count: 3, size: DOTTED.length + PLAIN.length + THIRD.length });
    expect((await session.list()).map((l) => [l.n, l.size])).toEqual([
      [1, DOTTED.length],
      [2, PLAIN.length],
      [3, THIRD.length],
    ]);
    expect((await session.uidl()).map((u) => [u.n, u.uid])).toEqual([
      [1, 'uid-dots'],
      [2, 'uid-plain'],
      [3, 'uid-third'],
    ]);
    expect((await session.uidlOne(2)).uid).toBe('uid-plain');
  });

  it('sends RETR byte-exact through dot-stuffing, one at a time and pipelined', async () => {
    const s = await server();
    const session = await login(s);
    expect((await session.retr(1)).equals(DOTTED)).toBe(true);
    const got = new Map<number, Buffer>();
    await session.fetchMany('retr', [1, 2, 3], {}, (n, body) => {
      got.set(n, body);
    });
    expect(got.get(1)?.equals(DOTTED)).toBe(true);
    expect(got.get(2)?.equals(PLAIN)).toBe(true);
    expect(got.get(3)?.equals(THIRD)).toBe(true);
  });

  it('answers TOP with the header, the blank line and the asked number of body lines', async () => {
    const s = await server();
    const session = await login(s);
    expect((await session.top(2, 0)).toString()).toBe('From: b@example.org\r\nSubject: plain\r\n\r\n');
    expect((await session.top(2, 2)).toString()).toBe('From: b@example.org\r\nSubject: plain\r\n\r\nline 1\r\nline 2\r\n');
    expect((await session.top(1, 4)).toString()).toMatch(/\r\n\r\nfirst line\r\n\.\r\n\.\.two\r\n\.leading dot\r\n$/);
    expect((await session.top(2, 99)).equals(PLAIN)).toBe(true);
  });

  it('removes messages marked with DELE when the session QUITs (UPDATE)', async () => {
    const s = await server();
    const session = await login(s);
    await session.dele(2);
    expect((await failure(session.retr(2))).code).toBe('SERVER_ERROR');
    expect((await session.stat()).count).toBe(2);
    await session.quit();
    expect(s.messages().map((m) => m.uid)).toEqual(['uid-dots', 'uid-third']);
    const next = await login(s);
    expect((await next.uidl()).map((u) => [u.n, u.uid])).toEqual([
      [1, 'uid-dots'],
      [2, 'uid-third'],
    ]);
  });

  it('removes nothing when the connection drops after DELE, and RSET takes DELE back', async () => {
    const s = await server();
    const first = await login(s);
    await first.deleMany([1, 2, 3]);
    first.abort('dropped');
    await expect.poll(async () => {
      const probe = await connect(s);
      try {
        await probe.authenticate(CREDENTIALS);
        return true;
      } catch {
        return false;
      } finally {
        probe.abort('probe');
      }
    }).toBe(true);
    expect(s.messages()).toHaveLength(3);

    const second = await login(s);
    await second.dele(1);
    await second.rset();
    await second.noop();
    await second.quit();
    expect(s.messages()).toHaveLength(3);
  });

  it('shows a message added during a session only in the next one (numbers stay fixed)', async () => {
    const s = await server();
    const session = await login(s);
    s.add({ uid: 'uid-new', bytes: crlf('From: d@example.org\nSubject: new\n\nnew\n') });
    expect((await session.stat()).count).toBe(3);
    await session.dele(1);
    await session.quit();
    expect(s.messages().map((m) => m.uid)).toEqual(['uid-plain', 'uid-third', 'uid-new']);
  });

  it('refuses a repeated or malformed unique-id', async () => {
    const s = await server();
    expect(() => s.add({ uid: 'uid-plain', bytes: PLAIN })).toThrow();
    expect(() => s.add({ uid: 'has space', bytes: PLAIN })).toThrow();
    expect(() => s.add({ uid: 'x'.repeat(71), bytes: PLAIN })).toThrow();
  });
});

describe('the demo POP3 server with hostile or idle clients', () => {
  it('answers an overlong line with -ERR and closes, even without a line end', async () => {
    const s = await server();
    const client = await raw(s);
    client.socket.write('X'.repeat(MAX_LINE_BYTES * 4));
    await client.closed;
    expect(client.received()).toMatch(/^\+OK .*\r\n-ERR line too long\r\n$/);
  });

  it('answers the lines before an overlong one, then refuses it and closes', async () => {
    const s = await server();
    const client = await raw(s);
    client.socket.write(`USER demo\r\n${'X'.repeat(MAX_LINE_BYTES)}\r\nUSER demo\r\n`);
    await client.closed;
    expect(client.received().split('\r\n')).toEqual(['+OK Poplar demo POP3 server ready', '+OK send your password', '-ERR line too long', '']);
  });

  it('closes an idle session without UPDATE', async () => {
    const s = await server({ idleMs: 200 });
    const client = await raw(s);
    client.socket.write('USER demo\r\nPASS demo\r\nDELE 1\r\n');
    await client.closed;
    expect(client.received()).toContain('message 1 deleted');
    expect(s.messages()).toHaveLength(3);
  });

  it('answers every pipelined command in order to a client that reads slowly', async () => {
    const big = crlf(`Subject: big\n\n${'a line of text to fill the message up\n'.repeat(2000)}`);
    const s = await server({ messages: [{ uid: 'big', bytes: big }] });
    const client = await raw(s);
    client.socket.pause();
    client.socket.write(`USER demo\r\nPASS demo\r\n${'RETR 1\r\n'.repeat(40)}QUIT\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.socket.resume();
    await client.closed;
    const text = client.received();
    expect(text.split(`+OK ${big.length} octets\r\n`)).toHaveLength(41);
    expect(text.endsWith('+OK 0 deleted, 1 left; goodbye\r\n')).toBe(true);
  });

  it('turns away connections over its limit', async () => {
    const s = await server({ maxConnections: 1 });
    const first = await raw(s);
    const second = await raw(s);
    await second.closed;
    expect(second.received()).toMatch(/^-ERR \[SYS\/TEMP\]/);
    first.socket.write('QUIT\r\n');
    await first.closed;
    expect(first.received()).toMatch(/goodbye/);
  });

  it('answers unknown commands, bad arguments and commands out of state with -ERR', async () => {
    const s = await server();
    const client = await raw(s);
    client.socket.write('STAT\r\nPASS demo\r\nUSER demo\r\nPASS demo\r\nRETR 9\r\nTOP 1\r\nTOP 1 x\r\nFROB\r\nLIST 0\r\nQUIT\r\n');
    await client.closed;
    const lines = client.received().trimEnd().split('\r\n');
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['+OK ', '-ERR', '-ERR', '+OK ', '+OK ', '-ERR', '-ERR', '-ERR', '-ERR', '-ERR', '+OK ']);
  });
});

describe('dot-stuffing and TOP', () => {
  it('stuffs every line that starts with a dot and ends the answer', () => {
    expect(dotStuffed(crlf('.\n..\na.b\n')).toString()).toBe('..\r\n...\r\na.b\r\n.\r\n');
    expect(dotStuffed(Buffer.from('no line end')).toString()).toBe('no line end\r\n.\r\n');
  });

  it('cuts after the header when asked for no lines, and takes the whole of a message without a body', () => {
    expect(topOf(PLAIN, 0).toString()).toBe('From: b@example.org\r\nSubject: plain\r\n\r\n');
    const headerOnly = crlf('Subject: x\n');
    expect(topOf(headerOnly, 3).equals(headerOnly)).toBe(true);
  });
});
