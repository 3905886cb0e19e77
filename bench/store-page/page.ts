/**
 * The store benchmark's page: applies a preview sync's batches straight to the store (renderer/store, the app's
 * own code) in this browser's real IndexedDB, with no window, no IPC and no server. What it measures is the
 * store's floor: a sync through the app cannot be faster than its writes.
 *
 * The previews are synthetic but shaped like what extractPreview gives for the bench mailbox: one sender, two
 * recipients, a cc now and then, a subject of 30-70 characters, a date, a Message-ID and ~300 characters of
 * preview text.
 */
import { accountId, uidl } from '../../app/ids.ts';
import type { MessagePreview } from '../../app/mail/types.ts';
import type { PreviewWrite, SyncBatch } from '../../app/sync/batch.ts';
import { DEFAULT_POLICY } from '../../app/sync/policy.ts';
import { addAccount, applySyncBatch, countMessages, openPoplarDb } from '../../renderer/store/index.ts';
import type { FloorInput, StoreBenchApi, StoreBenchInput, StoreBenchResult } from './api.ts';

const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');

function text(seed: number, chars: number): string {
  let out = '';
  let i = seed;
  while (out.length < chars) {
    out += (out === '' ? '' : ' ') + (WORDS[i % WORDS.length] ?? 'x');
    i = (i * 7 + 3) % 9973;
  }
  return out.slice(0, chars);
}

function preview(i: number): MessagePreview {
  return {
    from: [{ name: `Sender ${i % 500}`, address: `sender${i % 500}@example.org` }],
    to: [
      { name: 'Alice Example', address: 'alice@example.net' },
      { name: '', address: `list${i % 7}@lists.example.com` },
    ],
    cc: i % 5 === 0 ? [{ name: 'Carol', address: 'carol@example.com' }] : [],
    subject: `${i % 3 === 0 ? 'Re: ' : ''}${text(i, 30 + (i % 40))}`,
    date: Date.UTC(2026, 0, 1) + i * 60_000,
    messageId: `<${i}.${(i * 2654435761) % 4294967296}@mail.example.org>`,
    previewText: text(i + 1, 300),
    hasAttachments: i % 11 === 0,
  };
}

async function run(input: StoreBenchInput): Promise<StoreBenchResult> {
  const db = await openPoplarDb(input.dbName, undefined, undefined, input.durability);
  try {
    const account = await addAccount(db, {
      id: accountId('bench'),
      name: 'Bench',
      email: 'alice@example.net',
      host: '127.0.0.1',
      port: 110,
      security: 'none',
      user: 'alice',
      allowPlaintextPassword: true,
      policy: DEFAULT_POLICY,
    });
    const now = Date.now();
    const batchMs: number[] = [];
    const started = performance.now();
    for (let first = 0; first < input.count; first += input.batchSize) {
      const previews: PreviewWrite[] = [];
      for (let i = first; i < Math.min(input.count, first + input.batchSize); i += 1) {
        previews.push({ ref: { uid: uidl(`uid-${i.toString(36)}-${(i * 48271) % 2147483647}`), ordinal: 0 }, size: 3000 + (i % 5000), firstSeen: now, preview: preview(i) });
      }
      const batch: SyncBatch = { now, previews, wholes: [], adopted: [], stateUpdates: [], forgotten: [] };
      const t0 = performance.now();
      await applySyncBatch(db, account.id, batch);
      batchMs.push(performance.now() - t0);
    }
    const totalMs = performance.now() - started;
    const stored = await countMessages(db, { accountId: account.id, folder: 'inbox' });
    return { totalMs, batchMs, stored };
  } finally {
    db.close();
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      reject(req.error ?? new Error('IndexedDB request failed'));
    };
  });
}

async function floor(input: FloorInput): Promise<{ totalMs: number }> {
  const open = indexedDB.open(input.dbName, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('a');
    open.result.createObjectStore('b');
  };
  const db = await request(open);
  try {
    const started = performance.now();
    for (let first = 0; first < input.count; first += input.batchSize) {
      const tx = db.transaction(['a', 'b'], 'readwrite', { durability: 'relaxed' });
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => {
          resolve();
        };
        tx.onerror = () => {
          reject(tx.error ?? new Error('transaction failed'));
        };
      });
      const a = tx.objectStore('a');
      const b = tx.objectStore('b');
      for (let i = first; i < Math.min(input.count, first + input.batchSize); i += 1) {
        a.put({ n: i, s: 'x' }, i);
        if (input.recordsPerMessage === 2) b.put({ n: i, s: 'y' }, i);
      }
      await done;
    }
    return { totalMs: performance.now() - started };
  } finally {
    db.close();
  }
}

const api: StoreBenchApi = { run, floor };
(window as unknown as { poplarStoreBench: StoreBenchApi }).poplarStoreBench = api;

