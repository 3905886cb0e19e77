/**
 * Three behaviours the planner's table tests questioned, decided and held here: a purged message follows
 * "leave for N days" like a kept one; an ambiguous C0041 unique-id is never deleted by ordinal; and a message
 * once downloaded as a copy stays on the server even when marked again.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../../app/sync/planner.ts';
import { DAY, KEEP_DAYS, NOW, del, input, listing, normalized, ok, policy, rec } from './planner-fixtures.ts';

describe('decided planner behaviour', () => {
  it.each(['whole', 'preview'] as const)('a purged %s past the N days is deleted on the server', (content) => {
    const record = rec('m', { content, deletion: 'purged', firstSeen: NOW - (KEEP_DAYS + 1) * DAY });
    expect(normalized(plan(input(listing([['m', 3_000]]), [record], policy('previews', 'days'))))).toEqual(
      ok([del(1, 'm', 'expired')]),
    );
  });

  it.each(['whole', 'preview'] as const)('a purged %s within the N days stays on the server', (content) => {
    const record = rec('m', { content, deletion: 'purged', firstSeen: NOW - (KEEP_DAYS - 1) * DAY });
    expect(normalized(plan(input(listing([['m', 3_000]]), [record], policy('previews', 'days'))))).toEqual(ok([]));
  });

  it('two known messages with one unique-id, one listed: no DELE while it is ambiguous which is left', () => {
    const state = [rec('x', { deletion: 'purged' }), rec('x#1', { content: 'preview' })];
    const result = normalized(plan(input(listing([['x', 3_000]]), state, policy('previews', 'until-deleted'))));
    expect(result.actions.filter((a) => a.kind === 'delete-on-server')).toEqual([]);
  });

  it('with both copies still listed, the purged one is deleted by its ordinal', () => {
    const state = [rec('x', { deletion: 'purged' }), rec('x#1', { content: 'preview' })];
    const result = normalized(plan(input(listing([['x', 3_000], ['x', 3_000]]), state, policy('previews', 'until-deleted'))));
    expect(result.actions.filter((a) => a.kind === 'delete-on-server')).toEqual([del(1, 'x', 'deleted-in-poplar')]);
  });

  it('a keepOnServer record marked to download again is not deleted under "leave nothing"', () => {
    const record = rec('m', { content: 'preview', keepOnServer: true, mark: 'download' });
    const result = normalized(plan(input(listing([['m', 3_000]]), [record], policy('previews', 'nothing'))));
    expect(result.actions.filter((a) => a.kind === 'delete-on-server')).toEqual([]);
  });
});
