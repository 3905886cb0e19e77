import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../app/commands.ts';
import {
  detectPlatform,
  matchesShortcut,
  parseAccelerator,
  shortcutAllowed,
  shortcutLabel,
  type KeyStroke,
} from '../../../renderer/commands/accelerators.ts';

function stroke(key: string, code: string, mods: Partial<Omit<KeyStroke, 'key' | 'code'>> = {}): KeyStroke {
  return { key, code, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods };
}

describe('Electron accelerators in the window', () => {
  it('reads CmdOrCtrl as Control elsewhere and Command on macOS', () => {
    expect(parseAccelerator('CmdOrCtrl+D', 'other')).toEqual({ code: 'KeyD', ctrl: true, meta: false, alt: false, shift: false });
    expect(parseAccelerator('CmdOrCtrl+D', 'mac')).toEqual({ code: 'KeyD', ctrl: false, meta: true, alt: false, shift: false });
  });

  it('translates named keys to the DOM spelling', () => {
    expect(parseAccelerator('Down', 'other')?.key).toBe('ArrowDown');
    expect(parseAccelerator('Up', 'other')?.key).toBe('ArrowUp');
    expect(parseAccelerator('Shift+Delete', 'other')).toEqual({ key: 'Delete', ctrl: false, meta: false, alt: false, shift: true });
    expect(parseAccelerator('Shift+F9', 'mac')).toEqual({ key: 'F9', ctrl: false, meta: false, alt: false, shift: true });
  });

  it('refuses what it cannot match', () => {
    expect(parseAccelerator('Hyper+X', 'other')).toBeUndefined();
    expect(parseAccelerator('CmdOrCtrl+', 'other')).toBeUndefined();
    expect(parseAccelerator('MediaPlayPause', 'other')).toBeUndefined();
  });

  it('parses every accelerator of the command list', () => {
    for (const c of COMMANDS) {
      if (c.accelerator === undefined) continue;
      expect(parseAccelerator(c.accelerator, 'other'), c.id).toBeDefined();
      expect(parseAccelerator(c.accelerator, 'mac'), c.id).toBeDefined();
    }
  });

  it('matches letters by physical key, so Option on macOS does not change them', () => {
    const shortcut = parseAccelerator('CmdOrCtrl+Alt+M', 'mac');
    expect(shortcut).toBeDefined();
    if (shortcut === undefined) return;
    expect(matchesShortcut(shortcut, stroke('µ', 'KeyM', { metaKey: true, altKey: true }))).toBe(true);
    expect(matchesShortcut(shortcut, stroke('m', 'KeyM', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(matchesShortcut(shortcut, stroke('m', 'KeyM', { metaKey: true, altKey: true, shiftKey: true }))).toBe(false);
  });

  it('requires exactly the modifiers of the shortcut', () => {
    const f9 = parseAccelerator('F9', 'other');
    const shiftF9 = parseAccelerator('Shift+F9', 'other');
    if (f9 === undefined || shiftF9 === undefined) throw new Error('unparsed');
    expect(matchesShortcut(f9, stroke('F9', 'F9'))).toBe(true);
    expect(matchesShortcut(f9, stroke('F9', 'F9', { shiftKey: true }))).toBe(false);
    expect(matchesShortcut(shiftF9, stroke('F9', 'F9', { shiftKey: true }))).toBe(true);
  });

  it('writes shortcuts the way each platform does', () => {
    const s = parseAccelerator('CmdOrCtrl+Alt+M', 'other');
    const m = parseAccelerator('CmdOrCtrl+Alt+M', 'mac');
    if (s === undefined || m === undefined) throw new Error('unparsed');
    expect(shortcutLabel(s, 'other')).toBe('Ctrl+Alt+M');
    expect(shortcutLabel(m, 'mac')).toBe('⌥⌘M');
    const down = parseAccelerator('Down', 'other');
    if (down === undefined) throw new Error('unparsed');
    expect(shortcutLabel(down, 'other')).toBe('↓');
  });

  it('knows macOS by its platform names', () => {
    expect(detectPlatform('darwin')).toBe('mac');
    expect(detectPlatform('MacIntel')).toBe('mac');
    expect(detectPlatform('linux')).toBe('other');
    expect(detectPlatform('Win32')).toBe('other');
  });

  it('lets plain keys edit text fields, and only function keys and Ctrl/Cmd combinations act there', () => {
    const input = { tagName: 'INPUT' };
    expect(shortcutAllowed(stroke('Delete', 'Delete'), input)).toBe(false);
    expect(shortcutAllowed(stroke('ArrowDown', 'ArrowDown'), input)).toBe(false);
    expect(shortcutAllowed(stroke('F9', 'F9'), input)).toBe(true);
    expect(shortcutAllowed(stroke('f', 'KeyF', { ctrlKey: true }), input)).toBe(true);
    expect(shortcutAllowed(stroke('Delete', 'Delete'), { tagName: 'DIV' })).toBe(true);
    expect(shortcutAllowed(stroke('Delete', 'Delete'), { tagName: 'DIV', isContentEditable: true })).toBe(false);
    expect(shortcutAllowed(stroke('Delete', 'Delete'), null)).toBe(true);
  });
});
