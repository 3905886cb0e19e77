/**
 * Which toolbar commands fit in the window's width, and which collapse into the "More" menu. Pure, over widths the
 * toolbar measured, so that every case is tested without a browser: commands collapse one at a time in
 * `collapseOrder` (the least used first) until the rest, the More button and the search box at its smallest fit.
 */
import type { CommandId } from '../../app/commands.ts';

export interface ToolbarFit {
  /** The commands on the toolbar now, in its groups and order. */
  readonly groups: readonly (readonly CommandId[])[];
  /** Each command's button width, in CSS pixels. */
  readonly widths: ReadonlyMap<CommandId, number>;
  /** The toolbar's width for its content (without its padding). */
  readonly available: number;
  /** Between two buttons of a group. */
  readonly itemGap: number;
  /** Between groups, the More button and the search box. */
  readonly groupGap: number;
  /** The search box at its smallest. */
  readonly searchWidth: number;
  readonly moreWidth: number;
  /** The order in which commands leave the toolbar: the first goes first. A command not listed never does. */
  readonly collapseOrder: readonly CommandId[];
}

/** The width the toolbar's content takes with `collapsed` in the More menu. */
export function toolbarWidth(fit: ToolbarFit, collapsed: ReadonlySet<CommandId>): number {
  let width = fit.searchWidth;
  let elements = 1;
  for (const group of fit.groups) {
    const shown = group.filter((id) => !collapsed.has(id));
    if (shown.length === 0) continue;
    elements++;
    width += shown.reduce((sum, id) => sum + (fit.widths.get(id) ?? 0), 0) + fit.itemGap * (shown.length - 1);
  }
  if (collapsed.size > 0) {
    elements++;
    width += fit.moreWidth;
  }
  return width + fit.groupGap * (elements - 1);
}

/** The commands that go into the More menu; none when everything fits. */
export function collapsedCommands(fit: ToolbarFit): ReadonlySet<CommandId> {
  const present = new Set(fit.groups.flat());
  const collapsed = new Set<CommandId>();
  for (const id of fit.collapseOrder) {
    if (toolbarWidth(fit, collapsed) <= fit.available) break;
    if (present.has(id)) collapsed.add(id);
  }
  return collapsed;
}
