import { describe, expect, it } from 'vitest';
import { accountId, runId } from '../../../app/ids.ts';
import type { SyncProgress } from '../../../app/sync/status.ts';
import { createSyncStatusModel } from '../../../renderer/window/sync-status.ts';
import { fakeMain } from '../commands/fake-main.ts';

const A = accountId('a');
const progress: SyncProgress = { accountId: A, runId: runId('r1'), phase: 'downloading', done: 2, total: 5, bytes: 10, totalBytes: 50 };

describe('the sync status model', () => {
  it('keeps status, progress and outcome per account, each change a new snapshot', () => {
    const main = fakeMain();
    const model = createSyncStatusModel(main);
    let changes = 0;
    model.subscribe(() => changes++);
    const first = model.getSnapshot();
    main.emit('sync:status', { accountId: A, activity: 'running', retryAttempt: 0 });
    main.emit('sync:progress', progress);
    const running = model.getSnapshot();
    expect(running).not.toBe(first);
    expect(running.accounts.get(A)?.progress).toEqual(progress);
    main.emit('sync:outcome', { accountId: A, ok: true, newMessages: 3, notices: [] });
    expect(model.getSnapshot().accounts.get(A)?.progress).toBeUndefined();
    expect(model.getSnapshot().accounts.get(A)?.outcome?.newMessages).toBe(3);
    expect(changes).toBe(3);
  });

  it('drops the progress bar when the account stops running', () => {
    const main = fakeMain();
    const model = createSyncStatusModel(main);
    main.emit('sync:progress', progress);
    main.emit('sync:status', { accountId: A, activity: 'idle', retryAttempt: 0, nextCheckAt: 5 });
    expect(model.getSnapshot().accounts.get(A)?.progress).toBeUndefined();
    expect(model.getSnapshot().accounts.get(A)?.status?.nextCheckAt).toBe(5);
  });

  it('follows Work Offline, and forgets a migration question once answered', () => {
    const main = fakeMain();
    const model = createSyncStatusModel(main);
    main.emit('sync:offline', { offline: true });
    expect(model.getSnapshot().offline).toBe(true);
    const before = model.getSnapshot();
    main.emit('sync:offline', { offline: true });
    expect(model.getSnapshot()).toBe(before);
    main.emit('sync:outcome', { accountId: A, ok: true, newMessages: 0, notices: [], needsConfirmation: { matched: 5, unmatched: 2 } });
    model.clearConfirmation(A);
    expect(model.getSnapshot().accounts.get(A)?.outcome?.needsConfirmation).toBeUndefined();
  });

  it('stops listening when stopped', () => {
    const main = fakeMain();
    const model = createSyncStatusModel(main);
    expect(main.listenerCount('sync:status')).toBe(1);
    model.stop();
    expect(main.listenerCount('sync:status')).toBe(0);
  });
});
