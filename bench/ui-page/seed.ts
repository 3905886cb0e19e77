/**
 * The seeding page of bench/chromium-ui.ts: a bench-only Vite entry, built next to the app and served from the
 * same origin, so that it writes into the very IndexedDB database the app then opens. It writes only through the
 * store's own functions (addAccount, applySyncBatch, markRead, deleteMessages), the way a first check of a large
 * mailbox and a user's reading would: no hand-made records, and nothing added to the production app.
 *
 * The mailbox: one account whose Inbox holds `count` messages (all previews but one, the downloaded 1 MB
 * message), `deleted` of them then moved to Deleted Items. They arrive as a first check of a server that already
 * holds them all ("fetch all"): batches of BATCH previews, each batch's clock a little later than the one before,
 * so thousands of messages share one received time, and their Date headers span three years. All but the newest
 * `unread` are then marked read.
 */
import { accountId, uidl, type MessageKey } from '../../app/ids.ts';
import { extractPreview } from '../../app/mail/preview.ts';
import type { Address, MessagePreview } from '../../app/mail/types.ts';
import type { PreviewWrite, WholeWrite } from '../../app/sync/batch.ts';
import type { SeedRequest, SeedResult } from './api.ts';
import {
  addAccount,
  applySyncBatch,
  deleteMessages,
  getAccount,
  listMessageKeys,
  listMessages,
  markRead,
  openPoplarDb,
  type PoplarDb,
} from '../../renderer/store/index.ts';

export interface SeedGlobal {
  poplarBenchSeed?: (request: SeedRequest) => Promise<SeedResult>;
}

const ACCOUNT = accountId('bench');
const BATCH = 2500;
/** The executor's clock moves on between batches of one check. */
const BATCH_STEP_MS = 350;
const SPAN_MS = 3 * 365 * 86_400_000;

/** mulberry32: a small deterministic generator, so every run stores the same mailbox. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const FIRST = ['Anna', 'Bruno', 'Chloé', 'David', 'Émile', 'Fatima', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kofi', 'Lena',
  'Marta', 'Nils', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sven', 'Tomás', 'Ula', 'Viktor', 'Wen', 'Yusuf', 'Zoë'];
const LAST = ['Adams', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hansen', 'Ivanova', 'Jensen',
  'Kowalski', 'Lindqvist', 'Müller', 'Novak', "O'Brien", 'Petrov', 'Rossi', 'Schmidt', 'Tanaka', 'Weber'];
const LISTS = ['GitHub', 'Newsletter', 'Bank', 'Travel deals', 'Build bot', 'Calendar', 'Support desk', 'Shop'];
const TOPICS = ['budget', 'meeting notes', 'release plan', 'invoice', 'holiday photos', 'the contract', 'lunch',
  'quarterly numbers', 'your order', 'server outage', 'weekly digest', 'pull request', 'flight booking',
  'password reset', 'team offsite', 'draft proposal', 'receipts', 'school trip', 'the new office', 'feedback'];
const VERBS = ['About', 'Re:', 'Fwd:', 'Update on', 'Question about', 'Reminder:', 'Notes on', 'Draft:', ''];
const FILLER = ('thanks for the quick reply I had a look at the numbers and I think we can go ahead if the others ' +
  'agree please find the details below and let me know what you think before Friday so we can plan the next ' +
  'steps together best regards').split(' ');

function pick<T>(next: () => number, list: readonly T[]): T {
  const item = list[Math.floor(next() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function sender(next: () => number): Address {
  if (next() < 0.25) {
    const list = pick(next, LISTS);
    return { name: list, address: `no-reply@${list.toLowerCase().replace(/\W+/g, '')}.example.com` };
  }
  const first = pick(next, FIRST);
  const last = pick(next, LAST);
  const address = `${first}.${last}`.normalize('NFKD').replace(/[^\w.]/g, '').toLowerCase();
  return { name: next() < 0.85 ? `${first} ${last}` : '', address: `${address}@example.org` };
}

function previewOf(next: () => number, i: number, date: number | undefined): MessagePreview {
  const words = Array.from({ length: 30 + Math.floor(next() * 20) }, () => pick(next, FILLER));
  return {
    from: [sender(next)],
    to: [{ name: 'Alice Example', address: 'alice@example.test' }],
    cc: next() < 0.2 ? [sender(next)] : [],
    subject: `${pick(next, VERBS)} ${pick(next, TOPICS)} #${i}`.trim(),
    ...(date === undefined ? {} : { date }),
    messageId: `<bench-${i}@example.org>`,
    previewText: words.join(' '),
    hasAttachments: next() < 0.1,
  };
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const uidOf = (i: number): string => `m${String(i).padStart(7, '0')}`;

async function storeFirstCheck(db: PoplarDb, request: SeedRequest): Promise<MessageKey> {
  const next = random(20_260_101);
  const previews = request.count - 1;
  const step = SPAN_MS / request.count;
  // The previews' dates end an hour before the downloaded message's, jitter included: it is the newest.
  const oldest = request.bigDate - SPAN_MS - 3_600_000;
  const big = fromBase64(request.bigMessageBase64);
  let bigKey: MessageKey | undefined;
  for (let start = 0, b = 0; start < request.count; start += BATCH, b += 1) {
    const now = request.checkedAt + b * BATCH_STEP_MS;
    const items: PreviewWrite[] = [];
    const wholes: WholeWrite[] = [];
    for (let i = start; i < Math.min(start + BATCH, previews); i++) {
      // Server order is roughly arrival order: dates rise with the message number, with some jitter; a few
      // messages have no (parsable) Date at all.
      const date = next() < 0.005 ? undefined : Math.round(oldest + i * step + (next() - 0.5) * 1_800_000);
      const size = Math.round(2000 * Math.exp(next() * Math.log(1000)));
      items.push({ ref: { uid: uidl(uidOf(i)), ordinal: 0 }, size, firstSeen: now, preview: previewOf(next, i, date) });
    }
    if (start + BATCH >= request.count) {
      wholes.push({
        ref: { uid: uidl(uidOf(previews)), ordinal: 0 },
        size: big.byteLength,
        firstSeen: now,
        preview: extractPreview(big),
        bytes: big,
        keepOnServer: false,
      });
    }
    const last = start + BATCH >= request.count;
    const receipt = await applySyncBatch(db, ACCOUNT, {
      now,
      previews: items,
      wholes,
      adopted: [],
      stateUpdates: [],
      forgotten: [],
      ...(last ? { firstSyncDone: true } : {}),
    });
    if (wholes.length > 0) bigKey = receipt.created[receipt.created.length - 1];
  }
  if (bigKey === undefined) throw new Error('the 1 MB message was not stored');
  return bigKey;
}

async function subjectAt(db: PoplarDb, folder: 'inbox' | 'deleted', direction: 'asc' | 'desc', offset: number) {
  const [row] = await listMessages(db, { accountId: ACCOUNT, folder, sort: 'receivedAt', direction, offset, limit: 1 });
  if (row === undefined) throw new Error(`no message at ${offset} of ${folder}`);
  return row.subject;
}

/** Where the 1 MB message lists (among the newest), and a preview next to it. */
async function neighbours(db: PoplarDb, bigKey: MessageKey): Promise<Pick<SeedResult, 'big' | 'preview'>> {
  const newest = await listMessages(db, { accountId: ACCOUNT, folder: 'inbox', sort: 'receivedAt', direction: 'desc', offset: 0, limit: 100 });
  const index = newest.findIndex((m) => m.key === bigKey);
  const big = newest[index];
  const previewIndex = index === 0 ? 1 : index - 1;
  const preview = newest[previewIndex];
  if (big === undefined || preview?.content !== 'preview') throw new Error('the 1 MB message is not among the newest 100');
  return { big: { key: bigKey, index, subject: big.subject }, preview: { index: previewIndex, subject: preview.subject } };
}

/** What the Inbox and Deleted Items show, read back through the store. */
async function describe(db: PoplarDb, bigKey: MessageKey, inbox: number, deleted: number) {
  return {
    inbox,
    deleted,
    inboxFirst: await subjectAt(db, 'inbox', 'desc', 0),
    inboxLast: await subjectAt(db, 'inbox', 'asc', 0),
    deletedFirst: await subjectAt(db, 'deleted', 'desc', 0),
    ...(await neighbours(db, bigKey)),
  };
}

async function seed(request: SeedRequest): Promise<SeedResult> {
  const opening = performance.now();
  const db = await openPoplarDb();
  const openMs = performance.now() - opening;
  try {
    if ((await getAccount(db, ACCOUNT)) !== undefined) {
      // A profile kept from an earlier run (--profile): read back what it holds.
      const inbox = await listMessageKeys(db, { accountId: ACCOUNT, folder: 'inbox', sort: 'receivedAt', direction: 'desc' });
      const deleted = await listMessageKeys(db, { accountId: ACCOUNT, folder: 'deleted', sort: 'receivedAt', direction: 'desc' });
      const bigKey = `${ACCOUNT}:0:${uidOf(request.count - 1)}` as MessageKey;
      return { ...(await describe(db, bigKey, inbox.length, deleted.length)), openMs, previewsMs: 0, markReadMs: 0, deleteMs: 0 };
    }
    await addAccount(db, {
      id: ACCOUNT,
      name: 'Bench',
      email: 'alice@example.test',
      // Nothing listens there, and nothing asks: the account is checked only by hand.
      host: '127.0.0.1',
      port: 9,
      security: 'none',
      user: 'alice',
      allowPlaintextPassword: true,
      policy: {
        download: { kind: 'previews', lines: 40 },
        leave: { kind: 'until-deleted' },
        schedule: { atStartup: false, everyMinutes: null, inSendReceiveAll: false },
        newAccount: 'fetch-all',
      },
    });
    let at = performance.now();
    const bigKey = await storeFirstCheck(db, request);
    const previewsMs = performance.now() - at;

    const newestFirst = await listMessageKeys(db, {
      accountId: ACCOUNT,
      folder: 'inbox',
      sort: 'receivedAt',
      direction: 'desc',
    });
    at = performance.now();
    const read = newestFirst.slice(request.unread);
    for (let i = 0; i < read.length; i += 5000) await markRead(db, read.slice(i, i + 5000), true);
    const markReadMs = performance.now() - at;

    // The user has deleted a few older messages now and then.
    at = performance.now();
    const every = Math.max(1, Math.floor(read.length / Math.max(1, request.deleted)));
    const doomed = read.filter((_, i) => i % every === every - 1).slice(0, request.deleted);
    await deleteMessages(db, doomed);
    const deleteMs = performance.now() - at;

    return {
      ...(await describe(db, bigKey, newestFirst.length - doomed.length, doomed.length)),
      openMs,
      previewsMs,
      markReadMs,
      deleteMs,
    };
  } finally {
    db.close();
  }
}

(globalThis as SeedGlobal).poplarBenchSeed = seed;
