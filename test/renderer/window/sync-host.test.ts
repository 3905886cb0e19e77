/**
 * The sync host against the real store (fake-indexeddb) and a fake main: it serves main's store requests, tells
 * main the accounts whenever they change, records outcomes, and announces new mail only when the window is hidden.
 */
import Dexie from 'dexie';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import {
  addAccount,
  getAccount,
  listMessages,
  removeAccount,
  updateAccount,
} from '../../../renderer/store/index.ts';
import { newMailText, outcomeRecord, startSyncHost, type SyncHost } from '../../../renderer/sync-host.ts';
import { fakeMain, failure } from '../commands/fake-main.ts';
import { newAccount, newFactory, openTestDb, previewBatch } from '../store/helpers.ts';

const A = accountId('a');
const B = accountId('b');
const NOW = Date.UTC(2026, 0, 5, 9);

/*
 * Dexie's liveQuery runs only where it finds an IndexedDB among its default dependencies (a browser has one);
 * Node has none, so the tests give it a fake one for the duration of this file. Each db still gets its own
 * factory explicitly.
 */
const deps = Dexie.dependencies as { indexedDB?: unknown };
const browserDefault = deps.indexedDB;
beforeAll(() => {
  deps.indexedDB = newFactory();
});
afterAll(() => {
  deps.indexedDB = browserDefault;
});

let host: SyncHost | undefined;
afterEach(() => {
  host?.stop();
  host = undefined;
});

async function started(options: { hidden?: boolean; answers?: Parameters<typeof fakeMain>[0] } = {}) {
  const db = await openTestDb();
  const main = fakeMain(options.answers);
  const notices: { title: string; body: string }[] = [];
  const problems: string[] = [];
  host = startSyncHost({
    api: main,
    db,
    now: () => NOW,
    notifier: { isHidden: () => options.hidden ?? false, notify: (title, body) => void notices.push({ title, body }) },
    onProblem: (p) => void problems.push(p.code),
  });
  await host.ready;
  return { db, main, notices, problems };
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  await vi.waitFor(async () => {
    expect(await check()).toBe(true);
  });
}

describe('the sync host', () => {
  it('serves the sync state and commits batches to the store', async () => {
    const { db, main } = await started();
    await addAccount(db, newAccount('a'));
    const before = await main.request('store:load-sync-state', { accountId: A });
    expect(before).toEqual({ state: [], firstSync: true });
    await expect(main.request('store:apply-sync-batch', { accountId: A, batch: previewBatch(NOW, 3) })).resolves.toBeNull();
    const after = await main.request('store:load-sync-state', { accountId: A });
    expect(after.state).toHaveLength(3);
    const listed = await listMessages(db, { accountId: A, folder: 'inbox', sort: 'receivedAt', direction: 'asc', offset: 0, limit: 10 });
    expect(listed.map((m) => m.subject)).toEqual(['Message 0', 'Message 1', 'Message 2']);
  });

  it("passes a store failure back to main as a rejection, so main's executor stops before any DELE", async () => {
    const { main } = await started();
    await expect(main.request('store:load-sync-state', { accountId: accountId('nobody') })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
  });

  it('configures main with the accounts at start, and again whenever their settings change', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('a'));
    const main = fakeMain();
    host = startSyncHost({ api: main, db });
    await host.ready;
    const configured = () => main.callsTo('accounts:configure').map((c) => c.accounts.map((a) => `${a.id}:${a.port}`));
    expect(configured()).toEqual([['a:995']]);

    await addAccount(db, newAccount('b'));
    await until(() => configured().length === 2);
    await updateAccount(db, A, { port: 1995 });
    await until(() => configured().length === 3);
    await removeAccount(db, B);
    await until(() => configured().length === 4);
    expect(configured()).toEqual([['a:995'], ['a:995', 'b:995'], ['a:1995', 'b:995'], ['a:1995']]);
  });

  it('checks an account just added once main knows it, unless it is checked only by hand', async () => {
    const db = await openTestDb();
    await addAccount(db, newAccount('a'));
    const main = fakeMain();
    host = startSyncHost({ api: main, db });
    await host.ready;
    expect(main.callsTo('sync:send-receive')).toEqual([]);
    await addAccount(db, newAccount('b'));
    await until(() => main.callsTo('sync:send-receive').length === 1);
    const order = main.calls.map((c) => c.channel);
    expect(order.lastIndexOf('accounts:configure')).toBeLessThan(order.indexOf('sync:send-receive'));
    expect(main.callsTo('sync:send-receive')).toEqual([{ accountId: B }]);
    const byHand = { ...newAccount('c').policy, schedule: { atStartup: false, everyMinutes: null, inSendReceiveAll: true } };
    await addAccount(db, newAccount('c', { policy: byHand }));
    await until(() => main.callsTo('accounts:configure').length === 3);
    await updateAccount(db, A, { port: 1995 });
    await until(() => main.callsTo('accounts:configure').length === 4);
    expect(main.callsTo('sync:send-receive')).toEqual([{ accountId: B }]);
  });

  it('sends no secret and no display fields, only AccountConfig', async () => {
    const { db, main } = await started();
    await addAccount(db, newAccount('a', { tlsFingerprint: 'AB:'.repeat(31) + 'AB' }));
    await until(() => main.callsTo('accounts:configure').some((c) => c.accounts.length === 1));
    const [config] = main.callsTo('accounts:configure').at(-1)?.accounts ?? [];
    expect(Object.keys(config ?? {}).sort()).toEqual(
      ['allowPlaintextPassword', 'host', 'id', 'policy', 'port', 'security', 'tlsFingerprint', 'user'].sort(),
    );
  });

  it('does not configure main again when only the recorded outcome changed', async () => {
    const { db, main } = await started();
    await addAccount(db, newAccount('a'));
    await until(() => main.callsTo('accounts:configure').length === 2);
    main.emit('sync:outcome', { accountId: A, ok: true, newMessages: 0, notices: [] });
    await until(async () => (await getAccount(db, A))?.lastSync !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(main.callsTo('accounts:configure')).toHaveLength(2);
  });

  it("records outcomes with the server's own words", async () => {
    const { db, main } = await started();
    await addAccount(db, newAccount('a'));
    main.emit('sync:outcome', {
      accountId: A,
      ok: false,
      error: { code: 'AUTH_FAILED', message: 'Login refused.', details: { serverText: '[AUTH] Bad password' } },
      newMessages: 0,
      notices: [],
    });
    await until(async () => (await getAccount(db, A))?.lastSync !== undefined);
    expect((await getAccount(db, A))?.lastSync).toEqual({ at: NOW, ok: false, errorCode: 'AUTH_FAILED', message: '[AUTH] Bad password' });
    expect(outcomeRecord({ accountId: A, ok: false, error: { code: 'SYS_TEMP', message: 'Busy.', details: {} }, newMessages: 0, notices: [] }, 1)).toEqual({
      at: 1,
      ok: false,
      errorCode: 'SYS_TEMP',
      message: 'Busy.',
    });
  });

  it('ignores the outcome of an account removed meanwhile', async () => {
    const { main, problems } = await started();
    main.emit('sync:outcome', { accountId: accountId('gone'), ok: true, newMessages: 2, notices: [] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(problems).toEqual([]);
  });

  it('announces new mail only while the window is hidden', async () => {
    const hidden = await started({ hidden: true });
    await addAccount(hidden.db, newAccount('a', { name: 'Home' }));
    hidden.main.emit('sync:outcome', { accountId: A, ok: true, newMessages: 3, notices: [] });
    await until(() => hidden.notices.length === 1);
    expect(hidden.notices).toEqual([{ title: '3 new messages', body: 'in Home' }]);
    hidden.main.emit('sync:outcome', { accountId: A, ok: true, newMessages: 0, notices: [] });
    host?.stop();

    const visible = await started({ hidden: false });
    await addAccount(visible.db, newAccount('a'));
    visible.main.emit('sync:outcome', { accountId: A, ok: true, newMessages: 5, notices: [] });
    await until(async () => (await getAccount(visible.db, A))?.lastSync !== undefined);
    expect(visible.notices).toEqual([]);
    expect(hidden.notices).toHaveLength(1);
    expect(newMailText({ name: 'Work' }, 1)).toEqual({ title: 'New message', body: 'in Work' });
  });

  it("reports main's refusal of the accounts, and tries again on the next change", async () => {
    let refuse = true;
    const { db, main, problems } = await started({
      answers: { 'accounts:configure': () => (refuse ? failure('INVALID_ARGUMENT') : { ok: true, value: null }) },
    });
    expect(problems).toEqual(['INVALID_ARGUMENT']);
    refuse = false;
    await addAccount(db, newAccount('a'));
    await until(() => main.callsTo('accounts:configure').length === 2);
  });

  it('stops serving and listening when stopped', async () => {
    const { main } = await started();
    host?.stop();
    expect(main.listenerCount('sync:outcome')).toBe(0);
    await expect(main.request('store:load-sync-state', { accountId: A })).rejects.toThrow('nothing serves');
  });
});
