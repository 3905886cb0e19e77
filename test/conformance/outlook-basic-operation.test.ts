/**
 * MS-STANOPOP3 §2.2.1 ([RFC1939] §3, Basic Operation): C0001–C0007, V0001, V0002, against the fake server.
 * Where Outlook "hangs" (C0002, C0005, C0006) Poplar ends with a typed timeout and sends nothing more: no DELE
 * and no QUIT, so the server enters no UPDATE state and deletes nothing (RFC 1939 §6).
 */
import { describe, expect, it } from 'vitest';
import { assertScriptDone } from '../support/fake-pop3-server.ts';
import {
  BOB,
  conn,
  expectPrintableCrlf,
  LOGIN_STEPS,
  mailRejection,
  NO_CAPA,
  sessionOptions,
  unusedPort,
  useFixtures,
} from './helpers.ts';
import { Pop3Session } from '../../main/pop3/session.ts';

const { fake, connect, login, rawServer } = useFixtures();
const SHORT = { connectMs: 2000, greetingMs: 200, idleMs: 300 };

describe('MS-STANOPOP3 §2.2.1 basic operation', () => {
  it('C0001 the client opens a TCP connection, reads the greeting, and a refused connection is CONNECT_FAILED', async () => {
    const server = await fake({ script: [NO_CAPA, { expect: 'QUIT', reply: '+OK bye' }] });
    const s = await connect(server);
    expect(server.connections).toHaveLength(1);
    expect(s.greeting).toEqual({ ok: true, continuation: false, text: 'ready <1896.697170952@dbc.mtview.ca.us>', code: undefined });
    expect(s.state).toBe('AUTHORIZATION');
    expect(s.tlsInfo).toBeUndefined();
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'QUIT']);
    assertScriptDone(server);

    const e = await mailRejection(Pop3Session.connect(sessionOptions(await unusedPort())));
    expect(e.code).toBe('CONNECT_FAILED');
    expect(e.details.facts?.errno).toBe('ECONNREFUSED');
  });

  it('C0002 no greeting: GREETING_TIMEOUT, and the client sends nothing at all', async () => {
    const server = await fake({ greeting: null, script: [] });
    const e = await mailRejection(Pop3Session.connect(sessionOptions(server.port, { timeouts: SHORT })));
    expect(e.code).toBe('GREETING_TIMEOUT');
    expect(e.details.facts?.timeoutMs).toBe(200);
    await server.closed(0);
    expect(server.transcript).toEqual([]);
    expect(conn(server).rawReceived()).toHaveLength(0);
    assertScriptDone(server);
  });

  it('C0003 commands are printable ASCII + CRLF; a user name with a control character is refused before it is sent', async () => {
    const server = await fake({ mailbox: { messages: ['Subject: a\r\n\r\nbody\r\n'] } });
    const s = await connect(server);
    for (const user of ['bob\r\nDELE 1', 'bob\n', 'bob\r', 'bob\u0000', 'bob\u001b[2J', 'bob\u007f', 'böb', 'bob\tx']) {
      const e = await mailRejection(s.authenticate({ ...BOB, user }));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(s.state).toBe('AUTHORIZATION');
    }
    // Nothing reached the server: the next line it sees is the real login.
    await s.authenticate(BOB);
    await s.stat();
    await s.list();
    await s.uidl();
    await s.top(1, 0);
    await s.retr(1);
    await s.dele(1);
    await s.noop();
    await s.rset();
    await s.quit();
    expect(server.transcript).toEqual([
      'CAPA', 'USER bob', 'PASS secret', 'CAPA', 'STAT', 'LIST', 'UIDL', 'TOP 1 0', 'RETR 1', 'DELE 1', 'NOOP', 'RSET', 'QUIT',
    ]);
    expectPrintableCrlf(conn(server));
  });

  it('C0004 the client sends single spaces, and reads STAT, LIST and UIDL with runs of spaces and tabs', async () => {
    // The fake answers any command with two spaces in a row with -ERR, so a sloppy client fails loudly.
    const server = await fake({
      mailbox: { messages: ['A: 1\r\n\r\none\r\n', 'B: 2\r\n\r\ntwo\r\nmore\r\n'], quirks: { tabsInListings: true, extraSpaces: true } },
    });
    const s = await login(server);
    expect(await s.stat()).toEqual({ count: 2, size: 32 });
    expect(await s.listOne(2)).toEqual({ n: 2, size: 19 });
    expect(await s.list()).toEqual([{ n: 1, size: 13 }, { n: 2, size: 19 }]);
    expect(await s.uidl()).toEqual([{ n: 1, uid: 'uid-1' }, { n: 2, uid: 'uid-2' }]);
    expect(await s.uidlOne(1)).toEqual({ n: 1, uid: 'uid-1' });
    expect((await s.top(2, 1)).toString()).toBe('B: 2\r\n\r\ntwo\r\n');
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'CAPA', 'STAT', 'LIST 2', 'LIST', 'UIDL', 'UIDL 1', 'TOP 2 1', 'QUIT']);
    const raw = conn(server).rawReceived().toString('latin1');
    expect(raw).toContain('TOP 2 1\r\n');
    expect(raw).not.toMatch(/ {2}|\t| \r\n/);
  });

  it('C0005 a reply without its CRLF ends in GREETING_TIMEOUT or IDLE_TIMEOUT, and nothing more is sent', async () => {
    const mute = await fake({ greeting: Buffer.from('+OK ready', 'latin1'), script: [] });
    const g = await mailRejection(Pop3Session.connect(sessionOptions(mute.port, { timeouts: SHORT })));
    expect(g.code).toBe('GREETING_TIMEOUT');
    expect(mute.transcript).toEqual([]);

    const server = await fake({
      script: [...LOGIN_STEPS, { expect: 'DELE 1', reply: '+OK marked' }, { expect: 'STAT', reply: Buffer.from('+OK 1 100', 'latin1') }],
    });
    const s = await login(server, { timeouts: SHORT });
    await s.dele(1);
    const e = await mailRejection(s.stat());
    expect(e.code).toBe('IDLE_TIMEOUT');
    expect(e.details.facts?.timeoutMs).toBe(300);
    await server.closed(0);
    expect(s.state).toBe('CLOSED');
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'DELE 1', 'STAT']);
    expect([conn(server).quitReceived, conn(server).committed]).toEqual([false, false]);
    assertScriptDone(server);
  });

  it('V0001 any reply starting with + is positive, in any case; anything else is negative', async () => {
    const server = await fake({
      greeting: '+ok POP3 ready',
      script: [
        { expect: 'CAPA', reply: '-err unknown' },
        { expect: 'USER bob', reply: '+ok' },
        { expect: 'PASS secret', reply: '+Ok welcome' },
        { expect: 'STAT', reply: '+yes 2 320' },
        { expect: 'LIST 1', reply: '+ 1 120' },
        { expect: 'NOOP', reply: '+' },
        { expect: 'RETR 9', reply: '-err no such message' },
        { expect: 'DELE 1', reply: 'OK deleted' },
        { expect: 'QUIT', reply: '+ok bye' },
      ],
    });
    const s = await login(server);
    expect(s.greeting.ok).toBe(true);
    expect(s.capabilities.supported).toBe(false);
    expect(await s.stat()).toEqual({ count: 2, size: 320 });
    expect(await s.listOne(1)).toEqual({ n: 1, size: 120 });
    await s.noop();
    const refused = await mailRejection(s.retr(9));
    expect([refused.code, refused.details.serverText, refused.details.command]).toEqual(['SERVER_ERROR', 'no such message', 'RETR 9']);
    const notPlus = await mailRejection(s.dele(1));
    expect([notPlus.code, notPlus.details.serverText]).toEqual(['SERVER_ERROR', 'deleted']);
    await s.quit();
    expect(s.state).toBe('UPDATE');
    assertScriptDone(server);
  });

  it('V0002 byte-stuffing is undone in every multi-line reply, and a terminator split across reads still ends it', async () => {
    const capa = '+OK\r\nUSER\r\n..X-DOTTED\r\n.';
    const server = await fake({
      script: [
        { expect: 'CAPA', reply: capa },
        { expect: 'USER bob', reply: '+OK' },
        { expect: 'PASS secret', reply: '+OK' },
        { expect: 'CAPA', reply: capa },
        // A dot that starts a line is the last byte of a read; so are the terminator's `.`, CR and LF.
        { expect: 'RETR 1', reply: { chunks: ['+OK\r\n..leading\r\n...\r\n', '.', '.x\r\nmiddle.\r\n.', '\r', '\n'], delayMs: 20 } },
        { expect: 'TOP 1 0', reply: '+OK\r\nSubject: x\r\n..\r\n.' },
        { expect: 'UIDL', reply: { chunks: ['+OK\r\n1 a\r\n', '2 b\r\n.\r', '\n'] } },
        { expect: 'QUIT', reply: '+OK' },
      ],
    });
    const s = await login(server);
    expect(s.capabilities.lines).toEqual(['USER', '.X-DOTTED']);
    expect((await s.retr(1)).toString('latin1')).toBe('.leading\r\n..\r\n.x\r\nmiddle.\r\n');
    expect((await s.top(1, 0)).toString('latin1')).toBe('Subject: x\r\n.\r\n');
    expect(await s.uidl()).toEqual([{ n: 1, uid: 'a' }, { n: 2, uid: 'b' }]);
    await s.quit();
    assertScriptDone(server);
  });

  it('C0006 only `.` CRLF at a line start ends a body; without its CRLF: IDLE_TIMEOUT, and no DELE is committed', async () => {
    const server = await fake({
      script: [
        ...LOGIN_STEPS,
        { expect: 'RETR 1', reply: '+OK\r\nends with a dot.\r\n. \r\n.x\r\n.\r\n' },
        { expect: 'DELE 1', reply: '+OK marked' },
        { expect: 'RETR 2', reply: Buffer.from('+OK\r\nbody\r\n.', 'latin1') },
      ],
    });
    const s = await login(server, { timeouts: SHORT });
    expect((await s.retr(1)).toString('latin1')).toBe('ends with a dot.\r\n \r\nx\r\n');
    await s.dele(1);
    const e = await mailRejection(s.retr(2));
    expect(e.code).toBe('IDLE_TIMEOUT');
    await server.closed(0);
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'RETR 1', 'DELE 1', 'RETR 2']);
    expect([conn(server).quitReceived, conn(server).committed]).toEqual([false, false]);
    assertScriptDone(server);
  });

  it('C0007 the client says nothing until the whole greeting has arrived, then identifies itself', async () => {
    const seen: { text: string; greeted: boolean }[] = [];
    const port = await rawServer((socket) => {
      let greeted = false;
      socket.write('+OK POP3 rea');
      setTimeout(() => {
        greeted = true;
        socket.write('dy\r\n');
      }, 100);
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString('latin1');
        seen.push({ text, greeted });
        for (const line of text.split('\r\n').filter((l) => l !== '')) {
          const verb = line.split(' ')[0];
          socket.write(verb === 'CAPA' ? '-ERR no CAPA\r\n' : '+OK\r\n');
          if (verb === 'QUIT') socket.end();
        }
      });
    });
    const s = await connect({ port });
    expect(s.greeting.text).toBe('POP3 ready');
    await s.authenticate(BOB);
    await s.quit();
    expect(seen.every((r) => r.greeted)).toBe(true);
    expect(seen.map((r) => r.text).join('')).toBe('CAPA\r\nUSER bob\r\nPASS secret\r\nQUIT\r\n');
  });
});
