/**
 * Odd servers and server truth: no UIDL, two messages with one unique-id (C0041), messages removed by someone else
 * and back again, and a server migration that changes most unique-ids at once.
 */
import { describe, expect, it } from 'vitest';
import {
  detectMigration,
  matchMigration,
  plan,
  serverRefs,
  type ProbedHeader,
  type SyncAction,
} from '../../../app/sync/planner.ts';
import type { LeavePolicy } from '../../../app/sync/policy.ts';
import type { UidRecord } from '../../../app/sync/state.ts';
import {
  DOWNLOAD_KINDS,
  LEAVE_KINDS,
  adopt,
  byName,
  cases,
  del,
  fetchPreview,
  fetchThenDelete,
  fetchWhole,
  forget,
  input,
  listing,
  listingWithoutUidl,
  markBack,
  markGone,
  normalized,
  ok,
  policy,
  probe,
  rec,
  ref,
} from './planner-fixtures.ts';

describe('a server without UIDL', () => {
  const server = listingWithoutUidl([1_000, 2_000, 3_000]);
  const refused = (reason: RegExp) => ({
    actions: [],
    notices: [{ kind: 'uidl-required', reason: expect.stringMatching(reason) as unknown }],
    refused: true,
  });

  const needUidl = DOWNLOAD_KINDS.flatMap((download) =>
    LEAVE_KINDS.filter((leave) => !(download === 'whole' && leave === 'nothing')).map((leave) => ({ download, leave })),
  );
  const table = cases(needUidl, (r) => `${r.download} / ${r.leave} is refused with a clear status`);
  it.each(table)('%s', (_, { download, leave }) => {
    expect(plan(input(server, [], policy(download, leave), { firstSync: true }))).toEqual(
      refused(/does not support UIDL.*"download whole messages" with "leave nothing on the server"/),
    );
  });

  it('whole / nothing: each message fetched whole then deleted, in one session', () => {
    expect(plan(input(server, [], policy('whole', 'nothing'), { firstSync: true }))).toEqual(
      ok([fetchThenDelete(1, 1_000), fetchThenDelete(2, 2_000), fetchThenDelete(3, 3_000)]),
    );
  });

  it('whole / nothing, and no TOP either: TOP is not needed', () => {
    const noTop = listingWithoutUidl([500], { top: false });
    expect(plan(input(noTop, [], policy('whole', 'nothing')))).toEqual(ok([fetchThenDelete(1, 500)]));
  });

  it('whole / nothing / start-from-now is refused on a first sync: nothing can be adopted without unique-ids', () => {
    expect(plan(input(server, [], policy('whole', 'nothing', 'start-from-now'), { firstSync: true }))).toEqual(
      refused(/"start from now" cannot work/),
    );
  });

  it('whole / nothing / start-from-now on a later sync downloads and deletes as usual', () => {
    expect(plan(input(server, [], policy('whole', 'nothing', 'start-from-now'), { firstSync: false }))).toEqual(
      ok([fetchThenDelete(1, 1_000), fetchThenDelete(2, 2_000), fetchThenDelete(3, 3_000)]),
    );
  });

  it('an empty mailbox: nothing to do', () => {
    expect(plan(input(listingWithoutUidl([]), [], policy('whole', 'nothing')))).toEqual(ok([]));
  });
});

describe('C0041: two messages with one unique-id are both kept', () => {
  const server = listing([
    ['x', 1_000],
    ['y', 2_000],
    ['x', 3_000],
  ]);

  it('the k-th message with a unique-id has ordinal k, in listing order', () => {
    expect(serverRefs(server.uidl ?? [])).toEqual([
      { n: 1, ref: ref('x#0') },
      { n: 2, ref: ref('y#0') },
      { n: 3, ref: ref('x#1') },
    ]);
  });

  interface Row {
    readonly name: string;
    readonly state: UidRecord[];
    readonly leave: 'forever' | 'nothing';
    readonly download: 'previews' | 'whole';
    readonly expected: SyncAction[];
  }
  const rows: Row[] = [
    {
      name: 'first sync, previews: both fetched',
      state: [],
      download: 'previews',
      leave: 'forever',
      expected: [fetchPreview(1, 'x', 1_000), fetchPreview(2, 'y', 2_000), fetchPreview(3, 'x#1', 3_000)],
    },
    {
      name: 'first sync, whole / nothing: both fetched, both deleted after their RETR',
      state: [],
      download: 'whole',
      leave: 'nothing',
      expected: [
        fetchWhole(1, 'x', 1_000),
        fetchWhole(2, 'y', 2_000),
        fetchWhole(3, 'x#1', 3_000),
        del(1, 'x', 'downloaded', true),
        del(2, 'y', 'downloaded', true),
        del(3, 'x#1', 'downloaded', true),
      ],
    },
    {
      name: 'ordinal 0 known: only ordinal 1 is fetched',
      state: [rec('x'), rec('y')],
      download: 'previews',
      leave: 'forever',
      expected: [fetchPreview(3, 'x#1', 3_000)],
    },
    {
      name: 'both known: nothing fetched',
      state: [rec('x'), rec('x#1'), rec('y')],
      download: 'whole',
      leave: 'forever',
      expected: [],
    },
  ];
  it.each(cases(rows, byName))('%s', (_, { state, download, leave, expected }) => {
    expect(normalized(plan(input(server, state, policy(download, leave))))).toEqual(ok(expected));
  });

  it('one of the two gone from the server: the second ordinal is the one reported gone', () => {
    const one = listing([['x', 1_000]]);
    expect(normalized(plan(input(one, [rec('x'), rec('x#1')], policy())))).toEqual(ok([markGone('x#1')]));
  });
});

describe('messages removed from the server by someone else', () => {
  const server = listing([['still', 1_000]]);
  const still = rec('still');
  const rows: Array<readonly [string, UidRecord, SyncAction[]]> = [
    ['a preview is flagged gone', rec('v'), [markGone('v')]],
    ['a trashed preview is flagged gone', rec('v', { deletion: 'trashed' }), [markGone('v')]],
    ['a download is flagged gone, never forgotten', rec('v', { content: 'whole' }), [markGone('v')]],
    ['a trashed download is flagged gone', rec('v', { content: 'whole', deletion: 'trashed' }), [markGone('v')]],
    ['a kept copy is flagged gone', rec('v', { content: 'whole', keepOnServer: true }), [markGone('v')]],
    ['a preview marked to download is flagged gone', rec('v', { mark: 'download' }), [markGone('v')]],
    ['an adopted message is forgotten', rec('v', { content: 'none' }), [forget('v')]],
    ['a purged preview is forgotten', rec('v', { deletion: 'purged' }), [forget('v')]],
    ['a purged download is forgotten', rec('v', { content: 'whole', deletion: 'purged' }), [forget('v')]],
    ['a preview already flagged gone: nothing new', rec('v', { onServer: false }), []],
    ['a download already flagged gone: nothing new', rec('v', { content: 'whole', onServer: false }), []],
  ];
  // Each under every leave policy, with downloads whole: none of them may turn into a DELE.
  const table = LEAVE_KINDS.flatMap((leave) =>
    rows.map(([name, record, expected]) => [`${name}, leave ${leave}`, leave, record, expected] as const),
  );
  it.each(table)('%s', (_, leave, record, expected) => {
    expect(normalized(plan(input(server, [still, record], policy('whole', leave))))).toEqual(ok(expected));
  });

  it('several at once: each record on its own', () => {
    const state = [
      rec('p'),
      rec('w', { content: 'whole' }),
      rec('n', { content: 'none' }),
      rec('g', { onServer: false }),
    ];
    expect(normalized(plan(input(listing([]), state, policy())))).toEqual(
      ok([markGone('p'), markGone('w'), forget('n')]),
    );
  });
});

describe('a message listed again after it was reported gone', () => {
  const server = listing([['m', 2_000]]);
  const rows: Array<readonly [string, LeavePolicy['kind'], UidRecord, SyncAction[]]> = [
    ['a preview comes back', 'forever', rec('m', { onServer: false }), [markBack('m')]],
    [
      'a download comes back under "leave nothing": back, then deleted',
      'nothing',
      rec('m', { content: 'whole', onServer: false }),
      [markBack('m'), del(1, 'm', 'downloaded')],
    ],
    [
      'a marked preview comes back: back, then fetched',
      'forever',
      rec('m', { mark: 'download', onServer: false, firstSeen: 5 }),
      [markBack('m'), fetchWhole(1, 'm', 2_000, 'mark', false, 5)],
    ],
  ];
  it.each(rows)('%s', (_, leave, record, expected) => {
    expect(normalized(plan(input(server, [record], policy('previews', leave))))).toEqual(ok(expected));
  });
});

/** `count` known previews named `${prefix}0`, `${prefix}1`, … */
const known = (prefix: string, count: number, fields: Partial<UidRecord> = {}) =>
  Array.from({ length: count }, (_, i) => rec(`${prefix}${i}`, fields));
/** A listing of the given known records (those still there) followed by `appeared` new ones of 500 B. */
function migrated(still: readonly UidRecord[], appeared: number) {
  return listing([
    ...still.map((r) => [r.uid, 500] as const),
    ...Array.from({ length: appeared }, (_, i) => [`new${i}`, 500] as const),
  ]);
}

describe('server migration: most unique-ids change at once', () => {
  // [name, known previews on the server, how many of them vanished, how many new appeared, suspected]
  const rows: Array<readonly [string, number, number, number, boolean]> = [
    ['19 known, all vanished, 19 appeared: too small to tell', 19, 19, 19, false],
    ['20 known, all vanished, 20 appeared: suspected', 20, 20, 20, true],
    ['20 known, half vanished, half as many appeared: suspected', 20, 10, 5, true],
    ['20 known, just under half vanished: ordinary churn', 20, 9, 9, false],
    ['20 known, half vanished, too few appeared: ordinary churn', 20, 10, 4, false],
    ['40 known, all vanished, none appeared (emptied by another client): not a migration', 40, 40, 0, false],
  ];
  it.each(rows)('%s', (_, count, vanished, appeared, suspected) => {
    const state = known('old', count);
    const server = migrated(state.slice(vanished), appeared);
    const result = detectMigration(serverRefs(server.uidl ?? []), state);
    expect(result).toEqual(suspected ? { vanished, appeared } : undefined);
  });

  it('adopted messages and messages already gone do not count as known', () => {
    const state = [
      ...known('old', 17),
      ...known('adopted', 10, { content: 'none' }),
      ...known('gone', 10, { onServer: false }),
    ];
    expect(detectMigration(serverRefs(migrated([], 30).uidl ?? []), state)).toBeUndefined();
  });

  it('suspected: the new messages are probed, nothing fetched, nothing flagged gone, nothing deleted', () => {
    const state = [
      ...known('old', 18),
      rec('marked', { mark: 'download' }),
      rec('purged', { deletion: 'purged' }),
    ];
    // 'marked' and 'purged' are still listed; the 18 others changed their unique-ids.
    const server = listing([
      ['marked', 700],
      ['purged', 800],
      ['new0', 100],
      ['new1', 200],
      ['new2', 300],
      ['new3', 400],
      ['new4', 500],
      ['new5', 600],
      ['new6', 700],
      ['new7', 800],
      ['new8', 900],
    ]);
    expect(normalized(plan(input(server, state, policy('whole', 'nothing'))))).toEqual({
      actions: [
        probe(3, 'new0', 100),
        probe(4, 'new1', 200),
        probe(5, 'new2', 300),
        probe(6, 'new3', 400),
        probe(7, 'new4', 500),
        probe(8, 'new5', 600),
        probe(9, 'new6', 700),
        probe(10, 'new7', 800),
        probe(11, 'new8', 900),
      ],
      notices: [{ kind: 'migration-suspected', vanished: 18, appeared: 9 }],
      refused: false,
    });
  });

  it('confirmed by the user: the normal plan', () => {
    const state = known('old', 20);
    const server = listing([
      ['new0', 500],
      ['new1', 600],
      ['new2', 700],
      ['new3', 800],
      ['new4', 900],
      ['new5', 1_000],
      ['new6', 1_100],
      ['new7', 1_200],
      ['new8', 1_300],
      ['new9', 1_400],
    ]);
    const expected: SyncAction[] = [
      fetchPreview(1, 'new0', 500),
      fetchPreview(2, 'new1', 600),
      fetchPreview(3, 'new2', 700),
      fetchPreview(4, 'new3', 800),
      fetchPreview(5, 'new4', 900),
      fetchPreview(6, 'new5', 1_000),
      fetchPreview(7, 'new6', 1_100),
      fetchPreview(8, 'new7', 1_200),
      fetchPreview(9, 'new8', 1_300),
      fetchPreview(10, 'new9', 1_400),
      ...state.map((r) => markGone(r.uid)),
    ];
    expect(normalized(plan(input(server, state, policy(), { migrationConfirmed: true })))).toEqual(ok(expected));
    // The same input unconfirmed is a migration.
    expect(plan(input(server, state, policy())).notices).toEqual([
      { kind: 'migration-suspected', vanished: 20, appeared: 10 },
    ]);
  });

  it('a first sync with "start from now" is never a migration: nothing is known', () => {
    const p = policy('previews', 'forever', 'start-from-now');
    expect(normalized(plan(input(migrated([], 2), [], p, { firstSync: true })))).toEqual(
      ok([adopt(1, 'new0', 500), adopt(2, 'new1', 500)]),
    );
  });
});

describe('matchMigration: Message-ID and size', () => {
  const old = (name: string, messageId: string | undefined, size: number | undefined) =>
    rec(name, { content: 'whole', messageId, size });
  const probed = (n: number, name: string, messageId: string | undefined, size: number): ProbedHeader => ({
    n,
    ref: ref(name),
    size,
    messageId,
  });

  it('same Message-ID and size: rebound', () => {
    const from = old('o1', '<a@x>', 100);
    const to = probed(1, 'n1', '<a@x>', 100);
    expect(matchMigration([from], [to])).toEqual({ rebind: [{ from, to }], unmatched: [] });
  });

  it('same Message-ID, another size: not the same message', () => {
    const to = probed(1, 'n1', '<a@x>', 101);
    expect(matchMigration([old('o1', '<a@x>', 100)], [to])).toEqual({ rebind: [], unmatched: [to] });
  });

  it('one-to-one: one known message matches one new message, the other stays new', () => {
    const from = old('o1', '<a@x>', 100);
    const first = probed(1, 'n1', '<a@x>', 100);
    const second = probed(2, 'n2', '<a@x>', 100);
    expect(matchMigration([from], [first, second])).toEqual({ rebind: [{ from, to: first }], unmatched: [second] });
  });

  it('C0041: two copies of one message stay two', () => {
    const a = old('o1', '<a@x>', 100);
    const b = old('o1#1', '<a@x>', 100);
    const first = probed(1, 'n1', '<a@x>', 100);
    const second = probed(2, 'n2', '<a@x>', 100);
    expect(matchMigration([a, b], [first, second])).toEqual({
      rebind: [
        { from: a, to: first },
        { from: b, to: second },
      ],
      unmatched: [],
    });
  });

  it('a missing Message-ID (on either side) or a record without a size never matches', () => {
    const noIdNew = probed(1, 'n1', undefined, 100);
    const idNew = probed(2, 'n2', '<b@x>', 200);
    const noSizeNew = probed(3, 'n3', '<c@x>', 300);
    const vanished = [old('o1', undefined, 100), old('o2', undefined, 200), old('o3', '<c@x>', undefined)];
    expect(matchMigration(vanished, [noIdNew, idNew, noSizeNew])).toEqual({
      rebind: [],
      unmatched: [noIdNew, idNew, noSizeNew],
    });
  });

  it('several messages: each matched to its own', () => {
    const a = old('o1', '<a@x>', 100);
    const b = old('o2', '<b@x>', 200);
    const toB = probed(1, 'n1', '<b@x>', 200);
    const stranger = probed(2, 'n2', '<z@x>', 200);
    const toA = probed(3, 'n3', '<a@x>', 100);
    expect(matchMigration([a, b], [toB, stranger, toA])).toEqual({
      rebind: [
        { from: b, to: toB },
        { from: a, to: toA },
      ],
      unmatched: [stranger],
    });
  });
});
