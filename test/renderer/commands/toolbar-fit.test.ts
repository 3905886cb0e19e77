/** Which toolbar buttons fit, and which go into the More menu, from measured widths. */
import { describe, expect, it } from 'vitest';
import type { CommandId } from '../../../app/commands.ts';
import { collapsedCommands, toolbarWidth, type ToolbarFit } from '../../../renderer/commands/toolbar-fit.ts';

const GROUPS: readonly (readonly CommandId[])[] = [
  ['send-receive-all', 'send-receive-account', 'work-offline'],
  ['download-now', 'mark-download', 'mark-download-copy', 'unmark'],
  ['delete'],
];
const WIDTHS = new Map<CommandId, number>([
  ['send-receive-all', 120],
  ['send-receive-account', 94],
  ['work-offline', 96],
  ['download-now', 106],
  ['mark-download', 125],
  ['mark-download-copy', 91],
  ['unmark', 72],
  ['delete', 60],
]);
const ORDER: readonly CommandId[] = ['unmark', 'mark-download-copy', 'work-offline', 'send-receive-account', 'mark-download', 'delete', 'download-now', 'send-receive-all'];

const fit = (available: number, groups = GROUPS): ToolbarFit => ({
  groups,
  widths: WIDTHS,
  available,
  itemGap: 4,
  groupGap: 12,
  searchWidth: 180,
  moreWidth: 64,
  collapseOrder: ORDER,
});

/** Everything on the toolbar: 8 buttons, 5 gaps inside groups, 3 between groups and the search box. */
const ALL = 120 + 94 + 96 + 106 + 125 + 91 + 72 + 60 + 5 * 4 + 3 * 12 + 180;

describe('the toolbar fit', () => {
  it('adds up buttons, gaps, the More button and the search box', () => {
    expect(toolbarWidth(fit(0), new Set())).toBe(ALL);
    // Unmark leaves: one button and a gap less, the More button and a gap more.
    expect(toolbarWidth(fit(0), new Set(['unmark']))).toBe(ALL - 72 - 4 + 64 + 12);
    // A whole group leaves: its gap goes too.
    expect(toolbarWidth(fit(0), new Set(['delete']))).toBe(ALL - 60 - 12 + 64 + 12);
  });

  it('keeps everything when it fits, to the pixel', () => {
    expect(collapsedCommands(fit(ALL))).toEqual(new Set());
    expect(collapsedCommands(fit(2000))).toEqual(new Set());
  });

  it('collapses the least used first, one at a time, until the rest fits', () => {
    expect([...collapsedCommands(fit(ALL - 1))]).toEqual(['unmark', 'mark-download-copy']);
    const narrow = collapsedCommands(fit(760));
    expect([...narrow]).toEqual(['unmark', 'mark-download-copy', 'work-offline', 'send-receive-account']);
    expect(toolbarWidth(fit(760), narrow)).toBeLessThanOrEqual(760);
  });

  it('at any width, what stays fits, and Send/Receive All stays longest', () => {
    for (let available = 200; available <= ALL + 10; available += 7) {
      const collapsed = collapsedCommands(fit(available));
      const every = collapsed.size === GROUPS.flat().length;
      if (!every) expect(toolbarWidth(fit(available), collapsed), String(available)).toBeLessThanOrEqual(available);
      if (collapsed.has('send-receive-all')) expect(collapsed.size).toBe(8);
    }
  });

  it('skips commands that are not on the toolbar (Restore outside Deleted Items)', () => {
    const withRestore: readonly (readonly CommandId[])[] = [...GROUPS.slice(0, 2), ['delete', 'restore']];
    const order: readonly CommandId[] = ['restore', ...ORDER];
    expect(collapsedCommands({ ...fit(ALL - 1), collapseOrder: order })).toEqual(new Set(['unmark', 'mark-download-copy']));
    const widths = new Map(WIDTHS).set('restore', 70);
    expect(collapsedCommands({ ...fit(ALL + 74), groups: withRestore, widths, collapseOrder: order })).toEqual(new Set());
    // One pixel short: Restore leaves, and so does Unmark, since the More button now takes room too.
    expect(collapsedCommands({ ...fit(ALL + 73), groups: withRestore, widths, collapseOrder: order })).toEqual(new Set(['restore', 'unmark']));
  });
});
