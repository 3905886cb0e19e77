/**
 * The hostile HTML message of the end-to-end tests, and the loopback "tracker" it points at. Every remote URL in
 * the mail goes to one recorder server, so any request that leaves the window is seen there:
 * - `/remote/...`: remote images (an <img>, CSS backgrounds in a <style> block and in a style attribute) and a
 *   linked style sheet, which may load only after the user clicked "Show images" (remote content, by design);
 * - `/never/...`: what must not load whatever the user allowed (a script, a frame, a refresh, a form, a beacon).
 * Scripts and handlers in the mail, if they ran, would set `window.top.__poplarPwned`, mark the frame's body with
 * `data-pwned`, open a dialog, and request a `/never/ran-*` beacon.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import type { GeneratedMessage } from '../support/mailbox.ts';

/** The text the hostile message's HTML shows: proof that its body rendered. */
export const HOSTILE_BODY_TEXT = 'Your parcel could not be delivered';
export const HOSTILE_SUBJECT = 'Action required: parcel delivery';
export const HOSTILE_MESSAGE_ID = '<hostile-1@tracker.e2e.test>';
/** The path of the tracking pixel: the one request "Show images" must bring. */
export const TRACKING_PIXEL = '/remote/track.png';
/** What "Show images" may load; anything else at the recorder is a leak. */
export const ALLOWED_AFTER_CONSENT: readonly string[] = [
  TRACKING_PIXEL,
  '/remote/style-block.png',
  '/remote/style-attr.png',
  '/remote/linked.css',
];
/** The marker a script of the mail would set on the window's own global object. */
export const PWNED_MARKER = '__poplarPwned';

/** CRC-32 (ISO-HDLC), as PNG chunks carry it. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 1x1 opaque PNG of one colour: what the tracker answers, visible in a screenshot once images are allowed. */
function onePixelPng(red: number, green: number, blue: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.writeUInt8(8, 8); // bits per sample
  header.writeUInt8(2, 9); // colour type: truecolour; compression, filter and interlace stay 0
  const scanline = Buffer.from([0, red, green, blue]); // filter type 0, then one RGB pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(scanline)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Pale amber: remote backgrounds that loaded show as a coloured band. */
const PIXEL = onePixelPng(0xff, 0xe0, 0x8a);

export interface Recorder {
  readonly origin: string;
  /** Every path requested so far, in order. */
  readonly paths: readonly string[];
  close(): Promise<void>;
}

/** A loopback HTTP server that records every request; it answers images with a 1x1 PNG and style sheets with a rule. */
export async function startRecorder(): Promise<Recorder> {
  const paths: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    paths.push(path);
    if (path.endsWith('.png')) {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PIXEL.length, 'Cache-Control': 'no-store' });
      res.end(PIXEL);
    } else if (path.endsWith('.css')) {
      res.writeHead(200, { 'Content-Type': 'text/css', 'Cache-Control': 'no-store' }).end('p { font-style: italic; }\n');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not here\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a script in the mail would do if it ran: mark the window and the frame, open a dialog, call home. */
function payload(origin: string, what: string): string {
  return (
    `try{window.top.${PWNED_MARKER}='${what}'}catch(e){}` +
    `document.body.setAttribute('data-pwned','${what}');` +
    `new Image().src='${origin}/never/ran-${what}.png';alert('${what}')`
  );
}

function hostileHtml(origin: string): string {
  return `<!DOCTYPE html>
<html>
<head>
<meta http-equiv="refresh" content="0;url=${origin}/never/refresh">
<link rel="stylesheet" href="${origin}/remote/linked.css">
<style>
  .banner { background-image: url("${origin}/remote/style-block.png"); padding: 8px; }
  h1 { color: #7a1f1f; }
</style>
<script>${payload(origin, 'head-script')}</script>
</head>
<body onload="${payload(origin, 'body-onload')}">
<h1>${HOSTILE_BODY_TEXT}</h1>
<div class="banner">Parcel 4711 is waiting at the depot.</div>
<p style="background: url('${origin}/remote/style-attr.png') no-repeat">Confirm your address within 24 hours.</p>
<img src="${origin}${TRACKING_PIXEL}" width="1" height="1" alt="">
<img src="data:image/png;base64,AAAA" onerror="${payload(origin, 'onerror')}" alt="broken">
<script>${payload(origin, 'body-script')}</script>
<script src="${origin}/never/external.js"></script>
<iframe src="${origin}/never/frame.html"></iframe>
<form action="${origin}/never/form"><input name="q" autofocus onfocus="${payload(origin, 'onfocus')}"></form>
<a href="javascript:${payload(origin, 'link')}">Track your parcel</a>
</body>
</html>
`;
}

/** The hostile message as a mailbox file: multipart/alternative, a plain part and the hostile HTML part. */
export function hostileMessage(origin: string, index: number): GeneratedMessage {
  const boundary = '=_hostile_boundary_1';
  const lines = [
    'Return-Path: <tracking@parcel.example.net>',
    'From: "Parcel Service" <tracking@parcel.example.net>',
    'To: "Alice" <alice@poplar.test>',
    `Subject: ${HOSTILE_SUBJECT}`,
    'Date: Wed, 03 Jan 2024 09:30:00 +0000',
    `Message-ID: ${HOSTILE_MESSAGE_ID}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Your parcel could not be delivered. Open the formatted version to see the details.',
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...hostileHtml(origin).split('\n'),
    `--${boundary}--`,
    '',
  ];
  return { index, messageId: HOSTILE_MESSAGE_ID, bytes: Buffer.from(lines.join('\r\n'), 'utf8') };
}
