import { describe, expect, it, vi } from 'vitest';
import { COMMANDS, type CommandId } from '../../../app/commands.ts';
import type { ErrorData } from '../../../app/errors.ts';
import { accountId, messageKey, type AccountId, type MessageKey } from '../../../app/ids.ts';
import type { Mark } from '../../../app/sync/state.ts';
import type { KeyStroke, Platform } from '../../../renderer/commands/accelerators.ts';
import {
  createCommandRegistry,
  isCommandId,
  type CommandContext,
  type Confirmation,
  type MessageActions,
} from '../../../renderer/commands/registry.ts';
import { failure, fakeMain, type FakeMain } from './fake-main.ts';

const A = accountId('acc-a');
const B = accountId('acc-b');
const K1 = messageKey('acc-a:0:u1');
const K2 = messageKey('acc-b:0:u2');

type ActionCall =
  | { kind: 'setMark'; keys: readonly MessageKey[]; mark: Mark }
  | { kind: 'markRead'; keys: readonly MessageKey[]; read: boolean }
  | { kind: 'trash' | 'purge' | 'restore'; keys: readonly MessageKey[] };

function fakeActions(owners: ReadonlyMap<MessageKey, AccountId> = new Map([[K1, A], [K2, B]])) {
  const log: ActionCall[] = [];
  const actions: MessageActions = {
    setMark: (keys, mark) => (log.push({ kind: 'setMark', keys, mark }), Promise.resolve()),
    markRead: (keys, read) => (log.push({ kind: 'markRead', keys, read }), Promise.resolve()),
    trash: (keys) => (log.push({ kind: 'trash', keys }), Promise.resolve()),
    purge: (keys) => (log.push({ kind: 'purge', keys }), Promise.resolve()),
    restore: (keys) => (log.push({ kind: 'restore', keys }), Promise.resolve()),
    accountsOf: (keys) =>
      Promise.resolve([...new Set(keys.flatMap((k) => (owners.has(k) ? [owners.get(k) as AccountId] : [])))]),
  };
  return { actions, log };
}

function setup(options: { platform?: Platform; confirm?: boolean; main?: FakeMain } = {}) {
  const main = options.main ?? fakeMain();
  const { actions, log } = fakeActions();
  const problems: (ErrorData | string)[] = [];
  const questions: Confirmation[] = [];
  const ui = {
    moveSelection: vi.fn<(delta: 1 | -1) => void>(),
    focusSearch: vi.fn<() => void>(),
    openAccountDialog: vi.fn<(id?: AccountId) => void>(),
    confirm: (q: Confirmation) => {
      questions.push(q);
      return Promise.resolve(options.confirm ?? true);
    },
    report: (p: ErrorData | string) => {
      problems.push(p);
    },
  };
  const registry = createCommandRegistry({ actions, api: main, ui, platform: options.platform ?? 'other' });
  return { registry, main, log, ui, problems, questions };
}

const NONE: CommandContext = { selection: [], folder: 'inbox', offline: false, hasAccounts: true };
const ONE: CommandContext = { ...NONE, selection: [K1], accountId: A };
const TWO: CommandContext = { ...NONE, selection: [K1, K2] };

describe('the command registry', () => {
  it('binds every command of app/commands.ts', () => {
    const { registry } = setup();
    expect(registry.specs.map((s) => s.id)).toEqual(COMMANDS.map((c) => c.id));
    for (const c of COMMANDS) expect(typeof registry.isEnabled(c.id, ONE)).toBe('boolean');
    expect(isCommandId('download-now')).toBe(true);
    expect(isCommandId('format-disk')).toBe(false);
    expect(isCommandId(42)).toBe(false);
  });

  it('enables selection commands only with a selection', () => {
    const { registry } = setup();
    for (const c of COMMANDS.filter((s) => s.onSelection && s.id !== 'restore')) {
      expect(registry.isEnabled(c.id, NONE), c.id).toBe(false);
      expect(registry.isEnabled(c.id, ONE), c.id).toBe(true);
    }
    for (const id of ['next-message', 'previous-message', 'search', 'add-account', 'work-offline'] as const) {
      expect(registry.isEnabled(id, NONE), id).toBe(true);
    }
  });

  it('enables Restore only in Deleted Items, and account commands only with an account in view', () => {
    const { registry } = setup();
    expect(registry.isEnabled('restore', ONE)).toBe(false);
    expect(registry.isEnabled('restore', { ...ONE, folder: 'deleted' })).toBe(true);
    expect(registry.isEnabled('send-receive-account', NONE)).toBe(false);
    expect(registry.isEnabled('send-receive-account', ONE)).toBe(true);
    expect(registry.isEnabled('account-settings', NONE)).toBe(false);
    expect(registry.isEnabled('account-settings', ONE)).toBe(true);
  });

  it('connects nothing while offline, and Send/Receive All needs an account', () => {
    const { registry } = setup();
    expect(registry.isEnabled('send-receive-all', { ...NONE, offline: true })).toBe(false);
    expect(registry.isEnabled('send-receive-account', { ...ONE, offline: true })).toBe(false);
    expect(registry.isEnabled('send-receive-all', { ...NONE, hasAccounts: false })).toBe(false);
    expect(registry.isChecked('work-offline', { ...NONE, offline: true })).toBe(true);
    expect(registry.isChecked('work-offline', NONE)).toBe(false);
    expect(registry.isChecked('delete', NONE)).toBeUndefined();
  });

  it('does not run a disabled command', async () => {
    const { registry, log } = setup();
    await registry.run('delete', NONE);
    expect(log).toEqual([]);
  });

  it('asks main to Send/Receive all, one account, and to work offline or online', async () => {
    const { registry, main } = setup();
    await registry.run('send-receive-all', NONE);
    await registry.run('send-receive-account', ONE);
    await registry.run('work-offline', NONE);
    await registry.run('work-offline', { ...NONE, offline: true });
    expect(main.calls).toEqual([
      { channel: 'sync:send-receive', payload: {} },
      { channel: 'sync:send-receive', payload: { accountId: A } },
      { channel: 'sync:set-offline', payload: { offline: true } },
      { channel: 'sync:set-offline', payload: { offline: false } },
    ]);
  });

  it('Download Now marks, then checks each account of the selection once', async () => {
    const { registry, main, log } = setup();
    await registry.run('download-now', { ...TWO, selection: [K1, K2, K1] });
    expect(log).toEqual([{ kind: 'setMark', keys: [K1, K2, K1], mark: 'download' }]);
    expect(main.callsTo('sync:send-receive')).toEqual([{ accountId: A }, { accountId: B }]);
  });

  it('Download Now while offline only marks, and says when it will happen', async () => {
    const { registry, main, log, problems } = setup();
    await registry.run('download-now', { ...ONE, offline: true });
    expect(log).toEqual([{ kind: 'setMark', keys: [K1], mark: 'download' }]);
    expect(main.calls).toEqual([]);
    expect(problems).toEqual([expect.stringContaining('offline')]);
  });

  it('marks, unmarks, reads and unreads through the store', async () => {
    const { registry, log } = setup();
    await registry.run('mark-download', ONE);
    await registry.run('mark-download-copy', ONE);
    await registry.run('unmark', ONE);
    await registry.run('mark-read', TWO);
    await registry.run('mark-unread', ONE);
    expect(log).toEqual([
      { kind: 'setMark', keys: [K1], mark: 'download' },
      { kind: 'setMark', keys: [K1], mark: 'download-copy' },
      { kind: 'setMark', keys: [K1], mark: 'none' },
      { kind: 'markRead', keys: [K1, K2], read: true },
      { kind: 'markRead', keys: [K1], read: false },
    ]);
  });

  it('Delete moves to Deleted Items; from Deleted Items it deletes for good, after asking', async () => {
    const { registry, log, questions } = setup();
    await registry.run('delete', ONE);
    expect(log).toEqual([{ kind: 'trash', keys: [K1] }]);
    await registry.run('delete', { ...ONE, folder: 'deleted' });
    expect(questions).toHaveLength(1);
    expect(log[1]).toEqual({ kind: 'purge', keys: [K1] });
  });

  it('Delete Permanently asks first, and does nothing when the answer is no', async () => {
    const yes = setup({ confirm: true });
    await yes.registry.run('delete-permanently', TWO);
    expect(yes.questions[0]?.body).toContain('2 messages');
    expect(yes.log).toEqual([{ kind: 'purge', keys: [K1, K2] }]);

    const no = setup({ confirm: false });
    await no.registry.run('delete-permanently', TWO);
    expect(no.questions).toHaveLength(1);
    expect(no.log).toEqual([]);
  });

  it('Restore moves back to the Inbox', async () => {
    const { registry, log } = setup();
    await registry.run('restore', { ...ONE, folder: 'deleted' });
    expect(log).toEqual([{ kind: 'restore', keys: [K1] }]);
  });

  it('moves the selection, focuses search and opens the account dialog through the window', async () => {
    const { registry, ui } = setup();
    await registry.run('next-message', NONE);
    await registry.run('previous-message', NONE);
    await registry.run('search', NONE);
    await registry.run('add-account', NONE);
    await registry.run('account-settings', ONE);
    expect(ui.moveSelection.mock.calls).toEqual([[1], [-1]]);
    expect(ui.focusSearch).toHaveBeenCalledOnce();
    expect(ui.openAccountDialog.mock.calls).toEqual([[], [A]]);
  });

  it("reports main's refusal instead of throwing", async () => {
    const main = fakeMain({ 'sync:send-receive': () => failure('INVALID_ARGUMENT', 'no such account') });
    const { registry, problems } = setup({ main });
    await expect(registry.run('send-receive-all', NONE)).resolves.toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'no such account' })]);
  });

  it('reports a failed store write instead of throwing', async () => {
    const problems: (ErrorData | string)[] = [];
    const registry = createCommandRegistry({
      actions: { ...fakeActions().actions, trash: () => Promise.reject(new Error('disk on fire')) },
      api: fakeMain(),
      ui: { ...setup().ui, report: (p) => void problems.push(p) },
      platform: 'other',
    });
    await expect(registry.run('delete', ONE)).resolves.toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ code: 'BUG', message: 'disk on fire' })]);
  });

  it('finds the command of a key stroke, per platform', () => {
    const key = (k: string, code: string, mods: Partial<KeyStroke> = {}): KeyStroke => ({
      key: k,
      code,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      ...mods,
    });
    const other = setup().registry;
    const mac = setup({ platform: 'mac' }).registry;
    const cases: [KeyStroke, CommandId | undefined][] = [
      [key('F9', 'F9'), 'send-receive-all'],
      [key('F9', 'F9', { shiftKey: true }), 'send-receive-account'],
      [key('d', 'KeyD', { ctrlKey: true }), 'download-now'],
      [key('Delete', 'Delete'), 'delete'],
      [key('Delete', 'Delete', { shiftKey: true }), 'delete-permanently'],
      [key('ArrowDown', 'ArrowDown'), 'next-message'],
      [key('f', 'KeyF', { ctrlKey: true }), 'search'],
      [key('x', 'KeyX'), undefined],
    ];
    for (const [stroke, id] of cases) expect(other.commandForKey(stroke), stroke.key).toBe(id);
    expect(mac.commandForKey(key('d', 'KeyD', { metaKey: true }))).toBe('download-now');
    expect(mac.commandForKey(key('d', 'KeyD', { ctrlKey: true }))).toBeUndefined();
    expect(other.shortcutText('mark-download')).toBe('Ctrl+Alt+M');
    expect(mac.shortcutText('mark-download')).toBe('⌥⌘M');
    expect(other.shortcutText('restore')).toBeUndefined();
  });
});
