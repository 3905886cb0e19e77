/**
 * The sync planner: a pure function from what the server lists, what Poplar knows, the account's policy and the
 * time, to a list of actions. No I/O and no clock: the executor in main/ carries the actions out, and the
 * invariants of a sync run (design.md) are decided here, where a table of cases can prove them.
 *
 * - No loss: `delete-on-server` only for a message whose whole content is stored (or will be, in this run:
 *   `afterFetch`), or that the user deleted for good.
 * - Exactly once: every server message is (uid, ordinal); a known one is never fetched again unless a mark asks
 *   for its whole content.
 * - Server truth: known messages missing from the listing are reported gone; downloaded ones stay untouched.
 */
import type { Uidl } from '../ids.ts';
import { daysToMs, type AccountPolicy } from './policy.ts';
import { refKey, type ServerMessageRef, type UidRecord } from './state.ts';

export interface ServerListing {
  /** UIDL; undefined when the server has no UIDL command. */
  readonly uidl: ReadonlyArray<{ readonly n: number; readonly uid: string }> | undefined;
  readonly list: ReadonlyArray<{ readonly n: number; readonly size: number }>;
  readonly supportsTop: boolean;
}

export interface PlanInput {
  readonly server: ServerListing;
  readonly state: readonly UidRecord[];
  readonly policy: AccountPolicy;
  readonly now: number;
  /** The account has never completed a sync: "start from now" applies. */
  readonly firstSync: boolean;
  /** The user confirmed going on after a suspected server migration (see `detectMigration`). */
  readonly migrationConfirmed?: boolean;
}

export type FetchReason =
  /** The account's download policy. */
  | 'policy'
  /** "Mark to download" or "Mark to download a copy". */
  | 'mark'
  /** A preview was due but the server has no TOP. */
  | 'no-top';

export type DeleteReason =
  /** Downloaded whole and the policy leaves nothing on the server. */
  | 'downloaded'
  /** Downloaded whole and kept for the policy's number of days. */
  | 'expired'
  /** The user deleted it for good in Poplar. */
  | 'deleted-in-poplar';

export type SyncAction =
  | { readonly kind: 'fetch-preview'; readonly n: number; readonly ref: ServerMessageRef; readonly size: number; readonly lines: number; readonly firstSeen: number }
  | {
      readonly kind: 'fetch-whole';
      readonly n: number;
      readonly ref: ServerMessageRef;
      readonly size: number;
      readonly reason: FetchReason;
      readonly keepOnServer: boolean;
      readonly firstSeen: number;
    }
  /** "Start from now": record as seen, download nothing. */
  | { readonly kind: 'adopt'; readonly n: number; readonly ref: ServerMessageRef; readonly size: number; readonly firstSeen: number }
  /**
   * DELE. With `afterFetch`, only once this run's `fetch-whole` of the same message is committed locally; the
   * executor drops it otherwise.
   */
  | { readonly kind: 'delete-on-server'; readonly n: number; readonly ref: ServerMessageRef; readonly reason: DeleteReason; readonly afterFetch: boolean }
  /** Known, but no longer on the server: its preview is flagged; a downloaded message is untouched. */
  | { readonly kind: 'mark-gone'; readonly ref: ServerMessageRef }
  /** Listed again after it was reported gone. */
  | { readonly kind: 'mark-back'; readonly ref: ServerMessageRef }
  /** State no longer needed: gone from the server, and nothing local depends on it. */
  | { readonly kind: 'forget'; readonly ref: ServerMessageRef }
  /** A server without UIDL: only download-and-delete is possible, each message once, in one session. */
  | { readonly kind: 'fetch-whole-then-delete'; readonly n: number; readonly size: number }
  /** A suspected server migration: read the headers of the new messages to match them to known ones. */
  | { readonly kind: 'probe-headers'; readonly n: number; readonly ref: ServerMessageRef; readonly size: number };

export type PlanNotice =
  | { readonly kind: 'no-top'; readonly count: number }
  | { readonly kind: 'migration-suspected'; readonly vanished: number; readonly appeared: number }
  | { readonly kind: 'uidl-required'; readonly reason: string };

export interface Plan {
  readonly actions: readonly SyncAction[];
  readonly notices: readonly PlanNotice[];
  /** When set, the run must not proceed: the account's policy cannot work with this server. */
  readonly refused: boolean;
}

/** Gives each listed message its identity: the k-th message with a unique-id has ordinal k (C0041). */
export function serverRefs(
  uidl: ReadonlyArray<{ readonly n: number; readonly uid: string }>,
): Array<{ n: number; ref: ServerMessageRef }> {
  const seen = new Map<string, number>();
  return uidl.map(({ n, uid }) => {
    const ordinal = seen.get(uid) ?? 0;
    seen.set(uid, ordinal + 1);
    return { n, ref: { uid: uid as Uidl, ordinal } };
  });
}

export function plan(input: PlanInput): Plan {
  const { server, policy } = input;
  const sizes = new Map(server.list.map((l) => [l.n, l.size]));
  if (server.uidl === undefined) return planWithoutUidl(input, sizes);

  const listed = serverRefs(server.uidl);
  const known = new Map(input.state.map((r) => [refKey(r), r]));
  const migration = detectMigration(listed, input.state);
  const actions: SyncAction[] = [];
  const notices: PlanNotice[] = [];
  if (migration !== undefined && input.migrationConfirmed !== true) {
    // Do not re-download a mailbox whose unique-ids all changed: read the new messages' headers to match them
    // by Message-ID and size first (matchMigration), and let the user decide about the rest.
    notices.push({ kind: 'migration-suspected', ...migration });
    for (const { n, ref } of listed) {
      if (!known.has(refKey(ref))) actions.push({ kind: 'probe-headers', n, ref, size: sizes.get(n) ?? 0 });
    }
    return { actions, notices, refused: false };
  }

  const fetched = new Set<string>();
  let noTop = 0;
  const onServer = new Set<string>();
  const deletes: SyncAction[] = [];
  for (const { n, ref } of listed) {
    const key = refKey(ref);
    onServer.add(key);
    const size = sizes.get(n) ?? 0;
    const record = known.get(key);
    if (record === undefined) {
      const action = newMessageAction(input, n, ref, size);
      if (action.kind === 'fetch-whole' && action.reason === 'no-top') noTop++;
      if (action.kind === 'fetch-whole') fetched.add(key);
      actions.push(action);
      const del = deleteAfterFetch(policy, n, ref, input.now, input.now, action);
      if (del !== undefined) deletes.push(del);
      continue;
    }
    if (!record.onServer) actions.push({ kind: 'mark-back', ref });
    if (record.mark !== 'none' && record.content !== 'whole' && record.deletion !== 'purged') {
      const keepOnServer = record.mark === 'download-copy' || record.keepOnServer;
      const action: SyncAction = { kind: 'fetch-whole', n, ref, size, reason: 'mark', keepOnServer, firstSeen: record.firstSeen };
      actions.push(action);
      fetched.add(key);
      const del = deleteAfterFetch(policy, n, ref, record.firstSeen, input.now, action);
      if (del !== undefined) deletes.push(del);
      continue;
    }
    const reason = deleteReason(policy, record, input.now);
    if (reason !== undefined) deletes.push({ kind: 'delete-on-server', n, ref, reason, afterFetch: false });
  }
  // C0041 and no loss: when fewer copies of a unique-id are listed than Poplar knew, which copy is left cannot be
  // told, and a DELE by ordinal could remove one the user holds only as a preview. No DELE for such a uid.
  const ambiguous = ambiguousUids(listed, input.state);
  for (const record of input.state) {
    const key = refKey(record);
    if (onServer.has(key)) continue;
    // Gone from the server. Keep what the user can see; forget what nothing local needs any more.
    const ref = { uid: record.uid, ordinal: record.ordinal };
    if (record.content === 'none' || record.deletion === 'purged') actions.push({ kind: 'forget', ref });
    else if (record.onServer) actions.push({ kind: 'mark-gone', ref });
  }
  if (noTop > 0) notices.push({ kind: 'no-top', count: noTop });
  const safeDeletes = ambiguous.size === 0 ? deletes : deletes.filter((d) => !('ref' in d) || !ambiguous.has(d.ref.uid));
  return { actions: [...actions, ...safeDeletes], notices, refused: false };
}

/** Unique-ids of which Poplar knew more copies on the server than are listed now. */
function ambiguousUids(listed: ReadonlyArray<{ ref: ServerMessageRef }>, state: readonly UidRecord[]): Set<string> {
  const listedCount = new Map<string, number>();
  for (const { ref } of listed) listedCount.set(ref.uid, (listedCount.get(ref.uid) ?? 0) + 1);
  const out = new Set<string>();
  for (const r of state) {
    const count = listedCount.get(r.uid);
    if (count !== undefined && r.ordinal >= count) out.add(r.uid);
  }
  return out;
}

function newMessageAction(input: PlanInput, n: number, ref: ServerMessageRef, size: number): SyncAction {
  const { policy, server, now } = input;
  if (input.firstSync && policy.newAccount === 'start-from-now') return { kind: 'adopt', n, ref, size, firstSeen: now };
  const download = policy.download;
  let lines: number | undefined;
  switch (download.kind) {
    case 'previews':
      lines = download.lines;
      break;
    case 'whole':
      lines = undefined;
      break;
    case 'whole-up-to':
      lines = size <= download.maxBytes ? undefined : download.lines;
      break;
  }
  if (lines === undefined) {
    return { kind: 'fetch-whole', n, ref, size, reason: 'policy', keepOnServer: false, firstSeen: now };
  }
  if (!server.supportsTop) {
    return { kind: 'fetch-whole', n, ref, size, reason: 'no-top', keepOnServer: false, firstSeen: now };
  }
  return { kind: 'fetch-preview', n, ref, size, lines, firstSeen: now };
}

/** Whether a message downloaded whole in this very run goes from the server once it is committed. */
function deleteAfterFetch(
  policy: AccountPolicy,
  n: number,
  ref: ServerMessageRef,
  firstSeen: number,
  now: number,
  action: SyncAction,
): SyncAction | undefined {
  if (action.kind !== 'fetch-whole' || action.keepOnServer) return undefined;
  const reason = policyDeleteReason(policy, firstSeen, now);
  return reason === undefined ? undefined : { kind: 'delete-on-server', n, ref, reason, afterFetch: true };
}

/** Why a known message on the server should be deleted there now, if it should. */
function deleteReason(policy: AccountPolicy, record: UidRecord, now: number): DeleteReason | undefined {
  // "Download a copy": the server copy stays whatever the policy says.
  if (record.keepOnServer) return undefined;
  if (record.deletion === 'purged') {
    switch (policy.leave.kind) {
      case 'nothing':
      case 'until-deleted':
        return 'deleted-in-poplar';
      case 'days':
        // Deleted in Poplar, and the policy lets the server copy go after N days: it goes then, as a kept one would.
        return policyDeleteReason(policy, record.firstSeen, now);
      case 'forever':
        return undefined;
    }
  }
  // No loss: only a message whose whole content is stored locally goes for policy reasons.
  if (record.content !== 'whole') return undefined;
  return policyDeleteReason(policy, record.firstSeen, now);
}

function policyDeleteReason(policy: AccountPolicy, firstSeen: number, now: number): DeleteReason | undefined {
  switch (policy.leave.kind) {
    case 'nothing':
      return 'downloaded';
    case 'days':
      return now - firstSeen >= daysToMs(policy.leave.days) ? 'expired' : undefined;
    case 'forever':
    case 'until-deleted':
      return undefined;
  }
}

function planWithoutUidl(input: PlanInput, sizes: ReadonlyMap<number, number>): Plan {
  const { policy } = input;
  // Without unique-ids, nothing can be recognised from one session to the next: only "download whole, then
  // delete" is safe. Every other policy would fetch the same messages again and again.
  if (policy.leave.kind !== 'nothing' || policy.download.kind !== 'whole') {
    return {
      actions: [],
      notices: [
        {
          kind: 'uidl-required',
          reason:
            'This server does not support UIDL, so Poplar cannot tell which messages it has seen. Only ' +
            '"download whole messages" with "leave nothing on the server" works with it.',
        },
      ],
      refused: true,
    };
  }
  if (input.firstSync && policy.newAccount === 'start-from-now') {
    // Nothing can be adopted without unique-ids: starting from now would mean never downloading these.
    return {
      actions: [],
      notices: [{ kind: 'uidl-required', reason: 'This server does not support UIDL, so "start from now" cannot work.' }],
      refused: true,
    };
  }
  const actions: SyncAction[] = input.server.list.map(({ n }) => ({
    kind: 'fetch-whole-then-delete',
    n,
    size: sizes.get(n) ?? 0,
  }));
  return { actions, notices: [], refused: false };
}

/** Below this many known messages, a mailbox is too small to tell a migration from ordinary churn. */
const MIGRATION_MIN_KNOWN = 20;

/**
 * A server migration changes most unique-ids at once: most known messages vanish while about as many new ones
 * appear. Ordinary use (a few new, a few deleted elsewhere) never looks like that.
 */
export function detectMigration(
  listed: ReadonlyArray<{ ref: ServerMessageRef }>,
  state: readonly UidRecord[],
): { vanished: number; appeared: number } | undefined {
  const listedKeys = new Set(listed.map((l) => refKey(l.ref)));
  const knownOnServer = state.filter((r) => r.onServer && r.content !== 'none');
  if (knownOnServer.length < MIGRATION_MIN_KNOWN) return undefined;
  const knownKeys = new Set(state.map(refKey));
  const vanished = knownOnServer.filter((r) => !listedKeys.has(refKey(r))).length;
  const appeared = listed.filter((l) => !knownKeys.has(refKey(l.ref))).length;
  if (vanished * 2 >= knownOnServer.length && appeared * 2 >= vanished) return { vanished, appeared };
  return undefined;
}

export interface ProbedHeader {
  readonly n: number;
  readonly ref: ServerMessageRef;
  readonly size: number;
  readonly messageId: string | undefined;
}

/**
 * After a migration, a new server message is the same as a vanished known one when Message-ID and size agree;
 * each known message is matched at most once, so two copies of one message stay two (C0041).
 */
export function matchMigration(
  vanished: readonly UidRecord[],
  probed: readonly ProbedHeader[],
): { rebind: Array<{ from: UidRecord; to: ProbedHeader }>; unmatched: ProbedHeader[] } {
  const pool = new Map<string, UidRecord[]>();
  for (const r of vanished) {
    if (r.messageId === undefined || r.size === undefined) continue;
    const k = `${r.messageId}\u0000${r.size}`;
    const list = pool.get(k);
    if (list === undefined) pool.set(k, [r]);
    else list.push(r);
  }
  const rebind: Array<{ from: UidRecord; to: ProbedHeader }> = [];
  const unmatched: ProbedHeader[] = [];
  for (const p of probed) {
    const candidates = p.messageId === undefined ? undefined : pool.get(`${p.messageId}\u0000${p.size}`);
    const from = candidates?.shift();
    if (from === undefined) unmatched.push(p);
    else rebind.push({ from, to: p });
  }
  return { rebind, unmatched };
}
