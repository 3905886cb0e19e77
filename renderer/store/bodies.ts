/**
 * Message bodies: the raw RFC 5322 bytes of a downloaded message, stored as chunks of at most BODY_CHUNK_BYTES so
 * that a large message is never one value, in memory or in one IndexedDB record.
 */
import Dexie from 'dexie';
import type { MessageKey } from '../../app/ids.ts';
import type { PoplarDb } from './db.ts';
import { guarded, storeError } from './errors.ts';
import type { BodyChunk } from './schema.ts';
import { BODY_CHUNK_BYTES } from './schema.ts';

/** The bytes of a body as a sync batch brings them: one array, or the pieces as they came off the wire. */
export type BodyBytes = Uint8Array | readonly Uint8Array[];

function totalLength(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  return n;
}

/**
 * Cuts a body into chunks. Every chunk is a fresh copy: IndexedDB stores a typed array by structured clone, which
 * copies the view's whole underlying buffer, so storing `subarray` views of one big buffer would store it again
 * for every chunk. Small pieces are packed together. An empty body is one empty chunk, so "empty" and "missing"
 * stay different.
 */
export function toChunks(key: MessageKey, bytes: BodyBytes): BodyChunk[] {
  const parts: readonly Uint8Array[] = bytes instanceof Uint8Array ? [bytes] : bytes;
  const total = totalLength(parts);
  const count = Math.max(1, Math.ceil(total / BODY_CHUNK_BYTES));
  const chunks: BodyChunk[] = [];
  let part = 0;
  let partOffset = 0;
  for (let index = 0; index < count; index++) {
    const out = new Uint8Array(Math.min(BODY_CHUNK_BYTES, total - index * BODY_CHUNK_BYTES));
    let filled = 0;
    while (filled < out.byteLength) {
      const src = parts[part];
      if (src === undefined) break;
      const take = Math.min(src.byteLength - partOffset, out.byteLength - filled);
      out.set(src.subarray(partOffset, partOffset + take), filled);
      filled += take;
      partOffset += take;
      if (partOffset === src.byteLength) {
        part++;
        partOffset = 0;
      }
    }
    chunks.push({ key, index, count, bytes: out });
  }
  return chunks;
}

function bodyRange(key: MessageKey): [unknown[], unknown[]] {
  return [[key, Dexie.minKey], [key, Dexie.maxKey]];
}

/**
 * Inside a caller's transaction (which must include `bodies` and `prepared`): removes the bodies of these messages,
 * if any, in one range delete, and their prepared views.
 */
export async function deleteBodiesIn(db: PoplarDb, keys: readonly MessageKey[]): Promise<void> {
  if (keys.length === 0) return;
  const ranges = keys.map(bodyRange);
  await db.bodies.where('[key+index]').inAnyRange(ranges, { includeLowers: true, includeUppers: true }).delete();
  // A prepared view is made from its body (schema.ts, PreparedRecord): it goes with it, in the same transaction.
  await db.prepared.bulkDelete([...keys]);
}

/**
 * Inside a caller's transaction: stores bodies, replacing any body already stored under the same key (a re-run of
 * a batch writes the same chunks again, never a second copy, and never leaves a longer old body's tail behind).
 */
export async function writeBodiesIn(db: PoplarDb, bodies: ReadonlyMap<MessageKey, BodyBytes>): Promise<void> {
  if (bodies.size === 0) return;
  await deleteBodiesIn(db, [...bodies.keys()]);
  // One body's chunks at a time: IndexedDB clones each value as it is put, so only one body is copied at once.
  for (const [key, bytes] of bodies) await db.bodies.bulkPut(toChunks(key, bytes));
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(totalLength(chunks));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function checkComplete(key: MessageKey, chunks: readonly BodyChunk[]): void {
  const first = chunks[0];
  if (first === undefined) throw storeError('NOT_FOUND', `no body is stored for message ${key}`);
  const whole = chunks.length === first.count && chunks.every((c, i) => c.index === i && c.count === first.count);
  if (!whole) throw storeError('FAILED', `the body of message ${key} is incomplete`);
}

/** The whole body as one array: for a message small enough to parse in one piece. */
export async function readBody(db: PoplarDb, key: MessageKey): Promise<Uint8Array> {
  const chunks = await guarded('reading a message body', () => {
    const [lower, upper] = bodyRange(key);
    return db.bodies.where('[key+index]').between(lower, upper, true, true).toArray();
  });
  checkComplete(key, chunks);
  return concat(chunks.map((c) => c.bytes));
}

/**
 * The body chunk by chunk, one in memory at a time, for a streaming parser. A body removed while it is being read
 * (the message was purged) ends the stream with NOT_FOUND rather than with a silently short body.
 */
export async function* readBodyChunks(db: PoplarDb, key: MessageKey): AsyncGenerator<Uint8Array, void, undefined> {
  const first = await guarded('reading a message body', () => db.bodies.get([key, 0]));
  if (first === undefined) throw storeError('NOT_FOUND', `no body is stored for message ${key}`);
  yield first.bytes;
  for (let index = 1; index < first.count; index++) {
    const chunk = await guarded('reading a message body', () => db.bodies.get([key, index]));
    if (chunk?.count !== first.count) {
      throw storeError('NOT_FOUND', `the body of message ${key} was removed or replaced while it was read`);
    }
    yield chunk.bytes;
  }
}
