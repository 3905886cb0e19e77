/** What the window tells main for its native menus: the commands that can run, sent only when that set changes. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../app/commands.ts';
import { accountId, messageKey } from '../../../app/ids.ts';
import { commandState, createCommandStateReporter } from '../../../renderer/commands/command-state.ts';
import { createCommandRegistry, type CommandContext } from '../../../renderer/commands/registry.ts';
import { failure, fakeMain } from './fake-main.ts';

const A = accountId('acc-a');
const NOTHING: CommandContext = { selection: [], folder: 'inbox', offline: false, hasAccounts: true };
const ONE: CommandContext = { ...NOTHING, selection: [messageKey('acc-a:0:u1')], accountId: A };
const TWO: CommandContext = { ...ONE, selection: [messageKey('acc-a:0:u1'), messageKey('acc-a:0:u2')] };

function registry() {
  const noop = () => Promise.resolve();
  return createCommandRegistry({
    actions: { setMark: noop, markRead: noop, trash: noop, purge: noop, restore: noop, accountsOf: () => Promise.resolve([]) },
    api: fakeMain(),
    platform: 'other',
    ui: { moveSelection: () => undefined, focusSearch: () => undefined, openAccountDialog: () => undefined, confirm: () => Promise.resolve(true), report: () => undefined },
  });
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('commandState', () => {
  it('with nothing selected, disables what acts on a selection', () => {
    const state = commandState(registry(), NOTHING);
    for (const id of ['download-now', 'mark-download', 'mark-download-copy', 'unmark', 'delete', 'delete-permanently', 'mark-read', 'mark-unread', 'restore'] as const) {
      expect(state.enabled, id).not.toContain(id);
    }
    expect(state.enabled).toEqual(expect.arrayContaining(['send-receive-all', 'work-offline', 'search', 'add-account', 'next-message']));
    expect(state.checked).toEqual([]);
  });

  it('with a selection, enables the message commands; Restore only in Deleted Items; Work Offline checked when offline', () => {
    expect(commandState(registry(), ONE).enabled).toEqual(expect.arrayContaining(['download-now', 'mark-download', 'delete', 'account-settings']));
    expect(commandState(registry(), ONE).enabled).not.toContain('restore');
    expect(commandState(registry(), { ...ONE, folder: 'deleted' }).enabled).toContain('restore');
    const offline = commandState(registry(), { ...ONE, offline: true });
    expect(offline.checked).toEqual(['work-offline']);
    expect(offline.enabled).not.toContain('send-receive-all');
  });

  it('lists each command once, in the registry order, with only known ids', () => {
    const { enabled } = commandState(registry(), ONE);
    const order = COMMANDS.map((c) => c.id);
    expect(enabled).toEqual(order.filter((id) => enabled.includes(id)));
    expect(new Set(enabled).size).toBe(enabled.length);
  });
});

describe('the command state reporter', () => {
  it('sends the first state, then only when the set changes', async () => {
    const main = fakeMain();
    const reporter = createCommandStateReporter(main);
    const r = registry();
    reporter.report(commandState(r, NOTHING));
    reporter.report(commandState(r, NOTHING));
    reporter.report(commandState(r, ONE));
    reporter.report(commandState(r, TWO)); // a second message selected: the same commands
    reporter.report(commandState(r, { ...TWO, offline: true }));
    await tick();
    const sent = main.callsTo('app:command-state');
    expect(sent).toHaveLength(3);
    expect(sent[0]?.enabled).not.toContain('delete');
    expect(sent[1]?.enabled).toContain('delete');
    expect(sent[2]?.checked).toEqual(['work-offline']);
  });

  it('sends again after a send that failed, and never throws', async () => {
    let fail = true;
    const main = fakeMain({ 'app:command-state': () => (fail ? failure('CONNECTION_CLOSED') : { ok: true, value: null }) });
    const reporter = createCommandStateReporter(main);
    const state = commandState(registry(), ONE);
    reporter.report(state);
    await tick();
    fail = false;
    reporter.report(state);
    await tick();
    reporter.report(state);
    await tick();
    expect(main.callsTo('app:command-state')).toHaveLength(2);

    const rejecting = createCommandStateReporter({ invoke: () => Promise.reject(new Error('gone')) });
    expect(() => rejecting.report(state)).not.toThrow();
    await tick();
  });
});
