/**
 * The protocol transcript at debug level (house style 11, 20): commands are logged as `C: ...` with secret
 * arguments shown as `****`, SASL exchanges included, and no log line, error message or error detail ever holds
 * the password, its base64 form or an OAuth token.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toErrorData } from '../../app/errors.ts';
import { createLogger, type Logger } from '../../main/log.ts';
import type { AuthMethod } from '../../main/pop3/auth.ts';
import type { FakeServer } from '../support/fake-pop3-server.ts';
import { mailRejection, useFixtures } from './helpers.ts';

const { fake, connect } = useFixtures();
const PASSWORD = 'Hunter2-Pa55';
const TOKEN = 'ya29.Secret-Token';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** Forms of the secrets that must never show up in logs or errors. */
const SECRETS = [PASSWORD, b64(PASSWORD), TOKEN, b64(`\0bob\0${PASSWORD}`), b64(`user=bob\x01auth=Bearer ${TOKEN}\x01\x01`)];

function capture(): { logger: Logger; messages: () => string[]; all: () => string } {
  const lines: string[] = [];
  return {
    logger: createLogger('debug', (line) => lines.push(line)),
    messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
    all: () => lines.join('\n'),
  };
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

async function mailbox(): Promise<FakeServer> {
  return fake({
    mailbox: { messages: ['x\r\n'], apop: true, sasl: ['PLAIN', 'LOGIN', 'CRAM-MD5'], users: { bob: PASSWORD } },
  });
}

describe('transcript log', () => {
  it('shows `C: USER bob` and `C: PASS ****`, the server lines, and never the password', async () => {
    const server = await mailbox();
    const log = capture();
    const s = await connect(server, { logger: log.logger });
    await s.authenticate({ user: 'bob', password: PASSWORD, method: 'USER', allowPlaintextPassword: true });
    await s.stat();
    await s.quit();
    expect(log.messages().filter((m) => m.startsWith('C: '))).toEqual(['C: CAPA', 'C: USER bob', 'C: PASS ****', 'C: CAPA', 'C: STAT', 'C: QUIT']);
    expect(log.messages()).toContain('S: + 1 3');
    expect(log.messages()).toContain("S: + bob's maildrop has 1 messages");
    expectNoSecret(log.all());
    expect(server.transcript).toContain(`PASS ${PASSWORD}`);
  });

  it.each<[AuthMethod, string[]]>([
    ['PLAIN', ['C: AUTH PLAIN ****']],
    ['LOGIN', ['C: AUTH LOGIN', 'C:  ****', 'C:  ****']],
    ['CRAM-MD5', ['C: AUTH CRAM-MD5', 'C:  ****']],
    ['APOP', ['C: APOP bob ****']],
  ])('%s: secret arguments and responses are `****`', async (method, expected) => {
    const server = await mailbox();
    const log = capture();
    const s = await connect(server, { logger: log.logger });
    await s.authenticate({ user: 'bob', password: PASSWORD, method, allowPlaintextPassword: true });
    expect(log.messages().filter((m) => m.startsWith('C: ')).slice(1, -1)).toEqual(expected);
    expectNoSecret(log.all());
    // What the server sent as SASL challenges is not shown either (a CRAM-MD5 challenge is replay material).
    expect(log.all()).not.toContain(b64('<1896.697170952@fake.poplar.test>'));
    const digest = createHash('md5').update(`<1896.697170952@dbc.mtview.ca.us>${PASSWORD}`).digest('hex');
    expect(log.all()).not.toContain(digest);
  });

  it('XOAUTH2 over TLS: the token is `****` on both variants', async () => {
    const server = await fake({ tls: 'implicit', mailbox: { messages: [], sasl: ['XOAUTH2'], users: { bob: TOKEN } } });
    const ca = server.pki?.caPem ?? '';
    for (const xoauth2SecondLine of [false, true]) {
      const log = capture();
      const s = await connect(server, { logger: log.logger, security: 'tls', tls: { ca } });
      await s.authenticate({ user: 'bob', oauthToken: TOKEN, xoauth2SecondLine });
      const sent = log.messages().filter((m) => m.startsWith('C: '));
      expect(sent.slice(1, -1)).toEqual(xoauth2SecondLine ? ['C: AUTH XOAUTH2', 'C:  ****'] : ['C: AUTH XOAUTH2 ****']);
      expectNoSecret(log.all());
    }
  });

  it('errors never hold the password: a refused login, a refused argument, a timeout during PASS', async () => {
    const server = await mailbox();
    const log = capture();
    const s = await connect(server, { logger: log.logger });
    const errors = [
      await mailRejection(s.authenticate({ user: 'bob', password: `${PASSWORD}x`, method: 'USER', allowPlaintextPassword: true })),
      await mailRejection(s.authenticate({ user: 'bob', password: `${PASSWORD}x`, method: 'PLAIN', allowPlaintextPassword: true })),
      await mailRejection(s.authenticate({ user: 'bob', password: `${PASSWORD}\r\n`, method: 'USER', allowPlaintextPassword: true })),
    ];
    expect(errors.map((e) => e.code)).toEqual(['AUTH_FAILED', 'AUTH_FAILED', 'INVALID_ARGUMENT']);
    expect(errors[0]?.details.command).toBe('PASS ****');
    const hang = await fake({ script: [{ expect: 'CAPA', reply: '-ERR' }, { expect: 'USER bob', reply: '+OK' }, { expect: /^PASS /, action: 'hang' }] });
    const t = await connect(hang, { logger: log.logger, timeouts: { idleMs: 300 } });
    errors.push(await mailRejection(t.authenticate({ user: 'bob', password: PASSWORD, method: 'USER', allowPlaintextPassword: true })));
    expect(errors[3]?.code).toBe('IDLE_TIMEOUT');
    for (const e of errors) {
      expectNoSecret(`${e.message} ${e.stack ?? ''} ${JSON.stringify(toErrorData(e))}`);
      expect(e.message).not.toContain('Hunter2');
    }
    expectNoSecret(log.all());
  });
});
