/** The toolbar: the most used commands as buttons, and the search box. */
import type { RefObject } from 'react';
import type { CommandId } from '../../app/commands.ts';
import { useCommands } from './use-commands.ts';

interface Item {
  readonly id: CommandId;
  /** Shorter than the menu's label, where the toolbar needs it. */
  readonly text: string;
}

const GROUPS: readonly (readonly Item[])[] = [
  [
    { id: 'send-receive-all', text: 'Send/Receive All' },
    { id: 'send-receive-account', text: 'This Account' },
    { id: 'work-offline', text: 'Work Offline' },
  ],
  [
    { id: 'download-now', text: 'Download Now' },
    { id: 'mark-download', text: 'Mark to Download' },
    { id: 'mark-download-copy', text: 'Mark a Copy' },
    { id: 'unmark', text: 'Unmark' },
  ],
  [
    { id: 'delete', text: 'Delete' },
    { id: 'restore', text: 'Restore' },
  ],
];

export interface ToolbarProps {
  readonly search: string;
  readonly onSearch: (text: string) => void;
  readonly searchRef: RefObject<HTMLInputElement | null>;
}

export function Toolbar({ search, onSearch, searchRef }: ToolbarProps) {
  const { registry, context, run } = useCommands();
  return (
    <header className="toolbar" role="toolbar" aria-label="Commands">
      {GROUPS.map((group, i) => (
        <div key={i} className="toolbar-group">
          {group.map(({ id, text }) => {
            const spec = registry.spec(id);
            const shortcut = registry.shortcutText(id);
            const checked = registry.isChecked(id, context);
            if (id === 'restore' && context.folder !== 'deleted') return null;
            return (
              <button
                key={id}
                type="button"
                className={checked === true ? 'tool on' : 'tool'}
                title={shortcut === undefined ? spec.label : `${spec.label} (${shortcut})`}
                aria-pressed={checked}
                aria-keyshortcuts={shortcut}
                disabled={!registry.isEnabled(id, context)}
                onClick={() => run(id)}
              >
                {text}
              </button>
            );
          })}
        </div>
      ))}
      <input
        ref={searchRef}
        className="search"
        type="search"
        placeholder="Search sender, subject, text"
        aria-label="Search messages by sender, subject or preview text"
        title={`Search (${registry.shortcutText('search') ?? ''})`}
        value={search}
        onChange={(e) => onSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && search !== '') {
            e.preventDefault();
            onSearch('');
          }
        }}
      />
    </header>
  );
}
