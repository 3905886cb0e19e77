import { describe, expect, it } from 'vitest';
import { mailError } from '../../../app/errors.ts';
import type { Result } from '../../../app/ipc/contract.ts';
import { createMainApi, type PreloadApi } from '../../../renderer/bridge/main-api.ts';

function fakePreload(): PreloadApi & { served: Map<string, (request: never) => Promise<unknown>> } {
  const served = new Map<string, (request: never) => Promise<unknown>>();
  return {
    served,
    invoke: () => Promise.resolve({ ok: true, value: { version: '1', host: 'electron', platform: 'linux' } } as Result<never>),
    on: () => () => undefined,
    serve: (channel, handler) => {
      served.set(channel, handler);
      return () => undefined;
    },
    onCommand: () => () => undefined,
  };
}

describe('choosing the host', () => {
  it("uses the Electron preload's object when the page has one", async () => {
    const preload = fakePreload();
    const host = createMainApi({ poplar: preload, location: { href: 'http://127.0.0.1:1/?token=t' } });
    expect(host.kind).toBe('electron');
    expect(await host.api.invoke('app:info', {})).toMatchObject({ ok: true, value: { host: 'electron' } });
  });

  it('makes a failing store handler reject with plain ErrorData, which keeps its code across contextBridge', async () => {
    const preload = fakePreload();
    const host = createMainApi({ poplar: preload });
    host.api.serve('store:load-sync-state', () => Promise.reject(mailError('STORE_QUOTA', 'The disk is full.')));
    const handler = preload.served.get('store:load-sync-state');
    const rejection: unknown = await handler?.({ accountId: 'a' } as never).catch((e: unknown) => e);
    expect(rejection).toEqual({ code: 'STORE_QUOTA', message: 'The disk is full.', details: {} });
    expect(rejection).not.toBeInstanceOf(Error);
  });

  it('falls back to the bridge client, which fails as data without a WebSocket', async () => {
    const host = createMainApi({ poplar: { invoke: 'not a function' }, location: { href: 'http://127.0.0.1:1/?token=t' } });
    expect(host.kind).toBe('browser');
    expect(await host.api.invoke('app:info', {})).toMatchObject({ ok: false, error: { code: 'CONNECTION_CLOSED' } });
    if (host.kind === 'browser') host.client.close();
  });
});
