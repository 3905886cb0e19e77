import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MailError } from '../../../app/errors.ts';
import { DEFAULT_READER_LIMITS, type ReaderLimits } from '../../../main/pop3/limits.ts';
import { parseStatusLine, ResponseReader, type SinkKind, type StatusLine } from '../../../main/pop3/reader.ts';

interface Outcome {
  status?: StatusLine;
  body?: string;
  error?: string;
}

/** Feeds `chunks` to a reader that expects `kinds`, and records what each sink saw. */
function run(kinds: readonly SinkKind[], chunks: readonly Buffer[], limits: ReaderLimits = DEFAULT_READER_LIMITS) {
  let fatal: MailError | undefined;
  const reader = new ResponseReader(limits, (e) => {
    fatal = e;
  });
  const outcomes: Outcome[] = kinds.map(() => ({}));
  kinds.forEach((kind, i) => {
    const parts: Buffer[] = [];
    const o = outcomes[i] as Outcome;
    reader.expect({
      kind,
      status: (s) => {
        o.status = s;
      },
      data: (c) => parts.push(Buffer.from(c)),
      end: () => {
        o.body = Buffer.concat(parts).toString('latin1');
      },
      fail: (e) => {
        o.error = e.code;
      },
    });
  });
  for (const c of chunks) reader.push(c);
  return { outcomes, fatal, reader };
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('status lines', () => {
  it('V0001: anything starting with + is positive, in any case', () => {
    expect(parseStatusLine(b('+OK hello'), false)).toMatchObject({ ok: true, text: 'hello' });
    expect(parseStatusLine(b('+ok hello'), false)).toMatchObject({ ok: true, text: 'hello' });
    expect(parseStatusLine(b('+Yes'), false)).toMatchObject({ ok: true, text: '' });
    expect(parseStatusLine(b('-ERR no'), false)).toMatchObject({ ok: false, text: 'no' });
    expect(parseStatusLine(b('OK but no plus'), false)).toMatchObject({ ok: false });
  });

  it('C0004: runs of spaces and tabs after the indicator are skipped', () => {
    expect(parseStatusLine(b('+OK \t  2 320\r'), false).text).toBe('2 320');
  });

  it('RFC 2449 §8: extended response codes are read, upper-cased, hierarchical', () => {
    expect(parseStatusLine(b('-ERR [in-use] mailbox locked'), false).code).toBe('IN-USE');
    expect(parseStatusLine(b('-ERR [SYS/TEMP] try later'), false).code).toBe('SYS/TEMP');
    expect(parseStatusLine(b('-ERR [] empty'), false).code).toBeUndefined();
  });

  it('RFC 5034: `+ ` is a SASL continuation only where a SASL answer is expected', () => {
    expect(parseStatusLine(b('+ PDEyMz4='), true)).toMatchObject({ ok: true, continuation: true, text: 'PDEyMz4=' });
    expect(parseStatusLine(b('+'), true)).toMatchObject({ continuation: true, text: '' });
    expect(parseStatusLine(b('+OK logged in'), true)).toMatchObject({ continuation: false, text: 'logged in' });
    expect(parseStatusLine(b('+ PDEyMz4='), false).continuation).toBe(false);
  });
});

describe('multi-line responses', () => {
  it('V0002: strips one stuffed dot; a +OK or -ERR line inside a body is data', () => {
    const { outcomes } = run(['multi'], [b('+OK 5 octets\r\n..hidden\r\n+OK not a status\r\n-ERR nor this\r\n...\r\n.\r\n')]);
    expect(outcomes[0]?.body).toBe('.hidden\r\n+OK not a status\r\n-ERR nor this\r\n..\r\n');
  });

  it('C0006: only `.` CRLF at the start of a line ends the body', () => {
    const { outcomes } = run(['multi'], [b('+OK\r\nend with a dot.\r\n. \r\n.x\r\n.\r\n')]);
    expect(outcomes[0]?.body).toBe('end with a dot.\r\n \r\nx\r\n');
  });

  it('a negative answer to a multi-line command has no body', () => {
    const { outcomes } = run(['multi', 'single'], [b('-ERR no such message\r\n+OK\r\n')]);
    expect(outcomes[0]?.status?.ok).toBe(false);
    expect(outcomes[0]?.body).toBeUndefined();
    expect(outcomes[1]?.status?.ok).toBe(true);
  });

  it('pipelined responses in one chunk are each delivered to their own sink', () => {
    const { outcomes } = run(['multi', 'multi', 'single'], [b('+OK\r\nA\r\n.\r\n+OK\r\n.\r\n+OK bye\r\n')]);
    expect(outcomes.map((o) => o.body)).toEqual(['A\r\n', '', undefined]);
    expect(outcomes[2]?.status?.text).toBe('bye');
  });

  it('the terminator split across two reads still ends the body, at every split point', () => {
    const stream = b('+OK\r\nline\r\n..dot\r\n.\r\n+OK next\r\n');
    for (let cut = 0; cut <= stream.length; cut++) {
      const { outcomes } = run(['multi', 'single'], [stream.subarray(0, cut), stream.subarray(cut)]);
      expect(outcomes[0]?.body, `cut at ${cut}`).toBe('line\r\n.dot\r\n');
      expect(outcomes[1]?.status?.text).toBe('next');
    }
  });

  it('one byte a read, as a flood of tiny TLS records would give', () => {
    const stream = b('+OK\r\n\r\n..\r\n.a\r\nb\r\n.\r\n');
    const { outcomes } = run(['multi'], [...stream].map((x) => Buffer.from([x])));
    expect(outcomes[0]?.body).toBe('\r\n.\r\na\r\nb\r\n');
  });
});

describe('limits and hostile input', () => {
  const small: ReaderLimits = { maxLineBytes: 32, maxResponseBytes: 64 };

  it('LINE_TOO_LONG for a status line without end', () => {
    const { outcomes, fatal } = run(['single'], [b('+OK ' + 'x'.repeat(20)), b('y'.repeat(20))], small);
    expect(outcomes[0]?.error).toBe('LINE_TOO_LONG');
    expect(fatal?.code).toBe('LINE_TOO_LONG');
  });

  it('RESPONSE_TOO_LARGE for a body over the bound', () => {
    const { outcomes, fatal } = run(['multi'], [b('+OK\r\n' + 'z'.repeat(70) + '\r\n.\r\n')], small);
    expect(outcomes[0]?.error).toBe('RESPONSE_TOO_LARGE');
    expect(fatal?.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('UNEXPECTED_DATA for bytes that answer no command', () => {
    const { fatal } = run(['single'], [b('+OK\r\n+OK surprise\r\n')]);
    expect(fatal?.code).toBe('UNEXPECTED_DATA');
  });

  it('stopAfter keeps what follows unread (STLS injection is detected on it)', () => {
    const reader = new ResponseReader(DEFAULT_READER_LIMITS, () => undefined);
    let ok = false;
    reader.expect({ kind: 'single', stopAfter: true, status: (s) => (ok = s.ok), fail: () => undefined });
    reader.push(b('+OK begin TLS\r\n+OK injected\r\n'));
    expect(ok).toBe(true);
    expect(reader.isStopped).toBe(true);
    expect(reader.takeLeftover().toString()).toBe('+OK injected\r\n');
  });
});

// ---- Property tests: a model of valid server streams, cut into chunks every possible way. ----

const lineArb = fc.oneof(
  fc.constantFrom('', '.', '..', '.\t', '+OK', '-ERR x', '. ', 'From: a', '\t.'),
  fc.string({ unit: fc.constantFrom('a', '.', ' ', '\r', '+', 'é', '\t'), maxLength: 12 }).map((s) => s.replace(/\r/g, '')),
);

type Resp = { kind: 'single'; ok: boolean; text: string } | { kind: 'multi'; ok: boolean; lines: string[] };

const respArb: fc.Arbitrary<Resp> = fc.oneof(
  fc.record({ kind: fc.constant('single' as const), ok: fc.boolean(), text: fc.constantFrom('', 'ready', '[IN-USE] busy') }),
  fc.record({ kind: fc.constant('multi' as const), ok: fc.boolean(), lines: fc.array(lineArb, { maxLength: 8 }) }),
);

function encode(resps: readonly Resp[]): Buffer {
  let out = '';
  for (const r of resps) {
    if (r.kind === 'single' || !r.ok) {
      out += `${r.ok ? '+OK' : '-ERR'}${r.kind === 'single' && r.text ? ' ' + r.text : ''}\r\n`;
    } else {
      out += '+OK\r\n' + r.lines.map((l) => (l.startsWith('.') ? '.' + l : l) + '\r\n').join('') + '.\r\n';
    }
  }
  return Buffer.from(out, 'utf8');
}

function cutAt(buf: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('properties', () => {
  it('every way of splitting a valid stream into chunks gives the same result as the model', () => {
    fc.assert(
      fc.property(fc.array(respArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (resps, cuts) => {
        const stream = encode(resps);
        const { outcomes, fatal } = run(resps.map((r) => r.kind), cutAt(stream, cuts));
        expect(fatal).toBeUndefined();
        resps.forEach((r, i) => {
          const o = outcomes[i] as Outcome;
          expect(o.status?.ok).toBe(r.ok);
          if (r.kind === 'multi' && r.ok) {
            expect(Buffer.from(o.body ?? '', 'latin1').toString('utf8')).toBe(r.lines.map((l) => l + '\r\n').join(''));
          } else {
            expect(o.body).toBeUndefined();
          }
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('random garbage gives typed errors or results, never a crash, and never leaves a sink unanswered once closed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<SinkKind>('single', 'multi', 'sasl'), { minLength: 1, maxLength: 5 }),
        fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 6 }),
        (kinds, chunks) => {
          const limits = { maxLineBytes: 40, maxResponseBytes: 120 };
          const { outcomes, fatal, reader } = run(kinds, chunks.map((c) => Buffer.from(c)), limits);
          if (fatal !== undefined) expect(fatal).toBeInstanceOf(MailError);
          reader.close(new MailError('CONNECTION_CLOSED', 'closed'));
          outcomes.forEach((o, i) => {
            // Every sink ended one way or the other: a complete answer, or a typed error code.
            const complete =
              o.status !== undefined && (kinds[i] !== 'multi' || !o.status.ok || o.body !== undefined);
            expect(complete || o.error !== undefined, `sink ${i}`).toBe(true);
            if (o.error !== undefined) expect(o.error).toMatch(/^[A-Z_]+$/);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
