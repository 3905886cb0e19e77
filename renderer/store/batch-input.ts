/**
 * What applySyncBatch takes from a batch: its input checked before any transaction starts, and the fields it copies
 * from a preview (only those: a caller's object may carry more than MessagePreview declares).
 */
import type { MessagePreview } from '../../app/mail/types.ts';
import type { SyncBatch } from '../../app/sync/batch.ts';
import type { ServerMessageRef } from '../../app/sync/state.ts';
import { storeError } from './errors.ts';

export function previewFields(p: MessagePreview): MessagePreview {
  return {
    from: p.from,
    to: p.to,
    cc: p.cc,
    subject: p.subject,
    ...(p.date === undefined ? {} : { date: p.date }),
    ...(p.messageId === undefined ? {} : { messageId: p.messageId }),
    previewText: p.previewText,
    // Always set, even to undefined: a whole message that replaces a preview in place (`{ ...existing, ...these }`)
    // must not keep the preview's first lines when it brings none of its own. Optional, so records stored before
    // the field existed still read.
    firstLines: typeof p.firstLines === 'string' ? p.firstLines : undefined,
    hasAttachments: p.hasAttachments,
  };
}

export function messageIdOf(item: { preview: MessagePreview }): { messageId?: string } {
  return item.preview.messageId === undefined ? {} : { messageId: item.preview.messageId };
}

function checkRef(ref: ServerMessageRef): void {
  if (typeof ref.uid !== 'string' || ref.uid.length === 0 || !Number.isSafeInteger(ref.ordinal) || ref.ordinal < 0) {
    throw storeError('INVALID', `a sync batch names an invalid server message (${JSON.stringify(ref)})`);
  }
}

export function checkBatch(batch: SyncBatch): void {
  if (!Number.isFinite(batch.now)) throw storeError('INVALID', 'a sync batch has no valid clock');
  for (const ref of refsOf(batch)) checkRef(ref);
}

/** Every server message a batch names. */
export function refsOf(batch: SyncBatch): ServerMessageRef[] {
  return [
    ...[...batch.previews, ...batch.wholes, ...batch.adopted, ...batch.stateUpdates].map((item) => item.ref),
    ...batch.forgotten,
    ...(batch.rebinds ?? []).flatMap((r) => [r.from, r.to]),
  ];
}
