/**
 * Address lists (RFC 5322 §3.4, with the obsolete forms of §4.4) as they occur in From, To and Cc: mailboxes
 * (`Name <a@b>`, `"Quoted, Name" <a@b>`, `a@b`, `a@b (Comment Name)`), groups (`Team: a@b, c@d;`,
 * `Undisclosed recipients:;`), comments anywhere, and whatever else a server passes on. Nothing here throws:
 * an unterminated quote or comment runs to the end, a missing `>` ends at the next entry, and an entry that has
 * no address keeps its text as a name with an empty address.
 *
 * A group contributes its members; an empty group contributes one entry with its name and an empty address, so
 * that "Undisclosed recipients" can still be shown.
 */
import type { Address } from './types.ts';
import { decodeEncodedWords } from './encoded-words.ts';
import { MAX_ADDRESSES } from './limits.ts';

type Special = '<' | '>' | '@' | ',' | ':' | ';';

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly space: boolean }
  | { readonly kind: 'quoted'; readonly text: string; readonly space: boolean }
  | { readonly kind: 'comment'; readonly text: string; readonly space: boolean }
  | { readonly kind: 'special'; readonly text: Special; readonly space: boolean };

/** Character classes for the tokenizer, by char code (ASCII; everything above is part of an atom). */
const ATOM = 0;
const SPACE = 1;
const SPECIAL = 2;
const OPENER = 3;
const CLASSES = (() => {
  const table = new Uint8Array(128);
  for (const c of ' \t\r\n') table[c.charCodeAt(0)] = SPACE;
  for (const c of '<>@,:;') table[c.charCodeAt(0)] = SPECIAL;
  for (const c of '"(') table[c.charCodeAt(0)] = OPENER;
  return table;
})();
const classOf = (code: number): number => (code < 128 ? (CLASSES[code] ?? ATOM) : ATOM);

/** Reads a quoted string or comment body from `i` (just past the opener); returns its text and the next index. */
function readDelimited(s: string, i: number, nests: boolean): { text: string; next: number } {
  const close = nests ? ')' : '"';
  let text = '';
  let depth = 1;
  let run = i;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c === '\\') {
      text += s.slice(run, i) + s.charAt(i + 1);
      i += 2;
      run = i;
      continue;
    }
    if (nests && c === '(') depth++;
    else if (c === close && --depth === 0) return { text: text + s.slice(run, i), next: i + 1 };
    i++;
  }
  return { text: text + s.slice(run, Math.min(i, s.length)), next: s.length };
}

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let space = false;
  let i = 0;
  while (i < s.length) {
    const code = s.charCodeAt(i);
    const kind = classOf(code);
    if (kind === SPACE) {
      space = true;
      i++;
    } else if (kind === OPENER) {
      const comment = code === 0x28;
      const { text, next } = readDelimited(s, i + 1, comment);
      tokens.push({ kind: comment ? 'comment' : 'quoted', text, space });
      space = comment;
      i = next;
    } else if (kind === SPECIAL) {
      tokens.push({ kind: 'special', text: s.charAt(i) as Special, space });
      space = false;
      i++;
    } else {
      // An atom, dots included ("john.smith", "Q."), or a domain literal "[192.0.2.1]" taken whole.
      let j = i + 1;
      if (code === 0x5b) {
        const close = s.indexOf(']', j);
        j = close === -1 ? s.length : close + 1;
      } else {
        while (j < s.length && classOf(s.charCodeAt(j)) === ATOM) j++;
      }
      tokens.push({ kind: 'word', text: s.slice(i, j), space });
      space = false;
      i = j;
    }
  }
  return tokens;
}

/** Punctuation alone is neither a name nor an address. */
const isText = (t: Token): boolean => t.kind === 'word' || t.kind === 'quoted';

/** Display text: words as written, quoted strings unquoted, comments left out; then RFC 2047-decoded. */
function phrase(tokens: readonly Token[]): string {
  if (!tokens.some(isText)) return '';
  let text = '';
  for (const t of tokens) {
    if (t.kind === 'comment') continue;
    text += (t.space && text !== '' ? ' ' : '') + t.text;
  }
  return cleanName(text);
}

/** The first comment that says something, as a name: `a@b (Comment Name)`. */
function commentName(tokens: readonly Token[]): string {
  for (const t of tokens) {
    if (t.kind !== 'comment') continue;
    const name = cleanName(t.text);
    if (name !== '') return name;
  }
  return '';
}

function cleanName(raw: string): string {
  // Control characters never belong in a name; C0 and C1 become spaces, then runs of space collapse.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  let name = decodeEncodedWords(raw).replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  // Outlook and others wrap names in quotes that then survive one level of quoting: 'John Smith', "John".
  const first = name.charAt(0);
  if (name.length >= 2 && (first === "'" || first === '"') && name.endsWith(first)) name = name.slice(1, -1).trim();
  return name;
}

/** addr-spec text without white space or comments; a quoted local part keeps its quotes. Punctuation alone is no address. */
function addrSpec(tokens: readonly Token[]): string {
  if (!tokens.some(isText)) return '';
  let text = '';
  for (const t of tokens) {
    if (t.kind === 'comment') continue;
    text += t.kind === 'quoted' ? `"${t.text}"` : t.text;
  }
  return text;
}

/** One entry (no top-level comma) to an address, or undefined when it holds nothing. */
function mailbox(tokens: readonly Token[]): Address | undefined {
  const open = tokens.findIndex((t) => t.kind === 'special' && t.text === '<');
  if (open !== -1) {
    let close = tokens.findIndex((t, i) => i > open && t.kind === 'special' && t.text === '>');
    if (close === -1) close = tokens.length;
    const angle = (t: Token): boolean => t.kind === 'special' && (t.text === '<' || t.text === '>');
    let inner = tokens.slice(open + 1, close).filter((t) => !angle(t));
    // obs-route (RFC 5322 §4.4) "<@relay,@relay:a@b>", and the "<mailto:a@b>" some software writes.
    const colon = inner.findLastIndex((t) => t.kind === 'special' && t.text === ':');
    if (colon !== -1) inner = inner.slice(colon + 1);
    // A name after the address ("<a@b> Alice") is not RFC 5322, but it is what the sender meant.
    const after = tokens.slice(close + 1).filter((t) => !angle(t));
    const name = phrase(tokens.slice(0, open)) || phrase(after) || commentName(tokens);
    const address = addrSpec(inner);
    return name === '' && address === '' ? undefined : { name, address };
  }
  // No angle brackets: the first run of tokens joined by '@' is the address, the rest is a name.
  const at = tokens.findIndex((t) => t.kind === 'special' && t.text === '@');
  if (at === -1) {
    const name = phrase(tokens) || commentName(tokens);
    return name === '' ? undefined : { name, address: '' };
  }
  const joined = (i: number): boolean => {
    const t = tokens[i];
    const prev = tokens[i - 1];
    if (t === undefined || prev === undefined || t.kind === 'comment') return false;
    // Obsolete syntax (RFC 5322 §4.4) allows white space around the '@' and the dots: "john . smith @ example".
    const glue = (x: Token): boolean => (x.kind === 'special' && x.text === '@') || (x.kind === 'word' && x.text === '.');
    return !t.space || glue(t) || glue(prev);
  };
  let from = at;
  while (from > 0 && joined(from)) from--;
  let to = at + 1;
  while (to < tokens.length && joined(to)) to++;
  const address = addrSpec(tokens.slice(from, to));
  const rest = [...tokens.slice(0, from), ...tokens.slice(to)];
  const name = phrase(rest) || commentName(tokens);
  return { name, address };
}

const isSpecial = (t: Token | undefined, text: Special): boolean => t?.kind === 'special' && t.text === text;

/** Parses an address list; never throws, and returns at most MAX_ADDRESSES entries. */
export function parseAddressList(value: string): Address[] {
  const tokens = tokenize(value);
  const out: Address[] = [];
  let entry: Token[] = [];
  let entryIsMailbox = false;
  let inAngle = false;
  let group: { name: string; members: number } | undefined;

  const endEntry = (): void => {
    const address = entry.length === 0 ? undefined : mailbox(entry);
    entry = [];
    entryIsMailbox = false;
    inAngle = false;
    if (address === undefined || out.length >= MAX_ADDRESSES) return;
    out.push(address);
    if (group !== undefined) group.members++;
  };
  const endGroup = (): void => {
    if (group !== undefined && group.members === 0 && group.name !== '' && out.length < MAX_ADDRESSES) {
      out.push({ name: group.name, address: '' });
    }
    group = undefined;
  };

  for (let i = 0; i < tokens.length && out.length < MAX_ADDRESSES; i++) {
    const t = tokens[i];
    if (t === undefined) break;
    if (inAngle) {
      // A comma inside <> belongs to an obs-route ("@a,@b:") only when '@' follows; else the '>' is missing.
      if (isSpecial(t, '>')) inAngle = false;
      else if (isSpecial(t, ',') && !isSpecial(tokens[i + 1], '@')) {
        endEntry();
        continue;
      }
      entry.push(t);
      continue;
    }
    if (isSpecial(t, '<')) {
      inAngle = true;
      entryIsMailbox = true; // an angle address makes this entry a mailbox, never a group name
      entry.push(t);
    } else if (isSpecial(t, ',')) {
      endEntry();
    } else if (isSpecial(t, ':') && group === undefined && !entryIsMailbox) {
      group = { name: phrase(entry), members: 0 };
      entry = [];
    } else if (isSpecial(t, ';')) {
      endEntry();
      endGroup();
    } else {
      if (isSpecial(t, '@')) entryIsMailbox = true;
      entry.push(t);
    }
  }
  endEntry();
  endGroup();
  return out;
}
