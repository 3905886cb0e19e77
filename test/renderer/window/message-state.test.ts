import { describe, expect, it } from 'vitest';
import { STATE_LABELS, messageState } from '../../../renderer/window/message-state.ts';

describe('message state', () => {
  it('names the five states of the README', () => {
    expect(messageState({ content: 'preview', mark: 'none', onServer: true })).toBe('preview');
    expect(messageState({ content: 'preview', mark: 'download', onServer: true })).toBe('marked');
    expect(messageState({ content: 'preview', mark: 'download-copy', onServer: true })).toBe('marked-copy');
    expect(messageState({ content: 'whole', mark: 'none', onServer: true })).toBe('downloaded');
    expect(messageState({ content: 'preview', mark: 'none', onServer: false })).toBe('gone');
  });

  it('a downloaded message stays downloaded when it leaves the server; a preview that left cannot be marked', () => {
    expect(messageState({ content: 'whole', mark: 'none', onServer: false })).toBe('downloaded');
    expect(messageState({ content: 'preview', mark: 'download', onServer: false })).toBe('gone');
  });

  it('has a text alternative for each', () => {
    expect(Object.values(STATE_LABELS)).toEqual([
      'Preview only',
      'Marked to download',
      'Marked to download a copy',
      'Downloaded',
      'No longer on the server',
    ]);
  });
});
