/**
 * Shared fixtures of the conformance suite: fake servers that are closed after each test, session options with
 * short deadlines (so that a broken test fails fast instead of hanging), and small assertions on what the client
 * sent (the exact transcript, one command per socket read, printable ASCII + CRLF).
 */
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, expect } from 'vitest';
import { BugError, MAIL_ERROR_CODES, MailError } from '../../app/errors.ts';
import type { Credentials } from '../../main/pop3/auth.ts';
import { Pop3Session, type SessionOptions } from '../../main/pop3/session.ts';
import {
  startFakeServer,
  type FakeConnectionRecord,
  type FakeServer,
  type FakeServerOptions,
  type ScriptStep,
} from '../support/fake-pop3-server.ts';

/** USER/PASS on a plaintext loopback link: the account's explicit consent is given (see auth.ts). */
export const BOB: Credentials = { user: 'bob', password: 'secret', method: 'USER', allowPlaintextPassword: true };

/** A pre-RFC 2449 server: CAPA is refused, so the session does not ask for it again after login. */
export const NO_CAPA: ScriptStep = { expect: 'CAPA', reply: '-ERR unknown command' };

/** The script of a plain USER/PASS login on a server without CAPA. */
export const LOGIN_STEPS: readonly ScriptStep[] = [
  NO_CAPA,
  { expect: 'USER bob', reply: '+OK send PASS' },
  { expect: 'PASS secret', reply: '+OK logged in' },
];

/** Every code of the `MailErrorCode` union (the runtime list is checked against the type in app/errors.ts). */
export const ALL_CODES: ReadonlySet<string> = new Set(MAIL_ERROR_CODES);

interface Tracked {
  readonly servers: FakeServer[];
  readonly sessions: Pop3Session[];
  readonly raw: net.Server[];
  readonly rawSockets: net.Socket[];
}

/**
 * Registers cleanup for the calling test file and returns the factories that use it. Sessions are aborted (no
 * QUIT) and servers closed after each test, whatever the test did.
 */
export function useFixtures(): {
  fake: (options: FakeServerOptions) => Promise<FakeServer>;
  connect: (server: { port: number }, extra?: Partial<SessionOptions>) => Promise<Pop3Session>;
  login: (server: { port: number }, extra?: Partial<SessionOptions>) => Promise<Pop3Session>;
  rawServer: (onSocket: (socket: net.Socket) => void) => Promise<number>;
} {
  const tracked: Tracked = { servers: [], sessions: [], raw: [], rawSockets: [] };
  afterEach(async () => {
    for (const s of tracked.sessions.splice(0)) s.abort('test over');
    for (const socket of tracked.rawSockets.splice(0)) socket.destroy();
    for (const r of tracked.raw.splice(0)) r.close();
    await Promise.all(tracked.servers.splice(0).map((s) => s.close()));
  });
  const fake = async (options: FakeServerOptions): Promise<FakeServer> => {
    const server = await startFakeServer(options);
    tracked.servers.push(server);
    return server;
  };
  const connect = async (server: { port: number }, extra: Partial<SessionOptions> = {}): Promise<Pop3Session> => {
    const session = await Pop3Session.connect(sessionOptions(server.port, extra));
    tracked.sessions.push(session);
    return session;
  };
  const login = async (server: { port: number }, extra: Partial<SessionOptions> = {}): Promise<Pop3Session> => {
    const session = await connect(server, extra);
    await session.authenticate(BOB);
    return session;
  };
  const rawServer = async (onSocket: (socket: net.Socket) => void): Promise<number> => {
    const listener = net.createServer((socket) => {
      tracked.rawSockets.push(socket);
      socket.on('error', () => undefined);
      onSocket(socket);
    });
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    tracked.raw.push(listener);
    return (listener.address() as net.AddressInfo).port;
  };
  return { fake, connect, login, rawServer };
}

/** Plain loopback options with deadlines short enough that a wrong test fails in seconds, not minutes. */
export function sessionOptions(port: number, extra: Partial<SessionOptions> = {}): SessionOptions {
  return {
    host: '127.0.0.1',
    port,
    security: 'none',
    timeouts: { connectMs: 2000, greetingMs: 2000, idleMs: 2000 },
    ...extra,
  };
}

/** The rejection of `p`, which must be a `MailError`. */
export async function mailRejection(p: Promise<unknown>): Promise<MailError> {
  const error = await settleError(p);
  if (!(error instanceof MailError)) throw new Error(`expected a MailError, got ${String(error)}`);
  return error;
}

/** The rejection of `p`, which must be a `BugError` (a verb called in the wrong protocol state). */
export async function bugRejection(p: Promise<unknown>): Promise<BugError> {
  const error = await settleError(p);
  if (!(error instanceof BugError)) throw new Error(`expected a BugError, got ${String(error)}`);
  return error;
}

async function settleError(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The first connection's record, which every test here has. */
export function conn(server: FakeServer, index = 0): FakeConnectionRecord {
  const record = server.connections[index];
  if (record === undefined) throw new Error(`no connection ${index} on the fake server`);
  return record;
}

/** The client's lines grouped by the socket read that carried them (pipelining shows as groups of many). */
export function readGroups(record: FakeConnectionRecord): string[][] {
  const groups: string[][] = [];
  let at = 0;
  for (const count of record.reads) {
    groups.push(record.commands.slice(at, at + count));
    at += count;
  }
  return groups;
}

/** C0003: every byte the client sent is printable ASCII, and each line ends in CRLF (no bare CR or LF). */
export function expectPrintableCrlf(record: FakeConnectionRecord): void {
  const raw = record.rawReceived().toString('latin1');
  expect(raw.endsWith('\r\n')).toBe(true);
  for (const line of raw.slice(0, -2).split('\r\n')) expect(line).toMatch(/^[\x20-\x7e]*$/);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A loopback port with nobody listening (it was bound and released just now). */
export async function unusedPort(): Promise<number> {
  const listener = net.createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address() as net.AddressInfo;
  await new Promise((resolve) => listener.close(resolve));
  return port;
}
