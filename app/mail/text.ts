/**
 * Decoded body text to what a preview shows of it: the line a message list shows (`previewText`), and the first
 * lines the reading pane shows (`firstLines`).
 *
 * The list's line is what the sender wrote, on one line.
 *
 * Quoted-reply lines (`>`) are dropped when the message has text of its own, and so are the attribution line
 * that introduces them ("On …, X wrote:"), a signature after the RFC 3676 §4.3 separator `-- `, and an Outlook
 * reply header ("-----Original Message-----", or "From:" followed by "Sent:"). A message that is all quote keeps
 * the quoted text without its markers. White space collapses to single spaces; invisible characters that
 * newsletters pad their preheaders with, and control characters, go. The result is cut to the cap on a code
 * point boundary.
 */
import { cutChars } from './bytes.ts';

/** Zero-width and filler characters: invisible in a message, noise in a one-line preview. */
const INVISIBLE = /\u034f|\u17b4|\u17b5|[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const WHITE_SPACE = /\s+/g;
const QUOTE_MARKERS = /^(?:>\s*)+/;

const ATTRIBUTION_END = /(?:wrote|writes|schrieb|a écrit|escribió|ha scritto|schreef|skrev|napisał|написал|написала)\s*:$/i;
const ORIGINAL_MESSAGE = /^-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original)\s*-{2,}$/i;
const OUTLOOK_FROM = /^(?:from|von|de)\s?:/i;
const OUTLOOK_SENT = /^(?:sent|date|gesendet|envoyé|enviado)\s?:/i;
const SENTENCE_END = /[.!?:;)"]$/;

function clean(line: string): string {
  return line.replace(INVISIBLE, '').replace(CONTROLS, ' ').replace(WHITE_SPACE, ' ').trim();
}

/** The next line after `i` that is not blank, cleaned, or '' at the end. */
function nextLine(lines: readonly string[], i: number): string {
  for (let j = i + 1; j < lines.length; j++) {
    const line = clean(lines[j] ?? '');
    if (line !== '') return line;
  }
  return '';
}

/** "On …, Alice wrote:", "Le … a écrit :", and German's "Am … schrieb Alice <a@b>:" with the name last. */
function isAttribution(line: string): boolean {
  if (ATTRIBUTION_END.test(line)) return true;
  const lower = line.toLowerCase();
  return lower.startsWith('am ') && lower.endsWith(':') && lower.includes(' schrieb ');
}

/** Where a reply's own text ends and what it replies to begins. */
function isCut(line: string, lines: readonly string[], i: number): boolean {
  if (line === '--' || ORIGINAL_MESSAGE.test(line)) return true;
  return OUTLOOK_FROM.test(line) && OUTLOOK_SENT.test(nextLine(lines, i));
}

/** Builds the preview text from decoded text; `max` is the cap in UTF-16 code units. */
export function previewText(text: string, max: number): string {
  if (!(max > 0)) return '';
  const lines = text.split(/\r\n|\r|\n/);
  const own: string[] = [];
  const quoted: string[] = [];
  let ownLength = 0;
  let quotedLength = 0;
  for (let i = 0; i < lines.length && ownLength <= max; i++) {
    const line = clean(lines[i] ?? '');
    if (line === '') continue;
    if (line.startsWith('>')) {
      if (own.length === 0 && quotedLength <= max) {
        const unquoted = line.replace(QUOTE_MARKERS, '');
        if (unquoted !== '') quoted.push(unquoted);
        quotedLength += unquoted.length + 1;
      }
      continue;
    }
    if (own.length > 0 && isCut(line, lines, i)) break;
    if (isAttribution(line) && nextLine(lines, i).startsWith('>')) {
      // A long attribution wraps: "On Mon, 3 Jan 2022 at 10:00, John Smith <" / "john@example.com> wrote:".
      const previous = own.at(-1);
      if (previous !== undefined && /^on\s/i.test(previous) && !SENTENCE_END.test(previous)) {
        own.pop();
        ownLength -= previous.length + 1;
      }
      continue;
    }
    own.push(line);
    ownLength += line.length + 1;
  }
  return cutChars((own.length > 0 ? own : quoted).join(' '), max).trimEnd();
}

const INVISIBLE_ONE = new RegExp(`^(?:${INVISIBLE.source})$`);

/** White space and the invisible characters above: padding around a line's text. */
function isPadding(code: number): boolean {
  if (code <= 0x20) return true;
  if (code < 0x7f) return false;
  const c = String.fromCharCode(code);
  return /\s/.test(c) || INVISIBLE_ONE.test(c);
}

/** Control characters other than the tab, which keeps its place in a line of text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/;

/** The line without the padding at its end (and at its start, with `trimStart`); '' when it is all padding. */
function trimLine(line: string, trimStart: boolean): string {
  let end = line.length;
  while (end > 0 && isPadding(line.charCodeAt(end - 1))) end--;
  let start = 0;
  if (trimStart || end === 0) while (start < end && isPadding(line.charCodeAt(start))) start++;
  return start === end ? '' : line.slice(start, end);
}

/**
 * The body's first lines as the reading pane shows them under "only the beginning was downloaded": the text with
 * its line breaks (CRLF, CR and LF alike become LF), every paragraph kept, quotes and signatures too. Padding at
 * the end of a line goes (and at its start with `trimIndent`, for text rendered from HTML, whose indentation is
 * markup's, not the sender's); a line of padding only is blank, and blank lines collapse to one. Control
 * characters other than the tab become spaces. Cut to `max` UTF-16 code units on a code point boundary; the work
 * is linear, and stops once the cap is reached.
 */
export function firstLines(text: string, max: number, trimIndent = false): string {
  if (!(max > 0)) return '';
  const out: string[] = [];
  let length = 0;
  let blank = false;
  for (const raw of text.split(LINE_BREAKS)) {
    if (length > max) break;
    const line = trimLine(raw.replace(LINE_CONTROLS, ' '), trimIndent);
    if (line === '') {
      blank = out.length > 0;
      continue;
    }
    if (blank) {
      out.push('');
      length += 1;
    }
    blank = false;
    out.push(line);
    length += line.length + 1;
  }
  return trimLine(cutChars(out.join('\n'), max), false);
}
