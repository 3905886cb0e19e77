import { describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import type { MessageKey } from '../../../app/ids.ts';
import { RENDER_VERSION } from '../../../renderer/reading/render-version.ts';
import { addAccount, applySyncBatch, purgeMessages, readPrepared, writePrepared } from '../../../renderer/store/index.ts';
import type { PoplarDb } from '../../../renderer/store/index.ts';
import { startViewPreparer } from '../../../renderer/window/prepare-views.ts';
import type { ViewPreparerOptions } from '../../../renderer/window/prepare-views.ts';
import { bytesOf, emptyBatch, newAccount, openTestDb, wholeItem } from '../store/helpers.ts';

const A = accountId('acct-a');
const keyOf = (uid: string): MessageKey => messageKey(`acct-a:0:${uid}`);

async function downloaded(db: PoplarDb, now: number, ...uids: string[]): Promise<void> {
  await applySyncBatch(db, A, { ...emptyBatch(now), wholes: uids.map((u) => wholeItem(u, bytesOf(64 + u.length, now))) });
}

/** A preparer over `db` with no waiting, whose "view" of a body is its length, or null for bodies of 65 bytes. */
function preparer(db: PoplarDb, seen: number[], overrides: Partial<ViewPreparerOptions> = {}) {
  return startViewPreparer({
    db,
    startAfterMs: 0,
    idle: () => Promise.resolve(),
    prepare: (bytes) => {
      seen.push(bytes.byteLength);
      return Promise.resolve(bytes.byteLength === 65 ? null : { length: bytes.byteLength });
    },
    ...overrides,
  });
}

async function withMail(): Promise<PoplarDb> {
  const db = await openTestDb();
  await addAccount(db, newAccount('acct-a'));
  return db;
}

describe('the background view preparer', () => {
  it('prepares each downloaded message once, newest first; one with nothing to show is kept as nothing', async () => {
    const db = await withMail();
    await downloaded(db, 1, 'a'); // 65 bytes: nothing to prepare
    await downloaded(db, 2, 'bb', 'ccc');
    const seen: number[] = [];
    const p = preparer(db, seen);
    await p.settled();
    expect(seen.sort()).toEqual([65, 66, 67]);
    expect(await readPrepared(db, keyOf('bb'), RENDER_VERSION)).toEqual({ length: 66 });
    expect(await readPrepared(db, keyOf('a'), RENDER_VERSION)).toBeNull();

    // Nothing new: a second pass prepares nothing again.
    p.poke();
    await p.settled();
    expect(seen).toHaveLength(3);
    p.stop();
    db.close();
  });

  it('takes the newest first and at most its share per pass; a poke runs another pass', async () => {
    const db = await withMail();
    await downloaded(db, 1, 'old1');
    await downloaded(db, 2, 'new22');
    const seen: number[] = [];
    const p = preparer(db, seen, { perPass: 1 });
    await p.settled();
    expect(seen).toEqual([69]);
    await downloaded(db, 3, 'newest');
    p.poke();
    await p.settled();
    expect(seen).toEqual([69, 70]);
    p.poke();
    await p.settled();
    expect(seen).toEqual([69, 70, 68]);
    p.stop();
    db.close();
  });

  it('replaces views of other builds, survives a failing message, and writes nothing once stopped', async () => {
    const db = await withMail();
    await downloaded(db, 1, 'stale', 'bad', 'gone');
    await writePrepared(db, keyOf('stale'), 'another build', { old: true });
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const p = preparer(db, seen, {
      prepare: async (bytes) => {
        seen.push(bytes.byteLength);
        if (bytes.byteLength === 67) throw new Error('unparseable'); // 'bad'
        if (bytes.byteLength === 68) await held; // 'gone': purged while it is prepared
        return { length: bytes.byteLength };
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await purgeMessages(db, [keyOf('gone')]);
    release();
    await p.settled();
    expect(await readPrepared(db, keyOf('stale'), RENDER_VERSION)).toEqual({ length: 69 });
    expect(await readPrepared(db, keyOf('stale'), 'another build')).toBeUndefined();
    expect(await readPrepared(db, keyOf('bad'), RENDER_VERSION)).toBeNull();
    expect(await db.prepared.get(keyOf('gone'))).toBeUndefined();

    p.stop();
    await downloaded(db, 2, 'later');
    p.poke();
    await p.settled();
    expect(await db.prepared.get(keyOf('later'))).toBeUndefined();
    db.close();
  });

  it('removes, after a pass, the views of mail older than what it looks at', async () => {
    const db = await withMail();
    await downloaded(db, 1, 'old');
    await writePrepared(db, keyOf('old'), RENDER_VERSION, { length: 0 });
    await downloaded(db, 2, 'mid', 'new');
    const seen: number[] = [];
    const p = preparer(db, seen, { scan: 2 });
    await p.settled();
    expect(seen.sort()).toEqual([67, 67]);
    expect((await db.prepared.toCollection().primaryKeys()).sort()).toEqual([keyOf('mid'), keyOf('new')].sort());
    p.stop();
    db.close();
  });
});
