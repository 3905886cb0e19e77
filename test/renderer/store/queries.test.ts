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
  listMessages,
  searchMessages,
} from '../../../renderer/store/index.ts';
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
function reference(all: readonly MessageRecord[], sort: MessageSort): string[] {
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...all]
    .sort(
      (a, b) =>
        cmp(sortValue[sort](a), sortValue[sort](b)) || cmp(a.receivedAt, b.receivedAt) || cmp(a.key, b.key),
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
