import { afterEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFake } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

afterEach(() => {
  fake.app.emit('will-quit');
  resetFake();
});

describe('main.ts', () => {
  it('starts the shell: lock, IPC, protocol, window', async () => {
    resetFake();
    await import('../../../main/electron/main.ts');
    await vi.waitFor(() => expect(fake.handles.has('poplar:invoke')).toBe(true));
    expect(fake.protocolHandlers.has('app')).toBe(true);
    expect(fake.app.exit).not.toHaveBeenCalled();
  });
});
