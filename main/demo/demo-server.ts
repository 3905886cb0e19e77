/**
 * The POP3 server of `npm run demo` (RFC 1939; CAPA and response codes from RFC 2449): one maildrop in memory, one
 * user, plain TCP on 127.0.0.1 only. USER/PASS, STAT, LIST, UIDL, TOP, RETR, DELE, NOOP, RSET, QUIT with the UPDATE
 * state, dot-stuffing, pipelined commands answered in order. Written as if it did not trust its clients: lines are
 * bounded, idle sessions closed (without UPDATE, RFC 1939 §3), connections counted, and a client that does not
 * read its answers gets no more until it does.
 */
import { timingSafeEqual } from 'node:crypto';
import net from 'node:net';

export interface DemoMessage {
  /** The unique-id UIDL reports (RFC 1939 §7: 1 to 70 characters from 0x21 to 0x7E). */
  readonly uid: string;
  /** The whole message, lines ending in CRLF. */
  readonly bytes: Buffer;
}

export interface DemoServerOptions {
  readonly user: string;
  readonly password: string;
  readonly messages?: readonly DemoMessage[];
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** RFC 1939 §3 asks for at least 10 minutes, the default. */
  readonly idleMs?: number;
  readonly maxConnections?: number;
}

export interface DemoServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Appends a message; sessions already logged in see it only in their next session (RFC 1939 §4). */
  add(message: DemoMessage): void;
  /** What is on the server now. */
  messages(): readonly DemoMessage[];
  close(): Promise<void>;
}

/** Longer than any command a client may send (RFC 2449 §4: 255 octets), short enough to refuse garbage. */
export const MAX_LINE_BYTES = 512;
const CRLF = '\r\n';
const UID_SHAPE = /^[\x21-\x7e]{1,70}$/;
const NUMBER = /^\d{1,9}$/;
const CAPABILITIES = ['TOP', 'UIDL', 'USER', 'PIPELINING', 'RESP-CODES', 'IMPLEMENTATION Poplar-demo'];

/** RFC 1939 §3: a line of a multi-line answer that starts with "." gets another one; the answer ends in ".". */
export function dotStuffed(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x2e && (i === 0 || data[i - 1] === 0x0a)) {
      parts.push(data.subarray(from, i), Buffer.from('.'));
      from = i;
    }
  }
  parts.push(data.subarray(from));
  if (data.length > 0 && data[data.length - 1] !== 0x0a) parts.push(Buffer.from(CRLF));
  parts.push(Buffer.from(`.${CRLF}`));
  return Buffer.concat(parts);
}

/** RFC 1939 §7 TOP: the header, the blank line after it, then at most `lines` lines of the body. */
export function topOf(data: Buffer, lines: number): Buffer {
  let pos = 0;
  let inBody = false;
  let bodyLines = 0;
  while (pos < data.length && !(inBody && bodyLines >= lines)) {
    const lf = data.indexOf(0x0a, pos);
    const end = lf === -1 ? data.length : lf + 1;
    if (inBody) bodyLines++;
    else if (end - pos <= 2 && (data[pos] === 0x0a || data[pos] === 0x0d)) inBody = true;
    pos = end;
  }
  return data.subarray(0, pos);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const drop: DemoMessage[] = [];
  const add = (m: DemoMessage): void => {
    if (!UID_SHAPE.test(m.uid) || drop.some((d) => d.uid === m.uid)) throw new Error(`bad or repeated unique-id ${m.uid}`);
    drop.push(m);
  };
  for (const m of options.messages ?? []) add(m);
  const sockets = new Set<net.Socket>();
  let locked = false;

  const serve = (socket: net.Socket): void => {
    let state: 'AUTHORIZATION' | 'TRANSACTION' | 'DONE' = 'AUTHORIZATION';
    let user: string | undefined;
    let view: readonly DemoMessage[] = [];
    const deleted = new Set<number>();
    let pending: Buffer = Buffer.alloc(0);

    const send = (data: string | Buffer): boolean => socket.write(data);
    const ok = (text?: string): boolean => send(text === undefined ? `+OK${CRLF}` : `+OK ${text}${CRLF}`);
    const err = (text: string): boolean => send(`-ERR ${text}${CRLF}`);
    const finish = (): void => {
      if (state === 'TRANSACTION') locked = false;
      state = 'DONE';
    };
    const hangUp = (): void => {
      finish();
      socket.end();
    };
    /** The message numbered `arg` in this session, if it exists and is not marked deleted; else says why not. */
    const message = (arg: string | undefined): DemoMessage | undefined => {
      const n = arg !== undefined && NUMBER.test(arg) ? Number(arg) : 0;
      const m = view[n - 1];
      if (m === undefined) err(arg === undefined ? 'a message number is needed' : `no message ${arg}`);
      else if (deleted.has(n)) err(`message ${n} is already deleted`);
      else return m;
      return undefined;
    };
    const live = (): number[] => view.flatMap((_, i) => (deleted.has(i + 1) ? [] : [i + 1]));
    const listing = (args: readonly string[], line: (n: number) => string): void => {
      if (args.length === 0) {
        send(`+OK${CRLF}${live().map((n) => `${line(n)}${CRLF}`).join('')}.${CRLF}`);
      } else if (message(args[0]) !== undefined) ok(line(Number(args[0])));
    };

    const authorization = (verb: string, args: readonly string[], rest: string): void => {
      if (verb === 'USER' && args.length === 1) {
        user = args[0];
        ok('send your password');
      } else if (verb === 'PASS' && user !== undefined && rest !== '') {
        const right = sameSecret(user, options.user) && sameSecret(rest, options.password);
        user = undefined;
        if (!right) err('[AUTH] wrong user name or password');
        else if (locked) err('[IN-USE] the demo mailbox is open in another session; try again when it is closed');
        else {
          locked = true;
          state = 'TRANSACTION';
          view = [...drop];
          ok(`logged in: ${view.length} messages`);
        }
      } else err(verb === 'PASS' ? 'USER first, then PASS' : 'log in with USER and PASS first');
    };

    const transaction = (verb: string, args: readonly string[]): void => {
      if (verb === 'STAT' && args.length === 0) {
        const numbers = live();
        ok(`${numbers.length} ${numbers.reduce((sum, n) => sum + (view[n - 1]?.bytes.length ?? 0), 0)}`);
      } else if (verb === 'LIST' && args.length <= 1) {
        listing(args, (n) => `${n} ${view[n - 1]?.bytes.length ?? 0}`);
      } else if (verb === 'UIDL' && args.length <= 1) {
        listing(args, (n) => `${n} ${view[n - 1]?.uid ?? ''}`);
      } else if (verb === 'RETR' && args.length === 1) {
        const m = message(args[0]);
        if (m !== undefined) send(Buffer.concat([Buffer.from(`+OK ${m.bytes.length} octets${CRLF}`), dotStuffed(m.bytes)]));
      } else if (verb === 'TOP' && args.length === 2) {
        const lines = args[1] !== undefined && NUMBER.test(args[1]) ? Number(args[1]) : undefined;
        const m = lines === undefined ? undefined : message(args[0]);
        if (lines === undefined) err('TOP takes a message number and a number of lines');
        else if (m !== undefined) send(Buffer.concat([Buffer.from(`+OK${CRLF}`), dotStuffed(topOf(m.bytes, lines))]));
      } else if (verb === 'DELE' && args.length === 1) {
        if (message(args[0]) !== undefined) {
          deleted.add(Number(args[0]));
          ok(`message ${args[0]} deleted`);
        }
      } else if (verb === 'NOOP' && args.length === 0) {
        ok();
      } else if (verb === 'RSET' && args.length === 0) {
        deleted.clear();
        ok(`${view.length} messages`);
      } else err(`${verb} is not a command here, or its arguments are wrong`);
    };

    /** One command line. QUIT in TRANSACTION is the UPDATE state: only then do deleted messages go. */
    const handle = (line: string): void => {
      const space = line.indexOf(' ');
      const verb = (space === -1 ? line : line.slice(0, space)).toUpperCase();
      const rest = space === -1 ? '' : line.slice(space + 1);
      const args = rest === '' ? [] : rest.split(' ');
      if (verb === 'QUIT') {
        if (state === 'TRANSACTION') {
          const gone = new Set(view.filter((_, i) => deleted.has(i + 1)));
          const kept = drop.filter((m) => !gone.has(m));
          drop.splice(0, drop.length, ...kept);
          ok(`${gone.size} deleted, ${drop.length} left; goodbye`);
        } else ok('goodbye');
        hangUp();
      } else if (verb === 'CAPA' && args.length === 0) {
        send(`+OK capabilities follow${CRLF}${CAPABILITIES.map((c) => c + CRLF).join('')}.${CRLF}`);
      } else if (state === 'AUTHORIZATION') authorization(verb, args, rest);
      else transaction(verb, args);
    };

    /** Answers complete lines in order, and stops reading while the client is not reading what it was sent. */
    const pump = (): void => {
      while (state !== 'DONE' && !socket.writableNeedDrain) {
        const lf = pending.indexOf(0x0a);
        if (lf === -1 || lf + 1 > MAX_LINE_BYTES) break;
        const line = pending.subarray(0, lf > 0 && pending[lf - 1] === 0x0d ? lf - 1 : lf).toString('utf8');
        pending = pending.subarray(lf + 1);
        handle(line);
      }
      const lf = pending.indexOf(0x0a);
      if (state !== 'DONE' && (lf === -1 ? pending.length : lf + 1) > MAX_LINE_BYTES) {
        err('line too long');
        hangUp();
      } else if (socket.writableNeedDrain) {
        socket.pause();
        socket.once('drain', () => {
          socket.resume();
          pump();
        });
      }
    };

    socket.on('data', (chunk: Buffer) => {
      if (state === 'DONE') return;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      pump();
    });
    // RFC 1939 §3: an idle session ends without UPDATE, so nothing it marked is deleted.
    socket.setTimeout(options.idleMs ?? 600_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      finish();
      sockets.delete(socket);
    });
    ok('Poplar demo POP3 server ready');
  };

  const server = net.createServer((socket) => {
    if (sockets.size >= (options.maxConnections ?? 8)) {
      socket.on('error', () => socket.destroy());
      socket.end(`-ERR [SYS/TEMP] too many connections; try again later${CRLF}`);
      return;
    }
    sockets.add(socket);
    serve(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the demo server has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    add,
    messages: () => [...drop],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
