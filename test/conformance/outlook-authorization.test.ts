/**
 * MS-STANOPOP3 §2.2.2 (AUTHORIZATION), §2.2.3 (QUIT there), §2.2.15–§2.2.17 (USER, PASS, APOP): C0008–C0012,
 * C0042–C0047 and V0008. Login is never pipelined: the fake records how many lines each socket read carried, and
 * every read of the authorization phase must carry exactly one, even when the server advertises PIPELINING.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertScriptDone } from '../support/fake-pop3-server.ts';
import { BOB, bugRejection, conn, LOGIN_STEPS, mailRejection, NO_CAPA, readGroups, useFixtures } from './helpers.ts';

const { fake, connect, login } = useFixtures();
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('MS-STANOPOP3 §2.2.2 AUTHORIZATION state', () => {
  it('C0008 the client authenticates after the greeting, before any transaction command, with the strongest offer', async () => {
    const server = await fake({ greeting: '+OK POP3 ready', mailbox: { messages: ['x\r\n'], sasl: ['LOGIN', 'PLAIN'] } });
    const s = await connect(server);
    expect(await s.authenticate({ user: 'bob', password: 'secret', allowPlaintextPassword: true })).toBe('PLAIN');
    expect([s.state, s.authenticatedWith]).toEqual(['TRANSACTION', 'PLAIN']);
    expect(await s.stat()).toEqual({ count: 1, size: 3 });
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', `AUTH PLAIN ${b64('\0bob\0secret')}`, 'CAPA', 'STAT', 'QUIT']);
  });

  it('C0009 (server obligation) a server with no usable login method: a typed error, and no secret is sent', async () => {
    // Over plaintext without the account's consent only APOP and CRAM-MD5 may be used; this server has neither.
    const server = await fake({ greeting: '+OK POP3 ready', mailbox: { messages: [], sasl: ['PLAIN'] } });
    const s = await connect(server);
    const refused = await mailRejection(s.authenticate({ user: 'bob', password: 'secret' }));
    expect(refused.code).toBe('PLAINTEXT_REFUSED');
    // With consent, USER/PASS is the only method left, and it cannot carry a password outside ASCII.
    const bare = await fake({ greeting: '+OK POP3 ready', mailbox: { messages: [], capabilities: ['USER'] } });
    const t = await connect(bare);
    const none = await mailRejection(t.authenticate({ user: 'bob', password: 'pässwörd', allowPlaintextPassword: true }));
    expect(none.code).toBe('NO_AUTH_MECHANISM');
    expect([s.state, t.state]).toEqual(['AUTHORIZATION', 'AUTHORIZATION']);
    await s.quit();
    await t.quit();
    expect([server.transcript, bare.transcript]).toEqual([['CAPA', 'QUIT'], ['CAPA', 'QUIT']]);
  });

  it('C0010 after a failed login the client may try again, or QUIT', async () => {
    const server = await fake({
      script: [
        NO_CAPA,
        { expect: 'USER bob', reply: '+OK' },
        { expect: 'PASS wrong', reply: '-ERR [AUTH] invalid password' },
        ...LOGIN_STEPS.slice(1),
        { expect: 'STAT', reply: '+OK 0 0' },
        { expect: 'QUIT', reply: '+OK bye' },
        // A second connection gives up after the failure.
        NO_CAPA,
        { expect: 'USER bob', reply: '+OK' },
        { expect: 'PASS wrong', reply: '-ERR [AUTH] invalid password' },
        { expect: 'QUIT', reply: '+OK bye' },
      ],
    });
    const s = await connect(server);
    const e = await mailRejection(s.authenticate({ ...BOB, password: 'wrong' }));
    expect([e.code, e.details.responseCode, e.details.serverText]).toEqual(['AUTH_FAILED', 'AUTH', '[AUTH] invalid password']);
    expect(s.state).toBe('AUTHORIZATION');
    await s.authenticate(BOB);
    expect(await s.stat()).toEqual({ count: 0, size: 0 });
    await s.quit();
    const t = await connect(server);
    expect((await mailRejection(t.authenticate({ ...BOB, password: 'wrong' }))).code).toBe('AUTH_FAILED');
    await t.quit();
    expect(t.state).toBe('CLOSED');
    expect(server.transcript).toEqual([
      'CAPA', 'USER bob', 'PASS wrong', 'USER bob', 'PASS secret', 'STAT', 'QUIT',
      'CAPA', 'USER bob', 'PASS wrong', 'QUIT',
    ]);
    assertScriptDone(server);
  });

  it('C0011 (server obligation) the client addresses messages by the numbers the server gave; a message 0 is BAD_RESPONSE', async () => {
    const server = await fake({ mailbox: { messages: ['one\r\n', 'two\r\n', 'three\r\n'] } });
    const s = await login(server);
    expect((await s.list()).map((l) => l.n)).toEqual([1, 2, 3]);
    expect((await s.retr(3)).toString()).toBe('three\r\n');
    const broken = await fake({ script: [...LOGIN_STEPS, { expect: 'LIST', reply: '+OK\r\n0 120\r\n1 80\r\n.' }] });
    const t = await login(broken);
    const e = await mailRejection(t.list());
    expect([e.code, e.details.serverText]).toEqual(['BAD_RESPONSE', '0 120']);
    assertScriptDone(broken);
  });

  it('C0012 QUIT from AUTHORIZATION goes without arguments and commits nothing', async () => {
    const server = await fake({ mailbox: { messages: ['x\r\n'] } });
    const s = await connect(server);
    await s.quit();
    await s.quit();
    expect(s.state).toBe('CLOSED');
    expect(conn(server).rawReceived().toString('latin1')).toBe('CAPA\r\nQUIT\r\n');
    await server.closed(0);
    expect([conn(server).quitReceived, conn(server).committed]).toEqual([true, false]);
  });
});

describe('MS-STANOPOP3 §2.2.15–§2.2.17 USER, PASS, APOP', () => {
  it('C0042 USER carries exactly one argument; a name with a space or none at all is refused before sending', async () => {
    const server = await fake({ mailbox: { messages: [] } });
    const s = await connect(server);
    for (const user of ['bob smith', '', ' bob']) {
      expect((await mailRejection(s.authenticate({ ...BOB, user }))).code).toBe('INVALID_ARGUMENT');
    }
    await s.authenticate(BOB);
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'CAPA', 'QUIT']);
    expect(conn(server).rawReceived().toString('latin1')).toContain('\r\nUSER bob\r\n');
  });

  it('C0043 USER is sent only in AUTHORIZATION: authenticate() in TRANSACTION is a BugError and sends nothing', async () => {
    const server = await fake({ mailbox: { messages: [] } });
    const s = await login(server);
    await bugRejection(s.authenticate(BOB));
    expect(s.state).toBe('TRANSACTION');
    await s.quit();
    await bugRejection(s.authenticate(BOB));
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'CAPA', 'QUIT']);
  });

  it('C0044 USER comes first, then PASS, each alone in its read, even when the server offers PIPELINING', async () => {
    const server = await fake({ mailbox: { messages: ['x\r\n'], pipelining: true } });
    const s = await login(server);
    expect(s.pipelining).toBe(true);
    await s.quit();
    expect(readGroups(conn(server))).toEqual([['CAPA'], ['USER bob'], ['PASS secret'], ['CAPA'], ['QUIT']]);
  });

  it('C0045 after USER +OK the client sends PASS; after USER -ERR it sends no PASS, and may QUIT', async () => {
    const server = await fake({
      script: [NO_CAPA, { expect: 'USER nobody', reply: '-ERR [AUTH] no such mailbox' }, { expect: 'QUIT', reply: '+OK' }],
    });
    const s = await connect(server);
    const e = await mailRejection(s.authenticate({ ...BOB, user: 'nobody' }));
    expect([e.code, e.details.command, e.details.serverText]).toEqual(['AUTH_FAILED', 'USER nobody', '[AUTH] no such mailbox']);
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER nobody', 'QUIT']);
    assertScriptDone(server);
  });

  it('C0046 PASS carries one argument: a password with spaces is the rest of the line', async () => {
    const server = await fake({ mailbox: { messages: [], users: { bob: 'correct horse  battery ' }, pipelining: true } });
    const s = await connect(server);
    await s.authenticate({ ...BOB, password: 'correct horse  battery ' });
    expect(s.state).toBe('TRANSACTION');
    expect(conn(server).rawReceived().toString('latin1')).toContain('\r\nPASS correct horse  battery \r\n');
    expect(readGroups(conn(server))).toContainEqual(['PASS correct horse  battery ']);
  });

  it('C0047 PASS only right after a successful USER: never after a refused one, never sharing a read', async () => {
    const server = await fake({
      script: [
        NO_CAPA,
        { expect: 'USER bob', reply: '-ERR [SYS/TEMP] try again' },
        { expect: 'USER bob', reply: '+OK' },
        { expect: 'PASS secret', reply: '+OK' },
        { expect: 'NOOP', reply: '+OK' },
      ],
    });
    const s = await connect(server);
    expect((await mailRejection(s.authenticate(BOB))).code).toBe('SYS_TEMP');
    await s.authenticate(BOB);
    await s.noop();
    expect(readGroups(conn(server))).toEqual([['CAPA'], ['USER bob'], ['USER bob'], ['PASS secret'], ['NOOP']]);
    assertScriptDone(server);
  });

  it('V0008 APOP is supported: the RFC 1939 digest, chosen over plaintext without consent; a bad one is AUTH_FAILED', async () => {
    // RFC 1939 §7's own example: timestamp <1896.697170952@dbc.mtview.ca.us>, secret "tanstaaf".
    const server = await fake({ mailbox: { messages: ['x\r\n'], apop: true, users: { mrose: 'tanstaaf' } } });
    const s = await connect(server);
    expect(await s.authenticate({ user: 'mrose', password: 'tanstaaf' })).toBe('APOP');
    expect(await s.stat()).toEqual({ count: 1, size: 3 });
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb', 'CAPA', 'STAT', 'QUIT']);

    const t = await connect(server);
    const e = await mailRejection(t.authenticate({ user: 'mrose', password: 'wrong', method: 'APOP' }));
    expect([e.code, e.details.responseCode, e.details.command]).toEqual(['AUTH_FAILED', 'AUTH', 'APOP mrose ****']);
    const wrong = createHash('md5').update('<1896.697170952@dbc.mtview.ca.us>wrong').digest('hex');
    expect(server.transcript.at(-1)).toBe(`APOP mrose ${wrong}`);

    // No timestamp in the greeting: no APOP, and nothing is sent.
    const plain = await fake({ greeting: '+OK POP3 ready', mailbox: { messages: [], apop: true } });
    const u = await connect(plain);
    expect((await mailRejection(u.authenticate({ ...BOB, method: 'APOP' }))).code).toBe('NO_AUTH_MECHANISM');
    expect(plain.transcript).toEqual(['CAPA']);
  });
});
