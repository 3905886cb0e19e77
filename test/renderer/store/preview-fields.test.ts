/** The preview fields a sync batch writes to a message record, `firstLines` among them. */
import { beforeEach, describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import { previewFields } from '../../../renderer/store/batch-input.ts';
import type { PoplarDb } from '../../../renderer/store/index.ts';
import { addAccount, applySyncBatch, getMessage } from '../../../renderer/store/index.ts';
import { bytesOf, emptyBatch, newAccount, openTestDb, preview, ref } from './helpers.ts';

const A = accountId('acct-a');
const NOW = 1_750_000_000_000;

describe('previewFields', () => {
  it('copies the first lines, and nothing a caller added beyond MessagePreview', () => {
    const p = { ...preview('s', { firstLines: 'one\n\ntwo' }), smuggled: 'x' };
    const fields = previewFields(p);
    expect(fields.firstLines).toBe('one\n\ntwo');
    expect(fields).not.toHaveProperty('smuggled');
  });

  it('sets the field even when the preview has none, so that an upgrade in place clears it', () => {
    const fields = previewFields(preview('s'));
    expect(Object.hasOwn(fields, 'firstLines')).toBe(true);
    expect(fields.firstLines).toBeUndefined();
    expect(previewFields({ ...preview('s'), firstLines: 42 as unknown as string }).firstLines).toBeUndefined();
  });
});

describe('firstLines in the store', () => {
  let db: PoplarDb;
  beforeEach(async () => {
    db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    return () => db.close();
  });

  it('is stored with a preview, and replaced by what the whole message brings', async () => {
    const key = messageKey('acct-a:0:uid-0');
    const item = { ref: ref('uid-0'), size: 900, firstSeen: NOW, preview: preview('Hello', { firstLines: 'Hi,\n\nthe first lines' }) };
    await applySyncBatch(db, A, { ...emptyBatch(NOW), previews: [item] });
    expect((await getMessage(db, key))?.firstLines).toBe('Hi,\n\nthe first lines');

    const whole = { ref: ref('uid-0'), size: 900, firstSeen: NOW, preview: preview('Hello'), bytes: bytesOf(900), keepOnServer: false };
    await applySyncBatch(db, A, { ...emptyBatch(NOW + 1), wholes: [whole] });
    const upgraded = await getMessage(db, key);
    expect(upgraded?.content).toBe('whole');
    expect(upgraded?.firstLines).toBeUndefined();
  });

  it('reads a record stored before the field existed', async () => {
    const item = { ref: ref('uid-1'), size: 10, firstSeen: NOW, preview: preview('Old') };
    await applySyncBatch(db, A, { ...emptyBatch(NOW), previews: [item] });
    const old = await getMessage(db, messageKey('acct-a:0:uid-1'));
    expect(old?.firstLines).toBeUndefined();
    expect(old?.previewText).toBe('The first lines of Old.');
  });
});
