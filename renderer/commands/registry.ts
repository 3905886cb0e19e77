/**
 * The one registry of the user's commands (house style 18): every COMMANDS id of app/commands.ts bound to a
 * handler, an "enabled" rule and a shortcut. The toolbar, the list's context menu, the keyboard and the Electron
 * menu all run commands through it, so a command behaves the same whichever way it is given.
 *
 * The registry knows the store and main only through the small interfaces below, so it is tested with fakes.
 */
import { COMMANDS, commandSpec, type CommandId, type CommandSpec } from '../../app/commands.ts';
import { assertNever, toErrorData, type ErrorData } from '../../app/errors.ts';
import type { AccountId, MessageKey } from '../../app/ids.ts';
import type { MainApi, RequestChannel, RequestOf } from '../../app/ipc/contract.ts';
import type { FolderKind } from '../../app/mail/types.ts';
import type { Mark } from '../../app/sync/state.ts';
import { matchesShortcut, parseAccelerator, shortcutLabel, type KeyStroke, type Platform, type Shortcut } from './accelerators.ts';

/** What a command acts on: the window's state at the moment it runs. */
export interface CommandContext {
  /** The selected messages, in list order. */
  readonly selection: readonly MessageKey[];
  /** The folder the list shows (a search searches within it). */
  readonly folder: FolderKind;
  /** The account in view: the selected folder's, or the selected message's in "All inboxes". */
  readonly accountId?: AccountId;
  readonly offline: boolean;
  readonly hasAccounts: boolean;
}

/** The store's writes a command needs, each one transaction (renderer/commands/store-actions.ts binds them). */
export interface MessageActions {
  setMark(keys: readonly MessageKey[], mark: Mark): Promise<void>;
  markRead(keys: readonly MessageKey[], read: boolean): Promise<void>;
  /** To Deleted Items. */
  trash(keys: readonly MessageKey[]): Promise<void>;
  /** For good (and from the server when the policy says so). */
  purge(keys: readonly MessageKey[]): Promise<void>;
  restore(keys: readonly MessageKey[]): Promise<void>;
  /** The accounts these messages belong to, each once. */
  accountsOf(keys: readonly MessageKey[]): Promise<readonly AccountId[]>;
}

export interface Confirmation {
  readonly title: string;
  readonly body: string;
  readonly confirmLabel: string;
}

/** What commands ask of the window itself. */
export interface CommandUi {
  moveSelection(delta: 1 | -1): void;
  focusSearch(): void;
  openAccountDialog(accountId?: AccountId): void;
  confirm(question: Confirmation): Promise<boolean>;
  /** Tells the user a command failed (or could only partly be done), in plain words. */
  report(problem: ErrorData | string): void;
}

export interface CommandDeps {
  readonly actions: MessageActions;
  readonly api: Pick<MainApi, 'invoke'>;
  readonly ui: CommandUi;
  readonly platform: Platform;
}

export interface CommandRegistry {
  readonly specs: readonly CommandSpec[];
  spec(id: CommandId): CommandSpec;
  isEnabled(id: CommandId, ctx: CommandContext): boolean;
  /** For a toggle (Work Offline): whether it is on; undefined for other commands. */
  isChecked(id: CommandId, ctx: CommandContext): boolean | undefined;
  /** Runs a command if it is enabled. Never rejects: a failure is reported through `ui.report`. */
  run(id: CommandId, ctx: CommandContext): Promise<void>;
  /** The command a key stroke gives, if any. */
  commandForKey(stroke: KeyStroke): CommandId | undefined;
  /** The shortcut as written for this platform (`Ctrl+D`, `⌘D`), if the command has one. */
  shortcutText(id: CommandId): string | undefined;
}

export function isCommandId(value: unknown): value is CommandId {
  return typeof value === 'string' && COMMANDS.some((c) => c.id === value);
}

function enabled(id: CommandId, ctx: CommandContext): boolean {
  const selected = ctx.selection.length > 0;
  switch (id) {
    case 'send-receive-all':
      return ctx.hasAccounts && !ctx.offline;
    case 'send-receive-account':
      return ctx.accountId !== undefined && !ctx.offline;
    case 'account-settings':
      return ctx.accountId !== undefined;
    case 'restore':
      return selected && ctx.folder === 'deleted';
    case 'download-now':
    case 'mark-download':
    case 'mark-download-copy':
    case 'unmark':
    case 'delete':
    case 'delete-permanently':
    case 'mark-read':
    case 'mark-unread':
      return selected;
    case 'work-offline':
    case 'next-message':
    case 'previous-message':
    case 'search':
    case 'add-account':
      return true;
    default:
      return assertNever(id, 'command');
  }
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : `${n} ${many}`;
}

export function createCommandRegistry(deps: CommandDeps): CommandRegistry {
  const { actions, api, ui } = deps;
  const shortcuts = new Map<CommandId, Shortcut>();
  for (const spec of COMMANDS) {
    const parsed = spec.accelerator === undefined ? undefined : parseAccelerator(spec.accelerator, deps.platform);
    if (parsed !== undefined) shortcuts.set(spec.id, parsed);
  }

  /** A request to main; a refusal is reported, not thrown, so one failed account does not stop the others. */
  async function ask<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<boolean> {
    const result = await api.invoke(channel, payload);
    if (!result.ok) ui.report(result.error);
    return result.ok;
  }

  async function purgeConfirmed(keys: readonly MessageKey[]): Promise<void> {
    const ok = await ui.confirm({
      title: 'Delete permanently?',
      body:
        `${plural(keys.length, 'This message', 'messages')} will be deleted for good, and from the server too when ` +
        "the account's policy says the server copy goes with it. This cannot be undone.",
      confirmLabel: 'Delete permanently',
    });
    if (ok) await actions.purge(keys);
  }

  async function perform(id: CommandId, ctx: CommandContext): Promise<void> {
    const keys = ctx.selection;
    switch (id) {
      case 'send-receive-all':
        await ask('sync:send-receive', {});
        return;
      case 'send-receive-account':
        if (ctx.accountId !== undefined) await ask('sync:send-receive', { accountId: ctx.accountId });
        return;
      case 'work-offline':
        await ask('sync:set-offline', { offline: !ctx.offline });
        return;
      case 'download-now': {
        await actions.setMark(keys, 'download');
        if (ctx.offline) {
          ui.report('You are working offline: the marked messages download when you go back online.');
          return;
        }
        for (const accountId of await actions.accountsOf(keys)) await ask('sync:send-receive', { accountId });
        return;
      }
      case 'mark-download':
        await actions.setMark(keys, 'download');
        return;
      case 'mark-download-copy':
        await actions.setMark(keys, 'download-copy');
        return;
      case 'unmark':
        await actions.setMark(keys, 'none');
        return;
      case 'delete':
        // README: deleting from Deleted Items removes a message for good.
        if (ctx.folder === 'deleted') await purgeConfirmed(keys);
        else await actions.trash(keys);
        return;
      case 'delete-permanently':
        await purgeConfirmed(keys);
        return;
      case 'restore':
        await actions.restore(keys);
        return;
      case 'mark-read':
        await actions.markRead(keys, true);
        return;
      case 'mark-unread':
        await actions.markRead(keys, false);
        return;
      case 'next-message':
        ui.moveSelection(1);
        return;
      case 'previous-message':
        ui.moveSelection(-1);
        return;
      case 'search':
        ui.focusSearch();
        return;
      case 'add-account':
        ui.openAccountDialog();
        return;
      case 'account-settings':
        if (ctx.accountId !== undefined) ui.openAccountDialog(ctx.accountId);
        return;
      default:
        assertNever(id, 'command');
    }
  }

  return {
    specs: COMMANDS,
    spec: commandSpec,
    isEnabled: enabled,
    isChecked: (id, ctx) => (id === 'work-offline' ? ctx.offline : undefined),
    async run(id, ctx) {
      if (!enabled(id, ctx)) return;
      try {
        await perform(id, ctx);
      } catch (e) {
        ui.report(toErrorData(e));
      }
    },
    commandForKey(stroke) {
      for (const [id, shortcut] of shortcuts) if (matchesShortcut(shortcut, stroke)) return id;
      return undefined;
    },
    shortcutText(id) {
      const shortcut = shortcuts.get(id);
      return shortcut === undefined ? undefined : shortcutLabel(shortcut, deps.platform);
    },
  };
}
