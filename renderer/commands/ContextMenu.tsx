/** The message list's context menu: the message commands, enabled as they are for the current selection. */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CommandId } from '../../app/commands.ts';
import { useCommands } from './use-commands.ts';

const ITEMS: readonly (CommandId | '-')[] = [
  'download-now',
  'mark-download',
  'mark-download-copy',
  'unmark',
  '-',
  'mark-read',
  'mark-unread',
  '-',
  'delete',
  'delete-permanently',
  'restore',
];

export interface ContextMenuProps {
  readonly x: number;
  readonly y: number;
  readonly onClose: () => void;
}

export function ContextMenu({ x, y, onClose }: ContextMenuProps) {
  const { registry, context, run } = useCommands();
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: x, top: y });

  // Keep the menu inside the window, and give it the keyboard.
  useLayoutEffect(() => {
    const menu = ref.current;
    if (menu === null) return;
    const { width, height } = menu.getBoundingClientRect();
    setPosition({
      left: Math.max(0, Math.min(x, window.innerWidth - width - 4)),
      top: Math.max(0, Math.min(y, window.innerHeight - height - 4)),
    });
    menu.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [x, y]);

  useEffect(() => {
    const close = (e: Event) => {
      if (!(e.target instanceof Node) || ref.current?.contains(e.target) !== true) onClose();
    };
    window.addEventListener('pointerdown', close, true);
    window.addEventListener('blur', onClose);
    window.addEventListener('resize', onClose);
    return () => {
      window.removeEventListener('pointerdown', close, true);
      window.removeEventListener('blur', onClose);
      window.removeEventListener('resize', onClose);
    };
  }, [onClose]);

  const onKeyDown = (e: KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = buttons.findIndex((b) => b === document.activeElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      onClose();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      buttons[(at + step + buttons.length) % buttons.length]?.focus();
    }
    e.stopPropagation();
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label="Message commands"
      style={{ left: position.left, top: position.top }}
      onKeyDown={onKeyDown}
    >
      {ITEMS.map((id, i) => {
        if (id === '-') return <div key={`sep-${i}`} role="separator" className="menu-separator" />;
        if (id === 'restore' && context.folder !== 'deleted') return null;
        const shortcut = registry.shortcutText(id);
        return (
          <button
            key={id}
            type="button"
            role="menuitem"
            className="menu-item"
            disabled={!registry.isEnabled(id, context)}
            onClick={() => {
              onClose();
              run(id);
            }}
          >
            <span>{registry.spec(id).label}</span>
            <span className="menu-shortcut">{shortcut ?? ''}</span>
          </button>
        );
      })}
    </div>
  );
}
