/**
 * Store test fixtures: a private fake IndexedDB per test (fake-indexeddb's factory passed explicitly, no global
 * patched), and builders for accounts, previews and sync batches.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { AccountId, Uidl } from '../../../app/ids.ts';
import { uidl } from '../../../app/ids.ts';
import type { Address, MessagePreview } from '../../../app/mail/types.ts';
import { DEFAULT_POLICY } from '../../../app/sync/policy.ts';
import type { ServerMessageRef } from '../../../app/sync/state.ts';
import type {
  IndexedDbFactory,
  KeyRangeClass,
  NewAccount,
  PoplarDb,
  SyncBatch,
  WholeWrite,
} from '../../../renderer/store/index.ts';
import { openPoplarDb } from '../../../renderer/store/index.ts';

/*
 * fake-indexeddb types its exports with the DOM's IndexedDB types, which the Node test project does not load;
 * they are typed here by the store's own (structural) option types instead.
 */
const FakeFactory = IDBFactory as unknown as new () => IndexedDbFactory;
const FakeKeyRange = IDBKeyRange as unknown as KeyRangeClass;

/** A fresh, empty IndexedDB: each test gets its own, and may reopen databases in it. */
export function newFactory(): IndexedDbFactory {
  return new FakeFactory();
}

export function openTestDb(factory: IndexedDbFactory = newFactory(), name = 'poplar-test'): Promise<PoplarDb> {
  return openPoplarDb(name, factory, FakeKeyRange);
}

export function newAccount(id: string, overrides: Partial<NewAccount> = {}): NewAccount {
  return {
    id: id as AccountId,
    name: `Account ${id}`,
    email: `${id}@example.org`,
    host: 'pop.example.org',
    port: 995,
    security: 'tls',
    user: id,
    allowPlaintextPassword: false,
    policy: DEFAULT_POLICY,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function ref(uid: string, ordinal = 0): ServerMessageRef {
  return { uid: uidl(uid), ordinal };
}

export function address(name: string, addr: string): Address {
  return { name, address: addr };
}

export function preview(subject: string, overrides: Partial<MessagePreview> = {}): MessagePreview {
  return {
    from: [address('Ann Example', 'ann@example.org')],
    to: [address('', 'me@example.org')],
    cc: [],
    subject,
    previewText: `The first lines of ${subject}.`,
    hasAttachments: false,
    ...overrides,
  };
}

export function emptyBatch(now: number): SyncBatch {
  return { now, previews: [], wholes: [], adopted: [], stateUpdates: [], forgotten: [] };
}

/** A batch of `n` previews with unique-ids `${prefix}0`…, each seen at `now`. */
export function previewBatch(now: number, n: number, prefix = 'uid-'): SyncBatch {
  return {
    ...emptyBatch(now),
    previews: Array.from({ length: n }, (_, i) => ({
      ref: ref(`${prefix}${i}`),
      size: 1000 + i,
      firstSeen: now,
      preview: preview(`Message ${i}`),
    })),
  };
}

/** A whole message for `uid` (ordinal 0) whose body is `bytes`. */
export function wholeItem(uid: string, bytes: Uint8Array, overrides: Partial<WholeWrite> = {}): WholeWrite {
  return {
    ref: ref(uid),
    size: bytes.byteLength,
    firstSeen: 0,
    preview: preview(uid),
    bytes,
    keepOnServer: false,
    ...overrides,
  };
}

/** Deterministic bytes: a message of `size` octets that is not all one value. */
export function bytesOf(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export const UIDS = (...names: string[]): Uidl[] => names.map(uidl);
