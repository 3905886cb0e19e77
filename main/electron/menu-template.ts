/**
 * The application menu, built from the one command list (app/commands.ts; house style 18). Pure: the click
 * callback is injected, and the result is Electron's own template type.
 *
 * Accelerators are shown but not registered (`registerAccelerator: false`): the renderer's command registry owns
 * the keyboard, because only the page knows where the focus is — Delete or Up in a text field must edit text, not
 * delete a message — and a key handled by both the menu and the page would run its command twice.
 *
 * Which commands can run depends on the window's state (the selection, the folder, offline), which only the page
 * knows: it reports the set when it changes (`app:command-state`), and `applyCommandState` greys out the rest.
 * Until the first report, what needs a selection is disabled (`INITIAL_COMMAND_STATE`).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { CommandId, CommandSpec, MenuId } from '../../app/commands.ts';

/** The commands that can run now, and the toggles that are on; the same shape as the contract's CommandState. */
export interface MenuCommandState {
  readonly enabled: readonly CommandId[];
  readonly checked: readonly CommandId[];
}

/** Commands shown as a checkbox item: a setting that is on or off. */
const TOGGLES: ReadonlySet<CommandId> = new Set<CommandId>(['work-offline']);

/** Before the window has said anything: the commands that need no selection. */
export function initialCommandState(commands: readonly CommandSpec[]): MenuCommandState {
  return { enabled: commands.filter((c) => !c.onSelection).map((c) => c.id), checked: [] };
}

export interface MenuItemState {
  readonly id: CommandId;
  readonly enabled: boolean;
  /** For a toggle only. */
  readonly checked?: boolean;
}

/** Every command item's state under `state`: an id the state does not list is disabled (and unchecked). */
export function menuItemStates(commands: readonly CommandSpec[], state: MenuCommandState): MenuItemState[] {
  const enabled = new Set(state.enabled);
  const checked = new Set(state.checked);
  return commands.map((c) =>
    TOGGLES.has(c.id) ? { id: c.id, enabled: enabled.has(c.id), checked: checked.has(c.id) } : { id: c.id, enabled: enabled.has(c.id) },
  );
}

/** What `applyCommandState` needs of Electron's Menu and MenuItem (both change `enabled`/`checked` in place). */
export interface MenuLike {
  getMenuItemById(id: string): { enabled: boolean; checked: boolean } | null;
}

/** Sets each command item's `enabled` (and a toggle's `checked`) to `state`; returns how many items changed. */
export function applyCommandState(menu: MenuLike, commands: readonly CommandSpec[], state: MenuCommandState): number {
  let changed = 0;
  for (const item of menuItemStates(commands, state)) {
    const target = menu.getMenuItemById(item.id);
    if (target === null) continue;
    if (target.enabled !== item.enabled) {
      target.enabled = item.enabled;
      changed++;
    }
    if (item.checked !== undefined && target.checked !== item.checked) {
      target.checked = item.checked;
      changed++;
    }
  }
  return changed;
}

export interface MenuTemplateOptions {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  readonly onCommand: (id: CommandId) => void;
  /** The View menu gets "Toggle Developer Tools" in development builds. */
  readonly devTools?: boolean;
  /** What is enabled and checked when the menu is built; default `initialCommandState`. */
  readonly state?: MenuCommandState;
}

const MENU_LABELS: Readonly<Record<MenuId, string>> = {
  file: '&File',
  message: '&Message',
  view: '&View',
  tools: '&Tools',
};

export function menuTemplate(commands: readonly CommandSpec[], options: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const states = new Map(menuItemStates(commands, options.state ?? initialCommandState(commands)).map((s) => [s.id, s]));
  const itemsOf = (menu: MenuId): MenuItemConstructorOptions[] =>
    commands.filter((c) => c.menu === menu).map((c) => commandItem(c, options.onCommand, states.get(c.id)));
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        separator,
        { role: 'services' },
        separator,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        separator,
        { role: 'quit' },
      ],
    });
  }
  template.push({ label: MENU_LABELS.file, submenu: [...itemsOf('file'), separator, mac ? { role: 'close' } : { role: 'quit' }] });
  // The standard edit roles: without them copy and paste do not work in text fields on macOS.
  template.push({
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, separator, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  });
  template.push({ label: MENU_LABELS.message, submenu: itemsOf('message') });
  template.push({
    label: MENU_LABELS.view,
    submenu: [
      ...itemsOf('view'),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
      ...(options.devTools === true ? [separator, { role: 'toggleDevTools' } as const] : []),
    ],
  });
  template.push({ label: MENU_LABELS.tools, submenu: itemsOf('tools') });
  template.push({ role: 'windowMenu' });
  return template;
}

function commandItem(command: CommandSpec, onCommand: (id: CommandId) => void, state: MenuItemState | undefined): MenuItemConstructorOptions {
  const item: MenuItemConstructorOptions = {
    id: command.id,
    label: command.label,
    accelerator: command.accelerator,
    registerAccelerator: false,
    enabled: state?.enabled ?? false,
    click: () => onCommand(command.id),
  };
  if (!TOGGLES.has(command.id)) return item;
  return {
    ...item,
    type: 'checkbox',
    checked: state?.checked ?? false,
    click: (menuItem) => {
      // Electron flips a checkbox before the click arrives; the window's state decides, and reports it back.
      menuItem.checked = !menuItem.checked;
      onCommand(command.id);
    },
  };
}
