import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS, type CommandId } from '../../../app/commands.ts';
import { menuTemplate } from '../../../main/electron/menu-template.ts';

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
    for (const item of items(template)) if (item.id !== undefined) (item.click as () => void)();
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

/** Menu order: file, message, view, tools; within a menu, the order of COMMANDS. */
function order(id: CommandId): number {
  const menus = ['file', 'message', 'view', 'tools'];
  const index = COMMANDS.findIndex((c) => c.id === id);
  return menus.indexOf(COMMANDS[index]?.menu ?? '') * 100 + index;
}
