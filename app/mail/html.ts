/**
 * HTML to the plain text a preview needs: tags dropped, `<script>`, `<style>`, `<title>` and comments dropped
 * with their contents, block elements as line breaks, `<blockquote>` content as `> ` lines (so the quoted-reply
 * rule of text.ts applies alike), and character references decoded. Not an HTML parser: one forward scan, linear,
 * that never throws on broken markup; an unclosed `<script>` or attribute quote swallows the rest, as in a browser.
 */
import { decodeCharset } from './charsets.ts';

/** Elements whose content is never text to show: HTML's raw text elements, the title, Outlook's `<xml>` islands. */
const SKIPPED = new Set(['script', 'style', 'title', 'template', 'xml']);

/** Elements that start or end a line of rendered text. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p',
  'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);

/** Blocks a browser sets apart by a margin: a blank line before and after them in text. */
const PARAGRAPHS = new Set(['blockquote', 'dl', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'ol', 'p', 'pre', 'table', 'ul']);

/** The named character references mail actually uses; any other stays as written. */
const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '\u00ad', zwnj: '\u200c', zwj: '\u200d',
  ndash: '\u2013', mdash: '\u2014', hellip: '\u2026', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c',
  rdquo: '\u201d', sbquo: '\u201a', bdquo: '\u201e', laquo: '\u00ab', raquo: '\u00bb', bull: '\u2022',
  middot: '\u00b7', copy: '\u00a9', reg: '\u00ae', trade: '\u2122', euro: '\u20ac', pound: '\u00a3', yen: '\u00a5',
  cent: '\u00a2', sect: '\u00a7', deg: '\u00b0', times: '\u00d7', divide: '\u00f7', ensp: '\u2002', emsp: '\u2003',
  thinsp: '\u2009', auml: '\u00e4', ouml: '\u00f6', uuml: '\u00fc', Auml: '\u00c4', Ouml: '\u00d6', Uuml: '\u00dc',
  szlig: '\u00df', eacute: '\u00e9', egrave: '\u00e8', agrave: '\u00e0', ccedil: '\u00e7',
};

/** The references that browsers also accept without the `;` (HTML's legacy references, the common ones). */
const LEGACY = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg']);

const REFERENCE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]{0,31}))(;?)/g;

function codePoint(n: number): string {
  // HTML §13.2.5.80: NUL, surrogates and values past U+10FFFF are errors shown as U+FFFD; 0x80-0x9F are read as
  // windows-1252, which is what pages that write them mean.
  if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd';
  if (n >= 0x80 && n <= 0x9f) return decodeCharset(Uint8Array.of(n), 'windows-1252');
  return String.fromCodePoint(n);
}

/** Decodes character references (`&amp;`, `&#39;`, `&#x2019;`); unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, dec?: string, hex?: string, name?: string, semi?: string) => {
    if (dec !== undefined) return codePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return codePoint(Number.parseInt(hex, 16));
    const value = name === undefined ? undefined : ENTITIES[name];
    if (value === undefined || name === undefined || (semi === '' && !LEGACY.has(name))) return whole;
    return value;
  });
}

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x3a;
}

/** The index of the `>` ending the tag whose attributes start at `i`, honouring quoted attribute values. */
function tagEnd(html: string, i: number): number {
  while (i < html.length) {
    const c = html.charAt(i);
    if (c === '>') return i;
    if (c === '=') {
      let j = i + 1;
      while (j < html.length && /\s/.test(html.charAt(j))) j++;
      const quote = html.charAt(j);
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, j + 1);
        // An attribute quote that never closes: read the tag as ending at the next '>' instead of never.
        if (close === -1) return html.indexOf('>', j);
        i = close + 1;
        continue;
      }
      i = j;
      continue;
    }
    i++;
  }
  return -1;
}

/** The index just past `</name…>` at or after `from`, compared without regard to case; -1 when there is none. */
function afterClosing(html: string, name: string, from: number): number {
  let at = html.indexOf('</', from);
  while (at !== -1) {
    const candidate = html.slice(at + 2, at + 2 + name.length).toLowerCase();
    if (candidate === name && !isNameChar(html.charCodeAt(at + 2 + name.length))) {
      const end = html.indexOf('>', at);
      return end === -1 ? html.length : end + 1;
    }
    at = html.indexOf('</', at + 2);
  }
  return -1;
}

/**
 * Converts HTML to lines of text, `> `-prefixed inside `<blockquote>`: a block element ends a line, one that a
 * browser sets apart by a margin (a paragraph, a heading, a list, a table) leaves a blank line, `<br>` breaks the
 * line, and `<pre>` keeps its line breaks and spaces. No line break comes before the first text or after the last.
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  // Mutated by the closures below, hence an object rather than lets TypeScript would narrow wrongly.
  // `breaks`: line breaks owed before the next text (at most 2: a blank line); dropped before the first text.
  const state = { quoteDepth: 0, preDepth: 0, lineStart: true, started: false, breaks: 0 };
  const flush = (): void => {
    if (state.started && state.breaks > 0) {
      out.push(state.breaks > 1 ? '\n\n' : '\n');
      state.lineStart = true;
    }
    state.breaks = 0;
  };
  const put = (text: string): void => {
    if (state.lineStart && state.quoteDepth > 0) out.push('> ');
    out.push(text);
    state.lineStart = false;
    state.started = true;
  };
  const emitPre = (raw: string): void => {
    const lines = decodeEntities(raw).split(/\r\n|\r|\n/);
    lines.forEach((line, i) => {
      if (i > 0) state.breaks = Math.min(2, state.breaks + 1);
      if (line === '') return;
      flush();
      put(line);
    });
  };
  const emit = (raw: string): void => {
    if (state.preDepth > 0) {
      emitPre(raw);
      return;
    }
    const text = decodeEntities(raw.replace(/\s+/g, ' '));
    if (text.trim() === '') {
      if (!state.lineStart && state.breaks === 0 && text !== '') out.push(' ');
      return;
    }
    flush();
    put(state.lineStart ? text.trimStart() : text);
  };
  const block = (name: string): void => {
    state.breaks = Math.max(state.breaks, PARAGRAPHS.has(name) ? 2 : 1);
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      emit(html.slice(i));
      break;
    }
    if (lt > i) emit(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    const closing = html.charAt(lt + 1) === '/';
    const nameStart = lt + (closing ? 2 : 1);
    let nameEnd = nameStart;
    while (nameEnd < html.length && isNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    const first = html.charCodeAt(nameStart);
    const letter = (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a);
    // HTML §13.2.5.6: a tag name starts with an ASCII letter; "<!" and "<?" start markup to skip.
    if (!letter && !(!closing && (first === 0x21 || first === 0x3f))) {
      emit('<'); // a '<' that starts no tag ("a < b") is text
      i = lt + 1;
      continue;
    }
    const end = tagEnd(html, nameEnd);
    if (end === -1) break; // an unclosed tag: the rest is inside it
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    i = end + 1;
    if (!closing && SKIPPED.has(name)) {
      const after = afterClosing(html, name, i);
      i = after === -1 ? html.length : after;
      continue;
    }
    if (name === 'blockquote') state.quoteDepth = Math.max(0, state.quoteDepth + (closing ? -1 : 1));
    if (name === 'pre') state.preDepth = Math.max(0, state.preDepth + (closing ? -1 : 1));
    if (name === 'br') state.breaks = Math.min(2, state.breaks + 1);
    else if (BLOCKS.has(name)) block(name);
    else if (name === 'img' && !state.lineStart && state.breaks === 0) out.push(' ');
  }
  return out.join('');
}
