/**
 * The executor fetches the next batch while the store commits the previous one (network and store overlap), and
 * keeps every invariant doing so: commits stay in order, at most one is under way, a failed commit stops the run
 * before anything is deleted, and a whole message's DELE waits for its own commit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncBatch, SyncStorePort } from '../../app/sync/batch.ts';
import type { AccountPolicy } from '../../app/sync/policy.ts';
import { mailError } from '../../app/errors.ts';
import type { Credentials } from '../../main/pop3/auth.ts';
import type { SyncProgress } from '../../main/sync/progress.ts';
import { startFakeServer, type FakeServer } from '../support/fake-pop3-server.ts';
import { generateMessages } from '../support/mailbox.ts';
import { syncFixture, type SyncFixture } from '../support/sync-fixture.ts';

const CREDENTIALS: Credentials = { user: 'bob', password: 'secret', method: 'USER', allowPlaintextPassword: true };
const PREVIEWS: Partial<AccountPolicy> = { download: { kind: 'previews', lines: 5 }, leave: { kind: 'until-deleted' } };
const WHOLE_LEAVE_NOTHING: Partial<AccountPolicy> = { download: { kind: 'whole' }, leave: { kind: 'nothing' } };

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setUp(count: number, policy: Partial<AccountPolicy>): Promise<{ server: FakeServer; f: SyncFixture }> {
  const messages = [...generateMessages({ count, seed: 7, kind: 'small' })].map((m) => m.bytes);
  const server = await startFakeServer({ mailbox: { messages } });
  servers.push(server);
  const f = await syncFixture({ host: server.host, port: server.port, credentials: CREDENTIALS }, policy);
  return { server, f };
}

const verbsOf = (server: FakeServer): string[] => server.transcript.map((l) => (l.split(' ')[0] ?? '').toUpperCase());

/** Resolves when `check` holds, polling; rejects after `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('commits overlap with fetching', () => {
  it('the next batch is fetched while the store commits the one before', async () => {
    const { f } = await setUp(30, PREVIEWS);
    let done = 0;
    const onProgress = (p: SyncProgress): void => {
      if (p.phase === 'downloading') done = p.done;
    };
    const order: number[] = [];
    let active = 0;
    let maxActive = 0;
    const store: SyncStorePort = {
      loadSyncState: (id) => f.port.loadSyncState(id),
      applySyncBatch: async (id, batch: SyncBatch) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        try {
          // The first commit is held until the second batch has come down: without the overlap this never happens.
          if (order.length === 0) await until(() => done >= 20, 5000, 'the second batch to be fetched during the first commit');
          await f.port.applySyncBatch(id, batch);
          order.push(batch.previews.length);
        } finally {
          active -= 1;
        }
      },
    };
    const outcome = await f.sync({ store, batchSize: 10, onProgress, progressIntervalMs: 0 });
    expect(outcome).toMatchObject({ ok: true, counts: { previews: 30 } });
    // In order, one at a time, nothing lost.
    expect(order).toEqual([10, 10, 10, 0]);
    expect(maxActive).toBe(1);
    const stored = await f.messages();
    expect(stored).toHaveLength(30);
    // A preview keeps the lines TOP fetched, for the reading pane.
    expect(stored.every((m) => (m.firstLines ?? '').length > 0)).toBe(true);
  });

  it('a commit that fails while the next batch is fetched ends the run: nothing deleted, no QUIT, no later commit', async () => {
    const { server, f } = await setUp(30, WHOLE_LEAVE_NOTHING);
    let calls = 0;
    const store: SyncStorePort = {
      loadSyncState: (id) => f.port.loadSyncState(id),
      applySyncBatch: async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 20));
        throw mailError('STORE_QUOTA', 'The disk is full.');
      },
    };
    const outcome = await f.sync({ store, batchSize: 10 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'STORE_QUOTA' } });
    expect(calls).toBe(1);
    const verbs = verbsOf(server);
    expect(verbs).toContain('RETR');
    expect(verbs).not.toContain('DELE');
    expect(verbs).not.toContain('QUIT');
    expect(await f.messages()).toHaveLength(0);
  });

  it('with "leave nothing", DELE goes only after the last whole message is committed', async () => {
    const { server, f } = await setUp(25, WHOLE_LEAVE_NOTHING);
    const delesAtCommit: number[] = [];
    const store: SyncStorePort = {
      loadSyncState: (id) => f.port.loadSyncState(id),
      applySyncBatch: async (id, batch) => {
        await new Promise((r) => setTimeout(r, 10));
        await f.port.applySyncBatch(id, batch);
        delesAtCommit.push(verbsOf(server).filter((v) => v === 'DELE').length);
      },
    };
    expect(await f.sync({ store, batchSize: 10 })).toMatchObject({ ok: true, counts: { wholes: 25, deleted: 25 } });
    expect(delesAtCommit.every((n) => n === 0)).toBe(true);
    expect(verbsOf(server).filter((v) => v === 'DELE')).toHaveLength(25);
    const stored = await f.messages();
    expect(stored).toHaveLength(25);
    // A whole message is read from its body; its record carries no copy of its first lines.
    expect(stored.every((m) => m.content === 'whole' && m.firstLines === undefined)).toBe(true);
  });
});
