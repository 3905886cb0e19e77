/**
 * The sync executor against servers that bend the usual picture: two messages with one unique-id (C0041), no
 * UIDL, no TOP, a mailbox whose unique-ids all changed (a server migration), and messages that another session
 * removes or that come back. The fake POP3 server in mailbox mode plays the server; the store is the real one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStorePort } from '../../app/sync/batch.ts';
import type { AccountPolicy } from '../../app/sync/policy.ts';
import type { Credentials } from '../../main/pop3/auth.ts';
import { Pop3Session } from '../../main/pop3/session.ts';
import { startFakeServer, type FakeServer, type MailboxOptions } from '../support/fake-pop3-server.ts';
import { generateMessages, type GeneratedMessage } from '../support/mailbox.ts';
import { syncFixture, type SyncFixture } from '../support/sync-fixture.ts';

const CREDENTIALS: Credentials = { user: 'bob', password: 'secret', method: 'USER', allowPlaintextPassword: true };

const PREVIEWS: Partial<AccountPolicy> = { download: { kind: 'previews', lines: 5 }, leave: { kind: 'until-deleted' } };
const WHOLE_LEAVE_NOTHING: Partial<AccountPolicy> = { download: { kind: 'whole' }, leave: { kind: 'nothing' } };

const servers: FakeServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(mailbox: MailboxOptions): Promise<FakeServer> {
  const server = await startFakeServer({ mailbox });
  servers.push(server);
  return server;
}

function fixture(server: FakeServer, policy: Partial<AccountPolicy>): Promise<SyncFixture> {
  return syncFixture({ host: server.host, port: server.port, credentials: CREDENTIALS }, policy);
}

const mail = (count: number, seed: number): GeneratedMessage[] => [...generateMessages({ count, seed, kind: 'small' })];
const bytesOf = (messages: readonly GeneratedMessage[]): Buffer[] => messages.map((m) => m.bytes);

/** The verbs the client sent, upper-cased, over all connections or one. */
function verbs(lines: readonly string[]): string[] {
  return lines.map((l) => (l.split(' ')[0] ?? '').toUpperCase());
}

/** What a new session on the server lists now: the maildrop after every committed QUIT. */
async function onServer(server: FakeServer): Promise<number> {
  const session = await Pop3Session.connect({ host: server.host, port: server.port, security: 'none' });
  await session.authenticate(CREDENTIALS);
  const count = (await session.list()).length;
  await session.quit();
  return count;
}

/** A store that records, at each committed batch, how many whole messages it held and whether any DELE had gone. */
function watchingStore(f: SyncFixture, server: FakeServer): { port: SyncStorePort; commits: Array<{ wholes: number; delesSent: number }> } {
  const commits: Array<{ wholes: number; delesSent: number }> = [];
  return {
    commits,
    port: {
      loadSyncState: (id) => f.port.loadSyncState(id),
      applySyncBatch: async (id, batch) => {
        await f.port.applySyncBatch(id, batch);
        commits.push({
          wholes: batch.wholes.length + (batch.unidentified?.length ?? 0),
          delesSent: verbs(server.transcript).filter((v) => v === 'DELE').length,
        });
      },
    },
  };
}

describe('C0041: two messages with one unique-id', () => {
  // popa3d derives a unique-id from the content, so two identical deliveries share it.
  const twin = mail(1, 41)[0]?.bytes ?? Buffer.alloc(0);

  it('both are stored, as ordinals 0 and 1, and a second sync stores nothing new', async () => {
    const server = await serve({ messages: [twin, twin], uids: ['same-id', 'same-id'] });
    const f = await fixture(server, PREVIEWS);
    expect(await f.sync()).toMatchObject({ ok: true, counts: { previews: 2, wholes: 0, deleted: 0 } });
    const stored = await f.messages();
    expect(stored.map((m) => [m.uid, m.ordinal]).sort()).toEqual([['same-id', 0], ['same-id', 1]]);
    expect(new Set(stored.map((m) => m.key)).size).toBe(2);
    const state = await f.db.pop3State.toArray();
    expect(state.map((r) => [r.uid, r.ordinal, r.content]).sort()).toEqual([['same-id', 0, 'preview'], ['same-id', 1, 'preview']]);

    const again = await f.sync();
    expect(again).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0, adopted: 0, deleted: 0, gone: 0 } });
    expect(verbs(server.connections[1]?.commands ?? [])).not.toContain('TOP');
    expect(await f.messages()).toHaveLength(2);
  });

  it.each([
    ['one batch per message', 1],
    ['one batch for the run', undefined],
  ])('"leave nothing" with whole downloads deletes both, and only once both are stored (%s)', async (_name, batchSize) => {
    const server = await serve({ messages: [twin, twin], uids: ['same-id', 'same-id'] });
    const f = await fixture(server, WHOLE_LEAVE_NOTHING);
    const store = watchingStore(f, server);
    const run = await f.sync({ store: store.port, batchSize });
    expect(run).toMatchObject({ ok: true, counts: { wholes: 2, deleted: 2 } });
    // No DELE had reached the server when either whole message was committed.
    const wholeCommits = store.commits.filter((c) => c.wholes > 0);
    expect(wholeCommits.reduce((n, c) => n + c.wholes, 0)).toBe(2);
    for (const c of wholeCommits) expect(c.delesSent).toBe(0);
    const conn = server.connections[0];
    expect([...(conn?.deleted ?? [])].sort()).toEqual([1, 2]);
    expect(conn?.committed).toBe(true);
    const stored = await f.messages();
    expect(stored.map((m) => [m.ordinal, m.content]).sort()).toEqual([[0, 'whole'], [1, 'whole']]);
    for (const m of stored) expect((await f.body(m)).equals(twin)).toBe(true);
    expect(await onServer(server)).toBe(0);
  });
});

describe('a server without UIDL', () => {
  const messages = mail(5, 7);

  it('"download whole, leave nothing": every message is downloaded once, stored, then deleted', async () => {
    const server = await serve({ messages: bytesOf(messages), noUidl: true });
    const f = await fixture(server, WHOLE_LEAVE_NOTHING);
    const store = watchingStore(f, server);
    const run = await f.sync({ store: store.port });
    expect(run).toMatchObject({ ok: true, counts: { wholes: 5, deleted: 5 } });
    // All five were committed before the first DELE went out.
    expect(store.commits.filter((c) => c.wholes > 0)).toEqual([{ wholes: 5, delesSent: 0 }]);
    const conn = server.connections[0];
    expect(verbs(conn?.commands ?? []).filter((v) => v === 'RETR')).toHaveLength(5);
    expect([...(conn?.deleted ?? [])].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(conn?.committed).toBe(true);

    const stored = await f.messages();
    expect(stored).toHaveLength(5);
    const bodies = await Promise.all(stored.map((m) => f.body(m)));
    for (const m of messages) expect(bodies.filter((b) => b.equals(m.bytes))).toHaveLength(1);
    for (const m of stored) {
      expect(m.content).toBe('whole');
      expect(m.uid).toBeUndefined();
    }

    // The next run finds an empty maildrop and stores nothing again.
    f.clock.now += 60_000;
    expect(await f.sync()).toMatchObject({ ok: true, counts: { wholes: 0, deleted: 0 } });
    expect(await f.messages()).toHaveLength(5);
  });

  it('a pre-RFC 2449 server (no CAPA) without UIDL is found out by UIDL itself, and treated the same', async () => {
    const server = await serve({ messages: bytesOf(messages), noUidl: true, capabilities: null });
    const f = await fixture(server, WHOLE_LEAVE_NOTHING);
    expect(await f.sync()).toMatchObject({ ok: true, counts: { wholes: 5, deleted: 5 } });
    expect(server.connections[0]?.committed).toBe(true);
    expect(await f.messages()).toHaveLength(5);
    expect(await onServer(server)).toBe(0);

    const refused = await syncFixture({ host: server.host, port: server.port, credentials: CREDENTIALS }, PREVIEWS, 'other');
    expect(await refused.sync()).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
  });

  it('small batches under one clock still store every message once before any DELE (no key shared)', async () => {
    const server = await serve({ messages: bytesOf(messages), noUidl: true });
    const f = await fixture(server, WHOLE_LEAVE_NOTHING);
    expect(await f.sync({ batchSize: 2 })).toMatchObject({ ok: true, counts: { wholes: 5, deleted: 5 } });
    const bodies = await Promise.all((await f.messages()).map((m) => f.body(m)));
    expect(bodies).toHaveLength(5);
    for (const m of messages) expect(bodies.filter((b) => b.equals(m.bytes))).toHaveLength(1);
  });

  const refusedPolicies: Array<[string, Partial<AccountPolicy>]> = [
    ['previews, until deleted', { download: { kind: 'previews', lines: 5 }, leave: { kind: 'until-deleted' } }],
    ['previews, leave nothing', { download: { kind: 'previews', lines: 5 }, leave: { kind: 'nothing' } }],
    ['whole, leave forever', { download: { kind: 'whole' }, leave: { kind: 'forever' } }],
    ['whole, leave 7 days', { download: { kind: 'whole' }, leave: { kind: 'days', days: 7 } }],
    ['whole, until deleted', { download: { kind: 'whole' }, leave: { kind: 'until-deleted' } }],
    ['whole up to 1 KB, leave nothing', { download: { kind: 'whole-up-to', maxBytes: 1024, lines: 5 }, leave: { kind: 'nothing' } }],
    ['whole, leave nothing, start from now', { ...WHOLE_LEAVE_NOTHING, newAccount: 'start-from-now' }],
  ];

  it.each(refusedPolicies)('any other policy (%s) fails clearly, and nothing is fetched or deleted', async (_name, policy) => {
    const server = await serve({ messages: bytesOf(messages), noUidl: true });
    const f = await fixture(server, policy);
    const run = await f.sync();
    expect(run.ok).toBe(false);
    if (run.ok) return;
    expect(run.error.code).toBe('NOT_SUPPORTED');
    expect(run.error.message).toMatch(/UIDL/);
    expect(run.counts).toMatchObject({ previews: 0, wholes: 0, deleted: 0 });
    const sent = verbs(server.transcript);
    for (const verb of ['TOP', 'RETR', 'DELE']) expect(sent).not.toContain(verb);
    expect(server.connections.every((c) => c.deleted.size === 0)).toBe(true);
    expect(await f.messages()).toHaveLength(0);
    expect(await onServer(server)).toBe(5);
  });
});

describe('a server without TOP', () => {
  it('an old server without CAPA is asked once whether TOP works, and gets whole downloads when it does not', async () => {
    const messages = mail(4, 5);
    const server = await serve({ messages: bytesOf(messages), noTop: true, capabilities: null });
    const f = await fixture(server, PREVIEWS);
    const run = await f.sync();
    expect(run).toMatchObject({ ok: true, counts: { previews: 0, wholes: 4, refused: 0 } });
    if (run.ok) expect(run.notices).toContainEqual({ kind: 'no-top', count: 4 });
    expect(verbs(server.transcript).filter((v) => v === 'TOP')).toHaveLength(1);
    expect((await f.messages()).map((m) => m.content)).toEqual(['whole', 'whole', 'whole', 'whole']);
  });

  it('the previews policy falls back to whole downloads, and says so', async () => {
    const messages = mail(4, 3);
    const server = await serve({ messages: bytesOf(messages), noTop: true });
    const f = await fixture(server, PREVIEWS);
    const run = await f.sync();
    expect(run).toMatchObject({ ok: true, counts: { previews: 0, wholes: 4, deleted: 0 } });
    if (!run.ok) return;
    expect(run.notices).toContainEqual({ kind: 'no-top', count: 4 });
    expect(verbs(server.transcript)).not.toContain('TOP');
    const stored = await f.messages();
    expect(stored).toHaveLength(4);
    for (const m of stored) {
      expect(m.content).toBe('whole');
      const original = messages.find((g) => g.messageId === m.messageId);
      expect(original).toBeDefined();
      expect((await f.body(m)).equals(original?.bytes ?? Buffer.alloc(0))).toBe(true);
    }
    // Nothing to do the next time.
    expect(await f.sync()).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0 } });
  });
});

describe('a server migration: every unique-id changed at once', () => {
  const COUNT = 30;
  const originals = mail(COUNT, 5);
  const oldUids = originals.map((_, i) => `old-${i + 1}`);
  const newUids = originals.map((_, i) => `new-${i + 1}`);

  it('the same messages under new unique-ids are matched, not downloaded again', async () => {
    const before = await serve({ messages: bytesOf(originals), uids: oldUids });
    const f = await fixture(before, PREVIEWS);
    expect(await f.sync()).toMatchObject({ ok: true, counts: { previews: COUNT } });

    const after = await serve({ messages: bytesOf(originals), uids: newUids });
    const moved = await f.sync({ endpoint: { port: after.port } });
    expect(moved).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0, deleted: 0, gone: 0 } });
    if (!moved.ok) return;
    expect(moved.needsConfirmation).toBeUndefined();
    // The user is told a migration was found and handled.
    expect(moved.notices).toContainEqual({ kind: 'migration-suspected', vanished: COUNT, appeared: COUNT });
    // Only header probes went out: TOP n 0, once per message, and no RETR.
    const fetches = after.transcript.filter((l) => /^(TOP|RETR) /i.test(l));
    expect(fetches).toHaveLength(COUNT);
    for (const l of fetches) expect(l).toMatch(/^TOP \d+ 0$/);

    const stored = await f.messages();
    expect(stored).toHaveLength(COUNT);
    expect(new Set(stored.map((m) => m.messageId))).toEqual(new Set(originals.map((m) => m.messageId)));
    for (const m of stored) expect(m).toMatchObject({ content: 'preview', onServer: true, uid: expect.stringMatching(/^new-/) as unknown });
    const state = await f.db.pop3State.toArray();
    expect(state).toHaveLength(COUNT);
    expect(new Set(state.map((r) => r.uid))).toEqual(new Set(newUids));
    // Each message follows its own new unique-id.
    for (const m of stored) {
      const i = originals.findIndex((g) => g.messageId === m.messageId);
      expect(m.uid).toBe(newUids[i]);
    }

    const third = await f.sync({ endpoint: { port: after.port } });
    expect(third).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0, deleted: 0, gone: 0 } });
    if (third.ok) expect(third.notices).toEqual([]);
    expect(after.connections[1]?.commands.filter((l) => /^(TOP|RETR|DELE) /i.test(l))).toEqual([]);
    expect(await f.messages()).toHaveLength(COUNT);
  });

  it('a C0041 pair stays two after the migration, and the few truly new messages are fetched at once', async () => {
    const pair = originals[3]?.bytes ?? Buffer.alloc(0);
    const before = await serve({ messages: [...bytesOf(originals), pair], uids: [...oldUids, 'old-4'] });
    const f = await fixture(before, PREVIEWS);
    expect(await f.sync()).toMatchObject({ ok: true, counts: { previews: COUNT + 1 } });

    const extra = mail(5, 55);
    const after = await serve({
      messages: [...bytesOf(originals), pair, ...bytesOf(extra)],
      uids: [...newUids, 'new-4', ...extra.map((_, i) => `extra-${i + 1}`)],
    });
    const moved = await f.sync({ endpoint: { port: after.port } });
    // 5 unmatched of 36 probed is ordinary churn: no confirmation needed, and they arrive as previews.
    expect(moved).toMatchObject({ ok: true, counts: { previews: 5, wholes: 0, gone: 0 } });
    if (moved.ok) expect(moved.needsConfirmation).toBeUndefined();
    expect(after.transcript.filter((l) => /^RETR /i.test(l))).toEqual([]);
    expect(after.transcript.filter((l) => /^TOP \d+ [1-9]/i.test(l))).toHaveLength(5);
    const stored = await f.messages();
    expect(stored).toHaveLength(COUNT + 6);
    expect(stored.filter((m) => m.uid === 'new-4').map((m) => m.ordinal).sort()).toEqual([0, 1]);
    expect(stored.filter((m) => m.uid?.startsWith('old-') === true)).toEqual([]);
    expect(await f.sync({ endpoint: { port: after.port } })).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0, gone: 0 } });
  });

  it('different messages under new unique-ids: the user must confirm before anything is fetched', async () => {
    const before = await serve({ messages: bytesOf(originals), uids: oldUids });
    const f = await fixture(before, PREVIEWS);
    expect(await f.sync()).toMatchObject({ ok: true, counts: { previews: COUNT } });

    const others = mail(COUNT, 6);
    const after = await serve({ messages: bytesOf(others), uids: newUids });
    const held = await f.sync({ endpoint: { port: after.port } });
    expect(held).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0, deleted: 0, gone: 0 } });
    if (!held.ok) return;
    expect(held.needsConfirmation).toEqual({ matched: 0, unmatched: COUNT });
    const probes = after.transcript.filter((l) => /^(TOP|RETR|DELE) /i.test(l));
    expect(probes).toHaveLength(COUNT);
    for (const l of probes) expect(l).toMatch(/^TOP \d+ 0$/);
    // Nothing changed locally: the old previews stay as they were.
    const stored = await f.messages();
    expect(stored).toHaveLength(COUNT);
    for (const m of stored) expect(m).toMatchObject({ onServer: true, uid: expect.stringMatching(/^old-/) as unknown });

    // Asked again without confirmation, it holds again.
    const again = await f.sync({ endpoint: { port: after.port } });
    expect(again).toMatchObject({ ok: true, needsConfirmation: { matched: 0, unmatched: COUNT } });
    expect(await f.messages()).toHaveLength(COUNT);

    const confirmed = await f.sync({ endpoint: { port: after.port }, migrationConfirmed: true });
    expect(confirmed).toMatchObject({ ok: true, counts: { previews: COUNT, gone: COUNT } });
    if (confirmed.ok) expect(confirmed.needsConfirmation).toBeUndefined();
    const now = await f.messages();
    expect(now).toHaveLength(2 * COUNT);
    const fresh = now.filter((m) => m.uid?.startsWith('new-') === true);
    expect(new Set(fresh.map((m) => m.messageId))).toEqual(new Set(others.map((m) => m.messageId)));
    for (const m of now) expect(m.onServer).toBe(m.uid?.startsWith('new-') === true);

    // And from then on it is an ordinary mailbox.
    expect(await f.sync({ endpoint: { port: after.port } })).toMatchObject({ ok: true, counts: { previews: 0, wholes: 0 } });
  });
});

describe('server truth between two syncs', () => {
  it('a message removed by another session is flagged, and one that comes back is unflagged', async () => {
    const messages = mail(4, 9);
    const uids = messages.map((_, i) => `u${i + 1}`);
    const server = await serve({ messages: bytesOf(messages), uids });
    // Whole up to a size picks both kinds: make the first message whole, the others previews.
    const first = messages[0]?.bytes.length ?? 0;
    const policy: Partial<AccountPolicy> = {
      download: { kind: 'whole-up-to', maxBytes: first, lines: 3 },
      leave: { kind: 'forever' },
    };
    const small = messages.filter((m) => m.bytes.length <= first).length;
    const f = await fixture(server, policy);
    expect(await f.sync()).toMatchObject({ ok: true, counts: { wholes: small, previews: 4 - small } });
    const byUid = async (uid: string) => (await f.messages()).find((m) => m.uid === uid);
    const preview = (await f.messages()).find((m) => m.content === 'preview');
    const whole = await byUid('u1');
    if (preview?.uid === undefined || whole === undefined) throw new Error('expected a preview and a whole message');
    expect(whole.content).toBe('whole');

    // Another client takes the preview-only message and the downloaded one off the server.
    const other = await Pop3Session.connect({ host: server.host, port: server.port, security: 'none' });
    await other.authenticate(CREDENTIALS);
    await other.deleMany([1, uids.indexOf(preview.uid) + 1]);
    await other.quit();

    const second = await f.sync();
    expect(second).toMatchObject({ ok: true, counts: { gone: 2, previews: 0, wholes: 0, deleted: 0 } });
    expect(await byUid(preview.uid)).toMatchObject({ onServer: false, content: 'preview' });
    expect(await byUid('u1')).toMatchObject({ onServer: false, content: 'whole' });
    expect((await f.body(whole)).equals(messages[0]?.bytes ?? Buffer.alloc(0))).toBe(true);
    expect((await f.messages()).filter((m) => m.onServer)).toHaveLength(2);

    // The mailbox is restored (say, from a backup): the same messages under the same unique-ids come back.
    const restored = await serve({ messages: bytesOf(messages), uids });
    const third = await f.sync({ endpoint: { port: restored.port } });
    expect(third).toMatchObject({ ok: true, counts: { gone: 0, previews: 0, wholes: 0, deleted: 0 } });
    expect(verbs(restored.transcript).filter((v) => v === 'TOP' || v === 'RETR')).toEqual([]);
    const back = await f.messages();
    expect(back).toHaveLength(4);
    for (const m of back) expect(m.onServer).toBe(true);
    const state = await f.db.pop3State.toArray();
    expect(state.every((r) => r.onServer)).toBe(true);
  });
});
