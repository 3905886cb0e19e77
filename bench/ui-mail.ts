/**
 * The downloaded message of bench/chromium-ui.ts: a realistic 1 MB newsletter as a mail client receives it.
 *
 * multipart/mixed
 * ├─ multipart/related
 * │  ├─ multipart/alternative
 * │  │  ├─ text/plain; quoted-printable (~170 KB)
 * │  │  └─ text/html; quoted-printable (~240 KB: table layout, inline styles, a <style> block, links, and a few
 * │  │     remote images that stay blocked)
 * │  └─ image/png, inline (cid:, RFC 2392), base64 (~250 KB of pixels: a real, decodable PNG)
 * └─ application/pdf, attachment, base64 (~340 KB)
 *
 * Deterministic: the same bytes every run.
 */
import { crc32, deflateSync } from 'node:zlib';

const CRLF = '\r\n';

/** A small linear congruential generator: deterministic "noise" without a dependency. */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A chart-like RGB picture with noise, so that it compresses about as badly as a photo does: `width` × `height`
 * pixels, filter type 0 on every row (PNG spec §9).
 */
export function noisyPng(width: number, height: number, seed = 7): Buffer {
  const next = random(seed);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const bar = Math.floor(x / 40) % 5;
      const inBar = height - y < ((bar + 1) * height) / 6;
      const at = row + 1 + x * 3;
      raw[at] = inBar ? 40 + bar * 40 : 240 - Math.floor(next() * 40);
      raw[at + 1] = inBar ? 120 : 240 - Math.floor(next() * 40);
      raw[at + 2] = inBar ? 200 - bar * 30 : 240 - Math.floor(next() * 40);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 6 })),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** RFC 2045 §6.8: base64 in lines of 76 characters. */
function base64Lines(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += 76) lines.push(text.slice(at, at + 76));
  return lines.join(CRLF);
}

/** RFC 2045 §6.7: quoted-printable, soft line breaks before 76 characters, UTF-8 bytes escaped. */
function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let current = '';
    for (const byte of Buffer.from(line, 'utf8')) {
      const plain = (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32;
      const piece = plain ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      if (current.length + piece.length > 75) {
        out.push(`${current}=`);
        current = '';
      }
      current += piece;
    }
    if (current.endsWith(' ')) current = `${current.slice(0, -1)}=20`;
    out.push(current);
  }
  return out.join(CRLF);
}

const WORDS = (
  'the quarter revenue growth team product customers market report results region sales service support ' +
  'improved delivery platform launch partners pipeline forecast budget operations hiring roadmap feedback ' +
  'release quality analysis strategy performance onboarding retention conversion pricing review déjà naïve'
).split(' ');

function sentence(next: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)] ?? 'mail');
  const first = picked[0] ?? 'Mail';
  picked[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${picked.join(' ')}.`;
}

function htmlBody(next: () => number, sections: number): string {
  const parts: string[] = [
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Quarterly report</title>',
    '<style>body{font-family:Helvetica,Arial,sans-serif;color:#222;margin:0}table.layout{width:100%;max-width:680px;' +
      'margin:0 auto;border-collapse:collapse}td.cell{padding:12px 18px;vertical-align:top}h2{color:#0b5394;' +
      'font-size:20px;margin:8px 0}p{line-height:1.5;font-size:14px}.muted{color:#777;font-size:12px}</style>',
    '</head><body><table class="layout" role="presentation">',
    '<tr><td class="cell" style="background:#0b5394;color:#fff"><h1 style="margin:0;font-size:26px">' +
      'Quarterly report</h1><img src="https://tracker.example.com/open.gif?u=1" width="1" height="1" alt=""></td></tr>',
    '<tr><td class="cell"><img src="cid:chart@bench.example" alt="Revenue by region" width="480" ' +
      'style="display:block;width:100%;height:auto"></td></tr>',
  ];
  for (let s = 0; s < sections; s++) {
    parts.push(`<tr><td class="cell"><h2>Section ${s + 1}: ${sentence(next, 4)}</h2>`);
    for (let p = 0; p < 3; p++) parts.push(`<p style="margin:0 0 10px 0">${sentence(next, 40)} ${sentence(next, 30)}</p>`);
    parts.push(
      `<table role="presentation" style="width:100%;border:1px solid #ddd"><tr>` +
        `<td style="padding:6px;background:#f4f8fb">${sentence(next, 3)}</td>` +
        `<td style="padding:6px;text-align:right">${(next() * 1e6).toFixed(0)} €</td></tr></table>`,
    );
    if (s % 10 === 0) {
      parts.push(`<p><a href="https://news.example.com/article/${s}">Read more</a> ` +
        `<img src="https://images.example.com/banner-${s}.jpg" width="600" height="80" alt="banner"></p>`);
    }
    parts.push('</td></tr>');
  }
  parts.push('<tr><td class="cell muted">You receive this because you asked for it. ' +
    '<a href="https://news.example.com/unsubscribe">Unsubscribe</a></td></tr></table></body></html>');
  return parts.join('\n');
}

function textBody(next: () => number, sections: number): string {
  const lines: string[] = ['QUARTERLY REPORT', ''];
  for (let s = 0; s < sections; s++) {
    lines.push(`Section ${s + 1}: ${sentence(next, 4)}`, '');
    for (let p = 0; p < 3; p++) lines.push(`${sentence(next, 40)} ${sentence(next, 30)}`, '');
  }
  lines.push('Unsubscribe: https://news.example.com/unsubscribe');
  return lines.join('\n');
}

export interface BigMessage {
  readonly bytes: Uint8Array;
  readonly subject: string;
}

/** The 1 MB message, dated `date` (epoch ms). */
export function bigMessage(date: number): BigMessage {
  const next = random(42);
  const subject = 'Quarterly report: results, charts and the full PDF';
  const png = noisyPng(420, 200);
  const pdfNext = random(9);
  const pdf = Buffer.alloc(340 * 1024);
  pdf.write('%PDF-1.4\n%âãÏÓ\n', 0, 'latin1');
  for (let i = 16; i < pdf.length; i++) pdf[i] = Math.floor(pdfNext() * 256);
  const lines = [
    'Return-Path: <news@example.com>',
    'From: "Example Corp Newsletter" <news@example.com>',
    'To: "Alice Example" <alice@example.test>',
    `Subject: ${subject}`,
    `Date: ${new Date(date).toUTCString().replace('GMT', '+0000')}`,
    '<bench-big-1@example.com>'.replace(/^/, 'Message-ID: '),
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mixed-1"',
    '',
    'This is a multi-part message in MIME format.',
    '--mixed-1',
    'Content-Type: multipart/related; boundary="related-1"; type="multipart/alternative"',
    '',
    '--related-1',
    'Content-Type: multipart/alternative; boundary="alt-1"',
    '',
    '--alt-1',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(textBody(next, 100)),
    '--alt-1',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(htmlBody(next, 110)),
    '--alt-1--',
    '--related-1',
    'Content-Type: image/png; name="chart.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <chart@bench.example>',
    'Content-Disposition: inline; filename="chart.png"',
    '',
    base64Lines(png),
    '--related-1--',
    '--mixed-1',
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="report.pdf"',
    '',
    base64Lines(pdf),
    '--mixed-1--',
    '',
  ];
  return { bytes: new Uint8Array(Buffer.from(lines.join(CRLF), 'utf8')), subject };
}
