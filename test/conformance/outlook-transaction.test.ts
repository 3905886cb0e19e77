/**
 * MS-STANOPOP3 §2.2.4–§2.2.11 (TRANSACTION state, STAT, LIST, RETR, DELE, NOOP, RSET, QUIT): C0013–C0030 and
 * V0003–V0006, plus the "only in the TRANSACTION state" restrictions of TOP and UIDL (C0033, C0035), which are
 * the same check. A verb in the wrong state is a programming error (`BugError`) and nothing reaches the server:
 * the QUIT that follows is the next line the server sees.
 */
import { describe, expect, it } from 'vitest';
import type { Pop3Session } from '../../main/pop3/session.ts';
import { assertScriptDone } from '../support/fake-pop3-server.ts';
import { bugRejection, conn, LOGIN_STEPS, mailRejection, useFixtures } from './helpers.ts';

const { fake, connect, login } = useFixtures();
const THREE = ['Subject: 1\r\n\r\none\r\n', 'Subject: 2\r\n\r\ntwo\r\n', 'Subject: 3\r\n\r\nthree\r\n'];
const SIZES = THREE.map((m) => m.length);
const LOGGED_IN = ['CAPA', 'USER bob', 'PASS secret', 'CAPA'];

describe('MS-STANOPOP3 §2.2.4 the TRANSACTION state', () => {
  it('C0013 the client may issue transaction commands repeatedly, each answered in turn', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    expect(await s.stat()).toEqual(await s.stat());
    expect(await s.list()).toEqual(await s.list());
    await s.noop();
    await s.noop();
    expect((await s.retr(2)).equals(await s.retr(2))).toBe(true);
    expect(await s.uidl()).toHaveLength(3);
    await s.quit();
    expect(server.transcript).toEqual([
      ...LOGGED_IN, 'STAT', 'STAT', 'LIST', 'LIST', 'NOOP', 'NOOP', 'RETR 2', 'RETR 2', 'UIDL', 'QUIT',
    ]);
  });

  it('C0014 a command with no response ends in IDLE_TIMEOUT; the session is dropped without QUIT', async () => {
    const server = await fake({
      script: [...LOGIN_STEPS, { expect: 'DELE 1', reply: '+OK marked' }, { expect: 'NOOP', action: 'hang' }],
    });
    const s = await login(server, { timeouts: { idleMs: 300 } });
    await s.dele(1);
    const started = performance.now();
    const e = await mailRejection(s.noop());
    expect([e.code, e.transient]).toEqual(['IDLE_TIMEOUT', true]);
    expect(performance.now() - started).toBeLessThan(2000);
    await server.closed(0);
    expect(s.state).toBe('CLOSED');
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'DELE 1', 'NOOP']);
    expect([conn(server).quitReceived, conn(server).committed]).toEqual([false, false]);
    assertScriptDone(server);
  });
});

describe('MS-STANOPOP3 §2.2.5 STAT', () => {
  it('C0015 STAT goes without arguments', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    expect(await s.stat()).toEqual({ count: 3, size: SIZES.reduce((a, b) => a + b) });
    expect(conn(server).rawReceived().toString('latin1')).toMatch(/\r\nSTAT\r\n$/);
  });

  it('C0017 a drop listing may use tabs and runs of spaces and carry more text; one without two numbers is BAD_RESPONSE', async () => {
    const server = await fake({
      script: [
        ...LOGIN_STEPS,
        { expect: 'STAT', reply: '+OK\t2   320 octets, and more' },
        { expect: 'STAT', reply: '+OK \t 2\t320' },
        { expect: 'STAT', reply: '+OK two 320' },
        { expect: 'STAT', reply: '+OK 2' },
        { expect: 'STAT', reply: '+OK 0 0' },
      ],
    });
    const s = await login(server);
    expect(await s.stat()).toEqual({ count: 2, size: 320 });
    expect(await s.stat()).toEqual({ count: 2, size: 320 });
    expect((await mailRejection(s.stat())).code).toBe('BAD_RESPONSE');
    const short = await mailRejection(s.stat());
    expect([short.code, short.details.serverText]).toEqual(['BAD_RESPONSE', '2']);
    expect(await s.stat()).toEqual({ count: 0, size: 0 });
    assertScriptDone(server);
  });
});

describe('MS-STANOPOP3 §2.2.6 LIST', () => {
  it('V0003 Poplar may send LIST with a message number (listOne); a bad number is refused before sending', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    expect(await s.listOne(2)).toEqual({ n: 2, size: SIZES[1] });
    for (const n of [0, -1, 1.5, Number.NaN]) expect((await mailRejection(s.listOne(n))).code).toBe('INVALID_ARGUMENT');
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, 'LIST 2', 'QUIT']);
  });

  it('C0019 LIST n is answered by one scan listing, or a single -ERR after which the session goes on', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    expect(await s.listOne(3)).toEqual({ n: 3, size: SIZES[2] });
    const e = await mailRejection(s.listOne(4));
    expect([e.code, e.details.serverText, e.details.command]).toEqual(['SERVER_ERROR', 'no such message', 'LIST 4']);
    await s.noop();
    expect(server.transcript.slice(4)).toEqual(['LIST 3', 'LIST 4', 'NOOP']);
  });

  it('C0020 LIST without an argument is multi-line: one scan listing a message, none for an empty maildrop', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    expect(await s.list()).toEqual(SIZES.map((size, i) => ({ n: i + 1, size })));
    const empty = await fake({ mailbox: { messages: [] } });
    expect(await (await login(empty)).list()).toEqual([]);
  });

  it('C0021 scan listings may use tabs and runs of spaces and carry more text', async () => {
    const server = await fake({ mailbox: { messages: THREE, quirks: { tabsInListings: true, trailingText: true } } });
    expect(await (await login(server)).list()).toEqual(SIZES.map((size, i) => ({ n: i + 1, size })));
    const odd = await fake({ script: [...LOGIN_STEPS, { expect: 'LIST', reply: '+OK\r\n1\t\t120 octets\r\n  2 \t 80\r\n3 7 x y z\r\n.' }] });
    expect(await (await login(odd)).list()).toEqual([{ n: 1, size: 120 }, { n: 2, size: 80 }, { n: 3, size: 7 }]);
    assertScriptDone(odd);
  });
});

describe('MS-STANOPOP3 §2.2.7 RETR', () => {
  it('V0004 RETR always carries a message number; a bad one is refused before sending', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    expect((await s.retr(1)).toString()).toBe(THREE[0]);
    for (const n of [0, -3, 2.5, Number.POSITIVE_INFINITY]) expect((await mailRejection(s.retr(n))).code).toBe('INVALID_ARGUMENT');
    const fetched: number[] = [];
    await s.fetchMany('retr', [3, 2], {}, (n) => {
      fetched.push(n);
    });
    expect(fetched).toEqual([3, 2]);
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, 'RETR 1', 'RETR 3', 'RETR 2', 'QUIT']);
  });

  it('C0022 a positive RETR is multi-line; a negative one is a single line and the next command works', async () => {
    const server = await fake({
      script: [
        ...LOGIN_STEPS,
        { expect: 'RETR 9', reply: '-ERR no such message' },
        { expect: 'RETR 1', reply: '+OK 12 octets\r\nSubject: x\r\n.' },
      ],
    });
    const s = await login(server);
    expect((await mailRejection(s.retr(9))).code).toBe('SERVER_ERROR');
    expect((await s.retr(1)).toString()).toBe('Subject: x\r\n');
    assertScriptDone(server);
  });

  it('C0023 RETR n returns message n, byte for byte (stuffed lines, 8-bit bytes, no final CRLF lost)', async () => {
    const binary = Buffer.concat([
      Buffer.from('Subject: bin\r\n\r\n.\r\n..\r\n.x\r\n', 'latin1'),
      Buffer.from([0xff, 0x00, 0x80, 0x0d, 0x0a]),
    ]);
    const server = await fake({ mailbox: { messages: [THREE[0] ?? '', binary, THREE[2] ?? ''] } });
    const s = await login(server);
    expect((await s.retr(2)).equals(binary)).toBe(true);
    expect((await s.retr(3)).toString()).toBe(THREE[2]);
  });
});

describe('MS-STANOPOP3 §2.2.8–§2.2.11 DELE, NOOP, RSET, QUIT', () => {
  it('C0024 DELE always carries a message number; a bad one is refused before sending', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    await s.dele(1);
    expect((await mailRejection(s.dele(0))).code).toBe('INVALID_ARGUMENT');
    expect(await s.deleMany([2, 3])).toEqual(new Map());
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, 'DELE 1', 'DELE 2', 'DELE 3', 'QUIT']);
  });

  it('C0026 once deleted, every reference to the message is a SERVER_ERROR with the server\'s words', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    await s.dele(1);
    const calls: Call[] = [(t) => t.retr(1), (t) => t.dele(1), (t) => t.listOne(1), (t) => t.uidlOne(1), (t) => t.top(1, 0)];
    for (const call of calls) {
      const e = await mailRejection(call(s));
      expect([e.code, e.details.serverText]).toEqual(['SERVER_ERROR', 'message 1 already deleted']);
    }
    const refused = await s.deleMany([1, 2]);
    expect([...refused.keys()]).toEqual([1]);
    expect(refused.get(1)?.code).toBe('SERVER_ERROR');
    expect((await s.list()).map((l) => l.n)).toEqual([3]);
  });

  it('C0027 NOOP goes without arguments', async () => {
    const server = await fake({ mailbox: { messages: [] } });
    const s = await login(server);
    await s.noop();
    expect(conn(server).rawReceived().toString('latin1')).toMatch(/\r\nNOOP\r\n$/);
  });

  it('C0029 (server obligation) a server that refuses NOOP: SERVER_ERROR, and the session stays usable', async () => {
    const server = await fake({
      script: [...LOGIN_STEPS, { expect: 'NOOP', reply: '-ERR [SYS/TEMP] busy' }, { expect: 'NOOP', reply: '-ERR nope' }, { expect: 'STAT', reply: '+OK 0 0' }],
    });
    const s = await login(server);
    expect((await mailRejection(s.noop())).code).toBe('SYS_TEMP');
    expect((await mailRejection(s.noop())).code).toBe('SERVER_ERROR');
    expect(await s.stat()).toEqual({ count: 0, size: 0 });
    assertScriptDone(server);
  });

  it('V0006 Poplar sends RSET (unlike Outlook): its DELEs are undone and QUIT removes nothing', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    await s.dele(1);
    await s.dele(3);
    await s.rset();
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, 'DELE 1', 'DELE 3', 'RSET', 'QUIT']);
    expect([conn(server).committed, conn(server).deleted.size]).toEqual([true, 0]);
    expect((await (await login(server)).stat()).count).toBe(3);
  });

  it('C0030 QUIT from TRANSACTION goes without arguments, enters UPDATE and commits the DELEs', async () => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await login(server);
    await s.dele(2);
    await s.quit();
    expect(s.state).toBe('UPDATE');
    expect(conn(server).rawReceived().toString('latin1')).toMatch(/\r\nDELE 2\r\nQUIT\r\n$/);
    expect(conn(server).committed).toBe(true);
    expect(await (await login(server)).uidl()).toEqual([{ n: 1, uid: 'uid-1' }, { n: 2, uid: 'uid-3' }]);
  });
});

type Call = (s: Pop3Session) => Promise<unknown>;
const ONLY_IN_TRANSACTION: readonly { id: string; verb: string; calls: readonly Call[] }[] = [
  { id: 'C0016', verb: 'STAT', calls: [(s) => s.stat()] },
  { id: 'C0018', verb: 'LIST', calls: [(s) => s.list(), (s) => s.listOne(1)] },
  { id: 'V0005', verb: 'RETR', calls: [(s) => s.retr(1), (s) => s.fetchMany('retr', [1], {}, () => undefined)] },
  { id: 'C0025', verb: 'DELE', calls: [(s) => s.dele(1), (s) => s.deleMany([1])] },
  { id: 'C0028', verb: 'NOOP', calls: [(s) => s.noop()] },
  { id: 'C0033', verb: 'TOP', calls: [(s) => s.top(1, 0), (s) => s.fetchMany('top', [1], { lines: 0 }, () => undefined)] },
  { id: 'C0035', verb: 'UIDL', calls: [(s) => s.uidl(), (s) => s.uidlOne(1)] },
];

describe('commands only in TRANSACTION', () => {
  it.each(ONLY_IN_TRANSACTION)('$id $verb before login or after QUIT is a BugError, and nothing is sent', async ({ calls }) => {
    const server = await fake({ mailbox: { messages: THREE } });
    const s = await connect(server);
    for (const call of calls) await bugRejection(call(s));
    await s.quit();
    for (const call of calls) await bugRejection(call(s));
    const t = await login(server);
    await t.quit();
    expect(t.state).toBe('UPDATE');
    for (const call of calls) await bugRejection(call(t));
    expect(server.transcript).toEqual(['CAPA', 'QUIT', ...LOGGED_IN, 'QUIT']);
  });
});
