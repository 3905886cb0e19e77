/**
 * The sync executor end to end: a real Dovecot, the real store under fake-indexeddb, and the policies and marks a
 * user sets. Every deletion is checked on the server's maildir.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStorePort } from '../../app/sync/batch.ts';
import { storeError } from '../../renderer/store/errors.ts';
import { deleteMessages, purgeMessages, setMark } from '../../renderer/store/index.ts';
import { startDovecot, type DovecotServer } from '../support/dovecot.ts';
import { generateMessages, readMaildirMessages, writeMaildir, type GeneratedMessage } from '../support/mailbox.ts';
import { syncFixture, type SyncFixture } from '../support/sync-fixture.ts';

let server: DovecotServer;
let messages: GeneratedMessage[];

beforeEach(async () => {
  server = await startDovecot();
  messages = [...generateMessages({ count: 40, seed: 11, kind: 'bench' })];
  writeMaildir(server.maildir(), messages);
});

afterEach(async () => {
  await server.stop();
});

async function fixture(policy: Parameters<typeof syncFixture>[1] = {}): Promise<SyncFixture> {
  const user = server.users[0];
  if (user === undefined) throw new Error('no user');
  return syncFixture(
    { host: server.host, port: server.plainPort, credentials: { user: user.name, password: user.password, method: 'USER', allowPlaintextPassword: true } },
    policy,
  );
}

const onServer = (): Map<string, Buffer> => readMaildirMessages(server.maildir());
const byMessageId = (id: string | undefined): GeneratedMessage => {
  const m = messages.find((x) => x.messageId === id);
  if (m === undefined) throw new Error(`no generated message ${String(id)}`);
  return m;
};

describe('previews first', () => {
  it('a first sync stores a preview of every message, with its headers; a second one fetches nothing', async () => {
    const f = await fixture({ download: { kind: 'previews', lines: 5 }, leave: { kind: 'until-deleted' } });
    const first = await f.sync();
    expect(first).toMatchObject({ ok: true, counts: { previews: 40, wholes: 0, deleted: 0 } });
    const stored = await f.messages();
    expect(stored).toHaveLength(40);
    for (const m of stored) {
      expect(m.content).toBe('preview');
      expect(m.sizeOnServer).toBe(byMessageId(m.messageId).bytes.length);
      expect(m.subject).not.toBe('');
      expect(m.from.length).toBeGreaterThan(0);
    }
    const second = await f.sync();
    expect(second).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0, deleted: 0 } });
    expect(await f.messages()).toHaveLength(40);
    expect(onServer().size).toBe(40);
  });

  it('Mark to download, and to download a copy: whole on the next sync; with "leave nothing", only the copy stays', async () => {
    const f = await fixture({ download: { kind: 'previews', lines: 5 }, leave: { kind: 'nothing' } });
    await f.sync();
    const [a, b] = (await f.messages()).sort((x, y) => (x.ordinal ?? 0) - (y.ordinal ?? 0) || x.key.localeCompare(y.key));
    if (a === undefined || b === undefined) throw new Error('expected messages');
    await setMark(f.db, a.key, 'download');
    await setMark(f.db, b.key, 'download-copy');
    const run = await f.sync();
    expect(run).toMatchObject({ ok: true, counts: { wholes: 2, deleted: 1 } });
    const after = new Map((await f.messages()).map((m) => [m.key, m]));
    expect(after.get(a.key)).toMatchObject({ content: 'whole', mark: 'none' });
    expect(after.get(b.key)).toMatchObject({ content: 'whole', mark: 'none' });
    expect((await f.body(a)).equals(byMessageId(a.messageId).bytes)).toBe(true);
    expect((await f.body(b)).equals(byMessageId(b.messageId).bytes)).toBe(true);
    const left = onServer();
    expect(left.has(a.messageId ?? '')).toBe(false);
    expect(left.has(b.messageId ?? '')).toBe(true);
    expect(left.size).toBe(39);
  });

  it('"until deleted in Poplar": trashing keeps the server copy, purging removes it at the next sync', async () => {
    const f = await fixture({ download: { kind: 'previews', lines: 0 }, leave: { kind: 'until-deleted' } });
    await f.sync();
    const victim = (await f.messages())[3];
    if (victim === undefined) throw new Error('expected a message');
    await deleteMessages(f.db, [victim.key]);
    await f.sync();
    expect(onServer().has(victim.messageId ?? '')).toBe(true);
    await purgeMessages(f.db, [victim.key]);
    const run = await f.sync();
    expect(run).toMatchObject({ ok: true, counts: { deleted: 1 } });
    expect(onServer().has(victim.messageId ?? '')).toBe(false);
    expect(await f.messages()).toHaveLength(39);
    // The purged message is not fetched again: it is gone from the server and forgotten.
    expect(await f.sync()).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0 } });
  });
});

describe('whole messages and server truth', () => {
  it('"leave nothing": every message is stored whole, byte for byte, then deleted on the server', async () => {
    const f = await fixture({ download: { kind: 'whole' }, leave: { kind: 'nothing' } });
    const run = await f.sync({ batchSize: 7 });
    expect(run).toMatchObject({ ok: true, counts: { wholes: 40, deleted: 40 } });
    expect(onServer().size).toBe(0);
    const stored = await f.messages();
    expect(stored).toHaveLength(40);
    for (const m of stored) expect((await f.body(m)).equals(byMessageId(m.messageId).bytes)).toBe(true);
  });

  it('whole up to a size, previews above it', async () => {
    const f = await fixture({ download: { kind: 'whole-up-to', maxBytes: 8000, lines: 3 }, leave: { kind: 'forever' } });
    await f.sync();
    for (const m of await f.messages()) expect(m.content).toBe(m.sizeOnServer <= 8000 ? 'whole' : 'preview');
    expect(onServer().size).toBe(40);
  });

  it('messages removed by someone else: previews are flagged, downloaded ones are untouched', async () => {
    const f = await fixture({ download: { kind: 'whole-up-to', maxBytes: 8000, lines: 3 }, leave: { kind: 'forever' } });
    await f.sync();
    // Another client takes every message off the server.
    const user = server.users[0];
    if (user === undefined) throw new Error('no user');
    const { Pop3Session } = await import('../../main/pop3/session.ts');
    const other = await Pop3Session.connect({ host: server.host, port: server.plainPort, security: 'none' });
    await other.authenticate({ user: user.name, password: user.password, method: 'USER', allowPlaintextPassword: true });
    await other.deleMany(Array.from({ length: 40 }, (_, i) => i + 1));
    await other.quit();
    const run = await f.sync();
    expect(run).toMatchObject({ ok: true, counts: { gone: 40, deleted: 0 } });
    const stored = await f.messages();
    expect(stored).toHaveLength(40);
    for (const m of stored) {
      expect(m.onServer).toBe(false);
      if (m.content === 'whole') expect((await f.body(m)).equals(byMessageId(m.messageId).bytes)).toBe(true);
    }
  });

  it('"start from now" adopts what is on the server without downloading it; only later mail arrives', async () => {
    const f = await fixture({ newAccount: 'start-from-now' });
    expect(await f.sync()).toMatchObject({ ok: true, counts: { adopted: 40, previews: 0 } });
    expect(await f.messages()).toHaveLength(0);
    writeMaildir(server.maildir(), generateMessages({ count: 3, seed: 99, kind: 'small' }));
    expect(await f.sync()).toMatchObject({ ok: true, counts: { previews: 3, adopted: 0 } });
    expect(await f.messages()).toHaveLength(3);
  });
});

describe('when the store refuses a write', () => {
  it('the session ends without deleting anything, the outcome says why, and the next sync picks up cleanly', async () => {
    const f = await fixture({ download: { kind: 'whole' }, leave: { kind: 'nothing' } });
    let writes = 0;
    const failing: SyncStorePort = {
      loadSyncState: (id) => f.port.loadSyncState(id),
      applySyncBatch: async (id, batch) => {
        if (++writes === 3) throw storeError('QUOTA', 'the disk is full');
        await f.port.applySyncBatch(id, batch);
      },
    };
    const broken = await f.sync({ store: failing, batchSize: 5 });
    expect(broken).toMatchObject({ ok: false, error: { code: 'STORE_QUOTA' } });
    expect(onServer().size).toBe(40);
    const stored = (await f.messages()).length;
    expect(stored).toBe(10);
    const clean = await f.sync({ batchSize: 5 });
    expect(clean).toMatchObject({ ok: true, counts: { wholes: 30, deleted: 40 } });
    expect(await f.messages()).toHaveLength(40);
    expect(onServer().size).toBe(0);
  });
});

describe('when the store never answers (a renderer that crashed mid-sync)', () => {
  it('the run ends with STORE_FAILED after the deadline, deletes nothing, and the next sync picks up', async () => {
    const f = await fixture({ download: { kind: 'whole' }, leave: { kind: 'nothing' } });
    let writes = 0;
    const hanging: SyncStorePort = {
      loadSyncState: (id) => f.port.loadSyncState(id),
      applySyncBatch: (id, batch) => (++writes === 2 ? new Promise<void>(() => undefined) : f.port.applySyncBatch(id, batch)),
    };
    const stuck = await f.sync({ store: hanging, batchSize: 5, storeTimeoutMs: 300 });
    expect(stuck).toMatchObject({ ok: false, error: { code: 'STORE_FAILED' } });
    expect(onServer().size).toBe(40);
    expect(await f.sync()).toMatchObject({ ok: true, counts: { deleted: 40 } });
    expect(onServer().size).toBe(0);
    expect(await f.messages()).toHaveLength(40);
  });
});
