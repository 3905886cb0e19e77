import { beforeEach, describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import type { PoplarDb, SyncBatch } from '../../../renderer/store/index.ts';
import {
  addAccount,
  applySyncBatch,
  findMessagesByRef,
  getAccount,
  getMessage,
  loadSyncState,
  markRead,
  purgeMessages,
  readBody,
  setFlagged,
  setMark,
  syncStorePort,
} from '../../../renderer/store/index.ts';
import { bytesOf, emptyBatch, newAccount, openTestDb, preview, previewBatch, ref, wholeItem } from './helpers.ts';

const A = accountId('acct-a');
const NOW = 1_750_000_000_000;

/** Everything the store holds, for before/after comparisons. */
async function snapshot(db: PoplarDb) {
  return {
    messages: await db.messages.toArray(),
    bodies: await db.bodies.toArray(),
    state: await db.pop3State.toArray(),
  };
}

let db: PoplarDb;
beforeEach(async () => {
  db = await openTestDb();
  await addAccount(db, newAccount('acct-a'));
  return () => db.close();
});

describe('applySyncBatch', () => {
  it('stores previews and their state records together', async () => {
    const receipt = await applySyncBatch(db, A, previewBatch(NOW, 3));
    expect(receipt.created).toEqual(['acct-a:0:uid-0', 'acct-a:0:uid-1', 'acct-a:0:uid-2']);
    const m = await getMessage(db, messageKey('acct-a:0:uid-1'));
    expect(m).toMatchObject({
      accountId: A,
      folder: 'inbox',
      uid: 'uid-1',
      ordinal: 0,
      content: 'preview',
      mark: 'none',
      onServer: true,
      deletion: 'none',
      read: false,
      flagged: false,
      receivedAt: NOW,
      sizeOnServer: 1001,
      subject: 'Message 1',
    });
    const state = await loadSyncState(db, A);
    expect(state).toHaveLength(3);
    expect(state.find((r) => r.uid === 'uid-1')).toMatchObject({
      content: 'preview',
      messageKey: 'acct-a:0:uid-1',
      firstSeen: NOW,
      onServer: true,
      mark: 'none',
      keepOnServer: false,
      deletion: 'none',
      size: 1001,
    });
  });

  it('is exactly once: re-applying the same batch (a re-run after a crash) duplicates nothing', async () => {
    const batch: SyncBatch = {
      ...previewBatch(NOW, 5),
      wholes: [wholeItem('w1', bytesOf(3000), { firstSeen: NOW, keepOnServer: true })],
      adopted: [{ ref: ref('seen-before'), size: 10, firstSeen: NOW - 1 }],
    };
    await applySyncBatch(db, A, batch);
    const first = await snapshot(db);
    await markRead(db, [messageKey('acct-a:0:uid-0')], true);
    const again = await applySyncBatch(db, A, { ...batch, now: NOW + 60_000 });
    expect(again.created).toEqual([]);
    const second = await snapshot(db);
    expect(second.messages).toHaveLength(6);
    expect(second.bodies).toEqual(first.bodies);
    expect(second.state).toEqual(first.state);
    expect(second.messages.find((m) => m.key === 'acct-a:0:uid-0')?.read).toBe(true);
    expect(second.messages.find((m) => m.key === 'acct-a:0:uid-3')?.receivedAt).toBe(NOW);
  });

  it('upgrades a preview to a whole message in place: same key, folder, read and flagged state', async () => {
    await applySyncBatch(db, A, previewBatch(NOW, 1));
    const key = messageKey('acct-a:0:uid-0');
    await markRead(db, [key], true);
    await setFlagged(db, [key], true);
    const body = bytesOf(10_000);
    const whole = {
      ref: ref('uid-0'),
      size: 10_000,
      firstSeen: NOW + 5,
      preview: preview('Message 0', { previewText: 'the full text' }),
      bytes: body,
      keepOnServer: false,
    };
    const receipt = await applySyncBatch(db, A, { ...emptyBatch(NOW + 100), wholes: [whole] });
    expect(receipt).toEqual({ created: [], upgraded: [key], skipped: 0 });
    expect(await getMessage(db, key)).toMatchObject({
      content: 'whole',
      read: true,
      flagged: true,
      folder: 'inbox',
      receivedAt: NOW,
      previewText: 'the full text',
      sizeOnServer: 10_000,
    });
    expect(await db.messages.count()).toBe(1);
    expect(await readBody(db, key)).toEqual(body);
    const [rec] = await loadSyncState(db, A);
    expect(rec).toMatchObject({ content: 'whole', messageKey: key, firstSeen: NOW, mark: 'none' });

    // The same whole again (a re-run): the body is replaced, never stored twice.
    await applySyncBatch(db, A, { ...emptyBatch(NOW + 200), wholes: [whole] });
    expect(await db.bodies.count()).toBe(1);
    expect(await db.messages.count()).toBe(1);
    expect(await readBody(db, key)).toEqual(body);
  });

  it('keeps both messages of one unique-id apart by ordinal (C0041)', async () => {
    const batch: SyncBatch = {
      ...emptyBatch(NOW),
      previews: [
        { ref: ref('dup', 0), size: 100, firstSeen: NOW, preview: preview('First of two') },
        { ref: ref('dup', 1), size: 200, firstSeen: NOW, preview: preview('Second of two') },
      ],
    };
    await applySyncBatch(db, A, batch);
    await applySyncBatch(db, A, batch);
    const state = await loadSyncState(db, A);
    expect(state.map((r) => [r.uid, r.ordinal, r.messageKey])).toEqual([
      ['dup', 0, 'acct-a:0:dup'],
      ['dup', 1, 'acct-a:1:dup'],
    ]);
    expect((await getMessage(db, messageKey('acct-a:1:dup')))?.subject).toBe('Second of two');
    expect(await db.messages.count()).toBe(2);
  });

  it('records adopted unique-ids as known, with no message', async () => {
    await applySyncBatch(db, A, { ...emptyBatch(NOW), adopted: [{ ref: ref('old'), size: 7, firstSeen: NOW }] });
    expect(await loadSyncState(db, A)).toEqual([
      expect.objectContaining({ uid: 'old', content: 'none', onServer: true, size: 7 }),
    ]);
    expect(await db.messages.count()).toBe(0);
    // An adopted message fetched later gets its message, keeping its first-seen clock.
    await applySyncBatch(db, A, {
      ...emptyBatch(NOW + 1),
      previews: [{ ref: ref('old'), size: 7, firstSeen: NOW + 1, preview: preview('old') }],
    });
    expect(await loadSyncState(db, A)).toEqual([
      expect.objectContaining({ content: 'preview', firstSeen: NOW, messageKey: 'acct-a:0:old' }),
    ]);
  });

  it('patches state and mirrors onServer, mark and size onto the message', async () => {
    await applySyncBatch(db, A, previewBatch(NOW, 2));
    await applySyncBatch(db, A, {
      ...emptyBatch(NOW + 1),
      stateUpdates: [
        { ref: ref('uid-0'), patch: { onServer: false } },
        { ref: ref('uid-1'), patch: { mark: 'download-copy', size: 4242, keepOnServer: true } },
        { ref: ref('never-seen'), patch: { onServer: false } },
      ],
    });
    expect(await getMessage(db, messageKey('acct-a:0:uid-0'))).toMatchObject({ onServer: false, mark: 'none' });
    expect(await getMessage(db, messageKey('acct-a:0:uid-1'))).toMatchObject({
      onServer: true,
      mark: 'download-copy',
      sizeOnServer: 4242,
    });
    const state = await loadSyncState(db, A);
    expect(state).toHaveLength(2);
    expect(state[1]).toMatchObject({ mark: 'download-copy', size: 4242, keepOnServer: true });
  });

  it('forgets only the state: the message stays, no longer shown as on the server', async () => {
    await applySyncBatch(db, A, previewBatch(NOW, 2));
    await applySyncBatch(db, A, { ...emptyBatch(NOW + 1), forgotten: [ref('uid-0')] });
    expect((await loadSyncState(db, A)).map((r) => r.uid)).toEqual(['uid-1']);
    expect(await getMessage(db, messageKey('acct-a:0:uid-0'))).toMatchObject({ subject: 'Message 0', onServer: false });
    expect(await db.messages.count()).toBe(2);
  });

  it('gives a reappearing unique-id a new message, never overwriting the one it used to name', async () => {
    await applySyncBatch(db, A, previewBatch(NOW, 1));
    await applySyncBatch(db, A, { ...emptyBatch(NOW + 1), forgotten: [ref('uid-0')] });
    const receipt = await applySyncBatch(db, A, {
      ...emptyBatch(NOW + 2),
      previews: [{ ref: ref('uid-0'), size: 1, firstSeen: NOW + 2, preview: preview('A newer message') }],
    });
    expect(receipt.created).toEqual(['acct-a:0:uid-0~1']);
    expect((await getMessage(db, messageKey('acct-a:0:uid-0')))?.subject).toBe('Message 0');
    expect((await findMessagesByRef(db, A, ref('uid-0'))).map((m) => m.subject).sort()).toEqual([
      'A newer message',
      'Message 0',
    ]);
  });

  it('stores messages from a server without UIDL as whole messages without a ref, once per batch', async () => {
    const batch: SyncBatch = {
      ...emptyBatch(NOW),
      unidentified: [
        { id: 'run1:1', size: 50, preview: preview('No UIDL 1'), bytes: bytesOf(50) },
        { id: 'run1:2', size: 60, preview: preview('No UIDL 2'), bytes: [bytesOf(30), bytesOf(30, 2)] },
      ],
    };
    const receipt = await applySyncBatch(db, A, batch);
    expect(receipt.created).toHaveLength(2);
    await applySyncBatch(db, A, batch);
    const messages = await db.messages.toArray();
    expect(messages).toHaveLength(2);
    expect(messages.every((m) => m.uid === undefined && m.content === 'whole')).toBe(true);
    expect(await loadSyncState(db, A)).toEqual([]);
    const second = receipt.created[1];
    expect(second).toBeDefined();
    const joined = new Uint8Array([...bytesOf(30), ...bytesOf(30, 2)]);
    if (second !== undefined) expect(await readBody(db, second)).toEqual(joined);
  });

  it('never lets two messages from a server without UIDL share a key, even in batches with one clock', async () => {
    const one = (id: string, subject: string): SyncBatch => ({
      ...emptyBatch(NOW),
      unidentified: [{ id, size: 10, preview: preview(subject), bytes: bytesOf(10) }],
    });
    await applySyncBatch(db, A, one('run1:1', 'first'));
    await applySyncBatch(db, A, one('run1:2', 'second'));
    await applySyncBatch(db, A, one('run1:1', 'first again'));
    const subjects = (await db.messages.toArray()).map((m) => m.subject).sort();
    expect(subjects).toEqual(['first', 'second']);
  });

  it('keeps a purged message purged when its content arrives anyway', async () => {
    await applySyncBatch(db, A, previewBatch(NOW, 1));
    await purgeMessages(db, [messageKey('acct-a:0:uid-0')]);
    const receipt = await applySyncBatch(db, A, {
      ...emptyBatch(NOW + 1),
      previews: [{ ref: ref('uid-0'), size: 1, firstSeen: NOW, preview: preview('x') }],
      wholes: [wholeItem('uid-0', bytesOf(1))],
    });
    expect(receipt).toEqual({ created: [], upgraded: [], skipped: 2 });
    expect(await db.messages.count()).toBe(0);
    expect(await db.bodies.count()).toBe(0);
  });

  it('moves the state of a rebound message to its new unique-id, keeping its message and key', async () => {
    await applySyncBatch(db, A, previewBatch(NOW, 2));
    await setMark(db, messageKey('acct-a:0:uid-0'), 'download');
    const batch: SyncBatch = {
      ...emptyBatch(NOW + 1),
      rebinds: [{ from: ref('uid-0'), to: ref('migrated-0'), size: 1234 }],
      // Later in the same batch, the new ref is already known, and the old one is free for a new message.
      stateUpdates: [{ ref: ref('migrated-0'), patch: { keepOnServer: true } }],
      previews: [{ ref: ref('uid-0'), size: 5, firstSeen: NOW + 1, preview: preview('A new message, old uid') }],
    };
    const receipt = await applySyncBatch(db, A, batch);
    expect(receipt.created).toEqual(['acct-a:0:uid-0~1']);
    const moved = (await loadSyncState(db, A)).find((r) => r.uid === 'migrated-0');
    expect(moved).toMatchObject({
      content: 'preview',
      mark: 'download',
      firstSeen: NOW,
      size: 1234,
      keepOnServer: true,
      messageKey: 'acct-a:0:uid-0',
    });
    expect(await getMessage(db, messageKey('acct-a:0:uid-0'))).toMatchObject({
      uid: 'migrated-0',
      subject: 'Message 0',
      sizeOnServer: 1234,
    });

    // A re-run of the batch changes nothing.
    const before = await snapshot(db);
    expect(await applySyncBatch(db, A, batch)).toMatchObject({ created: [] });
    expect(await snapshot(db)).toEqual(before);
  });

  it('marks the first sync done in the same transaction as its last batch', async () => {
    const port = syncStorePort(db);
    expect(await port.loadSyncState(A)).toEqual({ state: [], firstSync: true });
    await port.applySyncBatch(A, previewBatch(NOW, 1));
    expect((await port.loadSyncState(A)).firstSync).toBe(true);
    await port.applySyncBatch(A, { ...emptyBatch(NOW + 1), firstSyncDone: true });
    const snap = await port.loadSyncState(A);
    expect(snap.firstSync).toBe(false);
    expect(snap.state).toHaveLength(1);
    expect(await getAccount(db, A)).toMatchObject({ firstSyncDone: true });
    await expect(port.loadSyncState(accountId('nobody'))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
  });
});

/*
 * Large batches find which of their records exist with one key-only read of the span they cover (sync-batch.ts,
 * bulkGetSparse); crowded spans fall back to one lookup per key. Either way the batch must see exactly what is
 * stored: these cases cover both paths with records present among the wanted ones.
 */
describe('applySyncBatch with large batches', () => {
  it('a batch of 300 that overlaps an earlier one stores only the new 200, whichever way it looks records up', async () => {
    await applySyncBatch(db, A, previewBatch(NOW, 100));
    const receipt = await applySyncBatch(db, A, previewBatch(NOW + 1, 300));
    expect(receipt.created).toHaveLength(200);
    expect(receipt.skipped).toBe(100);
    expect(await db.messages.count()).toBe(300);
    expect(await loadSyncState(db, A)).toHaveLength(300);
    // The first 100 are the earlier ones, untouched.
    expect((await getMessage(db, messageKey('acct-a:0:uid-7')))?.receivedAt).toBe(NOW);
    expect((await getMessage(db, messageKey('acct-a:0:uid-250')))?.receivedAt).toBe(NOW + 1);
  });

  it('a span crowded with other records (a large mailbox, a batch of new mail) finds the few that exist', async () => {
    // 1,000 stored messages whose keys interleave with the batch's: 'uid-0' … 'uid-999'.
    await applySyncBatch(db, A, previewBatch(NOW, 1000));
    // 5 known ones and 100 new ones on both sides of them ('new-…' sorts before 'uid-…', 'uid-x…' after): 105 keys
    // whose span holds all 1,000 stored records, more than 4 per wanted key, so they are looked up one by one.
    const known = previewBatch(NOW + 1, 5).previews;
    const fresh = previewBatch(NOW + 1, 50, 'new-').previews;
    const crowded = previewBatch(NOW + 1, 50, 'uid-x').previews;
    const receipt = await applySyncBatch(db, A, { ...emptyBatch(NOW + 1), previews: [...known, ...fresh, ...crowded] });
    expect(receipt.skipped).toBe(5);
    expect(receipt.created).toHaveLength(100);
    expect(await db.messages.count()).toBe(1100);
  });

  it('in a large batch, a forgotten message still holding its key is never overwritten', async () => {
    await applySyncBatch(db, A, previewBatch(NOW, 1));
    await applySyncBatch(db, A, { ...emptyBatch(NOW + 1), forgotten: [ref('uid-0')] });
    const receipt = await applySyncBatch(db, A, previewBatch(NOW + 2, 200));
    expect(receipt.created).toContain('acct-a:0:uid-0~1');
    expect(receipt.created).toHaveLength(200);
    expect((await getMessage(db, messageKey('acct-a:0:uid-0')))?.receivedAt).toBe(NOW);
    expect(await db.messages.count()).toBe(201);
  });

  it('a re-run of a large batch changes nothing', async () => {
    const batch = previewBatch(NOW, 250);
    await applySyncBatch(db, A, batch);
    const before = await snapshot(db);
    expect(await applySyncBatch(db, A, batch)).toMatchObject({ created: [], skipped: 250 });
    expect(await snapshot(db)).toEqual(before);
  });
});
