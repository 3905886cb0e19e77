/**
 * The demo's mailbox: about two weeks of mail to Robin Ashdown at Fernhill Maps, a small (and fictional) studio
 * that makes hiking and harbour maps, from the team and a few services. Everything here is invented for the demo;
 * every domain is under `.example` (RFC 2606), so no address or link in it reaches anyone.
 *
 * The mail shows what Poplar has to cope with: plain text and HTML, newsletters with inline and remote images, an
 * attachment, subjects in several languages and charsets (RFC 2047), a long thread, lines that start with a dot.
 * Dates are relative to `now`, so the mailbox always looks recent; the bytes are otherwise the same every run.
 */
import type { DemoMessage } from './demo-server.ts';
import { binaryPart, compose, encodedWords, field, mailbox, multipart, rfc5322Date, textPart, type Part } from './compose.ts';
import { contourMap } from './pictures.ts';

export interface SampleOptions {
  /** Epoch ms; the messages are dated before it. */
  readonly now: number;
  /** Where the newsletters' remote images live (the demo serves them on loopback); no trailing slash. */
  readonly imageBase?: string;
}

interface Person {
  readonly name: string;
  readonly address: string;
  /** The sender's clock, minutes east of UTC, for the Date header. */
  readonly zone: number;
  /** The display name as it goes in the header, when it needs RFC 2047. */
  readonly encodedName?: string;
}

export const ROBIN: Person = { name: 'Robin Ashdown', address: 'robin@fernhill.example', zone: 0 };
const MARTA: Person = { name: 'Marta Quintero', address: 'marta@fernhill.example', zone: 60 };
const JONAS: Person = { name: 'Jonas Brenner', address: 'jonas@fernhill.example', zone: 60 };
const AIKO: Person = { name: 'Aiko Tanabe', address: 'aiko@fernhill.example', zone: 540 };
const LEA: Person = { name: 'Léa Fontaine', address: 'lea@fernhill.example', zone: 60, encodedName: encodedWords('Léa Fontaine', 'Q') };
const PIOTR: Person = {
  name: 'Piotr Zieliński',
  address: 'piotr@fernhill.example',
  zone: 60,
  encodedName: encodedWords('Piotr Zieliński', 'B'),
};
const SAM: Person = { name: 'Sam Okafor', address: 'sam@fernhill.example', zone: 0 };
const NELL: Person = { name: 'Nell Ashdown', address: 'nell.ashdown@example.net', zone: 0 };
const NIKOS: Person = {
  name: 'Νίκος Παπαδάκης',
  address: 'nikos@example.org',
  zone: 120,
  encodedName: encodedWords('Νίκος Παπαδάκης', 'B'),
};
const HANNE: Person = { name: 'Hanne Lund', address: 'hanne.lund@example.org', zone: 60 };
const CONTOUR: Person = { name: 'The Contour Line', address: 'letters@contourline.example', zone: -300 };
const BRAMBLE: Person = { name: 'Bramble & Quire', address: 'hello@bramblequire.example', zone: 0 };
const INKWELL: Person = { name: 'Inkwell Print Co.', address: 'billing@inkwellprint.example', zone: 0 };
const QUILLSTACK: Person = { name: 'Quillstack', address: 'notifications@quillstack.example', zone: 0 };
const PARCELBIRD: Person = { name: 'Parcelbird', address: 'tracking@parcelbird.example', zone: 60 };
const BANK: Person = { name: 'Harbourside Bank', address: 'statements@harbourside-bank.example', zone: 0 };

const TEAM = 'studio@fernhill.example';
const MINUTE = 60_000;

interface Letter {
  /** Stable: gives the UIDL and the Message-ID, so a message is the same message every run. */
  readonly id: string;
  readonly from: Person;
  readonly to?: string;
  readonly cc?: string;
  /** Plain text; non-ASCII goes out as RFC 2047 B words unless `encodedSubject` says how. */
  readonly subject: string;
  readonly encodedSubject?: string;
  /** Minutes before now. */
  readonly ago: number;
  readonly replyTo?: readonly string[];
  readonly extra?: readonly string[];
  readonly body: Part;
}

const ago = (days: number, hours = 0, minutes = 0): number => (days * 24 + hours) * 60 + minutes;
const messageId = (id: string): string => `<${id}@mail.fernhill.example>`;
const ascii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

function letter(l: Letter, now: number): DemoMessage {
  const from = mailbox(l.from.encodedName ?? l.from.name, l.from.address);
  const subject = l.encodedSubject ?? (ascii(l.subject) ? l.subject : encodedWords(l.subject, 'B'));
  const thread =
    l.replyTo === undefined || l.replyTo.length === 0
      ? []
      : [`In-Reply-To: ${messageId(l.replyTo[l.replyTo.length - 1] ?? '')}`, field('References', l.replyTo.map(messageId).join(' '))];
  const fields = [
    `Return-Path: <${l.from.address}>`,
    field('From', from),
    field('To', l.to ?? mailbox(ROBIN.name, ROBIN.address)),
    ...(l.cc === undefined ? [] : [field('Cc', l.cc)]),
    l.encodedSubject !== undefined || !ascii(l.subject) ? `Subject: ${subject}` : field('Subject', subject),
    `Date: ${rfc5322Date(now - l.ago * MINUTE, l.from.zone)}`,
    `Message-ID: ${messageId(l.id)}`,
    ...thread,
    ...(l.extra ?? []),
  ];
  return { uid: `fernhill-${l.id}`, bytes: compose(fields, l.body) };
}

const plain = (text: string): Part => textPart(text.replace(/^\n/, ''));

// ---------------------------------------------------------------------------------------------------------------
// The long thread: print proofs of the harbour map, over a week.

const PROOFS = 'Harbour map v3: print proofs';
const THREAD_IDS = ['proofs-1', 'proofs-2', 'proofs-3', 'proofs-4', 'proofs-5', 'proofs-6', 'proofs-7', 'proofs-8'];
const quote = (who: string, text: string): string =>
  `\n${who} wrote:\n${text.trim().split('\n').map((line) => (line === '' ? '>' : `> ${line}`)).join('\n')}\n`;

const P1 = `
Hi all,

The proofs of the harbour map (v3) came back from Inkwell this morning. There are
two sets on the big table: sheet A (the town quay and the marina) and sheet B (the
outer harbour and the approach channel).

First impressions:

- The paper is right, and the folds land where we planned.
- The blues in the shallows look heavier than on screen.
- The scale bar on sheet B sits on top of the compass rose.
- A few depth labels seem to be missing around the breakwater.

Could everyone have a look before Thursday and reply here, so we keep it in one
place? I would like to send corrections back by the end of next week.

Marta
`;
const P2 = `
The shallows are definitely too dark. On the proof the 2 m and 5 m bands almost
merge, which is the one thing a sailor needs to tell apart. I'll try a lighter
first band and a little more contrast between the next two. I'll send a new
palette tomorrow; I want to check it under the daylight lamp first.

Aiko
`;
const P3 = `
Confirmed on the labels: on sheet B, every 5 m contour east of the breakwater
has lost its label. Sheet A looks complete. It smells like the export, not the
drawing: the labels are all there in the source file.

I also found one real mistake of mine: the fuel berth is drawn on the wrong side
of the pontoon. I'll fix that today.

Léa
`;
const P4 = `
Found it. The label filter in the export drops every label shorter than three
characters, which was meant for stray dots and dashes, not for "5" or "10".
Quillstack has the fix as pull request #87; I'll merge it once the build is green
and re-export sheet B tonight.

Jonas
`;
const P5 = `
Thanks, all. Given the palette change and the re-export, let's move the
correction deadline to Friday. Sam, could you check with Inkwell whether they
can still print in the week after?

Marta
`;
const P6 = `
New palette is in the shared folder as harbour-v3-palette-2. The first band is
lighter, and the 5 m line is now a full tone darker than the 2 m line, so the two
read apart even in poor light. I also checked it with a colour-blindness
simulator: fine for the common types.

Aiko
`;
const P7 = `
Inkwell can print on Thursday next week if we send the files by Friday noon.
The reprint of sheet B is on them (their plate, their mistake), so the price
stays as quoted. They will send a new proof of sheet B only.

Sam
`;
const P8 = `
I've seen the new sheet B: labels back, shallows readable, scale bar moved clear
of the compass rose. Approved from my side. Thank you, everyone, this was quick
and careful work.

Sam, please send the files to Inkwell.

Marta
`;

function thread(): Letter[] {
  const posts: readonly (readonly [Person, number, string, string])[] = [
    [MARTA, ago(10, 3, 12), P1, 'Marta Quintero'],
    [AIKO, ago(9, 20, 5), P2, 'Aiko Tanabe'],
    [LEA, ago(9, 6, 41), P3, 'Léa Fontaine'],
    [JONAS, ago(8, 22, 18), P4, 'Jonas Brenner'],
    [MARTA, ago(8, 4, 2), P5, 'Marta Quintero'],
    [AIKO, ago(7, 1, 33), P6, 'Aiko Tanabe'],
    [SAM, ago(5, 23, 50), P7, 'Sam Okafor'],
    [MARTA, ago(3, 2, 7), P8, 'Marta Quintero'],
  ];
  return posts.map(([from, when, text], i) => {
    const previous = posts[i - 1];
    const quoted = previous === undefined ? '' : quote(previous[3], previous[2]);
    return {
      id: THREAD_IDS[i] ?? `proofs-${i + 1}`,
      from,
      to: TEAM,
      subject: i === 0 ? PROOFS : `Re: ${PROOFS}`,
      ago: when,
      replyTo: THREAD_IDS.slice(0, i),
      body: plain(text + quoted),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Newsletters and services.

function contourLine(imageBase: string): Letter {
  const text = `
THE CONTOUR LINE, issue 48: Mapping the tides

A chart shows the sea at one moment; a harbour lives by the hour. This issue is
about drawing water that will not keep still: tidal ranges, drying heights, and
how three small publishers show them without cluttering the page.

Also inside: a reader's tip for labelling narrow channels, and the winners of
our autumn sketch-map challenge.

Read it in a browser: https://contourline.example/issues/48
You get this letter because you subscribed at contourline.example.
Unsubscribe: https://contourline.example/u/robin
`;
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>The Contour Line #48</title>
<style>
  body { margin: 0; background: #eef2ec; font-family: Georgia, 'Times New Roman', serif; color: #1f2a24; }
  .sheet { max-width: 600px; margin: 0 auto; background: #ffffff; }
  .masthead { padding: 18px 24px; border-bottom: 3px double #6b8f71; }
  .masthead img { vertical-align: middle; border-radius: 6px; }
  .masthead span { font-size: 26px; letter-spacing: 1px; margin-left: 12px; vertical-align: middle; }
  .hero { width: 100%; height: auto; display: block; }
  h1 { font-size: 24px; margin: 20px 24px 8px; }
  p { margin: 0 24px 14px; line-height: 1.55; font-size: 16px; }
  .tip { margin: 18px 24px; padding: 12px 16px; background: #f4f0e2; border-left: 4px solid #c9a227; }
  .foot { font: 12px/1.5 Arial, sans-serif; color: #5d6b62; padding: 16px 24px 24px; }
  a { color: #2f6b4f; }
</style></head>
<body>
<div class="sheet">
  <div class="masthead"><img src="cid:contour-mark@contourline.example" width="48" height="48" alt=""><span>The Contour Line</span></div>
  <img class="hero" src="${imageBase}/contour-hero.png" width="600" alt="A contour map of two hills by the sea">
  <h1>Mapping the tides</h1>
  <p>A chart shows the sea at one moment; a harbour lives by the hour. This issue is about drawing water that
  will not keep still: tidal ranges, drying heights, and how three small publishers show them without cluttering
  the page.</p>
  <p>The trick most of them share is restraint. One tint for water that never dries, one for the banks that do,
  and the drying heights as small underlined numbers, which sailors read at a glance.</p>
  <div class="tip"><strong>Reader's tip.</strong> Label a narrow channel along its centre line, in the direction
  a boat would travel, and let the letters spread out rather than shrink.</div>
  <p>Also in this issue: the winners of our autumn sketch-map challenge, and a short guide to printing maps that
  survive being folded thirty times.</p>
  <p><a href="https://contourline.example/issues/48">Read the whole issue</a></p>
  <div class="foot">You get this letter because you subscribed at contourline.example.
  <a href="https://contourline.example/u/robin">Unsubscribe</a><img src="${imageBase}/pixel.png?r=48-robin" width="1" height="1" alt=""></div>
</div>
</body></html>
`;
  return {
    id: 'contour-48',
    from: CONTOUR,
    subject: '⚓ The Contour Line #48: Mapping the tides',
    ago: ago(6, 9, 0),
    extra: ['List-Unsubscribe: <https://contourline.example/u/robin>', 'Precedence: bulk'],
    body: multipart('alternative', 'contour-48-alt', [
      textPart(text.replace(/^\n/, ''), { transfer: 'quoted-printable' }),
      multipart('related', 'contour-48-rel', [
        textPart(html, { subtype: 'html', transfer: 'quoted-printable' }),
        binaryPart('image/png; name="contour-mark.png"', contourMap(96, 96, 3), [
          'Content-ID: <contour-mark@contourline.example>',
          'Content-Disposition: inline; filename="contour-mark.png"',
        ]),
      ]),
    ]),
  };
}

function brambleSale(imageBase: string): Letter {
  const books: readonly (readonly [string, string, string, string])[] = [
    ['cover-atlas', 'The Walker’s Atlas of the North Coast', '£24.00', '£19.20'],
    ['cover-rivers', 'Rivers, Weirs and Fords: a Field Guide', '£16.50', '£13.20'],
    ['cover-islands', 'Small Islands, Drawn by Hand', '£30.00', '£24.00'],
    ['cover-stars', 'Finding North Without a Compass', '£12.00', '£9.60'],
  ];
  const cells = books
    .map(
      ([image, title, was, now]) => `<td style="width:25%;padding:6px;vertical-align:top;text-align:center">
  <img src="${imageBase}/${image}.png" width="96" height="136" alt="Cover of ${title}" style="display:block;margin:0 auto 8px;max-width:100%;height:auto">
  <div style="font:bold 13px Arial,sans-serif">${title}</div>
  <div style="font:13px Arial,sans-serif;color:#8a3b12"><s style="color:#888">${was}</s> ${now}</div></td>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html><head><meta charset="utf-8"></head>
<body style="margin:0;background:#f7f3ee">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#fffdf9;font-family:Arial,sans-serif;color:#2b2320">
<tr><td style="padding:20px 24px;border-bottom:1px solid #e6dccf">
  <img src="${imageBase}/bramble-logo.png" width="48" height="48" alt="" style="vertical-align:middle">
  <span style="font:bold 22px Georgia,serif;vertical-align:middle;margin-left:10px">Bramble &amp; Quire</span>
  <div style="font-size:12px;color:#7a6d63;margin-top:6px">Books for people who go outside</div></td></tr>
<tr><td style="padding:24px">
  <h1 style="font:bold 24px Georgia,serif;margin:0 0 8px">Atlases and field guides: 20% off this week</h1>
  <p style="font-size:15px;line-height:1.5;margin:0 0 16px">The evenings are drawing in, which is the best time to plan next
  year's walks. Until Sunday, every atlas and field guide in the shop is 20% off, in store and online.</p>
  <table role="presentation" width="100%"><tr>
${cells}
  </tr></table>
  <p style="text-align:center;margin:24px 0"><a href="https://bramblequire.example/sale" style="background:#8a3b12;color:#fff;padding:12px 22px;border-radius:4px;text-decoration:none;font-weight:bold">See the whole sale</a></p>
</td></tr>
<tr><td style="padding:16px 24px;font-size:11px;color:#7a6d63;border-top:1px solid #e6dccf">Bramble &amp; Quire, 4 Mill Lane (a fictional shop).
You receive this because you bought a book from us. <a href="https://bramblequire.example/unsubscribe" style="color:#7a6d63">Unsubscribe</a>
<img src="${imageBase}/pixel.png?c=autumn-sale" width="1" height="1" alt=""></td></tr>
</table></td></tr></table>
</body></html>
`;
  const text = `
Bramble & Quire: atlases and field guides, 20% off this week

The evenings are drawing in, which is the best time to plan next year's walks.
Until Sunday, every atlas and field guide in the shop is 20% off.

${books.map(([, title, was, now]) => `- ${title}: ${now} (was ${was})`).join('\n')}

See the whole sale: https://bramblequire.example/sale
Unsubscribe: https://bramblequire.example/unsubscribe
`;
  return {
    id: 'bramble-autumn',
    from: BRAMBLE,
    subject: 'Atlases and field guides: 20% off this week',
    ago: ago(4, 7, 45),
    extra: ['List-Unsubscribe: <https://bramblequire.example/unsubscribe>', 'Precedence: bulk'],
    body: multipart('alternative', 'bramble-alt-7f2c', [
      textPart(text.replace(/^\n/, ''), { transfer: 'quoted-printable' }),
      textPart(html, { subtype: 'html', transfer: 'base64' }),
    ]),
  };
}

function parcelShipped(imageBase: string): Letter {
  const html = `<!doctype html>
<html><body style="margin:0;font-family:Verdana,sans-serif;background:#fff8ef;color:#3a2b1b">
<div style="max-width:520px;margin:0 auto;padding:24px">
  <p><img src="${imageBase}/parcelbird-logo.png" width="40" height="40" alt="Parcelbird"></p>
  <h2 style="margin:8px 0">Your parcel is on its way</h2>
  <p>Good news: your parcel from <b>Inkwell Print Co.</b> left our depot this morning.</p>
  <table style="border-collapse:collapse;font-size:14px">
    <tr><td style="padding:4px 12px 4px 0;color:#8a7660">Tracking number</td><td>PB 4417 2093 55</td></tr>
    <tr><td style="padding:4px 12px 4px 0;color:#8a7660">Expected</td><td>tomorrow, between 10:00 and 14:00</td></tr>
    <tr><td style="padding:4px 12px 4px 0;color:#8a7660">Deliver to</td><td>Fernhill Maps, studio 3</td></tr>
  </table>
  <p><a href="https://parcelbird.example/t/PB4417209355" style="color:#c2410c">Follow your parcel</a></p>
  <p style="font-size:11px;color:#8a7660">Parcelbird will never ask you for a password or a payment by email.</p>
</div></body></html>
`;
  return {
    id: 'parcel-shipped',
    from: PARCELBIRD,
    subject: 'Your parcel from Inkwell Print Co. is on its way',
    ago: ago(1, 16, 20),
    body: textPart(html, { subtype: 'html', transfer: 'quoted-printable' }),
  };
}

/** Clearly not a PDF: a few bytes with a PDF's first line, saying what they are. */
export const SAMPLE_ATTACHMENT = Buffer.from(
  '%PDF-1.4\n' +
    '% Poplar demo: this file stands in for a PDF invoice. It is a few sample bytes, not a document,\n' +
    '% and no PDF reader will open it. Inkwell Print Co. and invoice INV-0412 are invented.\n' +
    '%%EOF\n',
  'ascii',
);

function invoice(): Letter {
  return {
    id: 'inkwell-inv-0412',
    from: INKWELL,
    cc: mailbox(SAM.name, SAM.address),
    subject: 'Invoice INV-0412: harbour map proofs',
    ago: ago(7, 5, 10),
    body: multipart('mixed', 'inkwell-0412', [
      plain(`
Dear Robin,

Please find attached invoice INV-0412 for the proof run of the harbour map
(two sheets, four copies each, on 90 g wet-strength paper).

  Proofs, sheet A and sheet B ......... 86.00
  Courier ............................. 12.50
  Total due in 30 days ................ 98.50

(Demo note: the attached PDF is a stand-in made of a few sample bytes. It is
not a real document and will not open.)

With thanks,
Inkwell Print Co., accounts
`),
      binaryPart('application/pdf; name="INV-0412.pdf"', SAMPLE_ATTACHMENT, ['Content-Disposition: attachment; filename="INV-0412.pdf"']),
    ]),
  };
}

function notifications(): Letter[] {
  const repo = '[fernhill/tiles]';
  return [
    {
      id: 'quillstack-build-412',
      from: QUILLSTACK,
      subject: `${repo} Build #412 failed on main`,
      ago: ago(8, 23, 40),
      extra: ['X-Quillstack-Reason: build'],
      body: plain(`
Build #412 of fernhill/tiles failed on main (commit 3e1c9a0, "Export: filter
stray label glyphs").

  step                 result     time
  install              passed      41 s
  lint                 passed      12 s
  test                 FAILED      58 s
  export-sample        skipped

Failing test: labels › keeps depth labels of one and two digits
  expected 214 labels on sheet B, found 167

See the whole log: https://quillstack.example/fernhill/tiles/builds/412
You get this because you watch fernhill/tiles.
`),
    },
    {
      id: 'quillstack-pr-87',
      from: QUILLSTACK,
      subject: `${repo} Pull request #87 merged: keep short labels in the export`,
      ago: ago(8, 19, 2),
      extra: ['X-Quillstack-Reason: review_requested'],
      body: plain(`
Jonas Brenner merged pull request #87 into main.

  Keep short labels in the export

  The glyph filter now drops only labels without a letter or a digit, so depth
  labels such as "5" and "10" survive. Adds a test with sheet B's labels.

  2 files changed, 31 additions, 6 deletions

Build #413 passed.
View it on Quillstack: https://quillstack.example/fernhill/tiles/pull/87
`),
    },
  ];
}

function mailingList(): Letter[] {
  const list = ['List-Id: Harbour charts discussion <harbour-charts.lists.example.org>', 'List-Post: <mailto:harbour-charts@lists.example.org>'];
  const to = 'harbour-charts@lists.example.org';
  return [
    {
      id: 'list-tides-1',
      from: HANNE,
      to,
      subject: '[harbour-charts] Tide tables as GeoJSON?',
      ago: ago(12, 4, 30),
      extra: list,
      body: plain(`
Hello list,

Has anyone found a sensible way to ship tide tables next to a harbour chart as
GeoJSON? We have high and low water for six ports, and I'd rather not invent yet
another format. A point per port with a "tides" array of times and heights is
the obvious shape, but it gets long for a year of data.

Hanne
`),
    },
    {
      id: 'list-tides-2',
      from: NIKOS,
      to,
      subject: 'Re: [harbour-charts] Tide tables as GeoJSON?',
      ago: ago(11, 22, 15),
      replyTo: ['list-tides-1'],
      extra: list,
      body: plain(`
Hanne, we keep the geometry in GeoJSON and the tides in a small CSV per port,
linked by the port's id. Tools that only draw the map ignore the CSV, and the
table stays easy to check by eye. A year for one port is about 1,400 lines.
${quote('Hanne Lund', 'Has anyone found a sensible way to ship tide tables next to a harbour chart as\nGeoJSON?')}
Νίκος
`),
    },
  ];
}

function people(): Letter[] {
  return [
    {
      id: 'jonas-scale-bar',
      from: JONAS,
      subject: 'Kurze Frage zur Maßstabsleiste',
      encodedSubject: encodedWords('Kurze Frage zur Maßstabsleiste', 'Q', 'ISO-8859-1'),
      ago: ago(13, 2, 55),
      body: textPart(
        `Hallo Robin,

kurze Frage zur Maßstabsleiste auf Blatt B: Sollen wir sie in Metern und
Seemeilen zeigen, oder reicht eine Einheit? Ich würde beide nehmen, die
Seemeilen oben. (Sorry for the German, I was writing to my uncle just before.
Short version: metres and nautical miles on the scale bar, or only one?)

Grüße
Jonas
`,
        { charset: 'ISO-8859-1', transfer: 'quoted-printable' },
      ),
    },
    {
      id: 'aiko-palette',
      from: AIKO,
      to: TEAM,
      subject: '配色案: 港湾図の新しいパレット',
      ago: ago(9, 21, 30),
      body: plain(`
(The subject says: "Colour proposal: a new palette for the harbour map".)

Here are the numbers for the new palette, before I send the sheet tomorrow:

  water, never dries    #cfe3ef
  drying, 0 to 2 m      #a9cde3
  2 m to 5 m            #7fb2d4
  5 m and deeper        #4f8fbf
  land                  #f3efe2

The step between 2 m and 5 m is now as large as between the others, which is
what the proof was missing. 明日、昼間の光で確認します。

Aiko
`),
    },
    {
      id: 'lea-coast',
      from: LEA,
      subject: 'Relevés de la côte — version corrigée',
      encodedSubject: encodedWords('Relevés de la côte — version corrigée', 'Q'),
      ago: ago(6, 3, 25),
      body: plain(`
Bonjour Robin,

Voici la version corrigée des relevés de la côte nord : le ponton à carburant
est maintenant du bon côté, et j'ai ajouté les deux bouées qui manquaient à
l'entrée du chenal.

(In English: the corrected coast survey, with the fuel pontoon on the right side
and the two missing buoys at the channel entrance. The file is in the shared
folder, survey-north-v4.)

Bonne journée,
Léa
`),
    },
    {
      id: 'piotr-photos',
      from: PIOTR,
      subject: 'Zdjęcia z terenu: przystań i falochron',
      ago: ago(5, 1, 10),
      body: plain(`
Cześć Robin,

(The subject: "Photos from the field: the marina and the breakwater".)

I walked the whole breakwater yesterday at low water. The photos are in the
shared folder under field/breakwater; the interesting ones are 14 to 22, where
the rocks below the light are much further out than on our draft. I marked the
positions on the printout and will scan it tomorrow.

Weather was kind for once. Next week I'd like to do the slipway by the old
boatyard, if someone can lend me the long tape.

Pozdrawiam,
Piotr
`),
    },
    {
      id: 'marta-monday',
      from: MARTA,
      to: TEAM,
      subject: '¿Reunión del lunes? Orden del día',
      encodedSubject: encodedWords('¿Reunión del lunes? Orden del día', 'Q'),
      ago: ago(2, 6, 48),
      body: plain(`
Hola a todos, and now in English for everyone:

Monday's meeting is at 10:00 in the big room, one hour at most. Agenda:

1. Harbour map v3: files to Inkwell, anything left? (Sam)
2. The web map's legend: Jonas's new styles (Jonas, Aiko)
3. Field work in the next two weeks (Piotr)
4. The trail guide for the spring: first outline (Léa, Robin)

If you'd like to add something, reply before Sunday evening.

Marta
`),
    },
    {
      id: 'jonas-legend-css',
      from: JONAS,
      to: TEAM,
      subject: 'Legend styles for the web map',
      ago: ago(1, 20, 5),
      body: plain(`
Here are the legend styles I'd like to try on the web map. They follow Aiko's
new palette, so the legend and the sheet finally agree.

.legend {
  font: 13px/1.4 "Source Sans", sans-serif;
  padding: 8px 10px;
}
.legend .water-dry { background: #a9cde3; }
.legend .water-2m  { background: #7fb2d4; }
.legend .water-5m  { background: #4f8fbf; }
...

The rest is unchanged. It is live on staging if you want to click around.

Jonas
`),
    },
    {
      id: 'sam-expenses',
      from: SAM,
      subject: 'Expenses for this month, by Friday please',
      ago: ago(0, 22, 15),
      body: plain(`
Hi Robin,

A friendly reminder: please send me your expenses for this month by Friday, so
they go into this month's payroll. Receipts as photos are fine. The train to the
printer last week counts; the coffee on the way does not, sorry.

Thanks!
Sam
`),
    },
    {
      id: 'nell-lunch',
      from: NELL,
      subject: 'Sunday lunch?',
      ago: ago(0, 5, 12),
      body: plain(`
Hi Robin,

Mum asks whether you're coming on Sunday. Lunch at one, and Dad is making the
lemon tart again 🍋 so you have no excuse. Bring the map of the coast path if you
have a spare copy; Dad wants to walk it in the spring.

Love,
Nell
`),
    },
    {
      id: 'bank-statement',
      from: BANK,
      subject: 'Your monthly statement is ready',
      ago: ago(3, 12, 0),
      body: plain(`
Dear customer,

Your statement for the account ending 4471 is ready to view in online banking.

We will never ask for your password, your PIN or a code from your card reader by
email or phone. If a message asks for them, it is not from us.

Harbourside Bank (this bank is invented for the Poplar demo)
`),
    },
  ];
}

/** The mailbox the demo starts with, oldest first, as a POP3 maildrop lists it. */
export function sampleMail(options: SampleOptions): DemoMessage[] {
  const imageBase = options.imageBase ?? 'https://images.fernhill.example';
  const letters = [
    ...thread(),
    ...notifications(),
    ...mailingList(),
    ...people(),
    contourLine(imageBase),
    brambleSale(imageBase),
    parcelShipped(imageBase),
    invoice(),
  ];
  return letters
    .sort((a, b) => b.ago - a.ago)
    .map((l) => letter(l, Math.floor(options.now / MINUTE) * MINUTE));
}

/** Short messages that "arrive" while the demo runs: one every minute, in turn. */
const ARRIVALS: readonly ((n: number) => Omit<Letter, 'id' | 'ago'>)[] = [
  () => ({ from: MARTA, subject: 'Coffee at three?', body: plain('\nThe new place by the harbour, my treat. Anyone?\n\nMarta\n') }),
  (n) => ({
    from: QUILLSTACK,
    subject: `[fernhill/tiles] Build #${420 + n} passed on main`,
    body: plain(`\nBuild #${420 + n} of fernhill/tiles passed on main in 2 min 31 s.\nhttps://quillstack.example/fernhill/tiles/builds/${420 + n}\n`),
  }),
  () => ({
    from: PARCELBIRD,
    subject: 'Delivered: your parcel from Inkwell Print Co.',
    body: plain('\nYour parcel PB 4417 2093 55 was delivered to Fernhill Maps, studio 3, and signed for by S. Okafor.\n'),
  }),
  () => ({ from: AIKO, to: TEAM, subject: 'Legend icons, second try', body: plain('\nSimpler anchors and a clearer slipway icon. Shared folder, legend-icons-2.\n\nAiko\n') }),
  () => ({ from: PIOTR, subject: 'Long tape found', body: plain('\nFound the long tape in the van. Slipway on Tuesday, then.\n\nPiotr\n') }),
  () => ({ from: LEA, subject: 'Ferry timetable changes', body: plain('\nThe winter ferry times start next month; I will update the inset on sheet A.\n\nLéa\n') }),
];

/** The `n`-th message to arrive (from 0), dated `now`. Its unique-id is new for every run (`runId`). */
export function arrivingMessage(n: number, now: number, runId: string): DemoMessage {
  const make = ARRIVALS[n % ARRIVALS.length] ?? ARRIVALS[0];
  if (make === undefined) throw new Error('no arrival templates');
  const id = `new-${runId}-${n}`;
  return letter({ ...make(n), id, ago: 0 }, now);
}
