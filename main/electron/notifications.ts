/**
 * "New mail" notices: shown when a sync brought new messages and the window is not in front (the list already
 * shows them when it is).
 */
import type { SyncOutcomeEvent } from '../../app/ipc/contract.ts';

export interface Notice {
  readonly title: string;
  readonly body: string;
}

export function newMailNotice(outcome: SyncOutcomeEvent, windowFocused: boolean): Notice | undefined {
  if (windowFocused || !outcome.ok || outcome.newMessages <= 0) return undefined;
  return {
    title: 'Poplar',
    body: outcome.newMessages === 1 ? 'One new message' : `${outcome.newMessages} new messages`,
  };
}
