/**
 * Malformed mail from the server: stored exactly as it came, previewed as well as it can be, and never a reason to
 * stop syncing the messages after it. The fake POP3 server in mailbox mode serves raw Buffers, so each message's
 * bytes are exactly what a RETR delivers after dot-unstuffing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { extractPreview } from '../../app/mail/preview.ts';
import type { MessageRecord } from '../../app/mail/types.ts';
import type { AccountPolicy } from '../../app/sync/policy.ts';
import type { Credentials } from '../../main/pop3/auth.ts';
import { startFakeServer, type FakeServer } from '../support/fake-pop3-server.ts';
import { syncFixture, type SyncFixture } from '../support/sync-fixture.ts';

const CREDENTIALS: Credentials = { user: 'bob', password: 'secret', method: 'USER', allowPlaintextPassword: true };
const CRLF = '\r\n';

const lines = (...text: string[]): Buffer => Buffer.from(text.map((l) => l + CRLF).join(''), 'utf8');
const raw = (...parts: Array<string | readonly number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const normalFirst = lines(
  'From: Alice Example <alice@example.org>',
  'To: Bob <bob@example.org>',
  'Subject: First, a normal message',
  'Date: Tue, 02 Jan 2024 08:00:00 +0000',
  'Message-ID: <first@poplar.test>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello Bob,',
  '.a line that starts with a dot',
  'see you.',
);

const withNuls = raw(
  'From: Nul Sender <nul@example.org>\r\n',
  'Subject: NUL', [0], 'in', [0, 0], 'the subject\r\n',
  'Message-ID: <nul@poplar.test>\r\n',
  'X-Nul:', [0, 0, 0, 0], '\r\n',
  '\r\n',
  'before', [0, 0, 0], 'after\r\n',
  [0, 0, 0, 0, 0, 0], '\r\n',
  'the end\r\n',
);

const noHeaders = lines(
  'This message has no header block at all',
  'only lines of text and not one blank line between them',
  'and nothing that looks like a field',
);

const HEADER_BLOCK_BYTES = 5 * 1024 * 1024;
const hugeHeader = ((): Buffer => {
  const head = lines('From: Big Header <big@example.org>', 'Subject: Enormous header block', 'Message-ID: <huge@poplar.test>');
  const filler: string[] = [];
  let size = head.length;
  for (let i = 0; size < HEADER_BLOCK_BYTES; i++) {
    const line = `X-Filler-${i}: ${'x'.repeat(90)}${CRLF}`;
    filler.push(line);
    size += line.length;
  }
  return Buffer.concat([head, Buffer.from(filler.join(''), 'latin1'), lines('', 'The body after a five megabyte header block.')]);
})();

const brokenMime = lines(
  'From: Mime Mangler <mime@example.org>',
  'Subject: Broken MIME',
  'Message-ID: <mime@poplar.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="never-closed"',
  '',
  'preamble',
  '--never-closed',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  '!!!! this is *not* base64 @@@@ ====',
  'Zm9v=YmFy===%%%',
  '--never-closed',
  'Content-Type: multipart/alternative; boundary="inner-never-closed-either"',
  '',
  '--inner-never-closed-either',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="x.bin"',
  '',
  'AAAA%%%%',
);

const eightBitHeaders = raw(
  'From: ', [0xff, 0xfe, 0xc3, 0x41, 0x80], ' Garbage <garbage@example.org>\r\n',
  'Subject: ', [0xe9, 0x74, 0xe9, 0x20, 0xff, 0xc0, 0xaf], ' 8bit subject\r\n',
  'Message-ID: <garbage@poplar.test>\r\n',
  'X-Every-High-Byte: ', Array.from({ length: 128 }, (_, i) => 0x80 + i), '\r\n',
  'Content-Type: text/plain; charset=x-no-such-charset\r\n',
  '\r\n',
  'a bare\rCR, a bare\nLF, and ', [0xf0, 0x9f, 0x98], ' a cut UTF-8 sequence\r\n',
);

const normalLast = lines(
  'From: Zoe Last <zoe@example.org>',
  'To: Bob <bob@example.org>',
  'Subject: Last, a normal message',
  'Date: Tue, 02 Jan 2024 09:00:00 +0000',
  'Message-ID: <last@poplar.test>',
  '',
  'Still here after all of that.',
);

/** In the server's order. */
const MAILBOX = [normalFirst, withNuls, noHeaders, hugeHeader, brokenMime, eightBitHeaders, normalLast] as const;

const servers: FakeServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(policy: Partial<AccountPolicy>, pipelining = false): Promise<{ server: FakeServer; f: SyncFixture }> {
  const server = await startFakeServer({ mailbox: { messages: MAILBOX, pipelining } });
  servers.push(server);
  const f = await syncFixture({ host: server.host, port: server.port, credentials: CREDENTIALS }, policy);
  return { server, f };
}

/** The stored messages in the server's order (the fake names message n `uid-n`). */
async function inServerOrder(f: SyncFixture): Promise<MessageRecord[]> {
  const stored = await f.messages();
  return MAILBOX.map((_, i) => {
    const m = stored.find((s) => s.uid === `uid-${i + 1}`);
    if (m === undefined) throw new Error(`message ${i + 1} was not stored`);
    return m;
  });
}

/** What every preview of this mailbox must show, from TOP or from the whole message alike. */
function expectSanePreviews(stored: readonly MessageRecord[]): void {
  const [first, nul, bare, huge, mime, garbage, last] = stored;
  expect(first).toMatchObject({ subject: 'First, a normal message', messageId: '<first@poplar.test>', from: [{ name: 'Alice Example', address: 'alice@example.org' }] });
  expect(first?.previewText).toMatch(/^Hello Bob,/);
  expect(nul?.messageId).toBe('<nul@poplar.test>');
  expect(nul?.subject).toMatch(/^NUL\s*in\s*the subject$/);
  expect(nul?.subject).not.toContain('\0');
  expect(nul?.from[0]?.address).toBe('nul@example.org');
  expect(bare).toMatchObject({ subject: '', from: [] });
  expect(bare?.messageId).toBeUndefined();
  expect(bare?.previewText).toMatch(/^This message has no header block at all/);
  expect(huge).toMatchObject({ subject: 'Enormous header block', messageId: '<huge@poplar.test>', from: [{ address: 'big@example.org' }] });
  expect(mime).toMatchObject({ subject: 'Broken MIME', messageId: '<mime@poplar.test>', from: [{ address: 'mime@example.org' }] });
  expect(garbage?.messageId).toBe('<garbage@poplar.test>');
  expect(garbage?.subject).toMatch(/8bit subject$/);
  expect(garbage?.from[0]?.address).toBe('garbage@example.org');
  expect(last).toMatchObject({
    subject: 'Last, a normal message',
    messageId: '<last@poplar.test>',
    from: [{ name: 'Zoe Last', address: 'zoe@example.org' }],
    date: Date.UTC(2024, 0, 2, 9, 0, 0),
  });
  expect(last?.previewText).toBe('Still here after all of that.');
  for (const m of stored) {
    expect(typeof m.subject).toBe('string');
    expect(typeof m.previewText).toBe('string');
    expect(m.previewText.length).toBeLessThanOrEqual(1000);
  }
}

describe('malformed mail', () => {
  it.each([
    ['one command at a time', false],
    ['pipelined', true],
  ])('download whole (%s): all of it is stored byte for byte, previewed sanely, and the run completes', async (_name, pipelining) => {
    const { server, f } = await setup({ download: { kind: 'whole' }, leave: { kind: 'forever' } }, pipelining);
    const run = await f.sync();
    expect(run).toMatchObject({ ok: true, counts: { wholes: MAILBOX.length, previews: 0, refused: 0, deleted: 0 } });
    expect(server.transcript.filter((l) => /^RETR /.test(l))).toHaveLength(MAILBOX.length);
    expect(server.connections[0]?.committed).toBe(true);

    const stored = await inServerOrder(f);
    expect(await f.messages()).toHaveLength(MAILBOX.length);
    for (const [i, m] of stored.entries()) {
      expect(m.content).toBe('whole');
      expect(m.sizeOnServer).toBe(MAILBOX[i]?.length);
      const body = await f.body(m);
      expect(body.length).toBe(MAILBOX[i]?.length);
      expect(body.equals(MAILBOX[i] ?? Buffer.alloc(0))).toBe(true);
    }
    expectSanePreviews(stored);
    expect(stored[0]?.previewText).toContain('.a line that starts with a dot');
    expect(stored[3]?.previewText).toContain('The body after a five megabyte header block.');

    // Nothing is fetched twice.
    expect(await f.sync()).toMatchObject({ ok: true, counts: { wholes: 0, previews: 0 } });
  });

  it('previews (TOP): the same mailbox gives seven previews with the same header fields', async () => {
    const { server, f } = await setup({ download: { kind: 'previews', lines: 5 }, leave: { kind: 'forever' } });
    const run = await f.sync();
    expect(run).toMatchObject({ ok: true, counts: { previews: MAILBOX.length, wholes: 0, refused: 0 } });
    expect(server.transcript.filter((l) => /^TOP \d+ 5$/.test(l))).toHaveLength(MAILBOX.length);
    expect(server.transcript.filter((l) => /^RETR /.test(l))).toEqual([]);
    const stored = await inServerOrder(f);
    for (const [i, m] of stored.entries()) {
      expect(m).toMatchObject({ content: 'preview', sizeOnServer: MAILBOX[i]?.length });
      // A TOP prefix and the whole message read the same header block.
      const whole = extractPreview(MAILBOX[i] ?? Buffer.alloc(0));
      expect({ from: m.from, to: m.to, cc: m.cc, subject: m.subject, date: m.date, messageId: m.messageId }).toEqual({
        from: whole.from,
        to: whole.to,
        cc: whole.cc,
        subject: whole.subject,
        date: whole.date,
        messageId: whole.messageId,
      });
    }
    expectSanePreviews(stored);
  });
});
