/**
 * MS-STANOPOP3 §2.2.12–§2.2.14 (optional commands, TOP, UIDL): C0031, C0032, C0034, V0007, C0036–C0041.
 * C0033 and C0035 (TOP and UIDL only in TRANSACTION) are in outlook-transaction.test.ts with the other
 * state restrictions.
 *
 * Server obligations here (C0031: support every command; C0040: never reuse a unique-id) cannot be met or
 * broken by a client; their tests show that Poplar copes with a server that breaks them: typed errors for
 * missing commands, and no state kept across sessions that a reused unique-id could corrupt (deciding what a
 * reused id means is the sync planner's job in app/, house style 12).
 */
import { describe, expect, it } from 'vitest';
import { assertScriptDone } from '../support/fake-pop3-server.ts';
import { LOGIN_STEPS, mailRejection, useFixtures } from './helpers.ts';

const { fake, login } = useFixtures();
const LOGGED_IN = ['CAPA', 'USER bob', 'PASS secret', 'CAPA'];
const LONG = 'From: a@example.org\r\nSubject: five lines\r\n\r\nl1\r\n.l2\r\nl3\r\nl4\r\nl5\r\n';

describe('MS-STANOPOP3 §2.2.12 optional commands', () => {
  it('C0031 (server obligation) a server without TOP or UIDL: SERVER_ERROR per call, and the session stays usable', async () => {
    const server = await fake({ mailbox: { messages: [LONG, LONG], noTop: true, noUidl: true } });
    const s = await login(server);
    expect([s.capabilities.top, s.capabilities.uidl]).toEqual([false, false]);
    const top = await mailRejection(s.top(1, 0));
    expect([top.code, top.details.serverText, top.details.command]).toEqual(['SERVER_ERROR', 'unknown command', 'TOP 1 0']);
    expect((await mailRejection(s.uidl())).code).toBe('SERVER_ERROR');
    const refused: number[] = [];
    await s.fetchMany('top', [1, 2], { onRefused: (n) => void refused.push(n) }, () => {
      throw new Error('no TOP was answered');
    });
    expect(refused).toEqual([1, 2]);
    expect((await s.retr(2)).toString()).toBe(LONG);
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, 'TOP 1 0', 'UIDL', 'TOP 1 0', 'TOP 2 0', 'RETR 2', 'QUIT']);
  });
});

describe('MS-STANOPOP3 §2.2.13 TOP', () => {
  it('C0032 TOP always carries a message number and a non-negative line count; bad ones are refused before sending', async () => {
    const server = await fake({ mailbox: { messages: [LONG, LONG] } });
    const s = await login(server);
    await s.top(2, 0);
    await s.top(1, 5);
    for (const [n, lines] of [[1, -1], [1, 1.5], [0, 1], [1, Number.NaN]] as const) {
      expect((await mailRejection(s.top(n, lines))).code).toBe('INVALID_ARGUMENT');
    }
    expect((await mailRejection(s.fetchMany('top', [1], { lines: -2 }, () => undefined))).code).toBe('INVALID_ARGUMENT');
    await s.fetchMany('top', [1, 2], { lines: 3 }, () => undefined);
    await s.fetchMany('top', [2], {}, () => undefined);
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, 'TOP 2 0', 'TOP 1 5', 'TOP 1 3', 'TOP 2 3', 'TOP 2 0', 'QUIT']);
  });

  it('C0034 a positive TOP is multi-line: the header, the blank line, then the asked number of body lines', async () => {
    const server = await fake({ mailbox: { messages: [LONG] } });
    const s = await login(server);
    const head = 'From: a@example.org\r\nSubject: five lines\r\n\r\n';
    expect((await s.top(1, 0)).toString()).toBe(head);
    expect((await s.top(1, 2)).toString()).toBe(`${head}l1\r\n.l2\r\n`);
    expect((await s.top(1, 99)).toString()).toBe(LONG);
    const bodies: string[] = [];
    await s.fetchMany('top', [1], { lines: 1 }, (_n, body) => void bodies.push(body.toString()));
    expect(bodies).toEqual([`${head}l1\r\n`]);
  });
});

describe('MS-STANOPOP3 §2.2.14 UIDL', () => {
  it('V0007 Poplar may send UIDL with a message number (uidlOne); a bad number is refused before sending', async () => {
    const server = await fake({ mailbox: { messages: [LONG, LONG], uids: ['first', 'second'] } });
    const s = await login(server);
    expect(await s.uidlOne(2)).toEqual({ n: 2, uid: 'second' });
    expect((await mailRejection(s.uidlOne(0))).code).toBe('INVALID_ARGUMENT');
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, 'UIDL 2', 'QUIT']);
  });

  it('C0036 UIDL n is answered by one unique-id listing, or a single -ERR after which the session goes on', async () => {
    const server = await fake({ mailbox: { messages: [LONG, LONG], uids: ['a1', 'b2'], quirks: { tabsInListings: true, trailingText: true } } });
    const s = await login(server);
    expect(await s.uidlOne(1)).toEqual({ n: 1, uid: 'a1' });
    const e = await mailRejection(s.uidlOne(3));
    expect([e.code, e.details.serverText, e.details.command]).toEqual(['SERVER_ERROR', 'no such message', 'UIDL 3']);
    expect(await s.uidlOne(2)).toEqual({ n: 2, uid: 'b2' });
  });

  it('C0037 UIDL without an argument is multi-line: one listing a message, none for an empty maildrop', async () => {
    const server = await fake({ mailbox: { messages: [LONG, LONG, LONG] } });
    expect(await (await login(server)).uidl()).toEqual([1, 2, 3].map((n) => ({ n, uid: `uid-${n}` })));
    const empty = await fake({ mailbox: { messages: [] } });
    expect(await (await login(empty)).uidl()).toEqual([]);
  });

  it('C0038 unique-id listings may use tabs and runs of spaces and carry more text', async () => {
    const server = await fake({
      mailbox: { messages: [LONG, LONG], uids: ['x-1', 'x-2'], quirks: { tabsInListings: true, extraSpaces: true, trailingText: true } },
    });
    expect(await (await login(server)).uidl()).toEqual([{ n: 1, uid: 'x-1' }, { n: 2, uid: 'x-2' }]);
    const odd = await fake({ script: [...LOGIN_STEPS, { expect: 'UIDL', reply: '+OK\r\n1\t\tabc extra words\r\n  2 \t def\r\n.' }] });
    expect(await (await login(odd)).uidl()).toEqual([{ n: 1, uid: 'abc' }, { n: 2, uid: 'def' }]);
    assertScriptDone(odd);
  });

  it('C0039 unique-ids of 70 characters, longer ones, and every character 0x21–0x7E are kept exactly', async () => {
    const printable = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
    const uids = [printable.slice(0, 70), printable.slice(70), `${printable.slice(0, 70)}Z`, 'L'.repeat(300), 'M'.repeat(512), '.'];
    const server = await fake({ mailbox: { messages: uids.map(() => 'x\r\n'), uids } });
    const s = await login(server);
    expect(await s.uidl()).toEqual(uids.map((uid, i) => ({ n: i + 1, uid })));
    expect(await s.uidlOne(1)).toEqual({ n: 1, uid: printable.slice(0, 70) });
    expect(await s.uidlOne(4)).toEqual({ n: 4, uid: 'L'.repeat(300) });
    // Beyond the engine's bound (limits.ts, MAX_UNIQUE_ID_CHARS) a listing is a typed error, not a crash.
    const huge = await fake({ mailbox: { messages: ['x\r\n'], uids: ['H'.repeat(513)] } });
    const t = await login(huge);
    expect((await mailRejection(t.uidl())).code).toBe('BAD_RESPONSE');
    expect((await mailRejection(t.uidlOne(1))).code).toBe('BAD_RESPONSE');
    expect(await t.stat()).toEqual({ count: 1, size: 3 });
  });

  it('C0040 (server obligation) a reused unique-id is reported as the server says; nothing is cached across sessions', async () => {
    const server = await fake({
      script: [
        ...LOGIN_STEPS,
        { expect: 'UIDL', reply: '+OK\r\n1 X\r\n.' },
        { expect: 'RETR 1', reply: '+OK\r\nSubject: first\r\n.' },
        { expect: 'DELE 1', reply: '+OK' },
        { expect: 'QUIT', reply: '+OK' },
        ...LOGIN_STEPS,
        { expect: 'UIDL', reply: '+OK\r\n1 X\r\n.' },
        { expect: 'RETR 1', reply: '+OK\r\nSubject: second\r\n.' },
      ],
    });
    const s = await login(server);
    expect(await s.uidl()).toEqual([{ n: 1, uid: 'X' }]);
    expect((await s.retr(1)).toString()).toBe('Subject: first\r\n');
    await s.dele(1);
    await s.quit();
    const t = await login(server);
    expect(await t.uidl()).toEqual([{ n: 1, uid: 'X' }]);
    expect((await t.retr(1)).toString()).toBe('Subject: second\r\n');
    assertScriptDone(server);
  });

  it('C0041 two messages with the same unique-id are both listed, both downloadable, and acted on separately', async () => {
    const copy = 'Message-ID: <same@example.org>\r\nSubject: twice\r\n\r\nbody\r\n';
    const server = await fake({ mailbox: { messages: [copy, copy, 'Subject: other\r\n\r\nx\r\n'], uids: ['dup', 'dup', 'other'] } });
    const s = await login(server);
    expect(await s.uidl()).toEqual([{ n: 1, uid: 'dup' }, { n: 2, uid: 'dup' }, { n: 3, uid: 'other' }]);
    expect(await s.list()).toEqual([{ n: 1, size: copy.length }, { n: 2, size: copy.length }, { n: 3, size: 21 }]);
    const got: [number, string][] = [];
    await s.fetchMany('retr', [1, 2], {}, (n, body) => void got.push([n, body.toString()]));
    expect(got).toEqual([[1, copy], [2, copy]]);
    expect((await s.top(2, 0)).toString()).toBe('Message-ID: <same@example.org>\r\nSubject: twice\r\n\r\n');
    await s.dele(2);
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, 'UIDL', 'LIST', 'RETR 1', 'RETR 2', 'TOP 2 0', 'DELE 2', 'QUIT']);
    expect(await (await login(server)).uidl()).toEqual([{ n: 1, uid: 'dup' }, { n: 2, uid: 'other' }]);
  });
});
