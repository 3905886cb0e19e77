/**
 * The message list: every key of the folder (or of a search) in the chosen order, and the rows of only the visible
 * window, read live and rendered by a virtualizer, so 100,000 messages scroll like 100. Selection follows desktop
 * conventions: click, Ctrl/Cmd-click, Shift-click, arrows with and without Shift, Home/End, Page keys, Ctrl+A.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type Dispatch,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
  type SetStateAction,
} from 'react';
import type { MessageKey } from '../../app/ids.ts';
import type { MessageRecord } from '../../app/mail/types.ts';
import type { Platform } from '../commands/accelerators.ts';
import { useMessageKeys, useMessageWindow, useSearchKeys, windowIdOf, type KeyList, type ListOrder } from '../store/hooks.ts';
import type { FolderScope } from '../store/index.ts';
import { Loading } from './ErrorBoundary.tsx';
import { ListHeader } from './ListHeader.tsx';
import { MessageRow } from './MessageRow.tsx';
import {
  clickRow,
  contextRow,
  keyIndex,
  moveFocus,
  reconcile,
  selectAll,
  type KeyIndex,
  type Selection,
} from './selection.ts';

const ROW_HEIGHT = 28;
/** Rows are read in aligned pages, so scrolling a few rows does not start a new read. */
const PAGE = 64;
const NO_KEYS: readonly MessageKey[] = [];
/** The "Received" column says "today" by the clock: it is looked at again once a minute, not on every render. */
const CLOCK_MS = 60_000;

function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The list's key index, asked first at the position where the selection's focus was last seen: most questions are
 * about the focused row, and answering them that way spares building the index of a 100,000-key list (tens of
 * milliseconds) on the first click.
 */
function hintedKeyIndex(keys: readonly MessageKey[], hint: { readonly current: number }): KeyIndex {
  const full = keyIndex(keys);
  return {
    keys,
    indexOf(key) {
      const at = hint.current;
      return key !== undefined && keys[at] === key ? at : full.indexOf(key);
    },
  };
}

export interface ListHandle {
  move(delta: 1 | -1): void;
  focus(): void;
}

export interface MessageListProps {
  readonly scope: FolderScope;
  readonly order: ListOrder;
  /** Empty: the whole folder; otherwise a search in it. */
  readonly search: string;
  readonly selection: Selection;
  readonly onSelection: Dispatch<SetStateAction<Selection>>;
  readonly onOrder: (order: ListOrder) => void;
  readonly onContextMenu: (x: number, y: number) => void;
  readonly onCount: (count: number | undefined) => void;
  readonly handle: RefObject<ListHandle | null>;
  readonly platform: Platform;
  readonly label: string;
}

export function MessageList(props: MessageListProps) {
  return props.search === '' ? <FolderRows {...props} /> : <SearchRows {...props} />;
}

function FolderRows(props: MessageListProps) {
  const list = useMessageKeys(props.scope, props.order);
  return <MessageTable {...props} list={list} />;
}

function SearchRows(props: MessageListProps) {
  const { accountId, folder } = props.scope;
  const list = useSearchKeys({ accountId, folder, text: props.search }, props.order);
  return <MessageTable {...props} list={list} />;
}

/** The list's source: a change of it is a new list, not new contents of the same one. */
function sourceOf(props: MessageListProps): string {
  const { scope, order, search } = props;
  return JSON.stringify([scope.accountId, scope.folder, order.sort, order.direction, search]);
}

interface Target {
  readonly keys: readonly MessageKey[] | undefined;
  /** False while the list's keys are still being read. */
  readonly complete: boolean;
  readonly source: string;
}

/** What is on screen: keys together with rows read for them, never the keys of one moment with rows of another. */
interface Shown extends Target {
  readonly rows: ReadonlyMap<MessageKey, MessageRecord> | undefined;
}

function MessageTable(props: MessageListProps & { readonly list: KeyList | undefined }) {
  const { selection, onSelection, onCount, platform } = props;
  const source = sourceOf(props);
  const incoming: Target = { keys: props.list?.keys, complete: props.list?.complete ?? false, source };
  // New contents of the same list (a sync adding messages, the rest of a large folder being read) become the
  // target, whose rows in view are read; the screen moves to the target once they are, and only then is the next
  // target taken. So the screen always shows keys with their rows, and keeps up however fast the keys change. A
  // new list replaces both.
  const [target, setTarget] = useState<Target>(incoming);
  const [shown, setShown] = useState<Shown>({ keys: undefined, complete: false, source, rows: undefined });
  // Until the new list's first rows are read, the old one's must not show under the new one's name.
  const current = shown.source === source ? shown.keys : undefined;
  const focusHint = useRef(selection.focusIndex);
  focusHint.current = selection.focusIndex;
  const list = useMemo(() => hintedKeyIndex(current ?? NO_KEYS, focusHint), [current]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  // The virtualizer lays out every row again whenever this function changes: it must change with the keys only.
  const getItemKey = useCallback((i: number) => list.keys[i] ?? i, [list]);
  const virtualizer = useVirtualizer({
    count: list.keys.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const start = Math.floor(first / PAGE) * PAGE;
  const end = (Math.floor(last / PAGE) + 1) * PAGE;
  const targetKeys = target.keys ?? NO_KEYS;
  const view = useMessageWindow(targetKeys, start, end);
  const settled = target.keys !== undefined && view?.id === windowIdOf(targetKeys, start, end);
  const incomingKeys = props.list?.keys;
  const incomingComplete = props.list?.complete ?? false;
  useEffect(() => {
    const next = { keys: incomingKeys, complete: incomingComplete, source };
    if (source !== target.source) {
      setTarget(next);
      setShown({ keys: undefined, complete: false, source, rows: undefined });
    } else if (settled) {
      if (shown.keys !== target.keys || shown.rows !== view.rows || shown.complete !== target.complete) {
        setShown({ ...target, rows: view.rows });
      }
      if (incomingKeys !== target.keys || incomingComplete !== target.complete) setTarget(next);
    } else if (target.keys === undefined && incomingKeys !== undefined) {
      setTarget(next);
    }
  }, [incomingKeys, incomingComplete, source, target, shown, settled, view]);
  const rows = shown.rows;
  const loading = current === undefined;
  const complete = !loading && shown.complete;

  useEffect(() => {
    onCount(complete ? list.keys.length : undefined);
  }, [onCount, list, complete]);
  // The same source with new contents: a selected message that left is replaced by its neighbour.
  const previous = useRef({ list, source: shown.source });
  useEffect(() => {
    if (loading) return;
    const before = previous.current;
    previous.current = { list, source: shown.source };
    onSelection((sel) => reconcile(list, sel, before.source === shown.source ? before.list : undefined));
  }, [list, shown.source, loading, onSelection]);
  const focusIndex = list.indexOf(selection.focus);
  useEffect(() => {
    if (focusIndex >= 0) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
  }, [focusIndex, virtualizer]);

  useImperativeHandle(
    props.handle,
    () => ({
      move: (delta) => onSelection((sel) => moveFocus(list, sel, { by: delta }, false)),
      focus: () => gridRef.current?.focus(),
    }),
    [list, onSelection],
  );

  const toggleKey = (e: { ctrlKey: boolean; metaKey: boolean }) => (platform === 'mac' ? e.metaKey : e.ctrlKey);
  /** Rows in one page of the list, measured when a Page key is pressed (not on every render: it forces layout). */
  const pageRows = () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
  const onKeyDown = (e: KeyboardEvent) => {
    const extend = e.shiftKey;
    let move: Parameters<typeof moveFocus>[2] | undefined;
    if (e.key === 'ArrowDown') move = { by: 1 };
    else if (e.key === 'ArrowUp') move = { by: -1 };
    else if (e.key === 'PageDown') move = { by: pageRows() };
    else if (e.key === 'PageUp') move = { by: -pageRows() };
    else if (e.key === 'Home') move = { to: 'first' };
    else if (e.key === 'End') move = { to: 'last' };
    if (move !== undefined && !e.altKey && !toggleKey(e)) {
      const movement = move;
      e.preventDefault();
      onSelection((sel) => moveFocus(list, sel, movement, extend));
    } else if (e.code === 'KeyA' && toggleKey(e) && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      onSelection((sel) => selectAll(list, sel));
    }
  };
  // Rows are memoized (MessageRow): their handlers must not change on every render, so they read the latest list
  // and callbacks through a ref.
  const latest = useRef({ list, platform, onSelection, onContextMenu: props.onContextMenu });
  useEffect(() => {
    latest.current = { list, platform, onSelection, onContextMenu: props.onContextMenu };
  });
  const onClick = useCallback((index: number, e: MouseEvent) => {
    const { list: current, platform: os, onSelection: select } = latest.current;
    const toggle = os === 'mac' ? e.metaKey : e.ctrlKey;
    select((sel) => clickRow(current, sel, index, { toggle, extend: e.shiftKey }));
  }, []);
  const onRowMenu = useCallback((index: number, e: MouseEvent) => {
    e.preventDefault();
    const { list: current, onSelection: select, onContextMenu } = latest.current;
    select((sel) => contextRow(current, sel, index));
    onContextMenu(e.clientX, e.clientY);
  }, []);
  const now = useMinuteClock();

  return (
    <div
      ref={gridRef}
      className="message-list"
      role="grid"
      tabIndex={0}
      aria-label={props.label}
      aria-rowcount={complete ? list.keys.length + 1 : -1}
      aria-colcount={5}
      aria-multiselectable="true"
      aria-busy={loading}
      aria-activedescendant={focusIndex >= 0 ? `message-row-${focusIndex}` : undefined}
      onKeyDown={onKeyDown}
    >
      <ListHeader order={props.order} onSort={props.onOrder} />
      <div ref={scrollRef} className="list-scroll" role="rowgroup">
        {loading ? <Loading what="messages" /> : null}
        {!loading && list.keys.length === 0 ? (
          <p className="empty">{props.search === '' ? 'No messages here.' : 'No messages match the search.'}</p>
        ) : null}
        <div className="list-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const key = list.keys[item.index];
            return (
              <MessageRow
                key={item.key}
                id={`message-row-${item.index}`}
                index={item.index}
                message={key === undefined ? undefined : rows?.get(key)}
                selected={key !== undefined && selection.selected.has(key)}
                focused={item.index === focusIndex}
                top={item.start}
                height={item.size}
                now={now}
                onClick={onClick}
                onContextMenu={onRowMenu}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
