/**
 * Prints how long previews take; asserts nothing about speed (house style 23: tests never assert on wall-clock
 * time). It lives here rather than in bench/ only because this change may not touch bench/.
 */
import { describe, expect, it } from 'vitest';
import { extractPreview } from '../../../app/mail/preview.ts';
import { mail } from './samples.ts';

const TYPICAL_BYTES = 10 * 1024;

/** A typical 10 KB message: relay headers, multipart/alternative, QP text and HTML, a small attachment now and then. */
function typicalMessage(i: number): Uint8Array {
  const paragraph = `Paragraph ${i}: the quarterly numbers look good =E2=80=93 caf=C3=A9 revenue is up, costs are flat, and the team=\r\nwould like to discuss the plan for next year on Thursday.`;
  const lines = [
    ...Array.from({ length: 6 }, (_, r) => `Received: from relay${r}.example.net (relay${r}.example.net [192.0.2.${r}])\r\n\tby mx.example.org with ESMTPS id ${i}x${r}; Tue, 14 Mar 2023 09:12:4${r} +0000`),
    'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;',
    `From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <sender${i}@example.com>`,
    'To: "Smith, John" <john@example.org>, team@example.org, Bob <bob@example.net>',
    'Cc: Undisclosed recipients:;',
    `Subject: =?UTF-8?B?UXVhcnRlcmx5IG51bWJlcnMg4oCU?= #${i}`,
    'Date: Tue, 14 Mar 2023 09:12:40 +0100 (CET)',
    `Message-ID: <${i}.typical@example.com>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/${i % 5 === 0 ? 'mixed' : 'alternative'}; boundary="=_b${i}"`,
    '',
    `--=_b${i}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '> quoted line from the previous message',
    ...Array.from({ length: 12 }, () => paragraph),
    `--=_b${i}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '<html><head><style>p { margin: 0 }</style></head><body>',
    ...Array.from({ length: 12 }, () => `<p>${paragraph}</p>`),
    '</body></html>',
  ];
  if (i % 5 === 0) lines.push(`--=_b${i}`, 'Content-Type: application/pdf', 'Content-Disposition: attachment; filename="a.pdf"', '', 'JVBERi0=');
  lines.push(`--=_b${i}--`, '');
  const message = mail(lines);
  const pad = TYPICAL_BYTES - message.length;
  return pad > 0 ? mail([...lines.slice(0, -2), `X-Pad: ${'p'.repeat(pad)}`, ...lines.slice(-2)]) : message;
}

describe('preview timing (printed, not asserted)', () => {
  it('10,000 typical 10 KB messages', () => {
    const messages = Array.from({ length: 10_000 }, (_, i) => typicalMessage(i));
    const bytes = messages.reduce((n, m) => n + m.length, 0);
    extractPreview(messages[0] ?? new Uint8Array()); // warm up the code paths once
    const start = performance.now();
    let withText = 0;
    for (const m of messages) if (extractPreview(m).previewText !== '') withText++;
    const ms = performance.now() - start;
    console.log(
      `extractPreview: 10,000 typical messages (${(bytes / 1024 / 1024).toFixed(1)} MB) in ${ms.toFixed(0)} ms, ` +
        `${((ms * 1000) / messages.length).toFixed(1)} µs each`,
    );
    expect(withText).toBe(10_000);
  });

  it('one 5 MB header block', () => {
    const filler = `X-Filler: ${'x'.repeat(68)}\r\n`.repeat(Math.ceil((5 * 1024 * 1024) / 80));
    const message = mail(['From: a@example.com', 'Subject: big', filler.slice(0, -2), '', 'the body']);
    const start = performance.now();
    const preview = extractPreview(message);
    const ms = performance.now() - start;
    console.log(`extractPreview: one ${(message.length / 1024 / 1024).toFixed(1)} MB header block in ${ms.toFixed(1)} ms`);
    expect(preview.previewText).toBe('the body');
  });
});
