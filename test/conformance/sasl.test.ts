/**
 * SASL over POP3 AUTH (RFC 5034): PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195) and XOAUTH2, against the fake's
 * own implementations, asserting the exact lines sent. XOAUTH2 runs over implicit TLS: an OAuth token is never
 * sent over plaintext.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../main/pop3/auth.ts';
import { assertScriptDone, type FakeServer } from '../support/fake-pop3-server.ts';
import { mailRejection, NO_CAPA, useFixtures } from './helpers.ts';

const { fake, connect } = useFixtures();
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const CHALLENGE = '<1896.697170952@fake.poplar.test>';
const SASL = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const;
const PASSWORD: Credentials = { user: 'bob', password: 'secret', allowPlaintextPassword: true };

async function tlsServer(): Promise<FakeServer> {
  return fake({ tls: 'implicit', mailbox: { messages: ['x\r\n'], sasl: ['XOAUTH2'], users: { bob: 'ya29.token' } } });
}

function tlsOptions(server: FakeServer): { security: 'tls'; tls: { ca: string } } {
  if (server.pki === undefined) throw new Error('the fake server has no PKI');
  return { security: 'tls', tls: { ca: server.pki.caPem } };
}

describe('SASL', () => {
  it('PLAIN sends its initial response on the AUTH line (RFC 5034 §4)', async () => {
    const server = await fake({ mailbox: { messages: ['x\r\n'], sasl: [...SASL] } });
    const s = await connect(server);
    expect(await s.authenticate({ ...PASSWORD, method: 'PLAIN' })).toBe('PLAIN');
    expect(await s.stat()).toEqual({ count: 1, size: 3 });
    expect(server.transcript).toEqual(['CAPA', `AUTH PLAIN ${b64('\0bob\0secret')}`, 'CAPA', 'STAT']);
    const t = await connect(server);
    const e = await mailRejection(t.authenticate({ ...PASSWORD, password: 'wrong', method: 'PLAIN' }));
    expect([e.code, e.details.responseCode, e.details.command]).toEqual(['AUTH_FAILED', 'AUTH', 'AUTH PLAIN']);
  });

  it('LOGIN answers the user-name prompt, then the password prompt', async () => {
    const server = await fake({ mailbox: { messages: ['x\r\n'], sasl: [...SASL] } });
    const s = await connect(server);
    expect(await s.authenticate({ ...PASSWORD, method: 'LOGIN' })).toBe('LOGIN');
    expect(server.transcript).toEqual(['CAPA', 'AUTH LOGIN', b64('bob'), b64('secret'), 'CAPA']);
    const t = await connect(server);
    expect((await mailRejection(t.authenticate({ ...PASSWORD, password: 'nope', method: 'LOGIN' }))).code).toBe('AUTH_FAILED');
    expect(server.transcript.slice(-3)).toEqual(['AUTH LOGIN', b64('bob'), b64('nope')]);
  });

  it('CRAM-MD5 answers with the HMAC-MD5 the fake checks, and is chosen first without plaintext consent', async () => {
    const server = await fake({ greeting: '+OK POP3 ready', mailbox: { messages: ['x\r\n'], sasl: [...SASL], cramChallenge: CHALLENGE } });
    const s = await connect(server);
    expect(await s.authenticate({ user: 'bob', password: 'secret' })).toBe('CRAM-MD5');
    const digest = createHmac('md5', 'secret').update(CHALLENGE).digest('hex');
    expect(server.transcript).toEqual(['CAPA', 'AUTH CRAM-MD5', b64(`bob ${digest}`), 'CAPA']);
  });

  it('CRAM-MD5 gives the RFC 2195 §2 example answer', async () => {
    const server = await fake({
      mailbox: {
        messages: [],
        sasl: ['CRAM-MD5'],
        users: { tim: 'tanstaaftanstaaf' },
        cramChallenge: '<1896.697170952@postoffice.reston.mci.net>',
      },
    });
    const s = await connect(server);
    await s.authenticate({ user: 'tim', password: 'tanstaaftanstaaf', method: 'CRAM-MD5' });
    expect(server.transcript[2]).toBe('dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw');
  });

  it('XOAUTH2 with the token on the AUTH line, over TLS', async () => {
    const server = await tlsServer();
    const s = await connect(server, tlsOptions(server));
    expect(await s.authenticate({ user: 'bob', oauthToken: 'ya29.token' })).toBe('XOAUTH2');
    expect(await s.stat()).toEqual({ count: 1, size: 3 });
    expect(server.transcript).toEqual(['CAPA', `AUTH XOAUTH2 ${b64('user=bob\x01auth=Bearer ya29.token\x01\x01')}`, 'CAPA', 'STAT']);
  });

  it('XOAUTH2 with the token on a second line, after the server\'s empty challenge (xoauth2SecondLine)', async () => {
    const server = await tlsServer();
    const s = await connect(server, tlsOptions(server));
    await s.authenticate({ user: 'bob', oauthToken: 'ya29.token', xoauth2SecondLine: true });
    expect(s.state).toBe('TRANSACTION');
    expect(server.transcript).toEqual(['CAPA', 'AUTH XOAUTH2', b64('user=bob\x01auth=Bearer ya29.token\x01\x01'), 'CAPA']);
  });

  it('XOAUTH2 failure: the JSON challenge is answered with an empty line, then AUTH_FAILED', async () => {
    const server = await tlsServer();
    const s = await connect(server, tlsOptions(server));
    const e = await mailRejection(s.authenticate({ user: 'bob', oauthToken: 'expired' }));
    expect([e.code, e.details.responseCode, e.details.command]).toEqual(['AUTH_FAILED', 'AUTH', 'AUTH XOAUTH2']);
    expect(server.transcript).toEqual(['CAPA', `AUTH XOAUTH2 ${b64('user=bob\x01auth=Bearer expired\x01\x01')}`, '']);
    expect(s.state).toBe('AUTHORIZATION');
    await s.authenticate({ user: 'bob', oauthToken: 'ya29.token', xoauth2SecondLine: true });
    expect(s.state).toBe('TRANSACTION');
  });

  it('an OAuth token is never sent over plaintext: PLAINTEXT_REFUSED, whatever the consent, and nothing is sent', async () => {
    const server = await fake({ mailbox: { messages: [], sasl: ['XOAUTH2'], users: { bob: 'ya29.token' } } });
    const s = await connect(server);
    for (const allowPlaintextPassword of [false, true]) {
      const e = await mailRejection(s.authenticate({ user: 'bob', oauthToken: 'ya29.token', allowPlaintextPassword }));
      expect(e.code).toBe('PLAINTEXT_REFUSED');
    }
    await s.quit();
    expect(server.transcript).toEqual(['CAPA', 'QUIT']);
    expect(server.connections[0]?.rawReceived().toString('latin1')).not.toContain(b64('ya29'));
  });

  it('a server that challenges without end is cut off after a bounded number of rounds with BAD_RESPONSE', async () => {
    const prompts = Array.from({ length: 20 }, () => ({ expect: /^[A-Za-z0-9+/=]*$/, reply: `+ ${b64('Password:')}` }));
    const server = await fake({
      script: [NO_CAPA, { expect: 'AUTH LOGIN', reply: `+ ${b64('Username:')}` }, ...prompts],
    });
    const s = await connect(server);
    const e = await mailRejection(s.authenticate({ ...PASSWORD, method: 'LOGIN' }));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(server.transcript.length).toBeLessThan(12);
    expect(server.mismatches).toEqual([]);
    expect(() => assertScriptDone(server)).toThrow(/steps not reached/);
  });
});
