/**
 * The toolbar: the most used commands as buttons, and the search box. It keeps to one line at any window width:
 * when the buttons do not fit, the least used ones move, one at a time, into a "More" menu (toolbar-fit.ts), where
 * they keep their names, shortcuts and enabled state. The widths come from an invisible copy of every button, so
 * what fits is known before anything is painted, and again whenever the toolbar's width changes.
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { CommandId } from '../../app/commands.ts';
import { useServices } from '../window/services.ts';
import { MoreMenu } from './MoreMenu.tsx';
import { collapsedCommands } from './toolbar-fit.ts';
import { useCommandStateReport, useCommands } from './use-commands.ts';

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

/**
 * The order in which buttons leave a narrow toolbar, the least used first. Work Offline has its switch in the
 * status bar too; Send/Receive All, Download Now and Delete leave last.
 */
const COLLAPSE_ORDER: readonly CommandId[] = [
  'unmark',
  'mark-download-copy',
  'work-offline',
  'send-receive-account',
  'mark-download',
  'restore',
  'delete',
  'download-now',
  'send-receive-all',
];

const NONE: ReadonlySet<CommandId> = new Set();

function sameSet(a: ReadonlySet<CommandId>, b: ReadonlySet<CommandId>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

function px(value: string): number {
  const n = Number.parseFloat(value);
  return Number.isFinite(n) ? n : 0;
}

/** What fits, from the toolbar's width and the invisible copy's button widths; CSS stays the one source of sizes. */
function measure(bar: HTMLElement, copy: HTMLElement, groups: readonly (readonly CommandId[])[]): ReadonlySet<CommandId> {
  const widths = new Map<CommandId, number>();
  let moreWidth = 0;
  for (const el of copy.querySelectorAll<HTMLElement>('[data-command]')) {
    const width = Math.ceil(el.getBoundingClientRect().width);
    if (el.dataset.command === 'more') moreWidth = width;
    else widths.set(el.dataset.command as CommandId, width);
  }
  const barStyle = getComputedStyle(bar);
  const group = bar.querySelector<HTMLElement>('.toolbar-group');
  const search = bar.querySelector<HTMLElement>('.search');
  return collapsedCommands({
    groups,
    widths,
    // A pixel to spare: widths are rounded up, and a fraction too many would wrap the search box.
    available: bar.clientWidth - px(barStyle.paddingLeft) - px(barStyle.paddingRight) - 1,
    itemGap: group === null ? 0 : px(getComputedStyle(group).columnGap),
    groupGap: px(barStyle.columnGap),
    searchWidth: search === null ? 0 : px(getComputedStyle(search).minWidth),
    moreWidth,
    collapseOrder: COLLAPSE_ORDER,
  });
}

export interface ToolbarProps {
  readonly search: string;
  readonly onSearch: (text: string) => void;
  readonly searchRef: RefObject<HTMLInputElement | null>;
}

export function Toolbar({ search, onSearch, searchRef }: ToolbarProps) {
  const { registry, context, run } = useCommands();
  const { api } = useServices();
  // The toolbar is always there, and shows the same enabled states as the native menus need.
  useCommandStateReport({ registry, context }, api);

  // Restore belongs to Deleted Items only.
  const groups = GROUPS.map((g) => g.filter(({ id }) => id !== 'restore' || context.folder === 'deleted'));
  const present = groups.map((g) => g.map((item) => item.id));
  const presentKey = present.map((g) => g.join(',')).join('|');
  const barRef = useRef<HTMLElement>(null);
  const copyRef = useRef<HTMLDivElement>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<CommandId>>(NONE);

  useLayoutEffect(() => {
    const bar = barRef.current;
    const copy = copyRef.current;
    if (bar === null || copy === null) return undefined;
    const ids = presentKey.split('|').map((g) => (g === '' ? [] : (g.split(',') as CommandId[])));
    const update = (): void => {
      const next = measure(bar, copy, ids);
      setCollapsed((previous) => (sameSet(previous, next) ? previous : next));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(bar);
    return () => observer.disconnect();
  }, [presentKey]);

  const button = (id: CommandId, text: string) => {
    const spec = registry.spec(id);
    const shortcut = registry.shortcutText(id);
    const checked = registry.isChecked(id, context);
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
  };

  return (
    <header ref={barRef} className="toolbar" role="toolbar" aria-label="Commands">
      {groups.map((group, i) => {
        const shown = group.filter(({ id }) => !collapsed.has(id));
        return shown.length === 0 ? null : (
          <div key={i} className="toolbar-group">
            {shown.map(({ id, text }) => button(id, text))}
          </div>
        );
      })}
      <MoreMenu groups={present.map((g) => g.filter((id) => collapsed.has(id)))} />
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
      {/* Every button once more, invisible and out of reach, to measure what fits. */}
      <div ref={copyRef} className="toolbar-measure" aria-hidden="true" inert>
        {GROUPS.flat().map(({ id, text }) => (
          <button key={id} type="button" className="tool" data-command={id} tabIndex={-1}>
            {text}
          </button>
        ))}
        <button type="button" className="tool more" data-command="more" tabIndex={-1}>
          More<span> ▾</span>
        </button>
      </div>
    </header>
  );
}
