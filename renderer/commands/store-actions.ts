/**
 * The registry's MessageActions bound to the real store: each a named transactional write of renderer/store.
 */
import type { AccountId, MessageKey } from '../../app/ids.ts';
import type { MessageRecord } from '../../app/mail/types.ts';
import type { Mark } from '../../app/sync/state.ts';
import {
  deleteMessages,
  getMessages,
  markRead,
  purgeMessages,
  restoreMessages,
  setMark,
  type PoplarDb,
} from '../store/index.ts';
import type { MessageActions } from './registry.ts';

/**
 * Whether a mark makes sense for a message: a download mark only for a preview still on the server (a whole
 * message has nothing left to download, and one gone from the server cannot be); "Unmark" always.
 */
export function canTakeMark(message: MessageRecord, mark: Mark): boolean {
  return mark === 'none' || (message.content === 'preview' && message.onServer);
}

export function storeActions(db: PoplarDb): MessageActions {
  return {
    async setMark(keys, mark) {
      const messages = await getMessages(db, keys);
      // One transaction per message: a mark is saved the moment it is made, each on its own.
      for (const m of messages) {
        if (m !== undefined && m.mark !== mark && canTakeMark(m, mark)) await setMark(db, m.key, mark);
      }
    },
    markRead: (keys, read) => markRead(db, keys, read),
    trash: (keys) => deleteMessages(db, keys),
    purge: (keys) => purgeMessages(db, keys),
    restore: (keys) => restoreMessages(db, keys),
    async accountsOf(keys: readonly MessageKey[]): Promise<readonly AccountId[]> {
      const messages = await getMessages(db, keys);
      return [...new Set(messages.flatMap((m) => (m === undefined ? [] : [m.accountId])))];
    },
  };
}
