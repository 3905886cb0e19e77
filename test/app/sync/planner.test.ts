/**
 * The policy matrix: every download policy × leave policy × new-account policy, for a first sync and for a later
 * one. The expected plans are written out per combination; the `Record` types make the compiler refuse a table
 * that misses one.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../../app/sync/planner.ts';
import type { NewAccountPolicy } from '../../../app/sync/policy.ts';
import type { SyncAction } from '../../../app/sync/planner.ts';
import {
  DAY,
  DOWNLOAD_KINDS,
  LEAVE_KINDS,
  NEW_ACCOUNT_KINDS,
  NOW,
  adopt,
  del,
  fetchPreview,
  fetchWhole,
  input,
  listing,
  normalized,
  ok,
  policy,
  rec,
  type DownloadKind,
  type LeaveKind,
} from './planner-fixtures.ts';

type Combo = `${DownloadKind} / ${LeaveKind} / ${NewAccountPolicy}`;
type PolicyPair = `${DownloadKind} / ${LeaveKind}`;

const SMALL = 1_000;
const LARGE = 50_000;

/** Every combination as a `[name, row]` for `it.each`, its expected actions looked up in an explicit table. */
function rows<K extends string>(
  key: (d: DownloadKind, l: LeaveKind, a: NewAccountPolicy) => K,
  expected: Record<K, readonly SyncAction[]>,
) {
  return DOWNLOAD_KINDS.flatMap((download) =>
    LEAVE_KINDS.flatMap((leave) =>
      NEW_ACCOUNT_KINDS.map(
        (newAccount) =>
          [
            `${download} / ${leave} / ${newAccount}`,
            { download, leave, newAccount, expected: expected[key(download, leave, newAccount)] },
          ] as const,
      ),
    ),
  );
}

describe('first sync: an empty state, a small (1 000 B) and a large (50 000 B) message on the server', () => {
  const server = listing([
    ['a', SMALL],
    ['b', LARGE],
  ]);
  const adoptBoth = [adopt(1, 'a', SMALL), adopt(2, 'b', LARGE)];
  const previewBoth = [fetchPreview(1, 'a', SMALL), fetchPreview(2, 'b', LARGE)];
  const wholeBoth = [fetchWhole(1, 'a', SMALL), fetchWhole(2, 'b', LARGE)];
  const smallWholeLargePreview = [fetchWhole(1, 'a', SMALL), fetchPreview(2, 'b', LARGE)];

  const EXPECTED: Record<Combo, readonly SyncAction[]> = {
    // Previews are never deleted on the server: nothing local holds their content (No loss).
    'previews / nothing / fetch-all': previewBoth,
    'previews / forever / fetch-all': previewBoth,
    'previews / days / fetch-all': previewBoth,
    'previews / until-deleted / fetch-all': previewBoth,
    // Downloaded whole and nothing is left on the server: each DELE waits for its own RETR to be committed.
    'whole / nothing / fetch-all': [...wholeBoth, del(1, 'a', 'downloaded', true), del(2, 'b', 'downloaded', true)],
    'whole / forever / fetch-all': wholeBoth,
    // First seen now: 0 of 14 days have passed.
    'whole / days / fetch-all': wholeBoth,
    'whole / until-deleted / fetch-all': wholeBoth,
    'whole-up-to / nothing / fetch-all': [...smallWholeLargePreview, del(1, 'a', 'downloaded', true)],
    'whole-up-to / forever / fetch-all': smallWholeLargePreview,
    'whole-up-to / days / fetch-all': smallWholeLargePreview,
    'whole-up-to / until-deleted / fetch-all': smallWholeLargePreview,
    // "Start from now": what is already there is seen, nothing is downloaded, so nothing may be deleted.
    'previews / nothing / start-from-now': adoptBoth,
    'previews / forever / start-from-now': adoptBoth,
    'previews / days / start-from-now': adoptBoth,
    'previews / until-deleted / start-from-now': adoptBoth,
    'whole / nothing / start-from-now': adoptBoth,
    'whole / forever / start-from-now': adoptBoth,
    'whole / days / start-from-now': adoptBoth,
    'whole / until-deleted / start-from-now': adoptBoth,
    'whole-up-to / nothing / start-from-now': adoptBoth,
    'whole-up-to / forever / start-from-now': adoptBoth,
    'whole-up-to / days / start-from-now': adoptBoth,
    'whole-up-to / until-deleted / start-from-now': adoptBoth,
  };

  const table = rows<Combo>((d, l, a) => `${d} / ${l} / ${a}`, EXPECTED);
  it.each(table)('%s', (_, { download, leave, newAccount, expected }) => {
    const result = plan(input(server, [], policy(download, leave, newAccount), { firstSync: true }));
    expect(normalized(result)).toEqual(ok(expected));
  });
});

describe('later sync: two known downloads, one known preview, and the same two new messages', () => {
  // n1: downloaded 30 days ago; n2: downloaded yesterday; n3: a preview from 30 days ago; n4, n5: new.
  const server = listing([
    ['old-whole', 4_000],
    ['new-whole', 4_000],
    ['old-preview', 4_000],
    ['a', SMALL],
    ['b', LARGE],
  ]);
  const state = [
    rec('old-whole', { content: 'whole', firstSeen: NOW - 30 * DAY }),
    rec('new-whole', { content: 'whole', firstSeen: NOW - DAY }),
    rec('old-preview', { content: 'preview', firstSeen: NOW - 30 * DAY }),
  ];
  const previews = [fetchPreview(4, 'a', SMALL), fetchPreview(5, 'b', LARGE)];
  const wholes = [fetchWhole(4, 'a', SMALL), fetchWhole(5, 'b', LARGE)];
  const upTo = [fetchWhole(4, 'a', SMALL), fetchPreview(5, 'b', LARGE)];
  const knownDownloadsGo = [del(1, 'old-whole', 'downloaded'), del(2, 'new-whole', 'downloaded')];
  const oldDownloadExpires = [del(1, 'old-whole', 'expired')];

  // The new-account policy only applies to a first sync: both values share one row.
  const EXPECTED: Record<PolicyPair, readonly SyncAction[]> = {
    'previews / nothing': [...previews, ...knownDownloadsGo],
    'previews / forever': previews,
    'previews / days': [...previews, ...oldDownloadExpires],
    'previews / until-deleted': previews,
    'whole / nothing': [
      ...wholes,
      ...knownDownloadsGo,
      del(4, 'a', 'downloaded', true),
      del(5, 'b', 'downloaded', true),
    ],
    'whole / forever': wholes,
    'whole / days': [...wholes, ...oldDownloadExpires],
    'whole / until-deleted': wholes,
    'whole-up-to / nothing': [...upTo, ...knownDownloadsGo, del(4, 'a', 'downloaded', true)],
    'whole-up-to / forever': upTo,
    'whole-up-to / days': [...upTo, ...oldDownloadExpires],
    'whole-up-to / until-deleted': upTo,
  };

  const table = rows<PolicyPair>((d, l) => `${d} / ${l}`, EXPECTED);
  it.each(table)('%s', (_, { download, leave, newAccount, expected }) => {
    const result = plan(input(server, state, policy(download, leave, newAccount), { firstSync: false }));
    expect(normalized(result)).toEqual(ok(expected));
  });
});
