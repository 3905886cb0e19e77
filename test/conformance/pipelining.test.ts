/**
 * Pipelining (RFC 2449 §6.6): TOP, RETR and DELE go out many to a write only when CAPA says PIPELINING and the
 * session allows it; login never does. The fake server records how many complete lines each socket read
 * carried, so "pipelined" is observed on the wire, not inferred from timings.
 */
import { describe, expect, it } from 'vitest';
import type { MailError } from '../../app/errors.ts';
import type { AuthMethod } from '../../main/pop3/auth.ts';
import { BOB, conn, readGroups, useFixtures } from './helpers.ts';

const { fake, connect, login } = useFixtures();
const COUNT = 200;
const numbers = Array.from({ length: COUNT }, (_, i) => i + 1);
const messages = numbers.map((n) => `Subject: message ${n}\r\n\r\nbody of ${n}\r\n`);
const headerOf = (n: number): string => `Subject: message ${n}\r\n\r\n`;
const LOGGED_IN = ['CAPA', 'USER bob', 'PASS secret', 'CAPA'];

describe('pipelining', () => {
  it('with PIPELINING, fetchMany sends many TOPs per write, and the results arrive in order', async () => {
    const server = await fake({ mailbox: { messages, pipelining: true } });
    const s = await login(server);
    expect(s.pipelining).toBe(true);
    const got: [number, string][] = [];
    await s.fetchMany('top', numbers, { lines: 0 }, (n, body) => void got.push([n, body.toString()]));
    expect(got).toEqual(numbers.map((n) => [n, headerOf(n)]));
    await s.quit();
    expect(server.transcript).toEqual([...LOGGED_IN, ...numbers.map((n) => `TOP ${n} 0`), 'QUIT']);
    const groups = readGroups(conn(server));
    expect(groups.slice(0, 4)).toEqual([['CAPA'], ['USER bob'], ['PASS secret'], ['CAPA']]);
    const sizes = groups.slice(4, -1).map((g) => g.length);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(sizes.length).toBeLessThan(COUNT / 4);
  });

  it('RETR bodies come back whole and in order when pipelined, even with a slow consumer', async () => {
    const server = await fake({ mailbox: { messages, pipelining: true } });
    const s = await login(server);
    const order: number[] = [];
    await s.fetchMany('retr', numbers, {}, async (n, body) => {
      if (n % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(body.toString()).toBe(messages[n - 1]);
      order.push(n);
    });
    expect(order).toEqual(numbers);
    expect(readGroups(conn(server)).some((g) => g.length > 1 && g.every((c) => c.startsWith('RETR ')))).toBe(true);
  });

  it('without PIPELINING in CAPA, or with pipelining: off, every read holds exactly one command', async () => {
    const plain = await fake({ mailbox: { messages } });
    const a = await login(plain);
    expect(a.pipelining).toBe(false);
    await a.fetchMany('top', numbers, { lines: 0 }, () => undefined);
    expect(await a.deleMany(numbers.slice(0, 20))).toEqual(new Map());
    await a.quit();
    expect(conn(plain).commands).toHaveLength(4 + COUNT + 20 + 1);
    expect(conn(plain).reads.every((r) => r === 1)).toBe(true);

    const offered = await fake({ mailbox: { messages, pipelining: true } });
    const b = await login(offered, { pipelining: 'off' });
    expect([b.capabilities.pipelining, b.pipelining]).toEqual([true, false]);
    await b.fetchMany('retr', numbers.slice(0, 50), {}, () => undefined);
    await b.deleMany([1, 2, 3]);
    await b.quit();
    expect(conn(offered).reads.every((r) => r === 1)).toBe(true);
    expect(conn(offered).commands).toHaveLength(4 + 50 + 3 + 1);
  });

  it('nothing is ever pipelined during authorization: USER, PASS, APOP, AUTH and SASL lines each travel alone', async () => {
    // Each method with the number of lines it takes, CAPA before and after included.
    const methods: [AuthMethod, number][] = [['USER', 4], ['APOP', 3], ['PLAIN', 3], ['LOGIN', 5], ['CRAM-MD5', 4]];
    const server = await fake({ mailbox: { messages, pipelining: true, apop: true, sasl: ['PLAIN', 'LOGIN', 'CRAM-MD5'] } });
    for (const [i, [method, lines]] of methods.entries()) {
      const s = await connect(server);
      expect(await s.authenticate({ ...BOB, method })).toBe(method);
      await s.fetchMany('top', numbers.slice(0, 64), { lines: 0 }, () => undefined);
      await s.quit();
      const groups = readGroups(conn(server, i));
      const authEnd = groups.findIndex((g) => g.some((c) => c.startsWith('TOP ')));
      const auth = groups.slice(0, authEnd);
      expect(auth.every((g) => g.length === 1)).toBe(true);
      expect(auth.length).toBe(lines);
      expect(groups.slice(authEnd).some((g) => g.length > 1)).toBe(true);
    }
  });

  it('a -ERR in the middle of a pipelined batch goes to onRefused, and every other message still arrives', async () => {
    const server = await fake({ mailbox: { messages, pipelining: true } });
    const s = await login(server);
    await s.dele(100);
    const refused: [number, MailError][] = [];
    const got: number[] = [];
    await s.fetchMany('top', numbers, { lines: 0, onRefused: (n, e) => void refused.push([n, e]) }, (n, body) => {
      expect(body.toString()).toBe(headerOf(n));
      got.push(n);
    });
    expect(got).toEqual(numbers.filter((n) => n !== 100));
    expect(refused.map(([n, e]) => [n, e.code, e.details.serverText, e.details.command])).toEqual([
      [100, 'SERVER_ERROR', 'message 100 already deleted', 'TOP 100 0'],
    ]);
    const batch = readGroups(conn(server)).find((g) => g.includes('TOP 100 0'));
    expect(batch?.length).toBeGreaterThan(1);
    await s.noop();
  });

  it('without onRefused a -ERR stops the batch with SERVER_ERROR; replies already asked for are drained in order', async () => {
    const server = await fake({ mailbox: { messages, pipelining: true } });
    const s = await login(server);
    await s.dele(10);
    const got: number[] = [];
    const error = await s.fetchMany('retr', numbers, {}, (n) => void got.push(n)).then(
      () => undefined,
      (e: unknown) => e as MailError,
    );
    expect([error?.code, error?.details.command]).toEqual(['SERVER_ERROR', 'RETR 10']);
    expect(got).toEqual(numbers.slice(0, 9));
    // On loopback the adaptive window has grown past 200 before the refusal is handled, so every RETR may be
    // on the wire already; those replies were read and dropped: the next command gets its own reply.
    expect(await s.stat()).toEqual({ count: COUNT - 1, size: expect.any(Number) as number });
  });

  it('a consumer that throws: its error is rethrown once the replies in flight are read, and the session stays in step', async () => {
    const server = await fake({ mailbox: { messages, pipelining: true } });
    const s = await login(server);
    const boom = new Error('disk full');
    const seen: number[] = [];
    const caught = await s
      .fetchMany('top', numbers, { lines: 0 }, (n) => {
        seen.push(n);
        if (n === 5) throw boom;
      })
      .catch((e: unknown) => e);
    expect(caught).toBe(boom);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect((await s.top(7, 0)).toString()).toBe(headerOf(7));
  });

  it('deleMany pipelines DELE and reports the refused numbers; QUIT commits the rest', async () => {
    const server = await fake({ mailbox: { messages, pipelining: true } });
    const s = await login(server);
    await s.dele(3);
    const refused = await s.deleMany(numbers.slice(0, 100));
    expect([...refused.keys()]).toEqual([3]);
    expect(refused.get(3)?.details.serverText).toBe('message 3 already deleted');
    await s.quit();
    expect(conn(server).committed).toBe(true);
    expect(readGroups(conn(server)).some((g) => g.length > 1 && g.every((c) => c.startsWith('DELE ')))).toBe(true);
    expect((await (await login(server)).stat()).count).toBe(COUNT - 100);
  });
});
