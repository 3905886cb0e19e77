/**
 * Extended response codes (RFC 2449 §8, RFC 3206) become typed errors that keep the server's own words, and
 * CAPA (RFC 2449 §5) is exposed on the session, read again after login; a server without CAPA is RFC 1939.
 */
import { describe, expect, it } from 'vitest';
import type { MailErrorCode } from '../../app/errors.ts';
import { assertScriptDone } from '../support/fake-pop3-server.ts';
import { Pop3Session } from '../../main/pop3/session.ts';
import { BOB, LOGIN_STEPS, mailRejection, NO_CAPA, sessionOptions, useFixtures } from './helpers.ts';

const { fake, connect, login } = useFixtures();

const ON_PASS: readonly { reply: string; code: MailErrorCode; responseCode: string | undefined; transient: boolean }[] = [
  { reply: '-ERR [IN-USE] maildrop locked by another session', code: 'IN_USE', responseCode: 'IN-USE', transient: true },
  { reply: '-ERR [LOGIN-DELAY] wait 15 minutes between logins', code: 'LOGIN_DELAY', responseCode: 'LOGIN-DELAY', transient: true },
  { reply: '-ERR [SYS/TEMP] storage offline', code: 'SYS_TEMP', responseCode: 'SYS/TEMP', transient: true },
  { reply: '-ERR [SYS/TEMP/DISK] quota backend down', code: 'SYS_TEMP', responseCode: 'SYS/TEMP/DISK', transient: true },
  { reply: '-ERR [SYS/PERM] account disabled', code: 'SYS_PERM', responseCode: 'SYS/PERM', transient: false },
  { reply: '-ERR [AUTH] invalid user name or password', code: 'AUTH_FAILED', responseCode: 'AUTH', transient: false },
  { reply: '-ERR invalid user name or password', code: 'AUTH_FAILED', responseCode: undefined, transient: false },
  { reply: '-ERR [X-VENDOR] something else', code: 'AUTH_FAILED', responseCode: 'X-VENDOR', transient: false },
];

describe('response codes on PASS', () => {
  it.each(ON_PASS)('$reply → $code', async ({ reply, code, responseCode, transient }) => {
    const server = await fake({
      script: [NO_CAPA, { expect: 'USER bob', reply: '+OK' }, { expect: 'PASS secret', reply }, { expect: 'QUIT', reply: '+OK' }],
    });
    const s = await connect(server);
    const e = await mailRejection(s.authenticate(BOB));
    expect([e.code, e.transient]).toEqual([code, transient]);
    expect(e.details).toEqual({ serverText: reply.slice('-ERR '.length), responseCode, command: 'PASS ****' });
    expect(e.message).toContain(reply.slice('-ERR '.length));
    expect(s.state).toBe('AUTHORIZATION');
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'QUIT']);
    assertScriptDone(server);
  });
});

describe('response codes elsewhere', () => {
  it('codes on transaction commands are typed too; a code-less -ERR there is SERVER_ERROR', async () => {
    const server = await fake({
      script: [
        ...LOGIN_STEPS,
        { expect: 'RETR 1', reply: '-ERR [SYS/PERM] message unreadable' },
        { expect: 'DELE 1', reply: '-ERR [SYS/TEMP] try again later' },
        { expect: 'TOP 1 0', reply: '-ERR [in-use] locked' },
        { expect: 'LIST 7', reply: '-ERR no such message' },
      ],
    });
    const s = await login(server);
    const retr = await mailRejection(s.retr(1));
    expect([retr.code, retr.details.responseCode, retr.details.command]).toEqual(['SYS_PERM', 'SYS/PERM', 'RETR 1']);
    expect((await mailRejection(s.dele(1))).code).toBe('SYS_TEMP');
    expect((await mailRejection(s.top(1, 0))).code).toBe('IN_USE');
    const list = await mailRejection(s.listOne(7));
    expect([list.code, list.details.responseCode, list.details.serverText]).toEqual(['SERVER_ERROR', undefined, 'no such message']);
    assertScriptDone(server);
  });

  it('a negative greeting is a typed error with the server\'s words, and nothing is sent', async () => {
    const server = await fake({ greeting: '-ERR [SYS/TEMP] down for maintenance', script: [] });
    const e = await mailRejection(Pop3Session.connect(sessionOptions(server.port)));
    expect([e.code, e.details.responseCode, e.details.serverText]).toEqual(['SYS_TEMP', 'SYS/TEMP', '[SYS/TEMP] down for maintenance']);
    await server.closed(0);
    expect(server.transcript).toEqual([]);
  });

  it('the mailbox refuses right credentials with [LOGIN-DELAY], then [IN-USE], then lets the same session in', async () => {
    const server = await fake({ mailbox: { messages: ['x\r\n'], quirks: { loginDelayCode: 1, inUse: 1 } } });
    const s = await connect(server);
    const delay = await mailRejection(s.authenticate(BOB));
    expect([delay.code, delay.details.serverText]).toEqual(['LOGIN_DELAY', '[LOGIN-DELAY] minimum time between logins not elapsed']);
    expect((await mailRejection(s.authenticate(BOB))).code).toBe('IN_USE');
    await s.authenticate(BOB);
    expect(await s.stat()).toEqual({ count: 1, size: 3 });
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'USER bob', 'PASS secret', 'USER bob', 'PASS secret', 'CAPA', 'STAT']);
  });
});

describe('capabilities', () => {
  it('LOGIN-DELAY, EXPIRE and IMPLEMENTATION are exposed, and replaced by what CAPA says after login', async () => {
    const before = ['TOP', 'UIDL', 'USER', 'RESP-CODES', 'AUTH-RESP-CODE', 'LOGIN-DELAY 900 USER', 'EXPIRE 30 USER', 'IMPLEMENTATION Fake POP3 1.0', 'SASL PLAIN cram-md5'];
    const after = ['TOP', 'UIDL', 'USER', 'RESP-CODES', 'PIPELINING', 'LOGIN-DELAY 300', 'EXPIRE NEVER', 'IMPLEMENTATION Fake POP3 1.0'];
    const capa = (lines: string[]): string => ['+OK Capability list follows', ...lines, '.'].join('\r\n');
    const server = await fake({
      script: [
        { expect: 'CAPA', reply: capa(before) },
        { expect: 'USER bob', reply: '+OK' },
        { expect: 'PASS secret', reply: '+OK' },
        { expect: 'CAPA', reply: capa(after) },
      ],
    });
    const s = await connect(server);
    expect(s.capabilities).toEqual({
      supported: true,
      lines: before,
      pipelining: false,
      top: true,
      uidl: true,
      user: true,
      stls: false,
      respCodes: true,
      authRespCode: true,
      sasl: ['PLAIN', 'CRAM-MD5'],
      loginDelay: { seconds: 900, perUser: true },
      expire: { days: 30, perUser: true },
      implementation: 'Fake POP3 1.0',
    });
    await s.authenticate(BOB);
    expect(s.capabilities).toMatchObject({
      lines: after,
      pipelining: true,
      sasl: [],
      loginDelay: { seconds: 300, perUser: false },
      expire: { days: 'never', perUser: false },
      implementation: 'Fake POP3 1.0',
    });
    expect(s.pipelining).toBe(true);
    assertScriptDone(server);
  });

  it('a server that answers CAPA with -ERR is used as a plain RFC 1939 server, and CAPA is not asked again', async () => {
    const server = await fake({ mailbox: { messages: ['Subject: a\r\n\r\nbody\r\n'], capabilities: null } });
    const s = await login(server);
    expect(s.capabilities).toMatchObject({ supported: false, lines: [], pipelining: false, sasl: [], loginDelay: undefined });
    expect(s.pipelining).toBe(false);
    expect(await s.stat()).toEqual({ count: 1, size: 20 });
    expect(await s.uidl()).toEqual([{ n: 1, uid: 'uid-1' }]);
    expect((await s.top(1, 0)).toString()).toBe('Subject: a\r\n\r\n');
    expect((await s.retr(1)).toString()).toBe('Subject: a\r\n\r\nbody\r\n');
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'USER bob', 'PASS secret', 'STAT', 'UIDL', 'TOP 1 0', 'RETR 1', 'QUIT']);
  });
});
