/**
 * Sample messages for the preview tests, written for these tests: the kinds of mail a POP3 mailbox holds, each
 * with the preview a reader should see.
 */

/** A message from lines joined with CRLF, encoded as UTF-8 (so raw 8-bit header text stays as written). */
export function mail(lines: readonly string[]): Uint8Array {
  return new TextEncoder().encode(lines.join('\r\n'));
}

/** A string of chars U+0000-U+00FF as the bytes they stand for (for windows-1252 and other 8-bit samples). */
export function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The TOP-like prefix of a message: the header block, its empty line, and the first `lines` body lines. */
export function topPrefix(message: Uint8Array, bodyStart: number, lines: number): Uint8Array {
  let end = bodyStart;
  for (let i = 0; i < lines && end < message.length; i++) {
    const lf = message.indexOf(0x0a, end);
    end = lf === -1 ? message.length : lf + 1;
  }
  return message.subarray(0, end);
}

export const PLAIN_ASCII = mail([
  'Return-Path: <alice@example.org>',
  'Received: from mail.example.org (mail.example.org [192.0.2.10])',
  '\tby mx.example.net with ESMTPS id 4F2a1b',
  '\tfor <bob@example.net>; Tue, 14 Mar 2023 09:12:44 +0000',
  'From: Alice Example <alice@example.org>',
  'To: Bob <bob@example.net>',
  'Subject: Lunch on Thursday?',
  'Date: Tue, 14 Mar 2023 09:12:40 +0000',
  'Message-ID: <20230314091240.ABC123@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'Hi Bob,',
  '',
  'Are we still on for lunch on Thursday? The new place on 5th street',
  'opens at noon.',
  '',
  'Alice',
  '',
]);

export const UTF8_EIGHT_BIT = mail([
  'From: Jürgen Müller <juergen@example.de>',
  'To: Zoë Dubois <zoe@example.fr>',
  'Subject: Grüße aus München – Oktoberfest',
  'Date: Sat, 23 Sep 2023 18:30:00 +0200',
  'Message-ID: <b7e1@mail.example.de>',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Hallo Zoë,',
  '',
  'die Weißwürste waren großartig! 🍺 Bis bald.',
  '',
]);

export const RFC2047_SUBJECTS = mail([
  'From: =?ISO-8859-1?Q?Andr=E9_Lef=E8vre?= <andre@example.fr>',
  'To: =?UTF-8?B?5p2O5piO?= <li.ming@example.cn>, "=?utf-8?q?Zo=C3=AB?=" <zoe@example.fr>',
  'Subject: =?UTF-8?B?8J+OiSBQYXJ0eQ==?= =?UTF-8?B?IHRvbmlnaHQ=?=',
  ' =?ISO-8859-1?Q?_=E0_la_maison_de_l=27=E9quipe?=',
  'Date: Fri, 1 Dec 2023 17:05:00 +0100',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'On se retrouve =E0 20h. Apportez du fromage=',
  ' et du vin.',
  '',
]);

export const ALTERNATIVE_QP = mail([
  'From: "Support Team" <support@shop.example>',
  'To: customer@example.com',
  'Subject: Your order #48213 has shipped',
  'Date: Wed, 8 Nov 2023 14:22:31 -0500',
  'Message-ID: <order-48213-shipped@shop.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative;',
  '\tboundary="----=_Part_77_1234567.1699471351000"',
  '',
  'This is a multi-part message in MIME format.',
  '',
  '------=_Part_77_1234567.1699471351000',
  'Content-Type: text/plain; charset=UTF-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Good news =E2=80=93 your order is on its way! Track it at https://shop.exa=',
  'mple/track/48213. Estimated delivery: Friday.',
  '',
  '------=_Part_77_1234567.1699471351000',
  'Content-Type: text/html; charset=UTF-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<p>Good news =E2=80=93 your order is on its way!</p>',
  '------=_Part_77_1234567.1699471351000--',
  '',
]);

export const HTML_NEWSLETTER = mail([
  'From: Weekly Digest <news@digest.example>',
  'To: reader@example.com',
  'Subject: This week: 5 things you missed',
  'Date: Mon, 4 Dec 2023 06:00:00 GMT',
  'List-Unsubscribe: <https://digest.example/u/abc>',
  'Content-Type: text/html; charset="utf-8"',
  'Content-Transfer-Encoding: 7bit',
  '',
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Weekly Digest</title>',
  '<style type="text/css">body{margin:0} .hidden{display:none} td > p {color:#333}</style>',
  '<!--[if mso]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->',
  '</head><body>',
  '<div class="hidden">Five stories, one coffee &#8212; read in 4 minutes&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;</div>',
  '<table><tr><td><h1>Hello&nbsp;reader,</h1></td></tr>',
  '<tr><td><p>Rates &amp; fees &lt;changed&gt; &quot;again&quot; &#39;today&#39; &#x2014; see below.</p></td></tr>',
  '<tr><td><img src="https://t.digest.example/p.gif" width="1" height="1" alt=""></td></tr></table>',
  '<script>var tracking = "<p>not text</p>";</script>',
  '</body></html>',
  '',
]);

export const MIXED_PDF = mail([
  'From: Carol <carol@example.com>',
  'To: Dave <dave@example.com>',
  'Cc: "Finance, Team" <finance@example.com>',
  'Subject: Q3 report',
  'Date: Thu, 12 Oct 2023 11:00:00 +0200',
  'Message-ID: <q3-report@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary=outer42',
  '',
  '--outer42',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Dave, the Q3 report is attached.',
  '',
  '--outer42',
  'Content-Type: application/pdf',
  "Content-Disposition: attachment; filename*=utf-8''Q3%20%E2%82%AC%20report.pdf",
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K',
  '--outer42--',
  '',
]);

/** A base64 text/plain part, and the TOP n 3 response that cuts it in the middle of a line. */
export const BASE64_TEXT_LINES = [
  'From: Erin <erin@example.net>',
  'To: Frank <frank@example.net>',
  'Subject: Travel plans',
  'Date: Sun, 5 Nov 2023 20:45:10 +0000',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  // "Frank — the flight lands at 9:40 on Tuesday. Can you pick me up? Café first, then the hotel.\n"
  'RnJhbmsg4oCUIHRoZSBmbGlnaHQgbGFuZHMgYXQgOTo0MCBvbiBUdWVzZGF5LiBDYW4geW91IHBp',
  'Y2sgbWUgdXA/IENhZsOpIGZpcnN0LCB0aGVuIHRoZSBob3RlbC4K',
  '',
];
export const BASE64_TEXT = mail(BASE64_TEXT_LINES);

export const NO_HEADERS = mail(['Just a body, no header block at all.', 'Second line of it.', '']);
