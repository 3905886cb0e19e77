/** Plain-text tables for the benchmark report: aligned columns, numbers to the right. */

export type Align = 'left' | 'right';

export interface Column {
  readonly title: string;
  readonly align?: Align;
}

export function formatTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number): string => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]): string =>
    columns
      .map((_, i) => cell(cells[i] ?? '', i))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.title)), rule, ...rows.map(line)].join('\n');
}

/** `1234.5` → `1,234`; fixed decimals below 100 so columns of small numbers line up. */
export function num(value: number | undefined, decimals = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(decimals);
}

export function seconds(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return (ms / 1000).toFixed(ms < 10_000 ? 3 : 2);
}

export function ratio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value >= 10 ? `${value.toFixed(1)}×` : `${value.toFixed(2)}×`;
}
