import { describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import { newMailNotice } from '../../../main/electron/notifications.ts';

const outcome = { accountId: accountId('a'), ok: true, newMessages: 2, notices: [] };

describe('new-mail notices', () => {
  it('tell of new messages when the window is not in front', () => {
    expect(newMailNotice(outcome, false)).toEqual({ title: 'Poplar', body: '2 new messages' });
    expect(newMailNotice({ ...outcome, newMessages: 1 }, false)).toEqual({ title: 'Poplar', body: 'One new message' });
  });

  it('stay quiet when the window is focused, nothing is new, or the sync failed', () => {
    expect(newMailNotice(outcome, true)).toBeUndefined();
    expect(newMailNotice({ ...outcome, newMessages: 0 }, false)).toBeUndefined();
    expect(newMailNotice({ ...outcome, ok: false }, false)).toBeUndefined();
  });
});
