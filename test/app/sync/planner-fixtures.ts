/**
 * Builders for the planner tables: server listings, UID records, policies and the actions a plan is expected to
 * hold. They only build data; what a plan should contain is written out in each table, never derived here.
 */
import { uidl } from '../../../app/ids.ts';
import {
  DEFAULT_POLICY,
  daysToMs,
  type AccountPolicy,
  type DownloadPolicy,
  type LeavePolicy,
  type NewAccountPolicy,
} from '../../../app/sync/policy.ts';
import type {
  DeleteReason,
  FetchReason,
  Plan,
  PlanInput,
  ServerListing,
  SyncAction,
} from '../../../app/sync/planner.ts';
import type { ServerMessageRef, UidRecord } from '../../../app/sync/state.ts';

/** A fixed "now" (2025-01-15 12:00 UTC): the planner never reads a clock. */
export const NOW = Date.UTC(2025, 0, 15, 12);
export const DAY = daysToMs(1);
/** Preview length used by the preview policies of the tables. */
export const LINES = 20;
/** Threshold of the whole-up-to policy of the tables. */
export const MAX_BYTES = 10_000;
/** Days of the "leave for N days" policy of the tables. */
export const KEEP_DAYS = 14;

export const DOWNLOADS = {
  previews: { kind: 'previews', lines: LINES },
  whole: { kind: 'whole' },
  'whole-up-to': { kind: 'whole-up-to', maxBytes: MAX_BYTES, lines: LINES },
} as const satisfies Record<DownloadPolicy['kind'], DownloadPolicy>;

export const LEAVES = {
  nothing: { kind: 'nothing' },
  forever: { kind: 'forever' },
  days: { kind: 'days', days: KEEP_DAYS },
  'until-deleted': { kind: 'until-deleted' },
} as const satisfies Record<LeavePolicy['kind'], LeavePolicy>;

export type DownloadKind = keyof typeof DOWNLOADS;
export type LeaveKind = keyof typeof LEAVES;
export const DOWNLOAD_KINDS = Object.keys(DOWNLOADS) as DownloadKind[];
export const LEAVE_KINDS = Object.keys(LEAVES) as LeaveKind[];
export const NEW_ACCOUNT_KINDS: readonly NewAccountPolicy[] = ['fetch-all', 'start-from-now'];

export function policy(
  download: DownloadKind | DownloadPolicy = 'previews',
  leave: LeaveKind | LeavePolicy = 'until-deleted',
  newAccount: NewAccountPolicy = 'fetch-all',
): AccountPolicy {
  return {
    ...DEFAULT_POLICY,
    download: typeof download === 'string' ? DOWNLOADS[download] : download,
    leave: typeof leave === 'string' ? LEAVES[leave] : leave,
    newAccount,
  };
}

/** `'a'` is unique-id a, ordinal 0; `'a#1'` is the second message listed with unique-id a (C0041). */
export function ref(name: string): ServerMessageRef {
  const [uid = '', ordinal = '0'] = name.split('#');
  return { uid: uidl(uid), ordinal: Number(ordinal) };
}

/** A listing with UIDL, messages numbered from 1 in the order given: `[uid, size]`. */
export function listing(
  messages: ReadonlyArray<readonly [string, number]>,
  options: { readonly top?: boolean } = {},
): ServerListing {
  return {
    uidl: messages.map(([uid], i) => ({ n: i + 1, uid })),
    list: messages.map(([, size], i) => ({ n: i + 1, size })),
    supportsTop: options.top ?? true,
  };
}

/** A server without UIDL: only LIST sizes. */
export function listingWithoutUidl(sizes: readonly number[], options: { readonly top?: boolean } = {}): ServerListing {
  return { uidl: undefined, list: sizes.map((size, i) => ({ n: i + 1, size })), supportsTop: options.top ?? true };
}

/** A record Poplar holds: by default a preview, seen a day ago, on the server, unmarked, not deleted. */
export function rec(name: string, fields: Partial<Omit<UidRecord, 'uid' | 'ordinal'>> = {}): UidRecord {
  return {
    ...ref(name),
    firstSeen: NOW - DAY,
    onServer: true,
    content: 'preview',
    mark: 'none',
    keepOnServer: false,
    deletion: 'none',
    ...fields,
  };
}

export function input(
  server: ServerListing,
  state: readonly UidRecord[],
  accountPolicy: AccountPolicy,
  extra: Partial<Pick<PlanInput, 'now' | 'firstSync' | 'migrationConfirmed'>> = {},
): PlanInput {
  return { server, state, policy: accountPolicy, now: NOW, firstSync: false, ...extra };
}

// Expected actions. Positional and short on purpose, so that a table row reads as one line.

export function fetchPreview(n: number, name: string, size: number, lines = LINES, firstSeen = NOW): SyncAction {
  return { kind: 'fetch-preview', n, ref: ref(name), size, lines, firstSeen };
}

export function fetchWhole(
  n: number,
  name: string,
  size: number,
  reason: FetchReason = 'policy',
  keepOnServer = false,
  firstSeen = NOW,
): SyncAction {
  return { kind: 'fetch-whole', n, ref: ref(name), size, reason, keepOnServer, firstSeen };
}

export function adopt(n: number, name: string, size: number, firstSeen = NOW): SyncAction {
  return { kind: 'adopt', n, ref: ref(name), size, firstSeen };
}

export function del(n: number, name: string, reason: DeleteReason, afterFetch = false): SyncAction {
  return { kind: 'delete-on-server', n, ref: ref(name), reason, afterFetch };
}

export const markGone = (name: string): SyncAction => ({ kind: 'mark-gone', ref: ref(name) });
export const markBack = (name: string): SyncAction => ({ kind: 'mark-back', ref: ref(name) });
export const forget = (name: string): SyncAction => ({ kind: 'forget', ref: ref(name) });

export function probe(n: number, name: string, size: number): SyncAction {
  return { kind: 'probe-headers', n, ref: ref(name), size };
}

export function fetchThenDelete(n: number, size: number): SyncAction {
  return { kind: 'fetch-whole-then-delete', n, size };
}

/**
 * The plan with every action's ref reduced to (uid, ordinal): `mark-gone` and `forget` carry the whole UidRecord
 * as their ref, and the tables compare identities, not the record's other fields.
 */
export function normalized(p: Plan): Plan {
  return {
    ...p,
    actions: p.actions.map((a) => ('ref' in a ? { ...a, ref: { uid: a.ref.uid, ordinal: a.ref.ordinal } } : a)),
  };
}

/** The plan expected when the run goes ahead with no notice. */
export function ok(actions: readonly SyncAction[]): Plan {
  return { actions, notices: [], refused: false };
}

/**
 * Table rows as `[title, row]`, for `it.each(cases(rows))('%s', (_, row) => …)`: a `$name` placeholder would quote
 * long names and cut them at 40 characters.
 */
export function cases<T>(rows: readonly T[], title: (row: T) => string): Array<[string, T]> {
  return rows.map((row) => [title(row), row]);
}

export const byName = (row: { readonly name: string }): string => row.name;
