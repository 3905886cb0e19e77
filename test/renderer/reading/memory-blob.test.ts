import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBlob, installMemoryBlob } from '../../../renderer/reading/memory-blob.ts';
import { parseMessageHere } from '../../../renderer/reading/mime-parse.ts';
import type { ParsedMessage } from '../../../renderer/reading/mime-parse.ts';

const NativeBlob = globalThis.Blob;

afterEach(() => {
  globalThis.Blob = NativeBlob;
});

async function bytesOf(blob: { arrayBuffer(): Promise<ArrayBuffer> }): Promise<number[]> {
  return Array.from(new Uint8Array(await blob.arrayBuffer()));
}

describe('MemoryBlob', () => {
  it('joins buffers, views (at their offsets), strings (UTF-8) and other MemoryBlobs as Blob does', async () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const parts = [new Uint8Array([0x41, 0x42]).buffer, backing.subarray(2, 5), 'é\n€', new DataView(backing.buffer, 5, 1)];
    const memory = new MemoryBlob([...parts, new MemoryBlob(['z'])]);
    const native = new NativeBlob([...parts, 'z']);
    expect(await bytesOf(memory)).toEqual(await bytesOf(native));
    expect(memory.size).toBe(native.size);
  });

  it('keeps its bytes when a part changes later, and gives a fresh copy each time', async () => {
    const part = new Uint8Array([1, 2, 3]);
    const blob = new MemoryBlob([part]);
    part[0] = 7;
    const first = new Uint8Array(await blob.arrayBuffer());
    first[1] = 8;
    expect(Array.from(new Uint8Array(await blob.arrayBuffer()))).toEqual([1, 2, 3]);
  });

  it('normalizes the type as the File API does', () => {
    expect(new MemoryBlob([], { type: 'Application/Octet-Stream' }).type).toBe('application/octet-stream');
    expect(new MemoryBlob([], { type: 'text/plain\u00e9' }).type).toBe('');
    expect(new MemoryBlob().type).toBe('');
    expect(new MemoryBlob().size).toBe(0);
  });
});

/** A message from lines, CRLF-terminated as on the wire. */
const mail = (...lines: string[]): Uint8Array => new TextEncoder().encode(lines.join('\r\n') + '\r\n');

/** RFC 2045 §6.8: base64 in lines of 76 characters. */
const base64Lines = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64').replace(/.{76}/g, '$&\r\n');

/** Deterministic bytes that do not compress or repeat. */
function noise(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

// Every decoder postal-mime joins through a Blob: quoted-printable, base64 (larger than its 100 KB chunk), and
// pass-through (8bit), with text in UTF-8 and Latin-1.
const MESSAGES: Readonly<Record<string, Uint8Array>> = {
  'newsletter (alternative, inline image, large attachment)': mail(
    'From: "News" <news@example.com>',
    'Subject: =?UTF-8?Q?R=C3=A9sum=C3=A9?=',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="m"',
    '',
    '--m',
    'Content-Type: multipart/related; boundary="r"',
    '',
    '--r',
    'Content-Type: multipart/alternative; boundary="a"',
    '',
    '--a',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Gr=C3=BC=C3=9Fe, a long line that is wrapped with a soft line break here =',
    'and goes on.',
    '--a',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '<p style=3D"color:red">Gr=C3=BC=C3=9Fe</p><img src=3D"cid:logo@example.com">',
    '--a--',
    '--r',
    'Content-Type: image/png',
    'Content-ID: <logo@example.com>',
    'Content-Transfer-Encoding: base64',
    '',
    PNG_BASE64,
    '--r--',
    '--m',
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Disposition: attachment; filename="report.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(noise(300 * 1024)),
    '--m--',
  ),
  '8bit Latin-1 text': new Uint8Array(
    Buffer.from(
      ['From: a@example.org', 'Subject: cafe', 'Content-Type: text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding: 8bit', '', 'Caf\u00e9 cr\u00e8me,', 'deux lignes.', ''].join('\r\n'),
      'latin1',
    ),
  ),
  'base64 text, padded on every line': mail(
    'From: a@example.org',
    'Subject: pads',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    'SGk=',
    'IHRoZXJl',
  ),
};

/** The parse with the window's Blob, then with MemoryBlob as the worker installs it. */
async function bothWays(bytes: Uint8Array): Promise<[ParsedMessage, ParsedMessage]> {
  const native = await parseMessageHere(bytes);
  installMemoryBlob(globalThis);
  try {
    return [native, await parseMessageHere(bytes)];
  } finally {
    globalThis.Blob = NativeBlob;
  }
}

describe('postal-mime with MemoryBlob in place of Blob (the MIME worker)', () => {
  for (const [name, bytes] of Object.entries(MESSAGES)) {
    it(`parses ${name} exactly as with Blob`, async () => {
      const [native, memory] = await bothWays(bytes);
      expect(memory).toEqual(native);
      expect(memory.body.kind).not.toBe('empty');
    });
  }

  it('really parses through MemoryBlob once installed', async () => {
    installMemoryBlob(globalThis);
    expect(globalThis.Blob).toBe(MemoryBlob);
    const parsed = await parseMessageHere(MESSAGES['newsletter (alternative, inline image, large attachment)'] ?? new Uint8Array());
    expect(parsed.attachments.map((a) => [a.filename, a.size])).toEqual([['report.pdf', 300 * 1024]]);
    expect(Array.from(parsed.attachments[0]?.bytes.subarray(0, 8) ?? [])).toEqual(Array.from(noise(8)));
    expect(parsed.body).toMatchObject({ kind: 'html', text: 'Grüße, a long line that is wrapped with a soft line break here and goes on.' });
    const latin1 = await parseMessageHere(MESSAGES['8bit Latin-1 text'] ?? new Uint8Array());
    expect(latin1.body).toEqual({ kind: 'text', text: 'Café crème,\ndeux lignes.' });
  });
});
