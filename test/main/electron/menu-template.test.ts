import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS, type CommandId } from '../../../app/commands.ts';
import { applyCommandState, initialCommandState, menuItemStates, menuTemplate, type MenuLike } from '../../../main/electron/menu-template.ts';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((menu) => (Array.isArray(menu.submenu) ? menu.submenu : []));
}

describe('the application menu', () => {
  it('has every command once, in its menu, with its label and accelerator', () => {
    const template = menuTemplate(COMMANDS, { platform: 'linux', appName: 'Poplar', onCommand: () => undefined });
    for (const command of COMMANDS) {
      const found = items(template).filter((i) => i.id === command.id);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ label: command.label, accelerator: command.accelerator, registerAccelerator: false });
      const menu = template.find((m) => Array.isArray(m.submenu) && m.submenu.includes(found[0] as MenuItemConstructorOptions));
      expect(menu?.label?.replace('&', '').toLowerCase()).toBe(command.menu);
    }
    expect(items(template).find((i) => i.id === 'send-receive-all')?.accelerator).toBe('F9');
    expect(items(template).find((i) => i.id === 'search')?.accelerator).toBe('CmdOrCtrl+F');
  });

  it('calls back with the command id on click', () => {
    const onCommand = vi.fn<(id: CommandId) => void>();
    const template = menuTemplate(COMMANDS, { platform: 'win32', appName: 'Poplar', onCommand });
    // Electron passes the clicked item (a checkbox flips its own `checked` before that).
    for (const item of items(template)) if (item.id !== undefined) (item.click as (menuItem: { checked: boolean }) => void)({ checked: false });
    expect(onCommand.mock.calls.map((c) => c[0])).toEqual(COMMANDS.map((c) => c.id).sort((a, b) => order(a) - order(b)));
  });

  it('has the edit roles (clipboard in text fields), Quit, and DevTools only when asked', () => {
    const linux = menuTemplate(COMMANDS, { platform: 'linux', appName: 'Poplar', onCommand: () => undefined });
    const roles = items(linux).map((i) => i.role).filter((r) => r !== undefined);
    expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo', 'redo', 'quit']));
    expect(roles).not.toContain('toggleDevTools');
    const dev = menuTemplate(COMMANDS, { platform: 'linux', appName: 'Poplar', onCommand: () => undefined, devTools: true });
    expect(items(dev).map((i) => i.role)).toContain('toggleDevTools');
  });

  it('starts with the app menu on macOS', () => {
    const mac = menuTemplate(COMMANDS, { platform: 'darwin', appName: 'Poplar', onCommand: () => undefined });
    expect(mac[0]?.label).toBe('Poplar');
    expect((mac[0]?.submenu as MenuItemConstructorOptions[]).map((i) => i.role)).toContain('quit');
    expect(menuTemplate(COMMANDS, { platform: 'linux', appName: 'Poplar', onCommand: () => undefined })[0]?.label).toBe('&File');
  });
});

describe("the menu items' enabled state, from the window's command state", () => {
  const SELECTION = COMMANDS.filter((c) => c.onSelection).map((c) => c.id);

  it('starts with what needs a selection disabled, until the window says otherwise', () => {
    const template = menuTemplate(COMMANDS, { platform: 'linux', appName: 'Poplar', onCommand: () => undefined });
    for (const command of COMMANDS) {
      const item = items(template).find((i) => i.id === command.id);
      expect(item?.enabled, command.id).toBe(!command.onSelection);
    }
    expect(initialCommandState(COMMANDS).enabled).not.toContain('delete');
    expect(initialCommandState(COMMANDS).checked).toEqual([]);
  });

  it('maps the state to every command item: listed is enabled, the rest disabled; Work Offline is a checkbox', () => {
    const states = menuItemStates(COMMANDS, { enabled: ['delete', 'work-offline'], checked: ['work-offline'] });
    expect(states).toHaveLength(COMMANDS.length);
    expect(states.find((s) => s.id === 'delete')).toEqual({ id: 'delete', enabled: true });
    expect(states.find((s) => s.id === 'download-now')).toEqual({ id: 'download-now', enabled: false });
    expect(states.find((s) => s.id === 'work-offline')).toEqual({ id: 'work-offline', enabled: true, checked: true });
    expect(states.find((s) => s.id === 'send-receive-all')?.enabled).toBe(false);
    const template = menuTemplate(COMMANDS, { platform: 'linux', appName: 'Poplar', onCommand: () => undefined, state: { enabled: ['work-offline'], checked: ['work-offline'] } });
    expect(items(template).find((i) => i.id === 'work-offline')).toMatchObject({ type: 'checkbox', checked: true, enabled: true });
  });

  it('updates the items of a built menu in place, and counts what changed', () => {
    const built = new Map<string, { enabled: boolean; checked: boolean }>(COMMANDS.map((c) => [c.id, { enabled: !c.onSelection, checked: false }]));
    const menu: MenuLike = { getMenuItemById: (id) => built.get(id) ?? null };
    const all = COMMANDS.map((c) => c.id);
    expect(applyCommandState(menu, COMMANDS, { enabled: all, checked: [] })).toBe(SELECTION.length);
    for (const id of SELECTION) expect(built.get(id)?.enabled, id).toBe(true);
    expect(applyCommandState(menu, COMMANDS, { enabled: all, checked: [] })).toBe(0);
    expect(applyCommandState(menu, COMMANDS, { enabled: all.filter((id) => id !== 'send-receive-all'), checked: ['work-offline'] })).toBe(2);
    expect(built.get('send-receive-all')?.enabled).toBe(false);
    expect(built.get('work-offline')?.checked).toBe(true);
    // Nothing selected again: the selection commands grey out.
    applyCommandState(menu, COMMANDS, initialCommandState(COMMANDS));
    for (const id of SELECTION) expect(built.get(id)?.enabled, id).toBe(false);
    // A menu without some item (another platform's) is not an error.
    expect(applyCommandState({ getMenuItemById: () => null }, COMMANDS, initialCommandState(COMMANDS))).toBe(0);
  });

  it("undoes Electron's own flip of the Work Offline checkbox: the window's state decides", () => {
    const onCommand = vi.fn<(id: CommandId) => void>();
    const template = menuTemplate(COMMANDS, { platform: 'linux', appName: 'Poplar', onCommand });
    const item = items(template).find((i) => i.id === 'work-offline');
    const clicked = { checked: true }; // Electron flipped it from false before calling click
    (item?.click as (menuItem: { checked: boolean }) => void)(clicked);
    expect(clicked.checked).toBe(false);
    expect(onCommand).toHaveBeenCalledWith('work-offline');
  });
});

/** Menu order: file, message, view, tools; within a menu, the order of COMMANDS. */
function order(id: CommandId): number {
  const menus = ['file', 'message', 'view', 'tools'];
  const index = COMMANDS.findIndex((c) => c.id === id);
  return menus.indexOf(COMMANDS[index]?.menu ?? '') * 100 + index;
}
