/**
 * The sync invariants of design.md, stated directly over random inputs: listings with repeated unique-ids (C0041),
 * random states, policies and clocks. Each property names the invariant it proves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan, serverRefs, type Plan, type PlanInput, type SyncAction } from '../../../app/sync/planner.ts';
import type { AccountPolicy, DownloadPolicy, LeavePolicy } from '../../../app/sync/policy.ts';
import { refKey, type ServerMessageRef, type UidRecord } from '../../../app/sync/state.ts';
import { DAY, listing, listingWithoutUidl, policy, rec } from './planner-fixtures.ts';

const RUNS = { numRuns: 300 };

const downloadArb: fc.Arbitrary<DownloadPolicy> = fc.oneof(
  fc.record({ kind: fc.constant('previews' as const), lines: fc.integer({ min: 0, max: 50 }) }),
  fc.constant({ kind: 'whole' as const }),
  fc.record({
    kind: fc.constant('whole-up-to' as const),
    maxBytes: fc.integer({ min: 0, max: 60_000 }),
    lines: fc.integer({ min: 0, max: 50 }),
  }),
);
const leaveArb: fc.Arbitrary<LeavePolicy> = fc.oneof(
  fc.constant({ kind: 'nothing' as const }),
  fc.constant({ kind: 'forever' as const }),
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 0, max: 30 }) }),
  fc.constant({ kind: 'until-deleted' as const }),
);
const policyArb: fc.Arbitrary<AccountPolicy> = fc
  .tuple(downloadArb, leaveArb, fc.constantFrom('fetch-all' as const, 'start-from-now' as const))
  .map(([download, leave, newAccount]) => policy(download, leave, newAccount));

/**
 * A record in a state the store can reach: `keepOnServer` is set only once a "download a copy" completed, so it
 * comes with whole content. A `settled` record is on the server with a preview or content, ordinal 0: the kind of
 * mailbox a migration changes.
 */
function recordArb(uids: readonly string[], now: number, settled = false): fc.Arbitrary<UidRecord> {
  return fc
    .record({
      uid: fc.constantFrom(...uids),
      ordinal: settled ? fc.constant(0) : fc.integer({ min: 0, max: 2 }),
      // Up to 60 days old, or slightly in the future (the clock went back).
      age: fc.integer({ min: -2 * DAY, max: 60 * DAY }),
      onServer: settled ? fc.constant(true) : fc.boolean(),
      content: settled
        ? fc.constantFrom('preview' as const, 'whole' as const)
        : fc.constantFrom('none' as const, 'preview' as const, 'whole' as const),
      mark: fc.constantFrom('none' as const, 'download' as const, 'download-copy' as const),
      keepOnServer: fc.boolean(),
      deletion: fc.constantFrom('none' as const, 'trashed' as const, 'purged' as const),
    })
    .map(({ uid, ordinal, age, keepOnServer, content, ...fields }) =>
      rec(`${uid}#${ordinal}`, {
        ...fields,
        content,
        keepOnServer: keepOnServer && content === 'whole',
        firstSeen: now - age,
      }),
    );
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const nowArb = fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 });
const sizeArb = fc.integer({ min: 0, max: 100_000 });
const rest = {
  policy: policyArb,
  firstSync: fc.boolean(),
  migrationConfirmed: fc.option(fc.boolean(), { nil: undefined }),
};

/**
 * A sync over a pool of unique-ids, some known, some new. A small pool repeats unique-ids in the listing (C0041)
 * and in the state (ordinals 0 to 2).
 */
function inputArb(knownUids: readonly string[], newUids: readonly string[], maxState: number): fc.Arbitrary<PlanInput> {
  const messages = fc.array(fc.tuple(fc.constantFrom(...knownUids, ...newUids), sizeArb), { maxLength: maxState + 5 });
  return nowArb.chain((now) =>
    fc.record({
      server: fc.tuple(messages, fc.boolean()).map(([m, top]) => listing(m, { top })),
      state: fc.uniqueArray(recordArb(knownUids, now), { selector: refKey, maxLength: maxState }),
      now: fc.constant(now),
      ...rest,
    }),
  );
}

/** Around the migration thresholds: 18 to 30 settled messages, some still listed, some new ones. */
const migrationArb: fc.Arbitrary<PlanInput> = nowArb.chain((now) =>
  fc
    .uniqueArray(recordArb(names('k', 30), now, true), { selector: refKey, minLength: 18, maxLength: 30 })
    .chain((state) => {
      const uids = state.map((r) => r.uid);
      const newUid = fc.constantFrom(...names('n', 30));
      // Half the time at most half of the known ones are still listed, and at least a few new ones appeared.
      const still = fc.oneof(fc.subarray(uids), fc.subarray(uids, { maxLength: Math.ceil(uids.length / 2) }));
      const appeared = fc.oneof(
        fc.uniqueArray(newUid, { maxLength: 30 }),
        fc.uniqueArray(newUid, { minLength: 8, maxLength: 30 }),
      );
      return fc.record({
        server: fc
          .tuple(still, appeared, fc.boolean())
          .map(([s, a, top]) => listing([...s, ...a].map((uid, i) => [uid, 1_000 + i] as const), { top })),
        state: fc.constant(state),
        now: fc.constant(now),
        ...rest,
      });
    }),
);

const anyInput = fc.oneof(
  inputArb(['a', 'b', 'c'], ['d', 'e'], 8),
  inputArb(names('k', 30), names('n', 20), 30),
  migrationArb,
);

const FETCHES = new Set<SyncAction['kind']>(['fetch-preview', 'fetch-whole']);
const NEW_MESSAGE_ACTIONS = new Set<SyncAction['kind']>(['fetch-preview', 'fetch-whole', 'adopt', 'probe-headers']);

type RefAction = Extract<SyncAction, { ref: ServerMessageRef }>;
const hasRef = (a: SyncAction): a is RefAction => 'ref' in a;
const key = (a: RefAction) => refKey(a.ref);

/** What a property looks at: the plan, the listing's identities and the state by identity. */
function run(input: PlanInput) {
  const result = plan(input);
  const listed = new Map(serverRefs(input.server.uidl ?? []).map(({ n, ref }) => [refKey(ref), n]));
  const known = new Map(input.state.map((r) => [refKey(r), r]));
  const suspected = result.notices.some((n) => n.kind === 'migration-suspected');
  return { result, listed, known, suspected, actions: result.actions.filter(hasRef) };
}

describe('planner invariants over random inputs', () => {
  it('No loss: DELE only for content stored whole (before or in this run) or a purge, never for a kept copy', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { actions, known, listed } = run(input);
        for (const d of actions) {
          if (d.kind !== 'delete-on-server') continue;
          const record = known.get(key(d));
          // The message number is the one this listing gives the message.
          expect(listed.get(key(d))).toBe(d.n);
          expect(record?.keepOnServer ?? false).toBe(false);
          // "Mark to download a copy" being carried out in this run: the server copy stays too.
          const copying = record?.mark === 'download-copy' && record.content !== 'whole';
          expect(copying && record.deletion !== 'purged').toBe(false);
          if (d.afterFetch) {
            // The executor sends this DELE only once this run's RETR of the same message is committed.
            const paired = actions.filter(
              (f) => f.kind === 'fetch-whole' && key(f) === key(d) && f.n === d.n && !f.keepOnServer,
            );
            expect(paired).toHaveLength(1);
          } else {
            expect(record?.content === 'whole' || record?.deletion === 'purged').toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('Exactly once: nothing fetched twice, nothing stored whole fetched again, no preview of a known message', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { actions, known } = run(input);
        const fetches = actions.filter((a) => FETCHES.has(a.kind));
        expect(new Set(fetches.map(key)).size).toBe(fetches.length);
        for (const f of fetches) {
          const record = known.get(key(f));
          if (record === undefined) continue;
          expect(record.content).not.toBe('whole');
          expect(f.kind).not.toBe('fetch-preview');
          // A known message is fetched again only because the user marked it.
          expect(f.kind === 'fetch-whole' && f.reason === 'mark' && record.mark !== 'none').toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('every listed unknown message gets exactly one of fetch-preview, fetch-whole, adopt, probe-headers', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { actions, known, listed } = run(input);
        for (const [k, n] of listed) {
          const forIt = actions.filter((a) => NEW_MESSAGE_ACTIONS.has(a.kind) && key(a) === k);
          if (known.has(k)) {
            expect(forIt.filter((a) => a.kind === 'adopt' || a.kind === 'probe-headers')).toEqual([]);
          } else {
            expect(forIt.map((a) => ('n' in a ? a.n : undefined))).toEqual([n]);
          }
        }
      }),
      RUNS,
    );
  });

  it('Server truth: a known message missing from the listing is flagged gone or forgotten, never deleted', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { actions, known, listed, suspected } = run(input);
        for (const [k, record] of known) {
          const forIt = actions.filter((a) => key(a) === k).map((a) => a.kind);
          if (listed.has(k)) {
            expect(forIt).not.toContain('mark-gone');
            expect(forIt).not.toContain('forget');
            expect(forIt.includes('mark-back')).toBe(!record.onServer && !suspected);
            continue;
          }
          // A suspected migration decides nothing about vanished messages until the user has.
          if (suspected) {
            expect(forIt).toEqual([]);
            continue;
          }
          const visible = record.content !== 'none' && record.deletion !== 'purged';
          // Never forget a message the user can see.
          if (!visible) expect(forIt).toEqual(['forget']);
          else if (record.onServer) expect(forIt).toEqual(['mark-gone']);
          else expect(forIt).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('every DELE comes after every fetch in the action list', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const kinds = plan(input).actions.map((a) => a.kind);
        const lastFetch = Math.max(-1, ...kinds.flatMap((k, i) => (FETCHES.has(k) ? [i] : [])));
        const firstDelete = kinds.indexOf('delete-on-server');
        if (firstDelete >= 0) expect(firstDelete).toBeGreaterThan(lastFetch);
      }),
      RUNS,
    );
  });

  it('a suspected migration only probes the new messages', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { result, known, listed, suspected } = run(input);
        if (!suspected) return;
        expect(input.migrationConfirmed).not.toBe(true);
        const unknown = [...listed].filter(([k]) => !known.has(k)).map(([, n]) => n);
        expect(result.actions.map((a) => [a.kind, 'n' in a ? a.n : undefined])).toEqual(
          unknown.map((n) => ['probe-headers', n]),
        );
      }),
      RUNS,
    );
  });

  it('without UIDL: refused unless whole / nothing (not start from now on a first sync); else each once', () => {
    const noUidl = fc
      .record({
        sizes: fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 10 }),
        top: fc.boolean(),
        policy: policyArb,
        firstSync: fc.boolean(),
      })
      .map(({ sizes, top, policy: p, firstSync }): PlanInput => ({
        server: listingWithoutUidl(sizes, { top }),
        state: [],
        policy: p,
        now: 1_700_000_000_000,
        firstSync,
      }));
    fc.assert(
      fc.property(noUidl, (input) => {
        const result: Plan = plan(input);
        const possible =
          input.policy.download.kind === 'whole' &&
          input.policy.leave.kind === 'nothing' &&
          !(input.firstSync && input.policy.newAccount === 'start-from-now');
        if (!possible) {
          expect(result.refused).toBe(true);
          expect(result.actions).toEqual([]);
          expect(result.notices.map((n) => n.kind)).toEqual(['uidl-required']);
          return;
        }
        expect(result.refused).toBe(false);
        const each = input.server.list.map(({ n, size }) => ({ kind: 'fetch-whole-then-delete', n, size }));
        expect(result.actions).toEqual(each);
      }),
      RUNS,
    );
  });

  it('pure: the input is not changed, and the same input gives the same plan', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        // ES modules are strict: writing to a frozen input throws.
        const frozen = deepFreeze(structuredClone(input));
        expect(plan(frozen)).toEqual(plan(structuredClone(input)));
      }),
      { numRuns: 100 },
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
