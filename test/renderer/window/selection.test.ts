import { describe, expect, it } from 'vitest';
import { messageKey, type MessageKey } from '../../../app/ids.ts';
import {
  EMPTY_SELECTION,
  clickRow,
  contextRow,
  keyIndex,
  moveFocus,
  reconcile,
  selectAll,
  selectedInOrder,
  type Selection,
} from '../../../renderer/window/selection.ts';

const keys = (n: number, from = 0): MessageKey[] => Array.from({ length: n }, (_, i) => messageKey(`a:${from + i}:u`));
const K = keys(10);
const list = keyIndex(K);
const at = (i: number): MessageKey => K[i] as MessageKey;
const selected = (s: Selection) => selectedInOrder(list, s).map((k) => K.indexOf(k));
const plain = { toggle: false, extend: false };

describe('message list selection', () => {
  it('a click selects one row', () => {
    const s = clickRow(list, EMPTY_SELECTION, 3, plain);
    expect(selected(s)).toEqual([3]);
    expect(s.focus).toBe(at(3));
    expect(s.anchor).toBe(at(3));
  });

  it('Ctrl-click adds and removes rows', () => {
    let s = clickRow(list, EMPTY_SELECTION, 3, plain);
    s = clickRow(list, s, 6, { toggle: true, extend: false });
    expect(selected(s)).toEqual([3, 6]);
    s = clickRow(list, s, 3, { toggle: true, extend: false });
    expect(selected(s)).toEqual([6]);
  });

  it('Shift-click selects from the anchor, either way', () => {
    let s = clickRow(list, EMPTY_SELECTION, 4, plain);
    s = clickRow(list, s, 7, { toggle: false, extend: true });
    expect(selected(s)).toEqual([4, 5, 6, 7]);
    s = clickRow(list, s, 2, { toggle: false, extend: true });
    expect(selected(s)).toEqual([2, 3, 4]);
    expect(s.anchor).toBe(at(4));
  });

  it('Ctrl+Shift-click adds a range to what is selected', () => {
    let s = clickRow(list, EMPTY_SELECTION, 0, plain);
    s = clickRow(list, s, 5, { toggle: true, extend: false });
    s = clickRow(list, s, 7, { toggle: true, extend: true });
    expect(selected(s)).toEqual([0, 5, 6, 7]);
  });

  it('arrows move one row and stop at the ends; Home and End jump', () => {
    let s = moveFocus(list, EMPTY_SELECTION, { by: 1 }, false);
    expect(selected(s)).toEqual([0]);
    s = moveFocus(list, s, { by: -1 }, false);
    expect(selected(s)).toEqual([0]);
    s = moveFocus(list, s, { to: 'last' }, false);
    expect(selected(s)).toEqual([9]);
    s = moveFocus(list, s, { by: 1 }, false);
    expect(selected(s)).toEqual([9]);
    s = moveFocus(list, s, { to: 'first' }, false);
    expect(selected(s)).toEqual([0]);
    s = moveFocus(list, s, { by: 25 }, false);
    expect(selected(s)).toEqual([9]);
  });

  it('Up with nothing selected starts at the bottom', () => {
    expect(selected(moveFocus(list, EMPTY_SELECTION, { by: -1 }, false))).toEqual([9]);
  });

  it('Shift+arrows grow and shrink the selection from the anchor', () => {
    let s = clickRow(list, EMPTY_SELECTION, 5, plain);
    s = moveFocus(list, s, { by: 1 }, true);
    s = moveFocus(list, s, { by: 1 }, true);
    expect(selected(s)).toEqual([5, 6, 7]);
    s = moveFocus(list, s, { by: -1 }, true);
    expect(selected(s)).toEqual([5, 6]);
    s = moveFocus(list, s, { to: 'first' }, true);
    expect(selected(s)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a right-click keeps a selection it falls in, and otherwise selects the row', () => {
    let s = clickRow(list, EMPTY_SELECTION, 2, plain);
    s = clickRow(list, s, 4, { toggle: false, extend: true });
    expect(selected(contextRow(list, s, 3))).toEqual([2, 3, 4]);
    expect(selected(contextRow(list, s, 8))).toEqual([8]);
  });

  it('Ctrl+A selects all', () => {
    const s = selectAll(list, clickRow(list, EMPTY_SELECTION, 4, plain));
    expect(s.selected.size).toBe(10);
    expect(s.focus).toBe(at(4));
  });

  it('after the selected rows leave the list, the row now in their place is selected', () => {
    let s = clickRow(list, EMPTY_SELECTION, 3, plain);
    s = clickRow(list, s, 4, { toggle: false, extend: true });
    const after = keyIndex(K.filter((_, i) => i !== 3 && i !== 4));
    const r = reconcile(after, s, list);
    expect([...r.selected]).toEqual([at(5)]);
    expect(r.focus).toBe(at(5));
    // Without the list before the change (a new search, another folder), nothing is chosen in its place.
    expect(reconcile(after, s)).toBe(EMPTY_SELECTION);
  });

  it('after a scattered selection leaves, the first row after the first of them is selected', () => {
    let s = clickRow(list, EMPTY_SELECTION, 2, plain);
    s = clickRow(list, s, 6, { toggle: true, extend: false });
    const after = keyIndex(K.filter((_, i) => i !== 2 && i !== 6));
    expect([...reconcile(after, s, list).selected]).toEqual([at(3)]);
  });

  it('after the last row leaves, the new last row is selected; an empty list selects nothing', () => {
    const s = clickRow(list, EMPTY_SELECTION, 9, plain);
    expect([...reconcile(keyIndex(K.slice(0, 9)), s, list).selected]).toEqual([at(8)]);
    expect(reconcile(keyIndex([]), s)).toBe(EMPTY_SELECTION);
  });

  it('new rows above keep the selection on the same message', () => {
    const s = clickRow(list, EMPTY_SELECTION, 2, plain);
    const grown = keyIndex([...keys(3, 100), ...K]);
    const r = reconcile(grown, s);
    expect([...r.selected]).toEqual([at(2)]);
    expect(r.focusIndex).toBe(5);
  });

  it('an unchanged list keeps the very same selection object (no re-render)', () => {
    const s = clickRow(list, EMPTY_SELECTION, 2, plain);
    expect(reconcile(keyIndex([...K]), s)).toBe(s);
    expect(reconcile(list, EMPTY_SELECTION)).toBe(EMPTY_SELECTION);
  });

  it('handles 100,000 rows without scanning per row', () => {
    const big = keys(100_000);
    const bigList = keyIndex(big);
    let s = clickRow(bigList, EMPTY_SELECTION, 50_000, plain);
    s = moveFocus(bigList, s, { to: 'last' }, true);
    expect(s.selected.size).toBe(50_000);
    expect(bigList.indexOf(s.focus)).toBe(99_999);
  });
});
