/**
 * A hostile server, as a property: whatever bytes a server sends as its greeting or as the answer to any
 * command, every engine call ends, by resolving or by rejecting with a `MailError` whose code is one of the
 * union, within its deadline; there is never an uncaught exception and never a hang (C0002, C0005, C0014).
 *
 * The caller checks `session.state` before each call (a verb in the wrong state is a `BugError` by design,
 * session.ts), so that what is under test is the engine's handling of the bytes, not the caller's discipline.
 */
import type net from 'node:net';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailError } from '../../app/errors.ts';
import { Pop3Session } from '../../main/pop3/session.ts';
import { ALL_CODES, BOB, sessionOptions, useFixtures } from './helpers.ts';

const { rawServer } = useFixtures();
const TIMEOUTS = { connectMs: 1000, greetingMs: 300, idleMs: 300 };
/** How long past its own deadline a call may take before the property calls it a hang. */
const SLACK_MS = 700;

/** Pieces that make the random replies look like POP3 often enough to get past the first lines. */
const TOKENS = ['+OK', '-ERR', '+', '+ok', ' ', '\t', '\r\n', '\n', '\r', '.', '..', '.\r\n', '1 2', '[IN-USE]', '[SYS/TEMP]',
  'PIPELINING', 'x', '\u0000', '\u00ff', '<1@x>'];
const CANNED = ['+OK\r\n', '+OK 2 20\r\n', '+OK\r\n1 10\r\n2 10\r\n.\r\n', '+OK\r\nSubject: x\r\n\r\n.\r\n', '-ERR [IN-USE] busy\r\n', '+ \r\n'];

const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((parts) => Buffer.from(parts.join(''), 'latin1')),
  fc.constantFrom(...CANNED).map((s) => Buffer.from(s, 'latin1')),
);

/**
 * Random bytes, most often followed by an end of line and a terminator, so that most runs end by parsing
 * rather than by a timeout: each run that leaves the client waiting costs one idle timeout of real time.
 */
const reply = fc
  .tuple(bytes, fc.constantFrom('', '\r\n', '\r\n.\r\n', '\r\n.\r\n', '\r\n.\r\n'))
  .map(([body, end]) => Buffer.concat([body, Buffer.from(end, 'latin1')]));

interface Scenario {
  readonly greeting: Buffer;
  readonly replies: readonly Buffer[];
  /** What the server does once its replies run out: hang up, say nothing, or answer every line with `+OK`. */
  readonly then: 'close' | 'silent' | 'ok';
  readonly pipelining: 'auto' | 'off';
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  greeting: fc.oneof({ arbitrary: reply, weight: 1 }, { arbitrary: fc.constant(Buffer.from('+OK ready\r\n')), weight: 2 }),
  replies: fc.array(reply, { maxLength: 8 }),
  then: fc.oneof({ arbitrary: fc.constant('close' as const), weight: 8 }, fc.constant('silent' as const), fc.constant('ok' as const)),
  pipelining: fc.constantFrom('auto', 'off'),
});

/**
 * Plays `current` on each connection: the greeting, then one reply a received line. A closing server hangs up
 * right after its last reply, so that most runs end fast; the silent ones cost one idle timeout each.
 */
let current: Scenario | undefined;
function play(socket: net.Socket): void {
  const run = current;
  if (run === undefined) {
    socket.destroy();
    return;
  }
  const finish = (): void => {
    if (run.then === 'close') socket.end();
  };
  socket.write(run.greeting);
  if (run.replies.length === 0) finish();
  let next = 0;
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    for (let lf = pending.indexOf('\n'); lf !== -1; lf = pending.indexOf('\n')) {
      pending = pending.slice(lf + 1);
      const reply = run.replies[next++];
      if (reply !== undefined) {
        socket.write(reply);
        if (next === run.replies.length) finish();
      } else if (run.then === 'ok') {
        socket.write('+OK\r\n');
      }
    }
  });
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** Runs `call` and reports how it ended, failing the property if it takes longer than `limitMs`. */
async function bounded(call: () => Promise<unknown>, limitMs: number, what: string): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([
      call().then(
        (): Outcome => ({ ok: true }),
        (error: unknown): Outcome => ({ ok: false, error }),
      ),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function expectTyped(outcome: Outcome, what: string): void {
  if (outcome.ok) return;
  const e = outcome.error;
  if (!(e instanceof MailError)) throw new Error(`${what} rejected with a non-MailError: ${String(e)}`);
  expect(ALL_CODES.has(e.code), `${what}: unknown code ${e.code}`).toBe(true);
}

const uncaught: unknown[] = [];
const onUncaught = (e: unknown): void => void uncaught.push(e);
beforeEach(() => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
afterEach(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

describe('hostile server', () => {
  it('random bytes as greeting or replies: every call ends, typed, within its deadline', async () => {
    const port = await rawServer((socket) => {
      play(socket);
    });
    const limit = TIMEOUTS.idleMs + SLACK_MS;
    await fc.assert(
      fc.asyncProperty(scenario, async (run) => {
        current = run;
        const opened = { session: undefined as Pop3Session | undefined };
        const connected = await bounded(async () => {
          opened.session = await Pop3Session.connect(sessionOptions(port, { timeouts: TIMEOUTS, pipelining: run.pipelining }));
        }, TIMEOUTS.greetingMs + 2 * limit, 'connect');
        expectTyped(connected, 'connect');
        const s = opened.session;
        if (s === undefined) return;
        try {
          const steps: [string, () => Promise<unknown>][] = [
            ['authenticate', () => s.authenticate(BOB)],
            ['stat', () => s.stat()],
            ['list', () => s.list()],
            ['uidl', () => s.uidl()],
            ['top', () => s.top(1, 0)],
            ['fetchMany', () => s.fetchMany('retr', [1, 2], { onRefused: () => undefined }, () => undefined)],
            ['deleMany', () => s.deleMany([1, 2])],
            ['rset', () => s.rset()],
          ];
          for (const [what, call] of steps) {
            if (s.state !== (what === 'authenticate' ? 'AUTHORIZATION' : 'TRANSACTION')) break;
            const outcome = await bounded(call, limit, what);
            expectTyped(outcome, what);
          }
          expectTyped(await bounded(() => s.quit(), limit, 'quit'), 'quit');
        } finally {
          s.abort();
        }
      }),
      { numRuns: 50 },
    );
    expect(uncaught).toEqual([]);
  });
});
