/**
 * Electron's accelerator syntax (`CmdOrCtrl+Alt+M`, `Shift+F9`, `Delete`, `Up`), as app/commands.ts writes it,
 * translated for the window's own key handling and for the labels next to buttons. `CmdOrCtrl` is Command on
 * macOS and Control elsewhere, as in Electron's menus.
 */

export type Platform = 'mac' | 'other';

/** The parts of a KeyboardEvent a shortcut is matched on: a plain object in tests, the DOM event in the window. */
export interface KeyStroke {
  readonly key: string;
  /** The physical key (`KeyM`): letters are matched on it, since Alt/Option changes `key` on macOS (`µ`). */
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

export interface Shortcut {
  /** `KeyboardEvent.key` of a named key (`F9`, `Delete`, `ArrowDown`), or undefined for a letter or digit. */
  readonly key?: string;
  /** `KeyboardEvent.code` of a letter or digit (`KeyM`, `Digit1`). */
  readonly code?: string;
  readonly ctrl: boolean;
  readonly meta: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
}

/** Electron's names for keys whose DOM `key` is spelled differently. */
const NAMED_KEYS: Readonly<Record<string, string>> = {
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  delete: 'Delete',
  backspace: 'Backspace',
  esc: 'Escape',
  escape: 'Escape',
  enter: 'Enter',
  return: 'Enter',
  tab: 'Tab',
  space: ' ',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  insert: 'Insert',
};

export function detectPlatform(platform: string): Platform {
  return /^(darwin|mac)/i.test(platform) ? 'mac' : 'other';
}

/** Parses an accelerator; undefined when it names a key this window cannot match. */
export function parseAccelerator(accelerator: string, platform: Platform): Shortcut | undefined {
  const parts = accelerator.split('+').map((p) => p.trim());
  const keyName = parts.pop();
  if (keyName === undefined || keyName === '') return undefined;
  let ctrl = false;
  let meta = false;
  let alt = false;
  let shift = false;
  for (const modifier of parts) {
    switch (modifier.toLowerCase()) {
      case 'cmdorctrl':
      case 'commandorcontrol':
        if (platform === 'mac') meta = true;
        else ctrl = true;
        break;
      case 'ctrl':
      case 'control':
        ctrl = true;
        break;
      case 'cmd':
      case 'command':
      case 'super':
      case 'meta':
        meta = true;
        break;
      case 'alt':
      case 'option':
        alt = true;
        break;
      case 'shift':
        shift = true;
        break;
      default:
        return undefined;
    }
  }
  const modifiers = { ctrl, meta, alt, shift };
  if (/^[a-z]$/i.test(keyName)) return { code: `Key${keyName.toUpperCase()}`, ...modifiers };
  if (/^[0-9]$/.test(keyName)) return { code: `Digit${keyName}`, ...modifiers };
  if (/^f([1-9]|1[0-9]|2[0-4])$/i.test(keyName)) return { key: keyName.toUpperCase(), ...modifiers };
  const named = NAMED_KEYS[keyName.toLowerCase()];
  return named === undefined ? undefined : { key: named, ...modifiers };
}

export function matchesShortcut(shortcut: Shortcut, stroke: KeyStroke): boolean {
  if (
    stroke.ctrlKey !== shortcut.ctrl ||
    stroke.metaKey !== shortcut.meta ||
    stroke.altKey !== shortcut.alt ||
    stroke.shiftKey !== shortcut.shift
  ) {
    return false;
  }
  return shortcut.code !== undefined ? stroke.code === shortcut.code : stroke.key === shortcut.key;
}

const KEY_LABELS: Readonly<Record<string, string>> = {
  ArrowUp: '↑',
  ArrowDown: '↓',
  ArrowLeft: '←',
  ArrowRight: '→',
  ' ': 'Space',
  Escape: 'Esc',
};

/** How a shortcut is written next to a command: `Ctrl+Alt+M` elsewhere, `⌃⌥⇧⌘M` on macOS. */
export function shortcutLabel(shortcut: Shortcut, platform: Platform): string {
  const keyText = shortcut.code?.replace(/^(Key|Digit)/, '') ?? shortcut.key ?? '';
  const key = KEY_LABELS[keyText] ?? keyText;
  if (platform === 'mac') {
    return `${shortcut.ctrl ? '⌃' : ''}${shortcut.alt ? '⌥' : ''}${shortcut.shift ? '⇧' : ''}${shortcut.meta ? '⌘' : ''}${key}`;
  }
  const mods = [shortcut.ctrl && 'Ctrl', shortcut.meta && 'Win', shortcut.alt && 'Alt', shortcut.shift && 'Shift'];
  return [...mods.filter((m): m is string => m !== false), key].join('+');
}

/** A key stroke's target as far as shortcuts care: a field where the key types text. */
export interface KeyTarget {
  readonly tagName?: string;
  readonly isContentEditable?: boolean;
}

/**
 * Whether a shortcut may act on a key typed into this target. In a text field, plain keys (Delete, arrows) edit
 * the text; only function keys and Ctrl/Cmd combinations are commands there.
 */
export function shortcutAllowed(stroke: KeyStroke, target: KeyTarget | null): boolean {
  const typing =
    target !== null &&
    (target.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName ?? ''));
  if (!typing) return true;
  return /^F\d{1,2}$/.test(stroke.key) || stroke.ctrlKey || stroke.metaKey;
}
