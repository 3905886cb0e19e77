import { describe, expect, it } from 'vitest';
import { accountId, messageKey } from '../../../app/ids.ts';
import {
  BODY_CHUNK_BYTES,
  addAccount,
  applySyncBatch,
  readBody,
  readBodyChunks,
} from '../../../renderer/store/index.ts';
import type { BodyBytes, PoplarDb } from '../../../renderer/store/index.ts';
import { toChunks } from '../../../renderer/store/bodies.ts';
import { bytesOf, emptyBatch, newAccount, openTestDb, preview, ref } from './helpers.ts';

const A = accountId('acct-a');
const FIVE_MB = 5 * 1000 * 1000;

async function storeWhole(db: PoplarDb, uid: string, bytes: BodyBytes, size: number) {
  await applySyncBatch(db, A, {
    ...emptyBatch(1),
    wholes: [{ ref: ref(uid), size, firstSeen: 1, preview: preview(uid), bytes, keepOnServer: false }],
  });
  return messageKey(`acct-a:0:${uid}`);
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

describe('bodies', () => {
  it('round-trips a 5 MB message byte-exact through chunks of at most 1 MiB', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    const body = bytesOf(FIVE_MB, 7);
    const key = await storeWhole(db, 'big', body, FIVE_MB);

    const rows = await db.bodies.toArray();
    expect(rows).toHaveLength(Math.ceil(FIVE_MB / BODY_CHUNK_BYTES));
    expect(rows.every((r) => r.bytes.byteLength <= BODY_CHUNK_BYTES && r.count === rows.length)).toBe(true);
    // Each chunk owns its buffer: storing views of one big buffer would store that buffer once per chunk.
    expect(rows.every((r) => r.bytes.buffer.byteLength === r.bytes.byteLength)).toBe(true);

    // Compared as Buffers: a deep toEqual over 5 million elements takes far longer than the store does.
    expect(Buffer.from(await readBody(db, key)).equals(Buffer.from(body))).toBe(true);
    const streamed = await collect(readBodyChunks(db, key));
    expect(streamed.map((c) => c.byteLength)).toEqual(rows.map((r) => r.bytes.byteLength));
    expect(Buffer.concat(streamed).equals(Buffer.from(body))).toBe(true);
    db.close();
  });

  it('packs pieces as they came off the wire into full chunks', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    const pieces = Array.from({ length: 40 }, (_, i) => bytesOf(64 * 1024 + i, i));
    const key = await storeWhole(db, 'pieces', pieces, 0);
    const whole = Buffer.concat(pieces);
    expect((await db.bodies.toArray()).map((r) => r.bytes.byteLength)).toEqual([
      BODY_CHUNK_BYTES,
      BODY_CHUNK_BYTES,
      whole.length - 2 * BODY_CHUNK_BYTES,
    ]);
    expect(Buffer.from(await readBody(db, key)).equals(whole)).toBe(true);
    db.close();
  });

  it('keeps an empty body apart from a missing one', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    const key = await storeWhole(db, 'empty', new Uint8Array(0), 0);
    expect(await readBody(db, key)).toEqual(new Uint8Array(0));
    expect(await collect(readBodyChunks(db, key))).toEqual([new Uint8Array(0)]);
    await expect(readBody(db, messageKey('acct-a:0:none'))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    await expect(collect(readBodyChunks(db, messageKey('acct-a:0:none')))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    db.close();
  });

  it('replaces a longer body whole, leaving no old chunks behind', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    const key = await storeWhole(db, 'again', bytesOf(3 * BODY_CHUNK_BYTES), 0);
    await storeWhole(db, 'again', bytesOf(10), 0);
    expect(await db.bodies.count()).toBe(1);
    expect(await readBody(db, key)).toEqual(bytesOf(10));
    db.close();
  });

  it('notices an incomplete body instead of returning a short one', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('acct-a'));
    const key = await storeWhole(db, 'cut', bytesOf(2 * BODY_CHUNK_BYTES + 1), 0);
    await db.bodies.delete([key, 1]);
    await expect(readBody(db, key)).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await expect(collect(readBodyChunks(db, key))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    db.close();
  });

  it('cuts chunks at exact boundaries', () => {
    const k = messageKey('k');
    expect(toChunks(k, bytesOf(BODY_CHUNK_BYTES)).map((c) => [c.index, c.count, c.bytes.byteLength])).toEqual([
      [0, 1, BODY_CHUNK_BYTES],
    ]);
    expect(toChunks(k, [bytesOf(BODY_CHUNK_BYTES - 1), bytesOf(2)]).map((c) => c.bytes.byteLength)).toEqual([
      BODY_CHUNK_BYTES,
      1,
    ]);
    expect(toChunks(k, []).map((c) => c.bytes.byteLength)).toEqual([0]);
  });
});
