/**
 * The toolbar's "More" button and its menu: the commands that did not fit, enabled as they are on the toolbar. A
 * menu button as WAI-ARIA's APG describes it: Enter, Space or Down opens it on the first command (Up on the last),
 * the arrows, Home and End move, Escape closes it back onto the button, Tab closes it, and so does a click outside.
 */
import { Fragment, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CommandId } from '../../app/commands.ts';
import { useCommands } from './use-commands.ts';

export interface MoreMenuProps {
  /** The commands to offer, by toolbar group: a separator between two groups. */
  readonly groups: readonly (readonly CommandId[])[];
}

type Focus = 'first' | 'last';

interface Opened {
  readonly focus: Focus;
  readonly left: number;
  readonly top: number;
}

/** The menu's widest likely width: it opens under the button, moved left if it would leave the window. */
const MENU_WIDTH = 280;

export function MoreMenu({ groups }: MoreMenuProps) {
  const { registry, context, run } = useCommands();
  const [opened, setOpened] = useState<Opened | undefined>(undefined);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const shown = groups.filter((g) => g.length > 0);
  const open = opened !== undefined;

  const openMenu = (focus: Focus): void => {
    const anchor = buttonRef.current?.getBoundingClientRect();
    if (anchor === undefined) return;
    setOpened({ focus, left: Math.max(4, Math.min(anchor.left, window.innerWidth - MENU_WIDTH)), top: anchor.bottom + 2 });
  };
  const close = (refocus: boolean): void => {
    setOpened(undefined);
    if (refocus) buttonRef.current?.focus();
  };

  // Once open, the keyboard goes to the first (or last) command that can run.
  const focusFirst = opened?.focus;
  useLayoutEffect(() => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    if (focusFirst === undefined) return;
    (focusFirst === 'first' ? items[0] : items.at(-1))?.focus();
  }, [focusFirst]);

  useEffect(() => {
    if (!open) return undefined;
    const outside = (e: Event) => {
      const target = e.target instanceof Node ? e.target : null;
      if (menuRef.current?.contains(target) !== true && buttonRef.current?.contains(target) !== true) setOpened(undefined);
    };
    const dismiss = () => setOpened(undefined);
    window.addEventListener('pointerdown', outside, true);
    window.addEventListener('blur', dismiss);
    window.addEventListener('resize', dismiss);
    return () => {
      window.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('blur', dismiss);
      window.removeEventListener('resize', dismiss);
    };
  }, [open]);

  if (shown.length === 0) return null;

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openMenu(e.key === 'ArrowDown' ? 'first' : 'last');
    } else if (e.key === 'Escape' && open) {
      // The focus stays on the button when nothing in the menu can run.
      e.preventDefault();
      close(false);
    }
  };

  const onMenuKey = (e: KeyboardEvent) => {
    // While the menu has the keyboard, no key reaches the window's shortcuts (Delete must not delete a message).
    e.stopPropagation();
    const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = items.findIndex((b) => b === document.activeElement);
    const go = (index: number) => items[(index + items.length) % items.length]?.focus();
    switch (e.key) {
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        // The focus moves on from the More button, as the Tab would from there.
        buttonRef.current?.focus();
        return;
      case 'ArrowDown':
        go(at + 1);
        break;
      case 'ArrowUp':
        go(at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(items.length - 1);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="toolbar-more">
      <button
        ref={buttonRef}
        type="button"
        className={open ? 'tool more on' : 'tool more'}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label="More commands"
        title="More commands"
        onClick={() => (open ? close(false) : openMenu('first'))}
        onKeyDown={onButtonKey}
      >
        More<span aria-hidden="true"> ▾</span>
      </button>
      {opened === undefined ? null : (
        <div
          ref={menuRef}
          id={menuId}
          className="context-menu toolbar-menu"
          role="menu"
          aria-label="More commands"
          style={{ left: opened.left, top: opened.top }}
          onKeyDown={onMenuKey}
        >
          {shown.map((group, g) => (
            <Fragment key={group.join(' ')}>
              {g > 0 ? <div role="separator" className="menu-separator" /> : null}
              {group.map((id) => {
                const checked = registry.isChecked(id, context);
                const shortcut = registry.shortcutText(id);
                return (
                  <button
                    key={id}
                    type="button"
                    role={checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
                    aria-checked={checked}
                    aria-keyshortcuts={shortcut}
                    className="menu-item"
                    disabled={!registry.isEnabled(id, context)}
                    onClick={() => {
                      close(true);
                      run(id);
                    }}
                  >
                    <span>
                      {checked === undefined ? null : (
                        <span className="menu-check" aria-hidden="true">
                          {checked ? '✓' : ''}
                        </span>
                      )}
                      {registry.spec(id).label}
                    </span>
                    <span className="menu-shortcut">{shortcut ?? ''}</span>
                  </button>
                );
              })}
            </Fragment>
          ))}
        </div>
      )}
    </div>
  );
}
