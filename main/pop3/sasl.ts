/**
 * SASL mechanisms for POP3 AUTH (RFC 5034): PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195) and XOAUTH2 (the
 * bearer-token mechanism of Google and Microsoft). Each is a small state machine that turns server challenges
 * into responses; the exchange itself lives in auth.ts.
 */
import { createHmac } from 'node:crypto';

export type SaslName = 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2';

export interface SaslMechanism {
  readonly name: SaslName;
  /** The initial response (RFC 5034 §4), raw bytes before base64, or undefined to wait for a first challenge. */
  readonly initial: Buffer | undefined;
  /** The response to a decoded challenge, or undefined when the mechanism has nothing more to say. */
  respond(challenge: Buffer): Buffer | undefined;
}

export interface SaslCredentials {
  readonly user: string;
  readonly password?: string;
  readonly oauthToken?: string;
}

export function plain(c: SaslCredentials): SaslMechanism {
  const message = Buffer.from(`\u0000${c.user}\u0000${c.password ?? ''}`, 'utf8');
  return { name: 'PLAIN', initial: message, respond: () => undefined };
}

/** LOGIN is undocumented but common: it asks for the user name, then the password, in any order of prompts. */
export function login(c: SaslCredentials): SaslMechanism {
  let step = 0;
  return {
    name: 'LOGIN',
    initial: undefined,
    respond(challenge) {
      step++;
      const prompt = challenge.toString('utf8').toLowerCase();
      if (prompt.includes('pass') || step > 1) return Buffer.from(c.password ?? '', 'utf8');
      return Buffer.from(c.user, 'utf8');
    },
  };
}

export function cramMd5(c: SaslCredentials): SaslMechanism {
  return {
    name: 'CRAM-MD5',
    initial: undefined,
    respond(challenge) {
      const digest = createHmac('md5', Buffer.from(c.password ?? '', 'utf8')).update(challenge).digest('hex');
      return Buffer.from(`${c.user} ${digest}`, 'utf8');
    },
  };
}

/**
 * XOAUTH2. `secondLine` sends the token after the server's first `+` instead of on the AUTH line, which some
 * servers (Microsoft's among them) require. After a failure the server sends a JSON error as a challenge, which
 * the client must acknowledge with an empty response before the final `-ERR`.
 */
export function xoauth2(c: SaslCredentials, secondLine: boolean): SaslMechanism {
  const token = Buffer.from(`user=${c.user}\u0001auth=Bearer ${c.oauthToken ?? ''}\u0001\u0001`, 'utf8');
  let sent = !secondLine;
  return {
    name: 'XOAUTH2',
    initial: secondLine ? undefined : token,
    respond() {
      if (!sent) {
        sent = true;
        return token;
      }
      return Buffer.alloc(0);
    },
  };
}
