/**
 * The demo's sample mail is mail Poplar reads: every message parses with the preview extractor (subjects in
 * their languages, senders, dates within the two weeks before the given moment) and, whole, with the MIME parser
 * the reading pane uses. No wall clock: `now` is fixed.
 */
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { decodeEncodedWords } from '../../../app/mail/encoded-words.ts';
import { parseDate } from '../../../app/mail/dates.ts';
import { extractPreview } from '../../../app/mail/preview.ts';
import { encodedWords, quotedPrintable, rfc5322Date } from '../../../main/demo/compose.ts';
import { picture } from '../../../main/demo/pictures.ts';
import { arrivingMessage, SAMPLE_ATTACHMENT, sampleMail } from '../../../main/demo/sample-mail.ts';

const NOW = Date.UTC(2025, 2, 10, 12, 30);
const DAY = 86_400_000;
const mail = sampleMail({ now: NOW, imageBase: 'http://127.0.0.1:9' });
const previews = mail.map((m) => ({ uid: m.uid, preview: extractPreview(m.bytes) }));
const subjects = previews.map((p) => p.preview.subject);

function headerBlock(bytes: Buffer): string {
  const end = bytes.indexOf('\r\n\r\n');
  return bytes.subarray(0, end).toString('latin1');
}

describe('the sample mail', () => {
  it('is about 25 messages with distinct unique-ids and Message-IDs, oldest first', () => {
    expect(mail.length).toBeGreaterThanOrEqual(20);
    expect(mail.length).toBeLessThanOrEqual(30);
    expect(new Set(mail.map((m) => m.uid)).size).toBe(mail.length);
    expect(new Set(previews.map((p) => p.preview.messageId)).size).toBe(mail.length);
    const dates = previews.map((p) => p.preview.date ?? Number.NaN);
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });

  it('parses: every message has a subject, a sender and a date in the two weeks before now', () => {
    for (const { uid, preview } of previews) {
      expect(preview.subject, uid).not.toBe('');
      expect(preview.from[0]?.address, uid).toMatch(/@([a-z-]+\.)*(example|example\.org|example\.net)$/);
      expect(preview.date, uid).toBeGreaterThanOrEqual(NOW - 14 * DAY);
      expect(preview.date, uid).toBeLessThanOrEqual(NOW);
      expect(preview.previewText, uid).not.toBe('');
    }
  });

  it('has subjects in several languages and charsets, decoded', () => {
    expect(subjects).toEqual(
      expect.arrayContaining([
        'Kurze Frage zur Maßstabsleiste',
        '配色案: 港湾図の新しいパレット',
        'Relevés de la côte — version corrigée',
        'Zdjęcia z terenu: przystań i falochron',
        '¿Reunión del lunes? Orden del día',
        '⚓ The Contour Line #48: Mapping the tides',
      ]),
    );
    const names = previews.map((p) => p.preview.from[0]?.name);
    expect(names).toEqual(expect.arrayContaining(['Léa Fontaine', 'Piotr Zieliński', 'Νίκος Παπαδάκης']));
  });

  it('writes headers in ASCII, lines ending in CRLF, none longer than RFC 5322 allows', () => {
    for (const m of mail) {
      // eslint-disable-next-line no-control-regex -- the header block must be 7-bit
      expect(headerBlock(m.bytes), m.uid).toMatch(/^[\x00-\x7f]*$/);
      const text = m.bytes.toString('latin1');
      expect(text.replace(/\r\n/g, ''), m.uid).not.toMatch(/[\r\n]/);
      expect(Math.max(...text.split('\r\n').map((l) => l.length)), m.uid).toBeLessThanOrEqual(998);
      expect(text.endsWith('\r\n'), m.uid).toBe(true);
    }
  });

  it('holds a long thread linked by In-Reply-To and References', () => {
    const thread = previews.filter((p) => p.preview.subject.endsWith('Harbour map v3: print proofs'));
    expect(thread.length).toBeGreaterThanOrEqual(6);
    const last = mail.find((m) => m.uid === thread[thread.length - 1]?.uid);
    expect(headerBlock(last?.bytes ?? Buffer.alloc(0))).toMatch(/References: <proofs-1@mail\.fernhill\.example>/);
  });

  it('has a line starting with a dot, for dot-stuffing to matter', () => {
    expect(mail.some((m) => /\r\n\./.test(m.bytes.toString('utf8')))).toBe(true);
  });

  it('is the same for the same moment', () => {
    const again = sampleMail({ now: NOW, imageBase: 'http://127.0.0.1:9' });
    expect(again.map((m) => m.bytes.toString('base64'))).toEqual(mail.map((m) => m.bytes.toString('base64')));
  });

  it('parses whole with the reading pane’s MIME parser: HTML with inline and remote images, an attachment', async () => {
    const parsed = await Promise.all(mail.map((m) => PostalMime.parse(m.bytes)));
    const html = parsed.filter((e) => e.html !== undefined);
    expect(html.length).toBeGreaterThanOrEqual(3);
    expect(html.some((e) => e.html?.includes('cid:contour-mark@contourline.example'))).toBe(true);
    expect(html.filter((e) => e.html?.includes('src="http://127.0.0.1:9/')).length).toBeGreaterThanOrEqual(3);
    const inline = parsed.flatMap((e) => e.attachments).find((a) => a.contentId === '<contour-mark@contourline.example>');
    expect(inline?.mimeType).toBe('image/png');
    const pdf = parsed.flatMap((e) => e.attachments).find((a) => a.filename === 'INV-0412.pdf');
    expect(pdf?.mimeType).toBe('application/pdf');
    expect(Buffer.from(pdf?.content as ArrayBuffer).equals(SAMPLE_ATTACHMENT)).toBe(true);
    expect(SAMPLE_ATTACHMENT.toString('ascii')).toMatch(/not a document/);
    const invoice = previews.find((p) => p.preview.subject.startsWith('Invoice'));
    expect(invoice?.preview.hasAttachments).toBe(true);
  });

  it('serves every picture its mail asks for from the image server', async () => {
    const html = (await Promise.all(mail.map((m) => PostalMime.parse(m.bytes)))).map((e) => e.html ?? '').join('');
    const names = new Set([...html.matchAll(/127\.0\.0\.1:9\/([a-z0-9-]+)\.png/g)].map((x) => x[1]));
    expect(names.size).toBeGreaterThan(3);
    for (const name of names) expect(picture(name ?? '')?.subarray(1, 4).toString(), name).toBe('PNG');
    expect(picture('constructor')).toBeUndefined();
    expect(picture('nothing-here')).toBeUndefined();
  });
});

describe('arriving mail', () => {
  it('parses, is dated now and gets a unique-id of its run', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 8; n++) {
      const m = arrivingMessage(n, NOW, 'run1');
      const p = extractPreview(m.bytes);
      expect(p.subject).not.toBe('');
      expect(p.date).toBe(NOW - (NOW % 1000));
      seen.add(m.uid);
    }
    expect(seen.size).toBe(8);
    expect(arrivingMessage(0, NOW, 'run2').uid).not.toBe(arrivingMessage(0, NOW, 'run1').uid);
  });
});

describe('the MIME writing helpers', () => {
  it('encodes words that decode back, at most 75 characters each', () => {
    for (const text of ['Grüße aus Köln', '港湾図の新しいパレット、港湾図の新しいパレット、港湾図の新しいパレット', 'a_b=c?d "e"']) {
      for (const enc of ['B', 'Q'] as const) {
        const words = encodedWords(text, enc);
        expect(words.split('\r\n ').every((w) => w.length <= 75)).toBe(true);
        expect(decodeEncodedWords(words.replace(/\r\n /g, ' '))).toBe(text);
      }
    }
    expect(decodeEncodedWords(encodedWords('Maßstab', 'Q', 'ISO-8859-1'))).toBe('Maßstab');
  });

  it('writes dates that parse back to the same moment, in any zone', () => {
    for (const zone of [0, 60, 540, -300, 330]) {
      const date = rfc5322Date(NOW, zone);
      expect(date).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/);
      expect(parseDate(date)).toBe(NOW);
    }
  });

  it('writes quoted-printable lines of at most 76 characters', () => {
    const qp = quotedPrintable(`${'é'.repeat(60)} = trailing \n${'x'.repeat(200)}`);
    expect(qp.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(qp).toContain('=3D');
    expect(qp).not.toMatch(/ \r\n/);
  });
});
