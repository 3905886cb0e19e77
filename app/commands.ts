/**
 * The user's commands, described once: the renderer's registry binds them to handlers, buttons and keys; the
 * Electron shell builds its menus from the same list. Accelerators use Electron's syntax (`CmdOrCtrl+F`); the
 * renderer translates them for its own key handling.
 */
export type CommandId =
  | 'send-receive-all'
  | 'send-receive-account'
  | 'work-offline'
  | 'download-now'
  | 'mark-download'
  | 'mark-download-copy'
  | 'unmark'
  | 'delete'
  | 'delete-permanently'
  | 'restore'
  | 'mark-read'
  | 'mark-unread'
  | 'next-message'
  | 'previous-message'
  | 'search'
  | 'add-account'
  | 'account-settings';

export type MenuId = 'file' | 'message' | 'view' | 'tools';

export interface CommandSpec {
  readonly id: CommandId;
  readonly label: string;
  readonly accelerator?: string;
  readonly menu: MenuId;
  /** Acts on the selected messages: disabled without a selection. */
  readonly onSelection: boolean;
}

export const COMMANDS: readonly CommandSpec[] = [
  { id: 'send-receive-all', label: 'Send/Receive All', accelerator: 'F9', menu: 'tools', onSelection: false },
  { id: 'send-receive-account', label: 'Send/Receive This Account', accelerator: 'Shift+F9', menu: 'tools', onSelection: false },
  { id: 'work-offline', label: 'Work Offline', menu: 'tools', onSelection: false },
  { id: 'download-now', label: 'Download Now', accelerator: 'CmdOrCtrl+D', menu: 'message', onSelection: true },
  { id: 'mark-download', label: 'Mark to Download', accelerator: 'CmdOrCtrl+Alt+M', menu: 'message', onSelection: true },
  { id: 'mark-download-copy', label: 'Mark to Download a Copy', accelerator: 'CmdOrCtrl+Alt+C', menu: 'message', onSelection: true },
  { id: 'unmark', label: 'Unmark', accelerator: 'CmdOrCtrl+Alt+U', menu: 'message', onSelection: true },
  { id: 'delete', label: 'Delete', accelerator: 'Delete', menu: 'message', onSelection: true },
  { id: 'delete-permanently', label: 'Delete Permanently', accelerator: 'Shift+Delete', menu: 'message', onSelection: true },
  { id: 'restore', label: 'Restore', menu: 'message', onSelection: true },
  { id: 'mark-read', label: 'Mark as Read', accelerator: 'CmdOrCtrl+Q', menu: 'message', onSelection: true },
  { id: 'mark-unread', label: 'Mark as Unread', accelerator: 'CmdOrCtrl+U', menu: 'message', onSelection: true },
  { id: 'next-message', label: 'Next Message', accelerator: 'Down', menu: 'view', onSelection: false },
  { id: 'previous-message', label: 'Previous Message', accelerator: 'Up', menu: 'view', onSelection: false },
  { id: 'search', label: 'Search', accelerator: 'CmdOrCtrl+F', menu: 'view', onSelection: false },
  { id: 'add-account', label: 'Add Account…', menu: 'file', onSelection: false },
  { id: 'account-settings', label: 'Account Settings…', menu: 'file', onSelection: false },
];

export function commandSpec(id: CommandId): CommandSpec {
  const spec = COMMANDS.find((c) => c.id === id);
  if (spec === undefined) throw new Error(`no command ${id}`);
  return spec;
}
