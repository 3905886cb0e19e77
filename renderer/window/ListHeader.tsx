/** The list's column headers; clicking one sorts by it, clicking it again reverses the order. */
import type { MessageSort } from '../store/index.ts';
import type { ListOrder } from '../store/hooks.ts';

interface Column {
  readonly sort?: MessageSort;
  readonly label: string;
  readonly className: string;
}

const COLUMNS: readonly Column[] = [
  { label: 'State', className: 'state' },
  { sort: 'from', label: 'From', className: 'from' },
  { sort: 'subject', label: 'Subject', className: 'subject' },
  { sort: 'receivedAt', label: 'Received', className: 'received' },
  { sort: 'size', label: 'Size', className: 'size' },
];

/** Text sorts A to Z first; dates and sizes newest and largest first. */
export function nextOrder(current: ListOrder, sort: MessageSort): ListOrder {
  if (current.sort === sort) return { sort, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { sort, direction: sort === 'from' || sort === 'subject' ? 'asc' : 'desc' };
}

export interface ListHeaderProps {
  readonly order: ListOrder;
  readonly onSort: (order: ListOrder) => void;
}

export function ListHeader({ order, onSort }: ListHeaderProps) {
  return (
    <div role="row" className="row header" aria-rowindex={1}>
      {COLUMNS.map((c) => {
        const sorted = c.sort !== undefined && c.sort === order.sort;
        const ariaSort = sorted ? (order.direction === 'asc' ? 'ascending' : 'descending') : undefined;
        const { sort } = c;
        return (
          <div key={c.label} role="columnheader" className={`cell ${c.className}`} aria-sort={ariaSort}>
            {sort === undefined ? (
              <span className="visually-hidden">{c.label}</span>
            ) : (
              <button type="button" className="sort-button" onClick={() => onSort(nextOrder(order, sort))}>
                {c.label}
                <span aria-hidden="true" className="sort-arrow">
                  {sorted ? (order.direction === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}
