import { beforeAll, describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import type { AccountId } from '../../../app/ids.ts';
import type { FolderKind, MessageRecord } from '../../../app/mail/types.ts';
import type { MessageListQuery, MessageSort, PoplarDb } from '../../../renderer/store/index.ts';
import {
  addAccount,
  applySyncBatch,
  countMessages,
  deleteMessages,
  listMessageKeys,
  listMessages,
  markRead,
  searchMessages,
} from '../../../renderer/store/index.ts';
import { readMessageKeys } from '../../../renderer/store/queries.ts';
import { address, emptyBatch, newAccount, openTestDb, preview, ref } from './helpers.ts';

const A = accountId('acct-a');
const B = accountId('acct-b');
const T0 = 1_760_000_000_000;
const SENDERS = ['Zoë Adams', 'adam smith', 'Émile Zola', 'bob', 'Bob Builder', 'carol', '', 'Dmitri'];
const SUBJECTS = ['Re: apple', 'Banana', 'fwd: Cherry', 'apple pie', 'RE: FW: banana split', 'Été', 'zebra', ''];

/** The order the store must produce, computed here independently of the store's code. */
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
const unprefixed = (s: string) => s.replace(/^(\s*(re|fwd?|aw|wg|sv|vs|antw|tr|rif|enc)(\[\d+\])?\s*:)+/i, '');
const sortValue: Record<MessageSort, (m: MessageRecord) => string | number> = {
  receivedAt: (m) => m.receivedAt,
  from: (m) => fold(m.from[0]?.name || m.from[0]?.address || ''),
  subject: (m) => fold(unprefixed(m.subject)),
  size: (m) => m.sizeOnServer,
};
/** Within one received time, the received order goes by Date; a message without one counts as dated then. */
const dateOf = (m: MessageRecord) => m.date ?? m.receivedAt;
function reference(all: readonly MessageRecord[], sort: MessageSort): string[] {
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...all]
    .sort(
      (a, b) =>
        cmp(sortValue[sort](a), sortValue[sort](b)) ||
        cmp(a.receivedAt, b.receivedAt) ||
        (sort === 'receivedAt' ? cmp(dateOf(a), dateOf(b)) : 0) ||
        cmp(a.key, b.key),
    )
    .map((m) => m.key);
}

async function fill(db: PoplarDb, id: AccountId, count: number, seed: number): Promise<void> {
  for (let start = 0; start < count; start += 100) {
    const now = T0 + ((start / 100) * 2 + seed) * 60_000;
    await applySyncBatch(db, id, {
      ...emptyBatch(now),
      previews: Array.from({ length: Math.min(100, count - start) }, (_, j) => {
        const i = start + j;
        const name = SENDERS[(i * 7 + seed) % SENDERS.length] ?? '';
        return {
          ref: ref(`m${i}`),
          size: ((i * 7919 + seed * 13) % 50_000) + 100,
          firstSeen: now,
          preview: preview(`${SUBJECTS[(i * 3 + seed) % SUBJECTS.length] ?? ''} ${i % 5 === 0 ? '' : i}`.trim(), {
            from: [address(name, `${fold(name).replace(/\W/g, '') || 'anon'}${i % 3}@example.org`)],
            previewText: i === 123 ? 'The quarterly NUMBERS are attached.' : `Body of ${i}`,
            // Dates in no particular order within a batch (all of which shares one received time); every sixth
            // message has none, and a few share one.
            ...(i % 6 === 0 ? {} : { date: T0 - ((i * 7919) % 97) * 3_600_000 }),
          }),
        };
      }),
    });
  }
}

let db: PoplarDb;
let all: MessageRecord[];
beforeAll(async () => {
  db = await openTestDb();
  await addAccount(db, newAccount('acct-a'));
  await addAccount(db, newAccount('acct-b'));
  await fill(db, A, 600, 0);
  await fill(db, B, 400, 1);
  const endingIn7 = (await db.messages.toArray()).filter((m) => m.uid?.endsWith('7') === true);
  await deleteMessages(
    db,
    endingIn7.map((m) => m.key),
  );
  all = await db.messages.toArray();
  return () => db.close();
});

async function allPages(query: Omit<MessageListQuery, 'offset' | 'limit'>, pageSize: number): Promise<string[]> {
  const keys: string[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await listMessages(db, { ...query, offset, limit: pageSize });
    keys.push(...page.map((m) => m.key));
    if (page.length < pageSize) return keys;
  }
}

describe('listMessages', () => {
  const scopes: Array<{ name: string; accountId?: AccountId; folder: FolderKind }> = [
    { name: 'one account inbox', accountId: A, folder: 'inbox' },
    { name: 'one account Deleted Items', accountId: B, folder: 'deleted' },
    { name: 'All inboxes', folder: 'inbox' },
  ];
  const sorts: MessageSort[] = ['receivedAt', 'from', 'subject', 'size'];

  for (const scope of scopes) {
    for (const sort of sorts) {
      it(`pages ${scope.name} by ${sort}, both ways`, async () => {
        const inScope = all.filter(
          (m) => m.folder === scope.folder && (scope.accountId === undefined || m.accountId === scope.accountId),
        );
        const expected = reference(inScope, sort);
        const base = { ...(scope.accountId ? { accountId: scope.accountId } : {}), folder: scope.folder, sort };
        expect(await allPages({ ...base, direction: 'asc' }, 75)).toEqual(expected);
        expect(await allPages({ ...base, direction: 'desc' }, 64)).toEqual([...expected].reverse());
        expect(await countMessages(db, base)).toBe(expected.length);
      });
    }
  }

  it('covers both accounts in All inboxes, and sorts text as people read it', async () => {
    expect(await countMessages(db, { folder: 'inbox' })).toBe(900);
    expect(await countMessages(db, { folder: 'deleted' })).toBe(100);
    const newest = await listMessages(db, {
      folder: 'inbox', sort: 'receivedAt', direction: 'desc', offset: 0,
      limit: 300,
    });
    expect(new Set(newest.map((m) => m.accountId))).toEqual(new Set([A, B]));

    const bySender = await allPages({ accountId: A, folder: 'inbox', sort: 'from', direction: 'asc' }, 200);
    const senders = [...new Set(bySender.map((k) => all.find((m) => m.key === k)?.from[0]?.name))];
    expect(senders.filter((s) => s !== '')).toEqual([
      'adam smith',
      'bob',
      'Bob Builder',
      'carol',
      'Dmitri',
      'Émile Zola',
      'Zoë Adams',
    ]);

    const bySubject = await listMessages(db, {
      accountId: A,
      folder: 'inbox',
      sort: 'subject',
      direction: 'asc',
      offset: 0,
      limit: 900,
    });
    const firstApple = bySubject.findIndex((m) => m.subject.startsWith('Re: apple'));
    const firstBanana = bySubject.findIndex((m) => m.subject.startsWith('Banana'));
    expect(firstApple).toBeGreaterThan(-1);
    expect(firstApple).toBeLessThan(firstBanana);
  });

  it('returns an empty page past the end', async () => {
    const page = await listMessages(db, { folder: 'inbox', sort: 'size', direction: 'asc', offset: 5000, limit: 10 });
    expect(page).toEqual([]);
  });
});

describe('searchMessages', () => {
  it('finds sender, subject and preview text, ignoring case and accents, newest first', async () => {
    const zoe = await searchMessages(db, { text: 'ZOE' });
    expect(zoe.length).toBeGreaterThan(0);
    expect(zoe.every((m) => m.from[0]?.name === 'Zoë Adams')).toBe(true);
    expect(zoe.map((m) => m.receivedAt)).toEqual([...zoe.map((m) => m.receivedAt)].sort((a, b) => b - a));

    const cherry = await searchMessages(db, { accountId: B, text: 'cherry' });
    expect(cherry.length).toBeGreaterThan(0);
    expect(cherry.every((m) => m.accountId === B && /cherry/i.test(m.subject))).toBe(true);

    expect((await searchMessages(db, { text: 'quarterly numbers' })).map((m) => m.uid)).toEqual(['m123', 'm123']);
    expect((await searchMessages(db, { accountId: A, text: 'quarterly numbers' })).map((m) => m.key)).toEqual([
      'acct-a:0:m123',
    ]);
    const deleted = await searchMessages(db, { text: 'carol1@', folder: 'deleted' });
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((m) => m.folder === 'deleted')).toBe(true);
    expect(await searchMessages(db, { text: 'zebra', limit: 3 })).toHaveLength(3);
    expect(await searchMessages(db, { text: '   ' })).toEqual([]);
  });
});

describe('received order', () => {
  it('lists the messages of one check newest Date first, an undated one as dated when it was received', async () => {
    const fresh = await openTestDb();
    await addAccount(fresh, newAccount('acct-a'));
    const day = 86_400_000;
    await applySyncBatch(fresh, A, {
      ...emptyBatch(T0),
      previews: [
        { ref: ref('old'), size: 1, firstSeen: T0, preview: preview('old', { date: T0 - 3 * day }) },
        { ref: ref('undated'), size: 1, firstSeen: T0, preview: preview('undated') },
        { ref: ref('new'), size: 1, firstSeen: T0, preview: preview('new', { date: T0 - day }) },
        { ref: ref('middle'), size: 1, firstSeen: T0, preview: preview('middle', { date: T0 - 2 * day }) },
      ],
    });
    await applySyncBatch(fresh, A, {
      ...emptyBatch(T0 + 60_000),
      previews: [{ ref: ref('later'), size: 1, firstSeen: T0, preview: preview('later', { date: T0 - 9 * day }) }],
    });
    const newestFirst = await listMessages(fresh, {
      accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'desc', offset: 0, limit: 10,
    });
    // Received time first (the later check on top, whatever its Date), then Date within one check.
    expect(newestFirst.map((m) => m.subject)).toEqual(['later', 'undated', 'new', 'middle', 'old']);
    const all = await listMessages(fresh, { folder: 'inbox', sort: 'receivedAt', direction: 'asc', offset: 0, limit: 10 });
    expect(all.map((m) => m.subject)).toEqual(['old', 'middle', 'new', 'undated', 'later']);
    fresh.close();
  });
});

describe('readMessageKeys', () => {
  const scopes: Array<{ name: string; accountId?: AccountId; folder: FolderKind }> = [
    { name: 'one account inbox', accountId: A, folder: 'inbox' },
    { name: 'All inboxes', folder: 'inbox' },
    { name: 'one account Deleted Items', accountId: B, folder: 'deleted' },
  ];
  for (const scope of scopes) {
    for (const sort of ['receivedAt', 'from', 'subject', 'size'] as const) {
      it(`reads ${scope.name} by ${sort} in chunks, both ways, as one read would`, async () => {
        for (const direction of ['asc', 'desc'] as const) {
          const query = { ...(scope.accountId ? { accountId: scope.accountId } : {}), folder: scope.folder, sort, direction };
          const whole = await listMessageKeys(db, query);
          const progress: number[] = [];
          // Chunks about as small as the runs of equal index keys (a sender's messages of one check): some of
          // those runs are longer than a chunk, and end the chunking.
          const chunked = await readMessageKeys(db, query, {
            chunk: 12,
            firstChunk: 3,
            onProgress: (keys) => {
              expect(keys).toEqual(whole.slice(0, keys.length));
              progress.push(keys.length);
            },
          });
          expect(chunked).toEqual(whole);
          expect(progress.length).toBeGreaterThan(0);
          expect(progress).toEqual([...progress].sort((a, b) => a - b));
        }
      });
    }
  }

  it('gets past a run of equal index keys longer than a chunk', async () => {
    const fresh = await openTestDb();
    await addAccount(fresh, newAccount('acct-a'));
    // 40 undated messages of one check: one index key for all of them (the key alone tells them apart).
    await applySyncBatch(fresh, A, {
      ...emptyBatch(T0),
      previews: Array.from({ length: 40 }, (_, i) => ({ ref: ref(`tie-${i}`), size: 5, firstSeen: T0, preview: preview(`Tie ${i}`) })),
    });
    for (const direction of ['asc', 'desc'] as const) {
      for (const sort of ['receivedAt', 'size'] as const) {
        const query = { accountId: A, folder: 'inbox' as const, sort, direction };
        const keys = await readMessageKeys(fresh, query, { chunk: 4, firstChunk: 1 });
        expect(keys).toEqual(await listMessageKeys(fresh, query));
        expect(new Set(keys).size).toBe(40);
      }
    }
    fresh.close();
  });

  it('reads in many small requests where index keys do not repeat, and stops early when no longer wanted', async () => {
    const query = { accountId: A, folder: 'inbox' as const, sort: 'size' as const, direction: 'asc' as const };
    const whole = await listMessageKeys(db, query);
    let requests = 0;
    expect(await readMessageKeys(db, query, { chunk: 10, firstChunk: 10, onProgress: () => (requests += 1) })).toEqual(whole);
    expect(requests).toBeGreaterThanOrEqual(Math.floor(whole.length / 11));
    let asked = 0;
    const early = await readMessageKeys(db, query, { chunk: 10, firstChunk: 10, aborted: () => ++asked > 2 });
    expect(early.length).toBeGreaterThanOrEqual(20);
    expect(early.length).toBeLessThan(whole.length);
    expect(early).toEqual(whole.slice(0, early.length));
  });

  it('reads the first keys alone when asked for a limit', async () => {
    const query = { folder: 'inbox' as const, sort: 'subject' as const, direction: 'asc' as const };
    expect(await listMessageKeys(db, { ...query, limit: 5 })).toEqual((await listMessageKeys(db, query)).slice(0, 5));
  });
});

describe('unread counts', () => {
  it('counts unread messages per folder from the index, and across accounts for All inboxes', async () => {
    const fresh = await openTestDb();
    await addAccount(fresh, newAccount('acct-a'));
    await addAccount(fresh, newAccount('acct-b'));
    await fill(fresh, A, 30, 0);
    await fill(fresh, B, 20, 1);
    const inboxA = await listMessageKeys(fresh, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'desc' });
    await markRead(fresh, inboxA.slice(0, 12), true);
    await deleteMessages(fresh, inboxA.slice(10, 15));
    expect(await countMessages(fresh, { accountId: A, folder: 'inbox', unread: true })).toBe(15);
    expect(await countMessages(fresh, { accountId: A, folder: 'deleted', unread: true })).toBe(3);
    expect(await countMessages(fresh, { accountId: B, folder: 'inbox', unread: true })).toBe(20);
    expect(await countMessages(fresh, { folder: 'inbox', unread: true })).toBe(35);
    await markRead(fresh, inboxA.slice(0, 12), false);
    expect(await countMessages(fresh, { accountId: A, folder: 'inbox', unread: true })).toBe(25);
    fresh.close();
  });
});
