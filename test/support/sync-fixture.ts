/**
 * A sync under test: the real executor, the real store under fake-indexeddb, and a server (Dovecot or the fake),
 * wired as the app wires them, with the store port called directly instead of over IPC.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { accountId, type AccountId } from '../../app/ids.ts';
import type { MessageRecord } from '../../app/mail/types.ts';
import type { SyncStorePort } from '../../app/sync/batch.ts';
import { DEFAULT_POLICY, type AccountPolicy } from '../../app/sync/policy.ts';
import type { Credentials } from '../../main/pop3/auth.ts';
import type { Security, TlsTrust } from '../../main/pop3/connection.ts';
import { runSync, type SyncAccount, type SyncOptions, type SyncOutcome } from '../../main/sync/executor.ts';
import {
  addAccount,
  openPoplarDb,
  readBody,
  syncStorePort,
  type IndexedDbFactory,
  type KeyRangeClass,
  type PoplarDb,
} from '../../renderer/store/index.ts';

const FakeFactory = IDBFactory as unknown as new () => IndexedDbFactory;
const FakeKeyRange = IDBKeyRange as unknown as KeyRangeClass;

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly security?: Security;
  readonly tls?: TlsTrust;
  readonly credentials: Credentials;
}

export interface SyncFixture {
  readonly db: PoplarDb;
  readonly id: AccountId;
  readonly port: SyncStorePort;
  account(policy?: Partial<AccountPolicy>, endpoint?: Partial<Endpoint>): SyncAccount;
  sync(options?: Partial<SyncOptions> & { policy?: Partial<AccountPolicy>; endpoint?: Partial<Endpoint>; store?: SyncStorePort }): Promise<SyncOutcome>;
  messages(): Promise<MessageRecord[]>;
  body(message: MessageRecord): Promise<Buffer>;
  clock: { now: number };
}

export async function syncFixture(endpoint: Endpoint, policy: Partial<AccountPolicy> = {}, name = 'acc'): Promise<SyncFixture> {
  const db = await openPoplarDb(`poplar-${name}`, new FakeFactory(), FakeKeyRange);
  const id = accountId(name);
  await addAccount(db, {
    id,
    name,
    email: `${name}@example.org`,
    host: endpoint.host,
    port: endpoint.port,
    security: endpoint.security ?? 'none',
    user: endpoint.credentials.user,
    allowPlaintextPassword: true,
    policy: { ...DEFAULT_POLICY, ...policy },
  });
  const port = syncStorePort(db);
  const clock = { now: Date.UTC(2026, 10, 22, 9, 0, 0) };
  const account = (p: Partial<AccountPolicy> = {}, e: Partial<Endpoint> = {}): SyncAccount => {
    const ep = { ...endpoint, ...e };
    return {
      id,
      host: ep.host,
      port: ep.port,
      security: ep.security ?? 'none',
      tls: ep.tls,
      credentials: ep.credentials,
      policy: { ...DEFAULT_POLICY, ...policy, ...p },
      timeouts: { connectMs: 3000, greetingMs: 3000, idleMs: 3000 },
    };
  };
  return {
    db,
    id,
    port,
    clock,
    account,
    sync: (options = {}) =>
      runSync(account(options.policy, options.endpoint), options.store ?? port, { now: () => clock.now, ...options }),
    messages: () => db.messages.toArray(),
    body: async (m) => Buffer.from(await readBody(db, m.key)),
  };
}
