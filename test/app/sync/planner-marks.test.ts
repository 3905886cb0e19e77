/**
 * What the user asked (marks, Delete), and the policies' edges: the "N days" clock, the whole-up-to threshold and a
 * server without TOP.
 */
import { describe, expect, it } from 'vitest';
import { plan, type Plan, type SyncAction } from '../../../app/sync/planner.ts';
import type { AccountPolicy, LeavePolicy } from '../../../app/sync/policy.ts';
import type { UidRecord } from '../../../app/sync/state.ts';
import {
  DAY,
  KEEP_DAYS,
  LINES,
  MAX_BYTES,
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
  type LeaveKind,
} from './planner-fixtures.ts';

const SIZE = 3_000;
const OLD = NOW - 30 * DAY;
const RECENT = NOW - DAY;

/** A row: name, leave policy, the one known message `m` (listed as n1), the expected actions. */
type Row = readonly [string, LeaveKind, UidRecord, readonly SyncAction[]];

/** The plan for `m` alone on the server, previews download policy. */
function planOne(leave: LeaveKind | LeavePolicy, record: UidRecord): Plan {
  return normalized(plan(input(listing([['m', SIZE]]), [record], policy('previews', leave))));
}

/** `m`, first seen 30 days ago (past the 14 days of the "days" policy), with these fields. */
const m = (fields: Partial<UidRecord> = {}) => rec('m', { firstSeen: OLD, ...fields });
/** The RETR a mark asks for: keepOnServer for "download a copy". */
const retr = (keepOnServer: boolean, firstSeen = OLD) => fetchWhole(1, 'm', SIZE, 'mark', keepOnServer, firstSeen);

describe('marks on a preview, with each leave policy', () => {
  const download = m({ mark: 'download' });
  const copy = m({ mark: 'download-copy' });
  const unmarked = m({ mark: 'none' });
  const rows: Row[] = [
    // Mark to download: fetched whole, then the server copy follows the policy, on the message's own clock.
    ['download / nothing', 'nothing', download, [retr(false), del(1, 'm', 'downloaded', true)]],
    ['download / forever', 'forever', download, [retr(false)]],
    ['download / days, expired', 'days', download, [retr(false), del(1, 'm', 'expired', true)]],
    ['download / days, not expired', 'days', m({ mark: 'download', firstSeen: RECENT }), [retr(false, RECENT)]],
    ['download / until-deleted', 'until-deleted', download, [retr(false)]],
    // Mark to download a copy: the server copy stays, whatever the policy.
    ['download-copy / nothing', 'nothing', copy, [retr(true)]],
    ['download-copy / forever', 'forever', copy, [retr(true)]],
    ['download-copy / days, expired', 'days', copy, [retr(true)]],
    ['download-copy / until-deleted', 'until-deleted', copy, [retr(true)]],
    // Unmarked: a preview stays a preview, and is never deleted on the server for a policy reason (No loss).
    ['unmarked / nothing', 'nothing', unmarked, []],
    ['unmarked / forever', 'forever', unmarked, []],
    ['unmarked / days, expired', 'days', unmarked, []],
    ['unmarked / until-deleted', 'until-deleted', unmarked, []],
  ];
  it.each(rows)('%s', (_, leave, record, expected) => {
    expect(planOne(leave, record)).toEqual(ok(expected));
  });

  it('a mark on a message already downloaded whole fetches nothing again (Exactly once)', () => {
    expect(planOne('forever', m({ content: 'whole', mark: 'download' }))).toEqual(ok([]));
  });

  it('a mark on a message deleted for good fetches nothing; the purge decides', () => {
    const record = m({ mark: 'download', deletion: 'purged' });
    expect(planOne('until-deleted', record)).toEqual(ok([del(1, 'm', 'deleted-in-poplar')]));
  });
});

describe('a completed "download a copy" (keepOnServer) is never deleted on the server', () => {
  const kept = (fields: Partial<UidRecord> = {}) => m({ content: 'whole', keepOnServer: true, ...fields });
  const rows: Row[] = [
    ['nothing', 'nothing', kept(), []],
    ['forever', 'forever', kept(), []],
    ['days, a year old', 'days', kept({ firstSeen: NOW - 365 * DAY }), []],
    ['until-deleted', 'until-deleted', kept(), []],
    ['until-deleted, trashed', 'until-deleted', kept({ deletion: 'trashed' }), []],
    ['until-deleted, purged', 'until-deleted', kept({ deletion: 'purged' }), []],
    ['nothing, purged', 'nothing', kept({ deletion: 'purged' }), []],
    ['nothing, marked to download again', 'nothing', kept({ mark: 'download' }), []],
  ];
  it.each(rows)('%s', (_, leave, record, expected) => {
    expect(planOne(leave, record)).toEqual(ok(expected));
  });
});

describe('Delete: trashed (in Deleted Items) and purged (deleted for good), with each leave policy', () => {
  const trashedPreview = m({ deletion: 'trashed' });
  const trashedWhole = m({ content: 'whole', deletion: 'trashed' });
  const purgedPreview = m({ deletion: 'purged' });
  const purgedWhole = m({ content: 'whole', deletion: 'purged' });
  const rows: Row[] = [
    // Trashed can still be restored: only the policy's own rules for a downloaded message apply.
    ['trashed preview / nothing', 'nothing', trashedPreview, []],
    ['trashed preview / forever', 'forever', trashedPreview, []],
    ['trashed preview / days, expired', 'days', trashedPreview, []],
    ['trashed preview / until-deleted', 'until-deleted', trashedPreview, []],
    ['trashed whole / nothing', 'nothing', trashedWhole, [del(1, 'm', 'downloaded')]],
    ['trashed whole / forever', 'forever', trashedWhole, []],
    ['trashed whole / days, expired', 'days', trashedWhole, [del(1, 'm', 'expired')]],
    ['trashed whole / days, not expired', 'days', m({ content: 'whole', deletion: 'trashed', firstSeen: RECENT }), []],
    ['trashed whole / until-deleted', 'until-deleted', trashedWhole, []],
    // Purged: the user's own deletion; the server copy goes with it when the policy lets it go.
    ['purged preview / nothing', 'nothing', purgedPreview, [del(1, 'm', 'deleted-in-poplar')]],
    ['purged preview / forever', 'forever', purgedPreview, []],
    ['purged preview / days, not expired', 'days', m({ deletion: 'purged', firstSeen: RECENT }), []],
    ['purged preview / until-deleted', 'until-deleted', purgedPreview, [del(1, 'm', 'deleted-in-poplar')]],
    ['purged whole / nothing', 'nothing', purgedWhole, [del(1, 'm', 'deleted-in-poplar')]],
    ['purged whole / forever', 'forever', purgedWhole, []],
    ['purged whole / days, not expired', 'days', m({ content: 'whole', deletion: 'purged', firstSeen: RECENT }), []],
    ['purged whole / until-deleted', 'until-deleted', purgedWhole, [del(1, 'm', 'deleted-in-poplar')]],
  ];
  it.each(rows)('%s', (_, leave, record, expected) => {
    expect(planOne(leave, record)).toEqual(ok(expected));
  });
});

describe(`"leave for ${KEEP_DAYS} days": before, exactly at and after the boundary`, () => {
  const boundary = NOW - KEEP_DAYS * DAY;
  const rows: Row[] = [
    ['downloaded, 1 ms before', 'days', m({ content: 'whole', firstSeen: boundary + 1 }), []],
    ['downloaded, exactly at', 'days', m({ content: 'whole', firstSeen: boundary }), [del(1, 'm', 'expired')]],
    ['downloaded, 1 ms after', 'days', m({ content: 'whole', firstSeen: boundary - 1 }), [del(1, 'm', 'expired')]],
    ['marked, 1 ms before', 'days', m({ mark: 'download', firstSeen: boundary + 1 }), [retr(false, boundary + 1)]],
    [
      'marked, exactly at',
      'days',
      m({ mark: 'download', firstSeen: boundary }),
      [retr(false, boundary), del(1, 'm', 'expired', true)],
    ],
    [
      'marked, 1 ms after',
      'days',
      m({ mark: 'download', firstSeen: boundary - 1 }),
      [retr(false, boundary - 1), del(1, 'm', 'expired', true)],
    ],
  ];
  it.each(rows)('%s', (_, leave, record, expected) => {
    expect(planOne(leave, record)).toEqual(ok(expected));
  });

  it('the clock is when Poplar first saw the message, not when it was downloaded', () => {
    // Downloaded whole in this very run, but first seen (as a preview) 30 days ago: it goes right after the RETR.
    const record = m({ mark: 'download' });
    expect(planOne({ kind: 'days', days: 30 }, record)).toEqual(ok([retr(false), del(1, 'm', 'expired', true)]));
  });

  it('zero days: a new message downloaded whole goes as soon as it is committed', () => {
    const result = plan(input(listing([['m', SIZE]]), [], policy('whole', { kind: 'days', days: 0 })));
    expect(normalized(result)).toEqual(ok([fetchWhole(1, 'm', SIZE), del(1, 'm', 'expired', true)]));
  });
});

describe(`whole up to ${MAX_BYTES} bytes, previews above`, () => {
  const server = listing([
    ['below', MAX_BYTES - 1],
    ['at', MAX_BYTES],
    ['above', MAX_BYTES + 1],
  ]);
  const planned = (p: AccountPolicy) => normalized(plan(input(server, [], p)));

  it('below and at the threshold: whole; above: a preview', () => {
    expect(planned(policy('whole-up-to', 'forever'))).toEqual(
      ok([
        fetchWhole(1, 'below', MAX_BYTES - 1),
        fetchWhole(2, 'at', MAX_BYTES),
        fetchPreview(3, 'above', MAX_BYTES + 1),
      ]),
    );
  });

  it('with "leave nothing", only the whole ones are deleted, each after its own RETR', () => {
    expect(planned(policy('whole-up-to', 'nothing'))).toEqual(
      ok([
        fetchWhole(1, 'below', MAX_BYTES - 1),
        fetchWhole(2, 'at', MAX_BYTES),
        fetchPreview(3, 'above', MAX_BYTES + 1),
        del(1, 'below', 'downloaded', true),
        del(2, 'at', 'downloaded', true),
      ]),
    );
  });

  it("the preview length is the policy's own", () => {
    const p = policy({ kind: 'whole-up-to', maxBytes: MAX_BYTES, lines: 7 }, 'forever');
    expect(planned(p)).toEqual(
      ok([
        fetchWhole(1, 'below', MAX_BYTES - 1),
        fetchWhole(2, 'at', MAX_BYTES),
        fetchPreview(3, 'above', MAX_BYTES + 1, 7),
      ]),
    );
  });
});

describe('a server without TOP: previews fall back to whole downloads, and the plan says so', () => {
  const server = listing(
    [
      ['a', 1_000],
      ['b', 50_000],
      ['c', 2_000],
    ],
    { top: false },
  );
  const planned = (p: AccountPolicy, state: UidRecord[] = [], firstSync = false) =>
    normalized(plan(input(server, state, p, { firstSync })));

  it('previews: every new message whole, notice with the count', () => {
    expect(planned(policy('previews', 'forever'))).toEqual({
      actions: [
        fetchWhole(1, 'a', 1_000, 'no-top'),
        fetchWhole(2, 'b', 50_000, 'no-top'),
        fetchWhole(3, 'c', 2_000, 'no-top'),
      ],
      notices: [{ kind: 'no-top', count: 3 }],
      refused: false,
    });
  });

  it('previews with "leave nothing": the fallback downloads are whole, so they go after their RETR', () => {
    expect(planned(policy('previews', 'nothing'))).toEqual({
      actions: [
        fetchWhole(1, 'a', 1_000, 'no-top'),
        fetchWhole(2, 'b', 50_000, 'no-top'),
        fetchWhole(3, 'c', 2_000, 'no-top'),
        del(1, 'a', 'downloaded', true),
        del(2, 'b', 'downloaded', true),
        del(3, 'c', 'downloaded', true),
      ],
      notices: [{ kind: 'no-top', count: 3 }],
      refused: false,
    });
  });

  it('whole-up-to: only the message above the threshold falls back', () => {
    expect(planned(policy('whole-up-to', 'forever'))).toEqual({
      actions: [fetchWhole(1, 'a', 1_000), fetchWhole(2, 'b', 50_000, 'no-top'), fetchWhole(3, 'c', 2_000)],
      notices: [{ kind: 'no-top', count: 1 }],
      refused: false,
    });
  });

  it('whole: TOP is not needed, no notice', () => {
    expect(planned(policy('whole', 'forever'))).toEqual(
      ok([fetchWhole(1, 'a', 1_000), fetchWhole(2, 'b', 50_000), fetchWhole(3, 'c', 2_000)]),
    );
  });

  it('known messages and "start from now" need no TOP: no fallback, no notice', () => {
    expect(planned(policy('previews', 'forever'), [rec('a'), rec('b'), rec('c')])).toEqual(ok([]));
    expect(planned(policy('previews', 'forever', 'start-from-now'), [], true)).toEqual(
      ok([adopt(1, 'a', 1_000), adopt(2, 'b', 50_000), adopt(3, 'c', 2_000)]),
    );
  });

  it(`with TOP the same listing gives ${LINES}-line previews`, () => {
    const withTop = { ...server, supportsTop: true };
    expect(normalized(plan(input(withTop, [], policy('previews', 'forever'))))).toEqual(
      ok([fetchPreview(1, 'a', 1_000), fetchPreview(2, 'b', 50_000), fetchPreview(3, 'c', 2_000)]),
    );
  });
});
