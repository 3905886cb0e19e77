/**
 * Behaviours the conformance suite found missing in the engine, each fixed and held here: credentials checked
 * before anything is sent (C0003, C0046), DELE arguments checked before the first DELE (C0024), a dropped
 * connection reported as itself rather than as misuse, and the configured line bound applied to listings.
 */
import { describe, expect, it } from 'vitest';
import { BOB, conn, mailRejection, useFixtures } from './helpers.ts';

const { fake, connect, login } = useFixtures();

describe('arguments are refused before anything is sent', () => {
  it.each([
    ['USER/PASS', { method: 'USER' as const }],
    ['SASL PLAIN', { method: 'PLAIN' as const }],
    ['the strongest offered', {}],
  ])('C0003 a password with CR, LF, NUL or another control character is refused (%s)', async (_name, extra) => {
    for (const password of ['sec\r\nDELE 1', 'sec\u0000ret', 'tab\there', 'bell\u0007']) {
      const server = await fake({ mailbox: { messages: ['x\r\n'], sasl: ['PLAIN', 'CRAM-MD5'], apop: true } });
      const s = await connect(server);
      const e = await mailRejection(s.authenticate({ ...BOB, ...extra, password }));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).not.toContain('sec');
      await s.quit();
      expect(server.transcript).toEqual(['CAPA', 'QUIT']);
    }
  });

  it('C0003 a user name with a line break is refused before USER', async () => {
    const server = await fake({ mailbox: { messages: [] } });
    const s = await connect(server);
    expect((await mailRejection(s.authenticate({ ...BOB, user: 'bob\r\nQUIT' }))).code).toBe('INVALID_ARGUMENT');
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'QUIT']);
  });

  it('C0046 PASS always carries an argument: an empty or missing password is refused before USER is sent', async () => {
    const server = await fake({ mailbox: { messages: [] } });
    const s = await connect(server);
    expect((await mailRejection(s.authenticate({ ...BOB, password: '' }))).code).toBe('INVALID_ARGUMENT');
    expect((await mailRejection(s.authenticate({ user: 'bob', method: 'USER', allowPlaintextPassword: true }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'QUIT']);
  });

  it('C0024 deleMany with a bad message number rejects INVALID_ARGUMENT before sending any DELE', async () => {
    const server = await fake({ mailbox: { messages: ['a\r\n', 'b\r\n', 'c\r\n'], pipelining: true } });
    const s = await login(server);
    const numbers = Array.from({ length: 100 }, (_, i) => (i === 70 ? 0 : (i % 3) + 1));
    expect((await mailRejection(s.deleMany(numbers))).code).toBe('INVALID_ARGUMENT');
    expect(conn(server).commands.filter((c) => c.startsWith('DELE'))).toEqual([]);
    await s.quit();
  });
});

describe('a dead connection is reported as what it is', () => {
  it('a server that hangs up between commands: the next call is CONNECTION_CLOSED, not a BugError', async () => {
    const server = await fake({
      script: [
        { expect: 'CAPA', reply: '-ERR no' },
        { expect: 'USER bob', reply: '+OK' },
        { expect: 'PASS secret', reply: '+OK in' },
        { action: 'close' },
      ],
    });
    const s = await connect(server);
    await s.authenticate(BOB);
    await server.closed(0);
    const e = await mailRejection(s.stat());
    expect(e.code).toBe('CONNECTION_CLOSED');
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret']);
  });

  it('a negative greeting names no command that was never sent', async () => {
    const server = await fake({ greeting: '-ERR [SYS/TEMP] too many connections', script: [] });
    const e = await mailRejection(connect(server));
    expect(e.code).toBe('SYS_TEMP');
    expect(e.details.command).toBeUndefined();
    expect(e.details.serverText).toBe('[SYS/TEMP] too many connections');
  });
});

describe('limits', () => {
  it('limits.maxLineBytes bounds the lines of UIDL, LIST and CAPA listings too', async () => {
    const long = 'u'.repeat(300);
    const server = await fake({ mailbox: { messages: ['x\r\n'], uids: [long] } });
    const s = await login(server, { limits: { maxLineBytes: 200 } });
    expect((await mailRejection(s.uidl())).code).toBe('LINE_TOO_LONG');
  });
});
