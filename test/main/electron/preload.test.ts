import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mailError } from '../../../app/errors.ts';
import { createPreloadApi, type IpcRendererLike, type PreloadApi } from '../../../main/electron/preload-api.ts';

/** ipcRenderer as the preload sees it: main's messages are emitted on it; what the page sends is recorded. */
class FakeIpcRenderer extends EventEmitter {
  readonly sent: unknown[][] = [];
  readonly invoked: unknown[][] = [];
  answer: unknown = { ok: true, value: 'answer' };
  invoke(...args: unknown[]): Promise<unknown> {
    this.invoked.push(args);
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  fromMain(channel: string, ...args: unknown[]): void {
    this.emit(channel, {}, ...args);
  }
}

function setup(): { ipc: FakeIpcRenderer; api: PreloadApi; reported: unknown[] } {
  const ipc = new FakeIpcRenderer();
  const reported: unknown[] = [];
  return { ipc, api: createPreloadApi(ipc as unknown as IpcRendererLike, (e) => reported.push(e)), reported };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('the preload API', () => {
  it('invokes known channels through poplar:invoke, and refuses unknown ones without sending', async () => {
    const { ipc, api } = setup();
    expect(await api.invoke('app:info', {})).toEqual({ ok: true, value: 'answer' });
    expect(ipc.invoked).toEqual([['poplar:invoke', 'app:info', {}]]);
    expect(await api.invoke('shell:exec' as 'app:info', {})).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(ipc.invoked).toHaveLength(1);
    ipc.answer = new Error('An object could not be cloned.');
    expect(await api.invoke('app:info', {})).toMatchObject({ ok: false, error: { code: 'CONNECTION_CLOSED' } });
  });

  it("sends the window's command state through the same narrow invoke (poplar:invoke), nothing else", async () => {
    const { ipc, api } = setup();
    ipc.answer = { ok: true, value: null };
    const state = { enabled: ['delete' as const], checked: [] };
    expect(await api.invoke('app:command-state', state)).toEqual({ ok: true, value: null });
    expect(ipc.invoked).toEqual([['poplar:invoke', 'app:command-state', state]]);
    expect(ipc.sent).toEqual([]);
  });

  it('delivers events of known channels to their listeners only', () => {
    const { ipc, api, reported } = setup();
    const seen: unknown[] = [];
    const off = api.on('sync:offline', (p) => seen.push(p));
    api.on('sync:progress', () => seen.push('wrong'));
    ipc.fromMain('poplar:event', 'sync:offline', { offline: true });
    ipc.fromMain('poplar:event', 'not:a-channel', { offline: true });
    off();
    ipc.fromMain('poplar:event', 'sync:offline', { offline: false });
    expect(seen).toEqual([{ offline: true }]);
    api.on('not:a-channel' as 'sync:offline', () => undefined);
    expect(reported).toHaveLength(1);
  });

  it("answers main's requests on poplar:reply: value, the page's error data, or STORE_FAILED", async () => {
    const { ipc, api } = setup();
    api.serve('store:load-sync-state', () => Promise.resolve({ state: [], firstSync: false }));
    ipc.fromMain('poplar:request', 1, 'store:load-sync-state', { accountId: 'a' });
    ipc.fromMain('poplar:request', 2, 'store:apply-sync-batch', { accountId: 'a' });
    ipc.fromMain('poplar:request', 3, 'no:such', {});
    await tick();
    // Answers go out as each is ready, not in request order.
    ipc.sent.sort((a, b) => Number(a[1]) - Number(b[1]));
    expect(ipc.sent).toEqual([
      ['poplar:reply', 1, { ok: true, value: { state: [], firstSync: false } }],
      ['poplar:reply', 2, { ok: false, error: expect.objectContaining({ code: 'STORE_FAILED' }) as unknown }],
      ['poplar:reply', 3, { ok: false, error: expect.objectContaining({ code: 'STORE_FAILED' }) as unknown }],
    ]);
    // The page's wrapper rejects with plain ErrorData (an Error loses its code crossing contextBridge).
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- exactly what the page's wrapper does
    api.serve('store:apply-sync-batch', () => Promise.reject({ code: 'STORE_QUOTA', message: 'full', details: {} }));
    ipc.fromMain('poplar:request', 4, 'store:apply-sync-batch', {});
    api.serve('store:load-sync-state', () => Promise.reject(mailError('STORE_CLOSED', 'closed')));
    ipc.fromMain('poplar:request', 5, 'store:load-sync-state', {});
    await tick();
    ipc.sent.sort((a, b) => Number(a[1]) - Number(b[1]));
    expect(ipc.sent.slice(3)).toEqual([
      ['poplar:reply', 4, { ok: false, error: { code: 'STORE_QUOTA', message: 'full', details: {} } }],
      ['poplar:reply', 5, { ok: false, error: { code: 'STORE_CLOSED', message: 'closed', details: {} } }],
    ]);
  });

  it('passes menu commands it knows', () => {
    const { ipc, api } = setup();
    const seen: string[] = [];
    api.onCommand((id) => seen.push(id));
    ipc.fromMain('poplar:command', 'send-receive-all');
    ipc.fromMain('poplar:command', 'rm -rf');
    expect(seen).toEqual(['send-receive-all']);
  });
});

describe('preload.ts', () => {
  afterEach(() => {
    vi.doUnmock('electron');
    vi.resetModules();
  });

  it('exposes exactly one object, window.poplar, with five functions and no ipcRenderer', async () => {
    const exposed: [string, unknown][] = [];
    const ipcRenderer = new FakeIpcRenderer();
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.push([name, api]) },
      ipcRenderer,
    }));
    await import('../../../main/electron/preload.ts');
    expect(exposed).toHaveLength(1);
    const [name, api] = exposed[0] ?? [];
    expect(name).toBe('poplar');
    expect(Object.keys(api as object).sort()).toEqual(['invoke', 'on', 'onCommand', 'serve']);
    for (const value of Object.values(api as object)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer);
    }
  });
});
