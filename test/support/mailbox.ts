/**
 * Deterministic test mail: a seeded generator of RFC 5322 messages and a Maildir writer/reader, shared by the
 * interop tests and the benchmarks so both talk about exactly the same bytes.
 *
 * Every message is generated from its own PRNG stream derived from (kind, seed, index), so message n is the same
 * whatever `count` is, and a benchmark run is reproducible bit for bit.
 */
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync,
  writeSync } from 'node:fs';
import path from 'node:path';

export interface GeneratedMessage {
  /** 0-based position in the generated sequence. */
  readonly index: number;
  /** The Message-ID header value, angle brackets included, e.g. `<bench-1-0.1a2b3c4d@poplar.test>`. */
  readonly messageId: string;
  /** Exactly the bytes a POP3 RETR of it delivers after dot-unstuffing, CRLF line endings, ending in CRLF. */
  readonly bytes: Buffer;
}

export interface MailboxProfile {
  readonly count: number;
  readonly seed: number;
  /** `bench`: mostly 2-20 KB, ~1 in 500 up to 2 MB, ~6% with a base64 attachment. `small`: 1-4 KB plain text. */
  readonly kind: 'bench' | 'small';
}

const CRLF = '\r\n';

// ---------------------------------------------------------------------------------------------------------------
// PRNG

/** Murmur3's 32-bit finaliser: spreads small, similar inputs (seed 1 vs 2, index 7 vs 8) over the whole range. */
function mix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Marsaglia's xorshift32: tiny, fast, and good enough to make test data look varied. */
class Rng {
  private state: number;

  constructor(...keys: readonly number[]) {
    let h = 0x9e3779b9;
    for (const k of keys) h = mix32(h ^ mix32(k >>> 0) ^ Math.floor(k / 0x1_0000_0000));
    // xorshift never leaves 0, so a zero state would yield zeros forever.
    this.state = h === 0 ? 0x6d2b79f5 : h;
  }

  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** Uniform integer in [min, max]. The modulo bias is irrelevant for test data. */
  int(min: number, max: number): number {
    return min + (this.next() % (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.next() % items.length];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  fill(bytes: Buffer): void {
    let i = 0;
    for (; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(this.next(), i);
    for (; i < bytes.length; i++) bytes[i] = this.next() & 0xff;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Text material

const WORDS = (
  'the a an of to and in for on with at by from about into over after before under between through during ' +
  'mail message server client account inbox folder draft reply forward attachment invoice meeting report ' +
  'quarterly budget project release schedule review update notice reminder agenda minutes contract proposal ' +
  'please thanks regards kindly attached below above soon today tomorrow yesterday week month year morning ' +
  'we you they it this that these those our your their will would could should can may might must need ' +
  'send receive download preview delete keep archive sync check confirm cancel approve discuss share ' +
  'network connection timeout retry password login secure certificate protocol mailbox quota storage ' +
  'Grüße café naïve déjà façade Zürich Ångström'
).split(' ');

const FIRST_NAMES = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory',
  'Niaj', 'Olivia', 'Peggy', 'Rupert', 'Sybil', 'Trent', 'Victor', 'Walter', 'Zoë'];
const LAST_NAMES = ['Smith', 'Jones', 'Müller', 'García', 'Rossi', 'Novak', 'Kowalski', 'Dubois', 'Tanaka', 'Berg'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'lists.example.org'];
const SUBJECT_WORDS = ['Re:', 'Fwd:', 'Quarterly', 'report', 'Meeting', 'notes', 'Invoice', 'Project', 'update',
  'Question', 'about', 'the', 'release', 'Lunch', 'on', 'Friday', 'Holiday', 'schedule', 'Draft', 'contract'];

// Lines a naive POP3 implementation gets wrong: dot-stuffing (RFC 1939 3) and status-lookalikes mid-body.
const DOT_LINES = ['.', '..', '...', '.hidden line starting with a dot', '..line starting with two dots', '. .'];
const STATUS_LINES = ['+OK this line is body text, not a server reply', '-ERR neither is this one', '+OK', '-ERR'];

/** A fixed pool of body lines built once: picking whole lines is ~50x faster than picking words per message. */
let linePool: readonly string[] | undefined;
function lines(): readonly string[] {
  if (linePool) return linePool;
  const rng = new Rng(0x5eed);
  const pool: string[] = [];
  for (let i = 0; i < 4096; i++) {
    const target = rng.int(8, 76);
    let line = rng.pick(WORDS);
    line = line.charAt(0).toUpperCase() + line.slice(1);
    while (line.length < target) line += ` ${rng.pick(WORDS)}`;
    pool.push(rng.chance(0.3) ? `${line}.` : line);
  }
  linePool = pool;
  return pool;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

const BASE_DATE_MS = Date.UTC(2024, 0, 2, 8, 0, 0);

/** RFC 5322 date-time: `Tue, 02 Jan 2024 08:00:00 +0000` (toUTCString's shape with a numeric zone). */
function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

function person(rng: Rng): { display: string; address: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const address = `${first}.${last}@${rng.pick(DOMAINS)}`.toLowerCase().normalize('NFD').replace(/[^\x20-\x7e]/g, '');
  const name = `${first} ${last}`;
  // Non-ASCII display names must be RFC 2047 encoded words in a header.
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name}"` : `=?UTF-8?B?${Buffer.from(name).toString('base64')}?=`;
  return { display, address };
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** Appends about `bytes` of text lines, each followed by CRLF, with `specials` at random line positions. */
function textBody(rng: Rng, out: string[], bytes: number, specials: readonly string[]): void {
  const pool = lines();
  const body: string[] = [];
  for (let size = 0; size < bytes;) {
    const line = rng.chance(0.1) ? '' : rng.pick(pool);
    body.push(line);
    size += line.length + 2;
  }
  for (const special of specials) body.splice(rng.int(0, body.length), 0, special);
  for (const line of body) out.push(line, CRLF);
}

function base64Lines(rng: Rng, rawBytes: number, out: string[]): void {
  const raw = Buffer.allocUnsafe(rawBytes);
  rng.fill(raw);
  const b64 = raw.toString('base64');
  // RFC 2045 6.8: encoded lines are at most 76 characters.
  for (let i = 0; i < b64.length; i += 76) out.push(b64.slice(i, i + 76), CRLF);
}

function generateOne(kind: MailboxProfile['kind'], seed: number, index: number): GeneratedMessage {
  const rng = new Rng(kind === 'bench' ? 1 : 2, seed, index);
  const large = kind === 'bench' && rng.chance(1 / 500);
  const target = kind === 'small' ? rng.int(1100, 3800)
    : large ? rng.int(256 * 1024, 2 * 1024 * 1024)
      : rng.int(2 * 1024, 20 * 1024);
  const attachment = large || (kind === 'bench' && rng.chance(0.06));

  // Message 1 (the second) always carries every tricky line, so even a 2-message mailbox exercises them.
  const specials: string[] = [];
  if (index === 1 || rng.chance(kind === 'bench' ? 0.12 : 0.08)) specials.push(...DOT_LINES);
  if (index === 1 || rng.chance(0.1)) specials.push(...STATUS_LINES);
  // A body whose very last line is "." ends the RETR with "..\r\n.\r\n": a classic terminator bug.
  const endsWithDot = index === 1 || rng.chance(0.02);

  const messageId = `<${kind}-${seed}-${index}.${hex32(rng.next())}@poplar.test>`;
  const from = person(rng);
  const to = person(rng);
  let subject = '';
  for (let i = rng.int(2, 7); i > 0; i--) subject += `${subject ? ' ' : ''}${rng.pick(SUBJECT_WORDS)}`;
  const dateMs = BASE_DATE_MS + index * 937_000 + rng.int(0, 600) * 1000;

  const out: string[] = [];
  const line = (text: string): void => {
    out.push(text, CRLF);
  };
  line(`Return-Path: <${from.address}>`);
  // A folded header (RFC 5322 2.2.3), as every real Received: line is.
  line(`Received: from mx${rng.int(1, 9)}.${rng.pick(DOMAINS)} (mx.${rng.pick(DOMAINS)} [192.0.2.${rng.int(1, 254)}])`);
  line(`\tby pop.poplar.test with ESMTPS id ${hex32(rng.next())}${hex32(rng.next())}; ${rfc5322Date(dateMs + 4000)}`);
  line(`From: ${from.display} <${from.address}>`);
  line(`To: ${to.display} <${to.address}>`);
  if (rng.chance(0.2)) {
    const cc = person(rng);
    line(`Cc: ${cc.display} <${cc.address}>`);
  }
  line(`Subject: ${index === 1 ? `${subject} (with dot lines)` : subject}`);
  line(`Date: ${rfc5322Date(dateMs)}`);
  line(`Message-ID: ${messageId}`);
  line('MIME-Version: 1.0');
  if (rng.chance(0.3)) line('X-Mailer: Poplar Test Generator 1.0');

  const headerBytes = out.reduce((n, s) => n + s.length, 0);
  const bodyBytes = Math.max(256, target - headerBytes);
  if (!attachment) {
    line('Content-Type: text/plain; charset=utf-8');
    line('Content-Transfer-Encoding: 8bit');
    line('');
    textBody(rng, out, bodyBytes, specials);
  } else {
    const boundary = `=_poplar_${hex32(rng.next())}`;
    const textBytes = large ? rng.int(512, 4096) : Math.floor(bodyBytes * (rng.int(20, 60) / 100));
    // base64 grows 3 bytes to 4 characters plus CRLF every 76.
    const rawBytes = Math.max(64, Math.floor((bodyBytes - textBytes - 300) * (3 / 4) * (76 / 78)));
    const ext = rng.pick(['pdf', 'png', 'zip', 'bin']);
    line(`Content-Type: multipart/mixed; boundary="${boundary}"`);
    line('');
    line('This is a multi-part message in MIME format.');
    line(`--${boundary}`);
    line('Content-Type: text/plain; charset=utf-8');
    line('Content-Transfer-Encoding: 8bit');
    line('');
    textBody(rng, out, textBytes, specials);
    line(`--${boundary}`);
    line(`Content-Type: application/octet-stream; name="file-${index}.${ext}"`);
    line('Content-Transfer-Encoding: base64');
    line(`Content-Disposition: attachment; filename="file-${index}.${ext}"`);
    line('');
    base64Lines(rng, rawBytes, out);
    line(`--${boundary}--`);
  }
  if (endsWithDot) line('.');
  return { index, messageId, bytes: Buffer.from(out.join(''), 'utf8') };
}

export function* generateMessages(profile: MailboxProfile): Generator<GeneratedMessage> {
  if (!Number.isSafeInteger(profile.count) || profile.count < 0) throw new RangeError(`bad count ${profile.count}`);
  for (let index = 0; index < profile.count; index++) yield generateOne(profile.kind, profile.seed, index);
}

// ---------------------------------------------------------------------------------------------------------------
// Maildir

/**
 * Files are named `<seq>.P<index>Q<hash>.poplar,S=<size>,W=<size>:2,` in cur/:
 * - Dovecot numbers new Maildir files by sorting on the leading time field (maildir_filename_sort_cmp), so a
 *   sequence number there makes POP3 message n the n-th file written, across calls too.
 * - S= (physical) and W= (virtual, i.e. CRLF) sizes let Dovecot answer STAT/LIST without opening each file;
 *   files hold CRLF, so both are the byte length. Dovecot sends CRLF files unchanged (it only adds CR to bare LF).
 * - `:2,` (no flags) in cur/ saves Dovecot the new/ -> cur/ rename of every file at first login.
 * - The base name is deterministic, so `pop3_uidl_format = %f` yields stable UIDLs between runs.
 */
const FIRST_SEQ = 1_700_000_000;

function maildirSeq(name: string): number {
  const dot = name.indexOf('.');
  const seq = Number(name.slice(0, dot));
  return dot > 0 && Number.isSafeInteger(seq) ? seq : 0;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function writeMaildir(maildir: string, messages: Iterable<GeneratedMessage>): { count: number; bytes: number } {
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
  // Files must belong to whoever Dovecot runs the mailbox as (not root: Dovecot refuses UID 0 for mail access), and
  // the harness makes the maildir's owner that user. Only root can give files away, and only root needs to.
  const owner = statSync(maildir);
  const chown = process.getuid?.() === 0 && owner.uid !== 0;
  let seq = FIRST_SEQ - 1;
  for (const sub of ['cur', 'new']) for (const name of readdirSync(path.join(maildir, sub))) seq = Math.max(seq, maildirSeq(name));

  let count = 0;
  let bytes = 0;
  for (const message of messages) {
    seq++;
    const size = message.bytes.length;
    const base = `${seq}.P${message.index}Q${hex32(fnv1a(message.messageId))}.poplar`;
    // Maildir delivery protocol: write under tmp/, then rename, so a running server never sees a partial file.
    const tmp = path.join(maildir, 'tmp', base);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      let off = 0;
      while (off < size) off += writeSync(fd, message.bytes, off, size - off);
    } finally {
      closeSync(fd);
    }
    if (chown) chownSync(tmp, owner.uid, owner.gid);
    renameSync(tmp, path.join(maildir, 'cur', `${base},S=${size},W=${size}:2,`));
    count++;
    bytes += size;
  }
  return { count, bytes };
}

/**
 * What is left on the server, keyed by Message-ID, as POP3 would deliver each message (bare LF becomes CRLF, as
 * Dovecot does on output). Messages without a Message-ID header are keyed by their file name.
 */
export function readMaildirMessages(maildir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const sub of ['cur', 'new']) {
    const dir = path.join(maildir, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort((a, b) => maildirSeq(a) - maildirSeq(b) || a.localeCompare(b))) {
      let bytes = readFileSync(path.join(dir, name));
      if (/(?<!\r)\n/.test(bytes.toString('latin1'))) {
        bytes = Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, CRLF), 'latin1');
      }
      const text = bytes.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const head = end < 0 ? text : text.slice(0, end + 2);
      const id = /^message-id:[ \t]*(<[^>\r\n]*>)/im.exec(head)?.[1];
      found.set(id ?? name, bytes);
    }
  }
  return found;
}
