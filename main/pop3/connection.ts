/**
 * The connection: socket, TLS (implicit, RFC 8314) and STLS (RFC 2595), deadlines, and the command writer.
 * It feeds the response reader and never interprets a response itself.
 *
 * Never hang (C0002, C0005, C0006, C0014): one deadline covers DNS + TCP + TLS, a greeting timeout covers the
 * wait for the first line, and an idle timeout ends any command whose response stops arriving. Each ends in a
 * typed error and a destroyed socket without QUIT, so the server applies no deletions (RFC 1939 §6).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { CertificateReport, Security } from '../../app/account-test.ts';
import { mailError, type MailError } from '../../app/errors.ts';
import { SILENT_LOGGER, type Logger } from '../log.ts';
import { formatCommand, type Command } from './command-line.ts';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_GREETING_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_READER_LIMITS,
  type ReaderLimits,
} from './limits.ts';
import { ResponseReader, type ResponseSink, type StatusLine } from './reader.ts';

export type { Security } from '../../app/account-test.ts';

export interface TlsTrust {
  /**
   * Trust exactly this server certificate, by the SHA-256 fingerprint of its DER form (hex, colons optional):
   * for self-signed home servers. When set, the CA chain and host name are not consulted.
   */
  readonly fingerprint256?: string;
  /** Extra CA certificates (PEM) to trust besides the system's. */
  readonly ca?: string | readonly string[];
  /** Name to verify and send as SNI; defaults to the host. */
  readonly servername?: string;
  readonly minVersion?: tls.SecureVersion;
}

export interface Pop3Timeouts {
  /** DNS + TCP connect + (for implicit TLS) the handshake. */
  readonly connectMs: number;
  /** From connected to the greeting's CRLF (C0002). */
  readonly greetingMs: number;
  /** Longest silence while a response is awaited (C0005, C0006, C0014). */
  readonly idleMs: number;
}

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** How the connection is secured from its first byte: `tls` is implicit TLS; STLS is done by the session. */
  readonly security: Security;
  readonly tls?: TlsTrust;
  readonly timeouts?: Partial<Pop3Timeouts>;
  readonly limits?: Partial<ReaderLimits>;
  readonly logger?: Logger;
}

/** What the TLS layer and the certificate check found (shared with the account dialog's report). */
export type TlsInfo = CertificateReport;

export class Pop3Connection {
  private socket: net.Socket;
  private readonly reader: ResponseReader;
  private readonly timeouts: Pop3Timeouts;
  private readonly log: Logger;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  private waitLimitMs: number;
  private closedError: MailError | undefined;
  private readingPaused = false;
  private tls: TlsInfo | undefined;
  private readonly lineLimit: number;
  private readonly onData = (chunk: Buffer): void => {
    this.lastActivity = performance.now();
    this.reader.push(chunk);
    if (this.reader.pending === 0) this.disarmIdle();
  };

  private constructor(
    socket: net.Socket,
    private readonly options: ConnectOptions,
    tlsInfo: TlsInfo | undefined,
  ) {
    this.socket = socket;
    this.tls = tlsInfo;
    this.log = options.logger ?? SILENT_LOGGER;
    this.timeouts = resolveTimeouts(options.timeouts);
    this.waitLimitMs = this.timeouts.greetingMs;
    const limits = { ...DEFAULT_READER_LIMITS, ...options.limits };
    this.lineLimit = limits.maxLineBytes;
    this.reader = new ResponseReader(limits, (error) => this.abort(error));
    this.attach(socket);
  }

  /** Connects, secures (implicit TLS) and reads the greeting. */
  static async open(options: ConnectOptions): Promise<{ connection: Pop3Connection; greeting: StatusLine }> {
    const timeouts = resolveTimeouts(options.timeouts);
    const { socket, tlsInfo } = await connectSocket(options, timeouts.connectMs);
    const connection = new Pop3Connection(socket, options, tlsInfo);
    const greeting = await connection.expectSingle('greeting');
    connection.waitLimitMs = connection.timeouts.idleMs;
    return { connection, greeting };
  }

  get tlsInfo(): TlsInfo | undefined {
    return this.tls;
  }

  get isClosed(): boolean {
    return this.closedError !== undefined;
  }

  /** Why the connection ended (a timeout, the server hanging up, or our own close), once it has. */
  get closeReason(): MailError | undefined {
    return this.closedError;
  }

  /** The longest listing line allowed (UIDL, LIST, CAPA), from the reader limits. */
  get maxLineBytes(): number {
    return this.lineLimit;
  }

  /** Responses still awaited (commands in flight). */
  get inFlight(): number {
    return this.reader.pending;
  }

  /**
   * Sends one command and queues its sink. Validation (C0003) happens in `formatCommand`, before any byte of
   * the command is written; a refused argument throws and nothing is sent.
   */
  send(command: Command, sink: ResponseSink): void {
    this.sendMany([[command, sink]]);
  }

  /** Sends several commands in one write (pipelining); sinks are queued in the same order. */
  sendMany(items: ReadonlyArray<readonly [Command, ResponseSink]>): void {
    const lines = items.map(([command]) => formatCommand(command));
    if (this.closedError !== undefined) {
      for (const [, sink] of items) sink.fail(this.closedError);
      return;
    }
    if (this.log.enabled('debug')) {
      for (const [command] of items) this.log.debug('C: ' + redact(command));
    }
    for (const [, sink] of items) this.reader.expect(this.wrapForLog(sink));
    this.socket.write(lines.length === 1 ? (lines[0] ?? '') : lines.join(''), 'latin1');
    this.armIdle();
  }

  /** Waits for a response that was not asked for by a command: only the greeting. */
  private expectSingle(what: string): Promise<StatusLine> {
    return new Promise((resolve, reject) => {
      this.reader.expect(this.wrapForLog({ kind: 'single', status: resolve, fail: reject }));
      this.armIdle(what);
    });
  }

  /**
   * RFC 2595 §4: after `+OK` to STLS, the TLS handshake starts at once. Any byte the server sent after that `+OK`
   * and before the handshake is refused (a plaintext injection), and so is a failed certificate check.
   */
  async upgradeToTls(): Promise<TlsInfo> {
    if (!this.reader.isStopped) throw new Error('upgradeToTls called before the STLS response');
    const leftover = this.reader.takeLeftover();
    if (leftover.length > 0) {
      const error = mailError('STLS_INJECTION', 'The server sent data between STLS and the TLS handshake.', {
        facts: { bytes: leftover.length },
      });
      this.abort(error);
      throw error;
    }
    const plain = this.socket;
    plain.removeListener('data', this.onData);
    const { socket, tlsInfo } = await secureSocket(this.options, this.timeouts.connectMs, plain);
    this.socket = socket;
    this.tls = tlsInfo;
    this.attach(socket);
    this.reader.resume();
    return tlsInfo;
  }

  /** Stop reading from the socket (the consumer is slower than the network); the idle timer waits too. */
  pauseReading(): void {
    this.readingPaused = true;
    this.socket.pause();
  }

  resumeReading(): void {
    this.readingPaused = false;
    this.lastActivity = performance.now();
    this.socket.resume();
  }

  /** Ends the connection gracefully: after QUIT's response. */
  close(): void {
    if (this.closedError === undefined) {
      this.closedError = mailError('ABORTED', 'The connection was closed.');
    }
    this.disarmIdle();
    this.reader.close(this.closedError);
    this.socket.end();
    this.socket.destroySoon();
  }

  /** Ends the connection at once, without QUIT: the server enters no UPDATE state and deletes nothing. */
  abort(error: MailError): void {
    if (this.closedError !== undefined) return;
    this.closedError = error;
    this.disarmIdle();
    this.log.debug('connection aborted', { code: error.code });
    this.reader.close(error);
    this.socket.destroy();
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.abort(
        mailError('CONNECTION_CLOSED', `The connection to the server failed: ${err.message}`, {
          facts: { errno: err.code ?? 'unknown' },
        }),
      );
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      this.abort(mailError('CONNECTION_CLOSED', 'The server closed the connection.'));
    });
  }

  private wrapForLog(sink: ResponseSink): ResponseSink {
    if (!this.log.enabled('debug')) return sink;
    const log = this.log;
    let bytes = 0;
    return {
      kind: sink.kind,
      stopAfter: sink.stopAfter,
      status(line) {
        log.debug(`S: ${line.ok ? '+' : '-'} ${sink.kind === 'sasl' && line.continuation ? '****' : line.text}`);
        sink.status(line);
      },
      data(chunk) {
        bytes += chunk.length;
        sink.data?.(chunk);
      },
      end() {
        log.debug(`S: <${bytes} bytes> .`);
        sink.end?.();
      },
      fail: (error) => sink.fail(error),
    };
  }

  private armIdle(what = 'response'): void {
    this.lastActivity = performance.now();
    if (this.idleTimer !== undefined) return;
    const check = (): void => {
      this.idleTimer = undefined;
      if (this.reader.pending === 0 || this.closedError !== undefined) return;
      const idle = performance.now() - this.lastActivity;
      if (this.readingPaused || idle < this.waitLimitMs) {
        this.idleTimer = setTimeout(check, Math.max(1, this.waitLimitMs - (this.readingPaused ? 0 : idle)));
        return;
      }
      const greeting = what === 'greeting';
      this.abort(
        mailError(
          greeting ? 'GREETING_TIMEOUT' : 'IDLE_TIMEOUT',
          greeting
            ? `The server accepted the connection but sent no greeting within ${this.waitLimitMs} ms.`
            : `The server stopped answering: nothing arrived for ${this.waitLimitMs} ms.`,
          { facts: { timeoutMs: this.waitLimitMs } },
        ),
      );
    };
    this.idleTimer = setTimeout(check, this.waitLimitMs);
  }

  private disarmIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function resolveTimeouts(t: Partial<Pop3Timeouts> | undefined): Pop3Timeouts {
  return {
    connectMs: t?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    greetingMs: t?.greetingMs ?? DEFAULT_GREETING_TIMEOUT_MS,
    idleMs: t?.idleMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  };
}

/** Redacts a command for logs and errors: sensitive arguments become `****` (house style 11). */
export function redact(command: Command): string {
  if (command.args === undefined || command.args.length === 0) return command.verb;
  const shown = command.args.map((arg, i) => (command.sensitive?.includes(i) === true ? '****' : arg));
  return `${command.verb} ${shown.join(' ')}`;
}

async function connectSocket(
  options: ConnectOptions,
  deadlineMs: number,
): Promise<{ socket: net.Socket; tlsInfo: TlsInfo | undefined }> {
  const started = performance.now();
  const plain = await new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        mailError('CONNECT_TIMEOUT', `No connection to ${options.host}:${options.port} within ${deadlineMs} ms.`, {
          facts: { timeoutMs: deadlineMs },
        }),
      );
    }, deadlineMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        mailError('CONNECT_FAILED', `Cannot connect to ${options.host}:${options.port}: ${err.message}`, {
          facts: { errno: err.code ?? 'unknown' },
        }),
      );
    });
  });
  plain.setNoDelay(true);
  if (options.security !== 'tls') return { socket: plain, tlsInfo: undefined };
  const remaining = Math.max(1, deadlineMs - (performance.now() - started));
  return secureSocket(options, remaining, plain);
}

/** Wraps a connected socket in TLS and checks the certificate before any POP3 byte is exchanged. */
function secureSocket(
  options: ConnectOptions,
  deadlineMs: number,
  plain: net.Socket,
): Promise<{ socket: net.Socket; tlsInfo: TlsInfo }> {
  const trust = options.tls ?? {};
  const servername = trust.servername ?? options.host;
  return new Promise((resolve, reject) => {
    // The check is ours, after the handshake and before any POP3 byte, so that a failure can carry the
    // certificate's facts (subject, fingerprint) to the account dialog, and a pinned fingerprint can stand
    // in for the CA chain.
    const socket = tls.connect({
      socket: plain,
      servername: net.isIP(servername) === 0 ? servername : undefined,
      ca: trust.ca === undefined ? undefined : [...tls.rootCertificates, ...[trust.ca].flat()],
      minVersion: trust.minVersion ?? 'TLSv1.2',
      rejectUnauthorized: false,
      checkServerIdentity: (_host, cert) => tls.checkServerIdentity(servername, cert),
    });
    const fail = (error: MailError): void => {
      clearTimeout(timer);
      socket.destroy();
      plain.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(
        mailError('CONNECT_TIMEOUT', `The TLS handshake with ${options.host} did not finish in ${deadlineMs} ms.`, {
          facts: { timeoutMs: deadlineMs },
        }),
      );
    }, deadlineMs);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      fail(
        mailError('TLS_FAILED', `The TLS handshake with ${options.host} failed: ${err.message}`, {
          facts: { errno: err.code ?? 'unknown' },
        }),
      );
    });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const fingerprint = cert.fingerprint256;
      const facts = {
        subject: describeName(cert.subject),
        issuer: describeName(cert.issuer),
        fingerprint256: fingerprint,
        validTo: cert.valid_to,
      };
      let trustedBy: TlsInfo['trustedBy'];
      if (trust.fingerprint256 !== undefined) {
        if (normalizeFingerprint(trust.fingerprint256) !== normalizeFingerprint(fingerprint)) {
          fail(
            mailError(
              'CERT_FINGERPRINT_MISMATCH',
              `The server's certificate is not the one this account trusts (fingerprint ${fingerprint}).`,
              { facts },
            ),
          );
          return;
        }
        trustedBy = 'fingerprint';
      } else if (!socket.authorized) {
        const reason = String(socket.authorizationError);
        fail(
          mailError('CERT_UNTRUSTED', `The server's certificate is not trusted: ${reason}.`, {
            facts: { ...facts, reason },
          }),
        );
        return;
      } else {
        trustedBy = 'ca';
      }
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve({
        socket,
        tlsInfo: {
          protocol: socket.getProtocol() ?? 'unknown',
          cipher: socket.getCipher().name,
          ...facts,
          trustedBy,
        },
      });
    });
  });
}

export function normalizeFingerprint(value: string): string {
  return value.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

function describeName(name: tls.Certificate | undefined): string {
  if (name === undefined) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}
