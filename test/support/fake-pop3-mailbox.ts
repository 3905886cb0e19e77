/**
 * The mailbox mode of the fake POP3 server: a small RFC 1939 state machine (AUTHORIZATION, TRANSACTION, UPDATE)
 * with CAPA (RFC 2449), STLS (RFC 2595), APOP (RFC 1939 §7) and AUTH (RFC 5034), over a maildrop shared by all
 * connections of one server, so a QUIT on one connection really removes messages for the next.
 * Quirk flags bend only the *format* of responses, in the ways MS-STANOPOP3 says a client must tolerate.
 */
import { createHash, createHmac } from 'node:crypto';

export type SaslMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2';

export interface MailboxQuirks {
  /** A tab instead of a space between fields of STAT, LIST and UIDL responses (C0004, C0017, C0021, C0038). */
  readonly tabsInListings?: boolean;
  /** Several spaces between those fields (same clarifications); with `tabsInListings`, a mix of both. */
  readonly extraSpaces?: boolean;
  /** `+ok` / `-err` (V0001: any response starting with `+` is positive). */
  readonly lowercaseStatus?: boolean;
  /** Extra text after the fields of STAT, LIST and UIDL lines (RFC 1939 §5 "no requirement on what follows"). */
  readonly trailingText?: boolean;
  /** Destroy the connection once this many bytes (greeting included) have been written on it. */
  readonly dropAfterBytes?: number;
  /** Right credentials are refused with `-ERR [LOGIN-DELAY]` (RFC 2449 §8.1.1); a number refuses that many logins. */
  readonly loginDelayCode?: boolean | number;
  /** Right credentials are refused with `-ERR [IN-USE]` (RFC 2449 §8.1.2); a number refuses that many logins. */
  readonly inUse?: boolean | number;
}

export interface MailboxOptions {
  /** Strings get bare LFs turned into CRLF (RFC 1939 §3: lines end in CRLF); Buffers are sent as they are. */
  readonly messages: readonly (string | Buffer)[];
  /** Unique-ids by message; missing ones default to `uid-<n>` (n counted in this array, so stable across sessions). */
  readonly uids?: readonly (string | undefined)[];
  /** The CAPA list, used verbatim; `null` makes CAPA answer -ERR (a pre-RFC 2449 server). */
  readonly capabilities?: readonly string[] | null;
  /** Default `{ bob: 'secret' }`. For XOAUTH2 the user's entry is the bearer token. */
  readonly users?: Readonly<Record<string, string>>;
  readonly apop?: boolean;
  readonly sasl?: readonly SaslMechanism[];
  readonly noTop?: boolean;
  readonly noUidl?: boolean;
  readonly quirks?: MailboxQuirks;
  /** Advertise PIPELINING (RFC 2449 §6.6). Complete lines of one read are always answered in order. */
  readonly pipelining?: boolean;
  /** The CRAM-MD5 challenge before base64 (RFC 2195 §2); fixed so that transcripts are reproducible. */
  readonly cramChallenge?: string;
}

/** What a session needs from its connection. */
export interface SessionIo {
  /** Whether the connection is TLS now (implicit or after STLS). */
  readonly tls: boolean;
  /** Whether STLS is offered (the server runs with `tls: 'stls'`). */
  readonly stlsOffered: boolean;
  send(data: string | Buffer): void;
  end(): void;
  /** Send `reply`, then switch the socket to TLS as the server. */
  startTls(reply: string): void;
  readonly deleted: Set<number>;
  commit(): void;
}

interface StoredMessage {
  readonly data: Buffer;
  readonly uid: string;
  removed: boolean;
}

/** Server-wide state: the maildrop and the countdowns of the refusal quirks. */
export class Maildrop {
  readonly messages: StoredMessage[];
  readonly users: Readonly<Record<string, string>>;
  loginDelayLeft: number;
  inUseLeft: number;

  constructor(readonly options: MailboxOptions) {
    this.messages = options.messages.map((m, i) => ({
      data: typeof m === 'string' ? Buffer.from(m.replace(/\r?\n/g, '\r\n'), 'utf8') : m,
      uid: options.uids?.[i] ?? `uid-${i + 1}`,
      removed: false,
    }));
    this.users = options.users ?? { bob: 'secret' };
    const count = (q: boolean | number | undefined): number => (q === true ? Infinity : typeof q === 'number' ? q : 0);
    this.loginDelayLeft = count(options.quirks?.loginDelayCode);
    this.inUseLeft = count(options.quirks?.inUse);
  }

  /** RFC 2449 §5: the capabilities this server announces, unless given verbatim. */
  capabilities(tlsOffered: boolean): readonly string[] | null {
    const o = this.options;
    if (o.capabilities !== undefined) return o.capabilities;
    const caps: string[] = [];
    if (o.noTop !== true) caps.push('TOP');
    if (o.noUidl !== true) caps.push('UIDL');
    caps.push('USER', 'RESP-CODES');
    if (o.pipelining === true) caps.push('PIPELINING');
    if (o.sasl !== undefined && o.sasl.length > 0) caps.push(`SASL ${o.sasl.join(' ')}`);
    if (tlsOffered) caps.push('STLS');
    return caps;
  }
}

/** RFC 1939 §3: a line of a multi-line response starting with "." gets one more "." in front. */
export function dotStuff(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < data.length; i++) {
    const lineStart = i === 0 || data[i - 1] === 0x0a;
    if (lineStart && data[i] === 0x2e) {
      parts.push(data.subarray(from, i), Buffer.from('.'));
      from = i;
    }
  }
  parts.push(data.subarray(from));
  // The terminator must start a line, so an unterminated last line gets its CRLF here (RFC 1939 §3).
  if (data.length > 0 && data[data.length - 1] !== 0x0a) parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** RFC 1939 §7 TOP: the header, the blank line, then `lines` lines of the body. */
export function topOf(data: Buffer, lines: number): Buffer {
  let pos = 0;
  let inBody = false;
  let bodyLines = 0;
  while (pos < data.length) {
    if (inBody && bodyLines >= lines) break;
    const lf = data.indexOf(0x0a, pos);
    const end = lf === -1 ? data.length : lf + 1;
    const line = data.subarray(pos, end).toString('latin1');
    if (inBody) bodyLines++;
    else if (line === '\r\n' || line === '\n') inBody = true;
    pos = end;
  }
  return data.subarray(0, pos);
}

const CRLF = '\r\n';
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const XOAUTH2_ERROR = '{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}';

type Sasl =
  | { readonly mech: 'PLAIN' | 'CRAM-MD5' | 'XOAUTH2' }
  | { readonly mech: 'LOGIN'; user?: string }
  | { readonly mech: 'XOAUTH2-FAILED' };

/** One connection's POP3 session. Each handler returns the response to send. */
export class MailboxSession {
  private state: 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE' = 'AUTHORIZATION';
  private user: string | undefined;
  private sasl: Sasl | undefined;
  /** The messages of this session, numbered from 1 (RFC 1939 §4: numbers stay fixed for the whole session). */
  private view: StoredMessage[] = [];
  private readonly q: MailboxQuirks;

  constructor(private readonly drop: Maildrop, private readonly io: SessionIo, private readonly greeting: string) {
    this.q = drop.options.quirks ?? {};
  }

  handle(line: string): void {
    if (this.state === 'UPDATE') return;
    if (this.sasl !== undefined) {
      this.io.send(this.saslStep(this.sasl, line));
      return;
    }
    const space = line.indexOf(' ');
    const keyword = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const rest = space === -1 ? undefined : line.slice(space + 1);
    // RFC 1939 §3: one space between keyword and each argument. Anything else is a syntax error here, so a
    // client that sends extra spaces (against C0004) fails loudly. PASS alone takes the rest of the line.
    const args = rest === undefined ? [] : rest.split(' ');
    if (keyword !== 'PASS' && args.some((a) => a === '')) {
      this.io.send(this.err('syntax error'));
    } else if (keyword === 'STLS' && this.stlsAllowed() && rest === undefined) {
      this.io.startTls(this.ok('Begin TLS negotiation'));
    } else if (keyword === 'QUIT') {
      this.io.send(this.quit(args));
      if (args.length === 0) this.io.end();
    } else if (keyword === 'CAPA') {
      this.io.send(this.capa(args));
    } else if (this.state === 'AUTHORIZATION') {
      this.io.send(this.authorization(keyword, args, rest));
    } else {
      this.io.send(this.transaction(keyword, args));
    }
  }

  /** RFC 2595 §4: STLS only in AUTHORIZATION and only once; nor is it announced otherwise. */
  private stlsAllowed(): boolean {
    return this.state === 'AUTHORIZATION' && this.io.stlsOffered && !this.io.tls;
  }

  private ok(text?: string): string {
    return `${this.q.lowercaseStatus === true ? '+ok' : '+OK'}${text === undefined ? '' : ` ${text}`}${CRLF}`;
  }

  private err(text: string): string {
    return `${this.q.lowercaseStatus === true ? '-err' : '-ERR'} ${text}${CRLF}`;
  }

  /** A multi-line response (RFC 1939 §3), built as one write so that `dropAfterBytes` can cut it anywhere. */
  private multi(first: string, body: Buffer): Buffer {
    return Buffer.concat([Buffer.from(this.ok(first)), dotStuff(body), Buffer.from(`.${CRLF}`)]);
  }

  /** Fields of STAT/LIST/UIDL lines, spaced and followed as the quirks say (C0004, C0017, C0021, C0038). */
  private fields(...values: (string | number)[]): string {
    const tabs = this.q.tabsInListings === true;
    const spaces = this.q.extraSpaces === true;
    const sep = tabs && spaces ? ' \t ' : tabs ? '\t' : spaces ? '   ' : ' ';
    return values.join(sep) + (this.q.trailingText === true ? ' extra text' : '');
  }

  /** A single-line listing "+OK<sep>fields": the quirks apply after the status indicator too (C0017). */
  private okFields(...values: (string | number)[]): string {
    const line = this.fields('', ...values);
    return `${this.q.lowercaseStatus === true ? '+ok' : '+OK'}${line}${CRLF}`;
  }

  private capa(args: string[]): string | Buffer {
    const caps = this.drop.capabilities(this.stlsAllowed());
    if (caps === null) return this.err('unknown command');
    if (args.length > 0) return this.err('CAPA takes no arguments');
    return this.multi('Capability list follows', Buffer.from(caps.map((c) => c + CRLF).join('')));
  }

  private quit(args: string[]): string {
    if (args.length > 0) return this.err('QUIT takes no arguments');
    // RFC 1939 §6: only a QUIT in TRANSACTION enters UPDATE and removes the messages marked as deleted.
    if (this.state === 'TRANSACTION') {
      for (const n of this.io.deleted) {
        const m = this.view[n - 1];
        if (m !== undefined) m.removed = true;
      }
      this.io.commit();
    }
    this.state = 'UPDATE';
    return this.ok('bye');
  }

  private authorization(keyword: string, args: string[], rest: string | undefined): string {
    switch (keyword) {
      case 'USER':
        // RFC 1939 §7: USER may follow the greeting or a failed USER/PASS; any name gets +OK (no user probing).
        if (args.length !== 1 || rest === undefined) return this.err('USER takes one argument');
        this.user = rest;
        return this.ok('send PASS');
      case 'PASS': {
        // RFC 1939 §7: the argument is the rest of the line, spaces included.
        const user = this.user;
        this.user = undefined;
        if (user === undefined || rest === undefined) return this.err('USER first, then PASS with an argument');
        return this.login(user, this.drop.users[user] === rest);
      }
      case 'APOP': {
        // RFC 1939 §7: digest = lower-case hex MD5 of the greeting's timestamp followed by the shared secret.
        const stamp = /<[^>]*>/.exec(this.greeting)?.[0];
        if (this.drop.options.apop !== true || stamp === undefined) return this.err('APOP not supported');
        const [name, digest] = args;
        if (args.length !== 2 || name === undefined) return this.err('APOP takes a name and a digest');
        const secret = this.drop.users[name];
        const expected = secret === undefined ? undefined : createHash('md5').update(stamp + secret).digest('hex');
        return this.login(name, expected !== undefined && digest === expected);
      }
      case 'AUTH':
        return this.auth(args);
      default:
        return this.err('command not valid in AUTHORIZATION state');
    }
  }

  /** The end of every authentication: credentials, then the refusal quirks, then TRANSACTION (RFC 1939 §4). */
  private login(user: string, credentialsOk: boolean): string {
    const codes = this.drop.capabilities(false)?.includes('RESP-CODES') === true;
    if (!credentialsOk) return this.err(`${codes ? '[AUTH] ' : ''}invalid credentials`);
    if (this.drop.loginDelayLeft > 0) {
      this.drop.loginDelayLeft--;
      return this.err('[LOGIN-DELAY] minimum time between logins not elapsed');
    }
    if (this.drop.inUseLeft > 0) {
      this.drop.inUseLeft--;
      return this.err('[IN-USE] maildrop is locked by another session');
    }
    this.state = 'TRANSACTION';
    this.view = this.drop.messages.filter((m) => !m.removed);
    return this.ok(`${user}'s maildrop has ${this.view.length} messages`);
  }

  /** RFC 5034 §4: `AUTH mechanism [initial-response]`, where "=" is an empty initial response. */
  private auth(args: string[]): string {
    const [mech, initial] = [args[0]?.toUpperCase(), args[1]];
    const known = (this.drop.options.sasl ?? []).find((m) => m === mech);
    if (known === undefined || args.length > 2) return this.err('unsupported SASL mechanism');
    if (known === 'CRAM-MD5') {
      if (initial !== undefined) return this.err('CRAM-MD5 takes no initial response');
      this.sasl = { mech: known };
      return this.challenge(this.cramChallenge());
    }
    const sasl: Sasl = { mech: known };
    this.sasl = sasl;
    if (initial !== undefined) return this.saslStep(sasl, initial === '=' ? '' : initial);
    return this.challenge(known === 'LOGIN' ? 'Username:' : '');
  }

  private cramChallenge(): string {
    return this.drop.options.cramChallenge ?? '<1896.697170952@fake.poplar.test>';
  }

  /** RFC 5034 §4: a server challenge is "+" SP base64 CRLF. */
  private challenge(text: string): string {
    return `+ ${Buffer.from(text, 'utf8').toString('base64')}${CRLF}`;
  }

  private saslStep(sasl: Sasl, line: string): string {
    if (sasl.mech === 'XOAUTH2-FAILED') {
      // The client answers the error challenge with an empty line; then the failure is final.
      this.sasl = undefined;
      return this.err('[AUTH] invalid credentials');
    }
    // RFC 5034 §4: "*" cancels the exchange.
    if (line === '*' || !B64.test(line)) {
      this.sasl = undefined;
      return this.err(line === '*' ? 'authentication cancelled' : 'invalid base64');
    }
    const text = Buffer.from(line, 'base64').toString('utf8');
    const users = this.drop.users;
    switch (sasl.mech) {
      case 'PLAIN': {
        // RFC 4616 §2: authzid NUL authcid NUL passwd; an authzid must be empty or the same user here.
        this.sasl = undefined;
        const [authz, authc, pass, extra] = text.split('\0');
        if (authc === undefined || pass === undefined || extra !== undefined || (authz !== '' && authz !== authc)) {
          return this.err('malformed PLAIN response');
        }
        return this.login(authc, users[authc] === pass);
      }
      case 'LOGIN':
        if (sasl.user === undefined) {
          sasl.user = text;
          return this.challenge('Password:');
        }
        this.sasl = undefined;
        return this.login(sasl.user, users[sasl.user] === text);
      case 'CRAM-MD5': {
        // RFC 2195 §2: user SP lower-case hex HMAC-MD5(key = password, text = challenge).
        this.sasl = undefined;
        const cut = text.lastIndexOf(' ');
        const user = text.slice(0, cut);
        const secret = users[user];
        const digest = secret === undefined ? '' : createHmac('md5', secret).update(this.cramChallenge()).digest('hex');
        return this.login(user, secret !== undefined && cut > 0 && digest === text.slice(cut + 1));
      }
      case 'XOAUTH2': {
        // "user=<u>^Aauth=Bearer <token>^A^A", as Google documents XOAUTH2; the token is the user's entry.
        const fields = text.split('\x01');
        const user = fields.find((f) => f.startsWith('user='))?.slice(5);
        const token = fields.find((f) => f.startsWith('auth=Bearer '))?.slice(12);
        if (user !== undefined && token !== undefined && text.endsWith('\x01\x01') && users[user] === token) {
          this.sasl = undefined;
          return this.login(user, true);
        }
        // On failure the server sends a base64 JSON error as a challenge and waits for an empty response.
        this.sasl = { mech: 'XOAUTH2-FAILED' };
        return this.challenge(XOAUTH2_ERROR);
      }
    }
  }

  /** A message-number argument (RFC 1939 §5): it must exist and must not be marked as deleted (C0026). */
  private message(arg: string | undefined): { n: number; m: StoredMessage } | string {
    if (arg === undefined || !/^[1-9][0-9]*$/.test(arg)) return 'invalid message-number';
    const n = Number(arg);
    const m = this.view[n - 1];
    if (m === undefined) return 'no such message';
    if (this.io.deleted.has(n)) return `message ${n} already deleted`;
    return { n, m };
  }

  private transaction(keyword: string, args: string[]): string | Buffer {
    const o = this.drop.options;
    const live = this.view.map((m, i) => ({ n: i + 1, m })).filter(({ n }) => !this.io.deleted.has(n));
    const size = live.reduce((sum, { m }) => sum + m.data.length, 0);
    const arity = (count: number): boolean => args.length === count;
    const listing = (cmd: 'LIST' | 'UIDL', value: (m: StoredMessage) => string | number): string | Buffer => {
      if (args.length > 1) return this.err(`${cmd} takes at most one argument`);
      if (args.length === 1) {
        const found = this.message(args[0]);
        return typeof found === 'string' ? this.err(found) : this.okFields(found.n, value(found.m));
      }
      const lines = live.map(({ n, m }) => this.fields(n, value(m)) + CRLF).join('');
      const first = cmd === 'LIST' ? `${live.length} messages (${size} octets)` : 'unique-id listing follows';
      return this.multi(first, Buffer.from(lines));
    };
    const withMessage = (count: number, then: (n: number, m: StoredMessage) => string | Buffer): string | Buffer => {
      const found = this.message(args[0]);
      if (!arity(count)) return this.err(`${keyword} takes ${count} argument(s)`);
      return typeof found === 'string' ? this.err(found) : then(found.n, found.m);
    };
    switch (keyword) {
      case 'STAT':
        return arity(0) ? this.okFields(live.length, size) : this.err('STAT takes no arguments');
      case 'LIST':
        return listing('LIST', (m) => m.data.length);
      case 'UIDL':
        return o.noUidl === true ? this.err('unknown command') : listing('UIDL', (m) => m.uid);
      case 'TOP':
        if (o.noTop === true) return this.err('unknown command');
        return withMessage(2, (_n, m) => {
          const k = args[1] ?? '';
          if (!/^[0-9]+$/.test(k)) return this.err('bad line count');
          return this.multi('top of message follows', topOf(m.data, Number(k)));
        });
      case 'RETR':
        return withMessage(1, (_n, m) => this.multi(`${m.data.length} octets`, m.data));
      case 'DELE':
        return withMessage(1, (n) => {
          this.io.deleted.add(n);
          return this.ok(`message ${n} deleted`);
        });
      case 'NOOP':
        return arity(0) ? this.ok() : this.err('NOOP takes no arguments');
      case 'RSET':
        // RFC 1939 §5: every message marked as deleted is unmarked.
        if (!arity(0)) return this.err('RSET takes no arguments');
        this.io.deleted.clear();
        return this.ok(`maildrop has ${this.view.length} messages`);
      default:
        return this.err('command not valid in TRANSACTION state');
    }
  }
}
