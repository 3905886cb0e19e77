/**
 * The five states a message shows in the list (README, "How Poplar fetches your mail"), derived from its record.
 * A downloaded message stays "downloaded" when it leaves the server; a preview that left it can no longer be
 * downloaded, and says so.
 */
import type { MessageRecord } from '../../app/mail/types.ts';

export type MessageState = 'preview' | 'marked' | 'marked-copy' | 'downloaded' | 'gone';

export const STATE_LABELS: Readonly<Record<MessageState, string>> = {
  preview: 'Preview only',
  marked: 'Marked to download',
  'marked-copy': 'Marked to download a copy',
  downloaded: 'Downloaded',
  gone: 'No longer on the server',
};

export function messageState(m: Pick<MessageRecord, 'content' | 'mark' | 'onServer'>): MessageState {
  if (m.content === 'whole') return 'downloaded';
  if (!m.onServer) return 'gone';
  if (m.mark === 'download') return 'marked';
  if (m.mark === 'download-copy') return 'marked-copy';
  return 'preview';
}
