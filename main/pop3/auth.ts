/**
 * Authorization (RFC 1939 §4, §7; RFC 5034): choosing the strongest method the server offers, and running it.
 * Nothing here is pipelined: real servers drop commands that share a write with PASS or AUTH.
 */
import { createHash } from 'node:crypto';
import { mailError, type MailError } from '../../app/errors.ts';
import type { Capabilities } from './capabilities.ts';
import type { Command } from './command-line.ts';
import type { Pop3Connection } from './connection.ts';
import { errorFromStatus, requestStatus } from './exchange.ts';
import type { StatusLine } from './reader.ts';
import { cramMd5, login, plain, xoauth2, type SaslMechanism } from './sasl.ts';

export type AuthMethod = 'USER' | 'APOP' | 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2';

export interface Credentials {
  readonly user: string;
  readonly password?: string;
  /** An OAuth 2.0 access token: selects XOAUTH2. */
  readonly oauthToken?: string;
  /** A fixed method instead of the strongest offered. */
  readonly method?: AuthMethod;
  /** The account's explicit consent to send a password over a connection that is not encrypted. */
  readonly allowPlaintextPassword?: boolean;
  /** XOAUTH2: send the token on a second line, after the server's `+`. */
  readonly xoauth2SecondLine?: boolean;
}

/** Methods that never put the password itself on the wire. */
const CHALLENGE_METHODS: ReadonlySet<AuthMethod> = new Set<AuthMethod>(['APOP', 'CRAM-MD5']);

/** RFC 1939 §7: the APOP timestamp is the msg-id-like `<...>` in the greeting. */
export function apopTimestamp(greeting: StatusLine): string | undefined {
  return /<[^<>\s]*@[^<>\s]*>/.exec(greeting.text)?.[0];
}

/** Strongest first: challenge-response methods keep the password off the wire even inside TLS. */
export function offeredMethods(caps: Capabilities, greeting: StatusLine): AuthMethod[] {
  const methods: AuthMethod[] = [];
  if (caps.sasl.includes('CRAM-MD5')) methods.push('CRAM-MD5');
  if (apopTimestamp(greeting) !== undefined) methods.push('APOP');
  if (caps.sasl.includes('PLAIN')) methods.push('PLAIN');
  if (caps.sasl.includes('LOGIN')) methods.push('LOGIN');
  // RFC 1939 requires USER/PASS of every server; CAPA's USER only confirms it (RFC 2449 §6.8).
  methods.push('USER');
  return methods;
}

/**
 * C0003, C0046: a user name or secret that POP3 cannot carry is refused before anything is sent — whatever the
 * method, since APOP and SASL would otherwise hash or encode a broken value, and PLAIN uses NUL as a separator.
 */
export function validateCredentials(credentials: Credentials): void {
  const check = (what: string, value: string | undefined, required: boolean): void => {
    if (value === undefined || value === '') {
      if (required) throw mailError('INVALID_ARGUMENT', `${what} is empty; POP3 needs one.`);
      return;
    }
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
    if (/[\u0000-\u001f\u007f]/.test(value)) {
      throw mailError('INVALID_ARGUMENT', `${what} contains a control character (such as a line break), which POP3 cannot carry.`);
    }
  };
  check('The user name', credentials.user, true);
  if (credentials.oauthToken !== undefined) check('The OAuth token', credentials.oauthToken, true);
  else check('The password', credentials.password, true);
}

export function chooseMethod(
  caps: Capabilities,
  greeting: StatusLine,
  encrypted: boolean,
  credentials: Credentials,
): AuthMethod {
  validateCredentials(credentials);
  const plaintextOk = encrypted || credentials.allowPlaintextPassword === true;
  if (credentials.oauthToken !== undefined) {
    if (!encrypted) {
      throw mailError('PLAINTEXT_REFUSED', 'An OAuth token is only ever sent over an encrypted connection.');
    }
    return 'XOAUTH2';
  }
  if (credentials.method !== undefined) {
    if (!plaintextOk && !CHALLENGE_METHODS.has(credentials.method)) throw plaintextRefused();
    return credentials.method;
  }
  const nonAscii = /[^\x20-\x7e]/.test(credentials.password ?? '');
  const candidates = offeredMethods(caps, greeting).filter(
    (m) => (plaintextOk || CHALLENGE_METHODS.has(m)) && !(nonAscii && m === 'USER'),
  );
  const chosen = candidates[0];
  if (chosen === undefined) {
    if (!plaintextOk) throw plaintextRefused();
    throw mailError('NO_AUTH_MECHANISM', 'The server offers no login method Poplar can use with this password.', {
      facts: { sasl: caps.sasl.join(' ') },
    });
  }
  return chosen;
}

function plaintextRefused(): MailError {
  return mailError(
    'PLAINTEXT_REFUSED',
    'The connection is not encrypted and the server offers no login that keeps the password secret. ' +
      'Use SSL/TLS or STARTTLS, or allow sending the password unencrypted for this account.',
  );
}

export async function runAuthentication(
  connection: Pop3Connection,
  method: AuthMethod,
  credentials: Credentials,
  greeting: StatusLine,
): Promise<void> {
  switch (method) {
    case 'USER': {
      await requestStatus(connection, { verb: 'USER', args: [credentials.user] }, 'auth');
      await requestStatus(connection, { verb: 'PASS', args: [credentials.password ?? ''], sensitive: [0] }, 'auth');
      return;
    }
    case 'APOP': {
      const timestamp = apopTimestamp(greeting);
      if (timestamp === undefined) {
        throw mailError('NO_AUTH_MECHANISM', 'The server did not offer APOP (no timestamp in its greeting).');
      }
      const digest = createHash('md5').update(`${timestamp}${credentials.password ?? ''}`, 'utf8').digest('hex');
      await requestStatus(connection, { verb: 'APOP', args: [credentials.user, digest], sensitive: [1] }, 'auth');
      return;
    }
    case 'PLAIN':
      return runSasl(connection, plain(credentials));
    case 'LOGIN':
      return runSasl(connection, login(credentials));
    case 'CRAM-MD5':
      return runSasl(connection, cramMd5(credentials));
    case 'XOAUTH2':
      return runSasl(connection, xoauth2(credentials, credentials.xoauth2SecondLine === true));
  }
}

/** RFC 5034 §4: an AUTH line with its initial response must stay within 255 octets. */
const MAX_AUTH_LINE = 255;
/** A bound on challenge rounds, so a looping server cannot keep us here. */
const MAX_SASL_ROUNDS = 8;

async function runSasl(connection: Pop3Connection, mechanism: SaslMechanism): Promise<void> {
  let pendingInitial: string | undefined;
  const first: Command = { verb: 'AUTH', args: [mechanism.name] };
  let command = first;
  if (mechanism.initial !== undefined) {
    const encoded = mechanism.initial.length === 0 ? '=' : mechanism.initial.toString('base64');
    if (`AUTH ${mechanism.name} ${encoded}\r\n`.length <= MAX_AUTH_LINE) {
      command = { verb: 'AUTH', args: [mechanism.name, encoded], sensitive: [1] };
    } else {
      pendingInitial = encoded;
    }
  }
  for (let round = 0; round <= MAX_SASL_ROUNDS; round++) {
    const status = await saslStep(connection, command);
    if (!status.continuation) {
      if (status.ok) return;
      throw errorFromStatus(status, first, 'auth');
    }
    let answer: string;
    if (pendingInitial !== undefined) {
      answer = pendingInitial;
      pendingInitial = undefined;
    } else {
      const reply = mechanism.respond(Buffer.from(status.text.trim(), 'base64'));
      answer = reply === undefined ? '*' : reply.toString('base64');
    }
    command = { verb: '', args: [answer], sensitive: [0] };
  }
  throw mailError('BAD_RESPONSE', `The server kept challenging the ${mechanism.name} login without end.`);
}

function saslStep(connection: Pop3Connection, command: Command): Promise<StatusLine> {
  return new Promise((resolve, reject) => {
    connection.send(command, { kind: 'sasl', status: resolve, fail: reject });
  });
}
