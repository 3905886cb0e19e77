/**
 * The message list's selection, as pure functions of the list's keys: click, Ctrl/Cmd-click, Shift-click, arrow
 * keys with and without Shift, Home and End, the way a desktop mail list behaves. The list may hold 100,000
 * keys, so positions are found through an index built once per list, not by scanning per row.
 */
import type { MessageKey } from '../../app/ids.ts';

export interface Selection {
  readonly selected: ReadonlySet<MessageKey>;
  /** Where a Shift-extension starts. */
  readonly anchor?: MessageKey;
  /** The row with the keyboard focus (shown in the reading pane when it is selected). */
  readonly focus?: MessageKey;
  /** The focus row's last known position: where the focus goes when its message leaves the list. */
  readonly focusIndex: number;
}

export const EMPTY_SELECTION: Selection = { selected: new Set(), focusIndex: -1 };

/** The list's keys with their positions. */
export interface KeyIndex {
  readonly keys: readonly MessageKey[];
  indexOf(key: MessageKey | undefined): number;
}

export function keyIndex(keys: readonly MessageKey[]): KeyIndex {
  let positions: Map<MessageKey, number> | undefined;
  return {
    keys,
    indexOf(key) {
      if (key === undefined) return -1;
      positions ??= new Map(keys.map((k, i) => [k, i]));
      return positions.get(key) ?? -1;
    },
  };
}

function only(list: KeyIndex, index: number): Selection {
  const key = list.keys[index];
  if (key === undefined) return EMPTY_SELECTION;
  return { selected: new Set([key]), anchor: key, focus: key, focusIndex: index };
}

function range(list: KeyIndex, from: number, to: number): Set<MessageKey> {
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  return new Set(list.keys.slice(Math.max(0, lo), hi + 1));
}

export interface ClickModifiers {
  /** Ctrl, or Cmd on macOS: add or remove one row. */
  readonly toggle: boolean;
  /** Shift: select from the anchor to this row. */
  readonly extend: boolean;
}

export function clickRow(list: KeyIndex, sel: Selection, index: number, mods: ClickModifiers): Selection {
  const key = list.keys[index];
  if (key === undefined) return sel;
  if (mods.extend) {
    const anchorIndex = list.indexOf(sel.anchor);
    const from = anchorIndex < 0 ? index : anchorIndex;
    const selected = range(list, from, index);
    if (mods.toggle) for (const k of sel.selected) selected.add(k);
    return { selected, anchor: list.keys[from], focus: key, focusIndex: index };
  }
  if (mods.toggle) {
    const selected = new Set(sel.selected);
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
    return { selected, anchor: key, focus: key, focusIndex: index };
  }
  return only(list, index);
}

/** A right-click keeps a selection it falls in (the menu acts on all of it), and otherwise selects the row. */
export function contextRow(list: KeyIndex, sel: Selection, index: number): Selection {
  const key = list.keys[index];
  if (key !== undefined && sel.selected.has(key)) return { ...sel, focus: key, focusIndex: index };
  return only(list, index);
}

export type Movement = { readonly by: number } | { readonly to: 'first' | 'last' };

/** Up/Down (`by` ±1, Page keys more), Home/End; with `extend` (Shift) the selection grows from the anchor. */
export function moveFocus(list: KeyIndex, sel: Selection, movement: Movement, extend: boolean): Selection {
  const count = list.keys.length;
  if (count === 0) return EMPTY_SELECTION;
  const current = list.indexOf(sel.focus);
  let target: number;
  if ('to' in movement) target = movement.to === 'first' ? 0 : count - 1;
  else if (current < 0) target = movement.by > 0 ? 0 : count - 1;
  else target = current + movement.by;
  target = Math.min(count - 1, Math.max(0, target));
  if (!extend) return only(list, target);
  const anchorIndex = list.indexOf(sel.anchor);
  const from = anchorIndex < 0 ? (current < 0 ? target : current) : anchorIndex;
  return { selected: range(list, from, target), anchor: list.keys[from], focus: list.keys[target], focusIndex: target };
}

export function selectAll(list: KeyIndex, sel: Selection): Selection {
  if (list.keys.length === 0) return EMPTY_SELECTION;
  const focusIndex = Math.max(0, list.indexOf(sel.focus));
  return { selected: new Set(list.keys), anchor: list.keys[0], focus: list.keys[focusIndex], focusIndex };
}

/**
 * The selection after the list changed: rows no longer listed leave it. Given `previous`, the same list before a
 * change of its contents (a sync, a command that moved messages away), the first row after the selection that is
 * still listed takes it when all of it left, as after "Delete" in a mail list. Without it (the user searched or
 * changed the folder), nothing is selected in its place: a message the user did not choose must not open.
 */
export function reconcile(list: KeyIndex, sel: Selection, previous?: KeyIndex): Selection {
  if (sel.selected.size === 0 && sel.focus === undefined) return sel;
  const focusIndex = list.indexOf(sel.focus);
  const selected = new Set([...sel.selected].filter((k) => list.indexOf(k) >= 0));
  if (focusIndex >= 0) {
    if (selected.size === sel.selected.size && focusIndex === sel.focusIndex) return sel;
    return { ...sel, selected, focusIndex };
  }
  if (selected.size > 0) {
    const next = [...selected].reduce((best, k) => Math.min(best, list.indexOf(k)), Number.POSITIVE_INFINITY);
    return { selected, anchor: list.keys[next], focus: list.keys[next], focusIndex: next };
  }
  if (list.keys.length === 0) return EMPTY_SELECTION;
  if (previous !== undefined) {
    const gone = [...sel.selected, ...(sel.focus === undefined ? [] : [sel.focus])];
    const from = gone.reduce((best, k) => {
      const i = previous.indexOf(k);
      return i >= 0 && i < best ? i : best;
    }, Number.POSITIVE_INFINITY);
    for (let i = Number.isFinite(from) ? from : previous.keys.length; i < previous.keys.length; i++) {
      const at = list.indexOf(previous.keys[i]);
      if (at >= 0) return only(list, at);
    }
    return only(list, list.keys.length - 1);
  }
  return EMPTY_SELECTION;
}

/** The selected keys in list order (commands act in the order the user sees). */
export function selectedInOrder(list: KeyIndex, sel: Selection): MessageKey[] {
  return [...sel.selected].sort((a, b) => list.indexOf(a) - list.indexOf(b));
}
