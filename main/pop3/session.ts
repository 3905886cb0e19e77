/**
 * The session facade: one POP3 conversation with explicit protocol state (RFC 1939 §3: AUTHORIZATION,
 * TRANSACTION, UPDATE). Each verb is a few lines over the exchange helpers; a verb called in the wrong state is a
 * programming error (`BugError`), not a server error.
 */
import type { Writable } from 'node:stream';
import { BugError, mailError, type MailError } from '../../app/errors.ts';
import { runAuthentication, chooseMethod, type AuthMethod, type Credentials } from './auth.ts';
import { NO_CAPABILITIES, parseCapabilities, type Capabilities } from './capabilities.ts';
import type { Command } from './command-line.ts';
import { Pop3Connection, type ConnectOptions, type TlsInfo } from './connection.ts';
import { errorFromStatus, requestBody, requestLines, requestStatus } from './exchange.ts';
import {
  parseDropListing,
  parseScanListing,
  parseUniqueIdListing,
  type DropListing,
  type ScanListing,
  type UniqueIdListing,
} from './listings.ts';
import { fetchMany, type MessageConsumer, type RefusalConsumer } from './fetch-many.ts';
import { runWindowed } from './pipeline.ts';
import type { StatusLine } from './reader.ts';

export type ProtocolState = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE' | 'CLOSED';

export interface SessionOptions extends ConnectOptions {
  /** `auto`: pipeline when CAPA advertises PIPELINING; `off`: strictly one command at a time. */
  readonly pipelining?: 'auto' | 'off';
}

export type FetchKind = 'top' | 'retr';

export interface FetchManyOptions {
  /** Body lines for TOP (RFC 1939 §7); 0 gives the headers only. */
  readonly lines?: number;
  /** Called for a message the server refused (`-ERR`, e.g. deleted by another client); default: stop and throw. */
  readonly onRefused?: RefusalConsumer;
}

export class Pop3Session {
  private protocolState: ProtocolState = 'AUTHORIZATION';
  private caps: Capabilities;
  private authMethod: AuthMethod | undefined;

  private constructor(
    private readonly connection: Pop3Connection,
    readonly greeting: StatusLine,
    capabilities: Capabilities,
    private readonly options: SessionOptions,
  ) {
    this.caps = capabilities;
  }

  /** Connects, reads the greeting and CAPA, and for `starttls` upgrades with STLS and asks CAPA again. */
  static async connect(options: SessionOptions): Promise<Pop3Session> {
    const { connection, greeting } = await Pop3Connection.open(options);
    try {
      if (!greeting.ok) throw errorFromStatus(greeting, undefined, 'command');
      let caps = await readCapabilities(connection);
      if (options.security === 'starttls') {
        // RFC 2595 §4: a server that lists capabilities but not STLS has none; never fall back to plaintext.
        if (caps.supported && !caps.stls) {
          throw mailError('STLS_UNAVAILABLE', 'The server does not offer STARTTLS (STLS) on this port.');
        }
        await requestStatus(connection, { verb: 'STLS' }, 'command', { stopAfter: true }).catch((e: unknown) => {
          if (e instanceof Error && 'code' in e && e.code === 'SERVER_ERROR') {
            throw mailError('STLS_UNAVAILABLE', 'The server refused STARTTLS (STLS).', {}, e);
          }
          throw e;
        });
        await connection.upgradeToTls();
        // RFC 2595 §4: capabilities learned before TLS must be discarded.
        caps = await readCapabilities(connection);
      }
      return new Pop3Session(connection, greeting, caps, options);
    } catch (e) {
      connection.abort(mailError('ABORTED', 'The session could not start.'));
      throw e;
    }
  }

  get state(): ProtocolState {
    return this.connection.isClosed && this.protocolState !== 'UPDATE' ? 'CLOSED' : this.protocolState;
  }

  get capabilities(): Capabilities {
    return this.caps;
  }

  get tlsInfo(): TlsInfo | undefined {
    return this.connection.tlsInfo;
  }

  get authenticatedWith(): AuthMethod | undefined {
    return this.authMethod;
  }

  /** Whether LIST, UIDL, TOP, RETR and DELE go out in a window rather than one at a time. */
  get pipelining(): boolean {
    return this.options.pipelining !== 'off' && this.caps.pipelining;
  }

  /**
   * Logs in with the strongest method the server offers (or `credentials.method`). A password goes over a
   * connection without TLS only with the account's explicit consent (`allowPlaintextPassword`).
   */
  async authenticate(credentials: Credentials): Promise<AuthMethod> {
    this.requireState('AUTHORIZATION', 'authenticate');
    const method = chooseMethod(this.caps, this.greeting, this.tlsInfo !== undefined, credentials);
    await runAuthentication(this.connection, method, credentials, this.greeting);
    this.protocolState = 'TRANSACTION';
    this.authMethod = method;
    // RFC 2449 §5: capabilities may differ after login (LOGIN-DELAY and EXPIRE per user, PIPELINING).
    if (this.caps.supported) this.caps = await readCapabilities(this.connection);
    return method;
  }

  async stat(): Promise<DropListing> {
    this.requireState('TRANSACTION', 'STAT');
    return parseDropListing((await requestStatus(this.connection, { verb: 'STAT' })).text);
  }

  async list(): Promise<ScanListing[]> {
    this.requireState('TRANSACTION', 'LIST');
    return (await requestLines(this.connection, { verb: 'LIST' }, this.connection.maxLineBytes)).map(
      parseScanListing,
    );
  }

  /** V0003: LIST with an argument, which Outlook never sends; useful to check one message. */
  async listOne(n: number): Promise<ScanListing> {
    this.requireState('TRANSACTION', 'LIST');
    return parseScanListing((await requestStatus(this.connection, { verb: 'LIST', args: [messageNumber(n)] })).text);
  }

  async uidl(): Promise<UniqueIdListing[]> {
    this.requireState('TRANSACTION', 'UIDL');
    return (await requestLines(this.connection, { verb: 'UIDL' }, this.connection.maxLineBytes)).map(
      parseUniqueIdListing,
    );
  }

  /** V0007: UIDL with an argument. */
  async uidlOne(n: number): Promise<UniqueIdListing> {
    this.requireState('TRANSACTION', 'UIDL');
    const status = await requestStatus(this.connection, { verb: 'UIDL', args: [messageNumber(n)] });
    return parseUniqueIdListing(status.text);
  }

  async top(n: number, lines: number): Promise<Buffer> {
    this.requireState('TRANSACTION', 'TOP');
    return requestBody(this.connection, topCommand(n, lines));
  }

  async retr(n: number): Promise<Buffer> {
    this.requireState('TRANSACTION', 'RETR');
    return requestBody(this.connection, { verb: 'RETR', args: [messageNumber(n)] });
  }

  /**
   * RETR streamed into a writable, honouring its back-pressure: memory stays bounded however large the
   * message. Resolves with the number of bytes written; the writable is not ended.
   */
  async retrInto(n: number, target: Writable): Promise<number> {
    this.requireState('TRANSACTION', 'RETR');
    const command: Command = { verb: 'RETR', args: [messageNumber(n)] };
    return await new Promise((resolve, reject) => {
      let bytes = 0;
      let paused = false;
      const onDrain = (): void => {
        paused = false;
        this.connection.resumeReading();
      };
      // The response is over: what the target still has to drain is its own business, and the next response
      // (QUIT's, say) must not wait behind it.
      const settle = (): void => {
        target.removeListener('drain', onDrain);
        if (paused) onDrain();
      };
      this.connection.send(command, {
        kind: 'multi',
        status: (line) => {
          if (!line.ok) reject(errorFromStatus(line, command, 'command'));
        },
        data: (chunk) => {
          bytes += chunk.length;
          if (!target.write(chunk) && !paused) {
            paused = true;
            this.connection.pauseReading();
            target.once('drain', onDrain);
          }
        },
        end: () => {
          settle();
          resolve(bytes);
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      });
    });
  }

  /**
   * TOP or RETR for many messages, pipelined when the server allows, one at a time otherwise. `onMessage` is
   * called in message order, one call at a time (a returned promise is awaited); complete responses waiting
   * for it are bounded, the socket pausing when too many bytes wait. A consumer error stops sending new
   * commands, lets those in flight finish, and is rethrown.
   */
  async fetchMany(
    kind: FetchKind,
    numbers: readonly number[],
    options: FetchManyOptions,
    onMessage: MessageConsumer,
  ): Promise<void> {
    this.requireState('TRANSACTION', kind.toUpperCase());
    const commands = numbers.map((n) =>
      kind === 'top' ? topCommand(n, options.lines ?? 0) : ({ verb: 'RETR', args: [messageNumber(n)] } as const),
    );
    await fetchMany(this.connection, numbers, commands, !this.pipelining, onMessage, options.onRefused);
  }

  async dele(n: number): Promise<void> {
    this.requireState('TRANSACTION', 'DELE');
    await requestStatus(this.connection, { verb: 'DELE', args: [messageNumber(n)] });
  }

  /** DELE for many messages, pipelined when allowed. Resolves with the numbers the server refused. */
  async deleMany(numbers: readonly number[]): Promise<Map<number, MailError>> {
    this.requireState('TRANSACTION', 'DELE');
    // Every argument is checked before the first command goes out (C0003).
    const commands = new Map<number, Command>(numbers.map((n) => [n, { verb: 'DELE', args: [messageNumber(n)] }]));
    const refused = new Map<number, MailError>();
    const outcome: { failure?: MailError } = {};
    await runWindowed(
      numbers,
      !this.pipelining,
      (batch, _sentAt, onDone) => {
        this.connection.sendMany(
          batch.map((n) => {
            const command = commands.get(n) as Command;
            return [
              command,
              {
                kind: 'single',
                status: (line: StatusLine) => {
                  if (!line.ok) refused.set(n, errorFromStatus(line, command, 'command'));
                  onDone(n);
                },
                fail: (error: MailError) => {
                  outcome.failure ??= error;
                  onDone(n);
                },
              },
            ] as const;
          }),
        );
      },
      () => outcome.failure !== undefined || this.connection.isClosed,
    );
    if (outcome.failure !== undefined) throw outcome.failure;
    return refused;
  }

  async noop(): Promise<void> {
    this.requireState('TRANSACTION', 'NOOP');
    await requestStatus(this.connection, { verb: 'NOOP' });
  }

  /** V0006: undoes this session's DELEs; Poplar uses it when it cannot finish a session cleanly. */
  async rset(): Promise<void> {
    this.requireState('TRANSACTION', 'RSET');
    await requestStatus(this.connection, { verb: 'RSET' });
  }

  /**
   * QUIT: in TRANSACTION state the server enters UPDATE and removes the messages marked as deleted
   * (RFC 1939 §6). A `-ERR` here means some were not removed; it is reported after the connection is closed.
   */
  async quit(): Promise<void> {
    if (this.state === 'CLOSED' || this.state === 'UPDATE') return;
    try {
      await requestStatus(this.connection, { verb: 'QUIT' });
      if (this.protocolState === 'TRANSACTION') this.protocolState = 'UPDATE';
    } finally {
      this.connection.close();
    }
  }

  /** Drops the connection without QUIT: the server deletes nothing this session marked. */
  abort(reason = 'The session was abandoned.'): void {
    this.connection.abort(mailError('ABORTED', reason));
  }

  private requireState(expected: ProtocolState, what: string): void {
    const reason = this.connection.closeReason;
    if (reason !== undefined && this.protocolState !== 'UPDATE' && reason.code !== 'ABORTED') {
      // The server hung up or a deadline passed: that is the error to report, not a misuse of the session.
      throw reason;
    }
    if (this.state !== expected) {
      throw new BugError(`${what} called in ${this.state} state; it is allowed only in ${expected}`);
    }
  }
}

async function readCapabilities(connection: Pop3Connection): Promise<Capabilities> {
  try {
    return parseCapabilities(await requestLines(connection, { verb: 'CAPA' }, connection.maxLineBytes));
  } catch (e) {
    // RFC 2449 §5: a server without CAPA answers -ERR; it is then an RFC 1939 server.
    if (e instanceof Error && 'code' in e && e.code === 'SERVER_ERROR') return NO_CAPABILITIES;
    throw e;
  }
}

function messageNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw mailError('INVALID_ARGUMENT', `${String(n)} is not a message number.`);
  }
  return String(n);
}

function topCommand(n: number, lines: number): Command {
  if (!Number.isSafeInteger(lines) || lines < 0) {
    throw mailError('INVALID_ARGUMENT', `TOP needs a non-negative number of lines, not ${String(lines)}.`);
  }
  return { verb: 'TOP', args: [messageNumber(n), String(lines)] };
}
