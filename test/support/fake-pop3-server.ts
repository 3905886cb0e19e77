/**
 * An in-process, scriptable fake POP3 server on 127.0.0.1 for the engine's conformance tests.
 *
 * - Script mode plays an exact dialogue (expect this line, send these bytes) and records every deviation, so a
 *   test can assert the precise command transcript (C0003, C0004, C0012 ...) and feed the client odd replies:
 *   split terminators (C0005, C0006), silence (C0002, C0014), an early close, STLS with injected plaintext.
 * - Mailbox mode is a small, correct RFC 1939 server (see fake-pop3-mailbox.ts) with formatting quirks.
 *
 * Both record what the client sent: lines, how many complete lines each socket read carried (pipelining,
 * RFC 2449 §6.6), and the raw bytes (CRLF, single spaces, printable ASCII: C0003, C0004).
 */
import { once } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { createTestPki, type TestPki } from './certs.ts';
import { Maildrop, MailboxSession, type MailboxOptions, type SessionIo } from './fake-pop3-mailbox.ts';

export type { MailboxOptions, MailboxQuirks, SaslMechanism } from './fake-pop3-mailbox.ts';
export { dotStuff, topOf } from './fake-pop3-mailbox.ts';

/** A string gets CRLF appended unless it ends with one; a Buffer is sent raw; chunks are separate raw writes. */
export type Reply = string | Buffer | { readonly chunks: readonly (string | Buffer)[]; readonly delayMs?: number };

/**
 * One step of a script. Steps are consumed in order across all connections, so a script can cover a reconnect.
 * An action without `expect` runs as soon as the step before it is done (or right after the greeting); with
 * `expect` it waits for that command first. `starttls` expects `STLS` unless told otherwise.
 */
export type ScriptStep =
  | {
    readonly expect: string | RegExp;
    readonly reply: Reply;
    /** After answering QUIT the server closes (RFC 1939 §6) unless this is set. */
    readonly keepOpen?: boolean;
  }
  | { readonly expect?: string | RegExp; readonly action: 'close' | 'hang' }
  | {
    readonly expect?: string | RegExp;
    readonly action: 'starttls';
    /** Default `+OK Begin TLS negotiation`. */
    readonly reply?: string;
    /** Plaintext sent in the same write as the +OK, before the handshake (the CVE-2011-0411 injection). */
    readonly injectAfterOk?: string | Buffer;
  };

interface CommonOptions {
  /** `null`: never greet (C0002). Default `+OK ready <1896.697170952@dbc.mtview.ca.us>` (RFC 1939 §7 APOP example). */
  readonly greeting?: string | Buffer | null;
  /** `implicit`: TLS from the first byte (RFC 8314); `stls`: STLS command (RFC 2595). */
  readonly tls?: 'implicit' | 'stls' | false;
  /** Another PKI than the shared one. */
  readonly pki?: TestPki;
  readonly port?: number;
}

export type FakeServerOptions = CommonOptions & (
  | { readonly script: readonly ScriptStep[]; readonly mailbox?: undefined }
  | { readonly mailbox: MailboxOptions; readonly script?: undefined }
);

export interface FakeConnectionRecord {
  /** Lines received, without their line ending (a final CR before LF is removed). */
  readonly commands: string[];
  /** For each socket read that completed at least one line: how many it completed. */
  readonly reads: number[];
  readonly rawReceived: () => Buffer;
  readonly quitReceived: boolean;
  readonly tls: boolean;
  /** Mailbox mode: DELE'd numbers (RSET clears). Script mode: DELE n answered with "+", likewise. */
  readonly deleted: ReadonlySet<number>;
  /** QUIT processed in TRANSACTION (UPDATE entered). Script mode: QUIT answered with "+". */
  readonly committed: boolean;
  /** Socket and TLS errors seen on this connection (a client that rejects the certificate shows up here). */
  readonly errors: readonly string[];
}

export interface FakeServer {
  readonly port: number;
  readonly host: '127.0.0.1';
  readonly pki: TestPki | undefined;
  readonly connections: readonly FakeConnectionRecord[];
  /** Every line received on all connections, in order, as sent, without the CRLF. */
  readonly transcript: readonly string[];
  /** Script mode: commands that did not match (or came after the end), each described. */
  readonly mismatches: readonly string[];
  /** Resolves when the N-th connection (default 0) has ended, closed by either side. */
  closed(connectionIndex?: number): Promise<void>;
  /** Closes the listener and every socket; idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_GREETING = '+OK ready <1896.697170952@dbc.mtview.ca.us>';
const CRLF = '\r\n';
const PKI_KEY = Symbol.for('poplar.test.fakePop3.pki');

/**
 * The test PKI, generated once per process (it costs ~100 ms) and shared even across re-imported modules.
 * Its directory is named after the pid: vitest ends its forks without an 'exit' event, so instead of cleaning
 * up on exit, each new PKI removes the directories of processes that are gone.
 */
export function sharedTestPki(): TestPki {
  const holder = globalThis as unknown as Record<symbol, TestPki | undefined>;
  const cached = holder[PKI_KEY];
  if (cached !== undefined) return cached;
  for (const name of readdirSync(os.tmpdir())) {
    const pid = /^poplar-fake-pop3-pki-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid))) {
      rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
  const pki = createTestPki(path.join(os.tmpdir(), `poplar-fake-pop3-pki-${process.pid}`));
  holder[PKI_KEY] = pki;
  return pki;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const toBuffer = (data: string | Buffer): Buffer => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
const withCrlf = (reply: string | Buffer): string | Buffer =>
  typeof reply === 'string' && !reply.endsWith(CRLF) ? reply + CRLF : reply;

/** One accepted connection: its current socket (plain, or TLS after STLS), its records and its serial queue. */
class Connection implements FakeConnectionRecord, SessionIo {
  readonly commands: string[] = [];
  readonly reads: number[] = [];
  readonly errors: string[] = [];
  readonly deleted = new Set<number>();
  quitReceived = false;
  committed = false;
  tls: boolean;
  /** Set when the server stops answering: `hang`, or its own close. Lines are still recorded. */
  silent = false;
  private ended = false;
  private readonly received: Buffer[] = [];
  private readonly sockets: net.Socket[] = [];
  private socket: net.Socket;
  private pending: Buffer = Buffer.alloc(0);
  private bytesOut = 0;
  /** Bumped by STLS: lines read before the upgrade and not yet answered are dropped (RFC 2595 §4). */
  private epoch = 0;
  private cancelGrace: (() => void) | undefined;
  /** Lines are answered strictly one after another, even when a reply is sent in delayed chunks. */
  private chain: Promise<void> = Promise.resolve();
  handler: (line: string) => void | Promise<void> = () => undefined;

  constructor(private readonly server: Server, readonly index: number, raw: net.Socket, readonly stlsOffered: boolean) {
    raw.setNoDelay(true);
    this.tls = server.tlsMode === 'implicit';
    this.socket = raw;
    this.attach(raw);
    // RFC 8314 implicit TLS: the handshake starts with the first byte.
    if (this.tls) this.upgrade();
  }

  readonly rawReceived = (): Buffer => Buffer.concat(this.received);

  private attach(socket: net.Socket): void {
    this.sockets.push(socket);
    socket.on('error', (error) => this.errors.push(error.message));
    socket.on('data', this.onData);
    socket.on('close', () => {
      if (socket === this.socket) this.finish();
    });
    socket.on('end', () => {
      // The client closed its side. A TLS socket with a write queued across a handshake the client abandoned
      // (it refused the certificate) never finishes its own end() nor emits 'close': give writes 100 ms, then cut.
      this.cancelGrace ??= this.server.timer(100, () => {
        this.destroy();
      });
    });
  }

  private readonly onData = (chunk: Buffer): void => {
    this.received.push(chunk);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let complete = 0;
    for (let lf = this.pending.indexOf(0x0a); lf !== -1; lf = this.pending.indexOf(0x0a)) {
      const end = lf > 0 && this.pending[lf - 1] === 0x0d ? lf - 1 : lf;
      const line = this.pending.subarray(0, end).toString('utf8');
      this.pending = this.pending.subarray(lf + 1);
      complete++;
      this.commands.push(line);
      this.server.transcript.push(line);
      if (line.split(' ')[0]?.toUpperCase() === 'QUIT') this.quitReceived = true;
      const epoch = this.epoch;
      this.run(() => (epoch === this.epoch ? this.handler(line) : undefined));
    }
    if (complete > 0) this.reads.push(complete);
  };

  /** Queue work behind everything queued before it; a throw is reported as a mismatch, never lost. */
  run(work: () => void | Promise<void>): void {
    this.chain = this.chain
      .then(() => (this.silent || this.ended ? undefined : work()))
      .catch((error: unknown) => {
        this.server.mismatches.push(`fixture error on connection ${this.index}: ${String(error)}`);
      });
  }

  /** Write bytes, honouring the `dropAfterBytes` quirk: past the limit the connection is cut mid-stream. */
  send(data: string | Buffer): void {
    if (this.ended || this.socket.destroyed || this.socket.writableEnded) return;
    const bytes = toBuffer(data);
    const limit = this.server.dropAfterBytes;
    if (limit !== undefined && this.bytesOut + bytes.length >= limit) {
      const socket = this.socket;
      const part = bytes.subarray(0, Math.max(0, limit - this.bytesOut));
      this.bytesOut += part.length;
      this.silent = true;
      socket.write(part, () => socket.destroy());
      return;
    }
    this.bytesOut += bytes.length;
    this.socket.write(bytes);
  }

  async sendReply(reply: Reply): Promise<void> {
    if (typeof reply === 'string' || Buffer.isBuffer(reply)) {
      this.send(withCrlf(reply));
      return;
    }
    for (const [i, chunk] of reply.chunks.entries()) {
      // Separate writes with a pause between them (Nagle is off) arrive as separate reads at the client.
      if (i > 0) await this.server.sleep(reply.delayMs ?? 20);
      this.send(chunk);
    }
  }

  /** The server closes: FIN after pending writes (RFC 1939 §6 after QUIT, or a script's `close`). */
  end(): void {
    this.silent = true;
    if (!this.socket.destroyed) this.socket.end();
  }

  /** RFC 2595 §4: answer STLS, then negotiate TLS on the same socket; plaintext read meanwhile is discarded. */
  startTls(reply: string | Buffer, inject?: string | Buffer): void {
    this.send(inject === undefined ? reply : Buffer.concat([toBuffer(reply), toBuffer(inject)]));
    this.epoch++;
    this.pending = Buffer.alloc(0);
    this.tls = true;
    this.upgrade();
  }

  private upgrade(): void {
    const raw = this.socket;
    raw.removeListener('data', this.onData);
    this.socket = new tls.TLSSocket(raw, { isServer: true, secureContext: this.server.secureContext() });
    this.attach(this.socket);
  }

  commit(): void {
    this.committed = true;
  }

  private finish(): void {
    this.cancelGrace?.();
    if (this.ended) return;
    this.ended = true;
    this.server.connectionEnded(this.index);
  }

  destroy(): void {
    for (const socket of this.sockets) socket.destroy();
    this.finish();
  }
}

const expectOf = (step: ScriptStep): string | RegExp | undefined =>
  'action' in step && step.action === 'starttls' ? step.expect ?? 'STLS' : step.expect;
const describeExpect = (expect: string | RegExp | undefined): string =>
  expect === undefined ? '(immediately)' : typeof expect === 'string' ? JSON.stringify(expect) : String(expect);
const describeReply = (r: Reply): string => typeof r === 'string' ? JSON.stringify(r)
  : Buffer.isBuffer(r) ? `<${r.length} bytes>` : `<${r.chunks.length} chunks>`;
const describeStep = (step: ScriptStep): string => `expect ${describeExpect(expectOf(step))} -> `
  + ('action' in step ? step.action : `reply ${describeReply(step.reply)}`);

/** Plays one global script over all connections, in order. */
class ScriptRunner {
  cursor = 0;

  constructor(readonly steps: readonly ScriptStep[], private readonly mismatches: string[]) {}

  /** Run the actions that need no command: at a connection's start and after each step. */
  async runImmediate(conn: Connection): Promise<void> {
    for (let step = this.steps[this.cursor]; step !== undefined && expectOf(step) === undefined && !conn.silent;
      step = this.steps[this.cursor]) {
      this.cursor++;
      await this.perform(conn, step, undefined);
    }
  }

  async handle(conn: Connection, line: string): Promise<void> {
    const step = this.steps[this.cursor];
    const expect = step === undefined ? undefined : expectOf(step);
    const matches = expect !== undefined && (typeof expect === 'string' ? line === expect : expect.test(line));
    if (step === undefined || !matches) {
      const got = `got ${JSON.stringify(line)}`;
      this.mismatches.push(step === undefined
        ? `connection ${conn.index}: after the end of the script (${this.steps.length} steps), ${got}`
        : `connection ${conn.index}, step ${this.cursor + 1}: expected ${describeExpect(expect)}, ${got}`);
      conn.send(`-ERR unexpected command${CRLF}`);
      return;
    }
    this.cursor++;
    await this.perform(conn, step, line);
    await this.runImmediate(conn);
  }

  private async perform(conn: Connection, step: ScriptStep, line: string | undefined): Promise<void> {
    if (!('action' in step)) {
      await conn.sendReply(step.reply);
      const positive = firstByte(step.reply) === '+';
      const [keyword, arg] = (line ?? '').toUpperCase().split(' ');
      if (positive && keyword === 'DELE' && arg !== undefined) conn.deleted.add(Number(arg));
      if (positive && keyword === 'RSET') conn.deleted.clear();
      if (positive && keyword === 'QUIT') conn.commit();
      // RFC 1939 §6: the server closes the connection once it has answered QUIT.
      if (keyword === 'QUIT' && step.keepOpen !== true) conn.end();
      return;
    }
    if (step.action === 'starttls') {
      conn.startTls(withCrlf(step.reply ?? '+OK Begin TLS negotiation'), step.injectAfterOk);
    } else if (step.action === 'close') {
      conn.end();
    } else {
      conn.silent = true;
    }
  }
}

const firstByte = (reply: Reply): string => toBuffer(
  typeof reply === 'string' || Buffer.isBuffer(reply) ? reply : reply.chunks[0] ?? '',
).toString('latin1', 0, 1);

const runners = new WeakMap<FakeServer, ScriptRunner>();

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}
function deferred(): Deferred {
  let resolve = (): void => undefined;
  let reject: (e: Error) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => [resolve, reject] = [res, rej]);
  return { promise, resolve, reject };
}

class Server implements FakeServer {
  readonly host = '127.0.0.1';
  port = 0;
  readonly connections: Connection[] = [];
  readonly transcript: string[] = [];
  readonly mismatches: string[] = [];
  readonly tlsMode: 'implicit' | 'stls' | false;
  readonly dropAfterBytes: number | undefined;
  readonly pki: TestPki | undefined;
  private context: tls.SecureContext | undefined;
  private readonly listener: net.Server;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly ends = new Map<number, Deferred>();
  private closing: Promise<void> | undefined;
  private readonly script: ScriptRunner | undefined;
  private readonly maildrop: Maildrop | undefined;

  constructor(private readonly options: FakeServerOptions) {
    this.tlsMode = options.tls ?? false;
    this.pki = this.tlsMode === false ? undefined : options.pki ?? sharedTestPki();
    this.dropAfterBytes = options.mailbox?.quirks?.dropAfterBytes;
    if (options.script !== undefined) {
      this.script = new ScriptRunner(options.script, this.mismatches);
      runners.set(this, this.script);
    } else {
      this.maildrop = new Maildrop(options.mailbox);
    }
    this.listener = net.createServer((socket) => {
      this.accept(socket);
    });
  }

  secureContext(): tls.SecureContext {
    if (this.pki === undefined) throw new Error('TLS requested but the server was started without `tls`');
    this.context ??= tls.createSecureContext({ key: this.pki.keyPem, cert: this.pki.certPem });
    return this.context;
  }

  async listen(port: number): Promise<void> {
    this.listener.listen(port, this.host);
    await once(this.listener, 'listening');
    this.port = (this.listener.address() as net.AddressInfo).port;
  }

  private accept(socket: net.Socket): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    const conn = new Connection(this, this.connections.length, socket, this.tlsMode === 'stls');
    this.connections.push(conn);
    const lower = this.options.mailbox?.quirks?.lowercaseStatus === true;
    const greeting = this.options.greeting === undefined
      ? (lower ? DEFAULT_GREETING.replace('+OK', '+ok') : DEFAULT_GREETING)
      : this.options.greeting;
    const script = this.script;
    if (script !== undefined) {
      conn.handler = (line) => script.handle(conn, line);
    } else if (this.maildrop !== undefined) {
      const text = greeting === null ? '' : typeof greeting === 'string' ? greeting : greeting.toString('latin1');
      const session = new MailboxSession(this.maildrop, conn, text);
      conn.handler = (line) => session.handle(line);
    }
    // RFC 1939 §4: the greeting opens the AUTHORIZATION state; a script may then act at once (close, hang).
    conn.run(async () => {
      if (greeting !== null) conn.send(withCrlf(greeting));
      await script?.runImmediate(conn);
    });
  }

  /** A pause that close() cuts short, so no timer outlives the server. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timer(ms, resolve, resolve);
    });
  }

  /** A tracked timer: `fn` after `ms`; close() clears it and runs `onClose` instead. Returns a canceller. */
  timer(ms: number, fn: () => void, onClose: () => void = () => undefined): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.set(timer, onClose);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  private end(index: number): Deferred {
    const entry = this.ends.get(index) ?? deferred();
    this.ends.set(index, entry);
    return entry;
  }

  connectionEnded(index: number): void {
    this.end(index).resolve();
  }

  closed(connectionIndex = 0): Promise<void> {
    return this.end(connectionIndex).promise;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const [timer, onClose] of this.timers) {
        clearTimeout(timer);
        onClose();
      }
      this.timers.clear();
      for (const conn of this.connections) conn.destroy();
      for (const [index, entry] of this.ends) {
        if (index >= this.connections.length) entry.reject(new Error(`connection ${index} was never accepted`));
      }
      await new Promise((resolve) => this.listener.close(resolve));
    })();
    return this.closing;
  }
}

export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const server = new Server(options);
  await server.listen(options.port ?? 0);
  return server;
}

/** Throws a readable account if script steps remain or any command did not match. */
export function assertScriptDone(server: FakeServer): void {
  const runner = runners.get(server);
  if (runner === undefined) throw new Error('assertScriptDone: this fake server runs in mailbox mode');
  const remaining = runner.steps.slice(runner.cursor);
  if (remaining.length === 0 && server.mismatches.length === 0) return;
  const lines = ['fake POP3 script not satisfied'];
  if (server.mismatches.length > 0) lines.push('mismatches:', ...server.mismatches.map((m) => `  ${m}`));
  if (remaining.length > 0) {
    lines.push(`steps not reached (${remaining.length} of ${runner.steps.length}):`,
      ...remaining.map((step, i) => `  ${runner.cursor + i + 1}. ${describeStep(step)}`));
  }
  lines.push('transcript (client lines, all connections):');
  lines.push(...server.transcript.map((l) => `  C: ${JSON.stringify(l)}`));
  throw new Error(lines.join('\n'));
}
