/**
 * The application menu, built from the one command list (app/commands.ts; house style 18). Pure: the click
 * callback is injected, and the result is Electron's own template type.
 *
 * Accelerators are shown but not registered (`registerAccelerator: false`): the renderer's command registry owns
 * the keyboard, because only the page knows where the focus is — Delete or Up in a text field must edit text, not
 * delete a message — and a key handled by both the menu and the page would run its command twice.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { CommandId, CommandSpec, MenuId } from '../../app/commands.ts';

export interface MenuTemplateOptions {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  readonly onCommand: (id: CommandId) => void;
  /** The View menu gets "Toggle Developer Tools" in development builds. */
  readonly devTools?: boolean;
}

const MENU_LABELS: Readonly<Record<MenuId, string>> = {
  file: '&File',
  message: '&Message',
  view: '&View',
  tools: '&Tools',
};

export function menuTemplate(commands: readonly CommandSpec[], options: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const itemsOf = (menu: MenuId): MenuItemConstructorOptions[] =>
    commands.filter((c) => c.menu === menu).map((c) => commandItem(c, options.onCommand));
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

function commandItem(command: CommandSpec, onCommand: (id: CommandId) => void): MenuItemConstructorOptions {
  return {
    id: command.id,
    label: command.label,
    accelerator: command.accelerator,
    registerAccelerator: false,
    click: () => onCommand(command.id),
  };
}
