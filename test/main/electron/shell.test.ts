import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import type { Result } from '../../../app/ipc/contract.ts';
import { createLogger } from '../../../main/log.ts';
import { startShell, type Shell } from '../../../main/electron/shell.ts';
import { fake, FakeBrowserWindow, FakeNotification, resetFake, type FakeFrame, type FakeMenuItem } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const QUIET = createLogger('error', () => undefined);
let shell: Shell | undefined;

function staticDir(): string {
  const dir = path.join(fake.app.userData, 'renderer');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Poplar</title>');
  return dir;
}

async function start(): Promise<FakeBrowserWindow> {
  shell = await startShell({ logger: QUIET, staticDir: staticDir(), preloadPath: '/app/preload.cjs', requestTimeoutMs: 500 });
  const window = FakeBrowserWindow.instances[0];
  if (window === undefined) throw new Error('no window');
  return window;
}

function ipcEvent(window: FakeBrowserWindow, frame: FakeFrame = window.webContents.mainFrame) {
  return { sender: { id: window.webContents.id }, senderFrame: frame };
}

function invoke(event: unknown, channel: string, payload: unknown): Promise<Result<unknown>> {
  const handler = fake.handles.get('poplar:invoke') as (e: unknown, c: string, p: unknown) => Promise<Result<unknown>>;
  return handler(event, channel, payload);
}

beforeEach(() => resetFake());
afterEach(() => {
  shell?.services.stop();
  shell = undefined;
});

describe('the Electron shell, wired against a fake electron module', () => {
  it('opens one hardened window on app://poplar with the preload, and registers its IPC and protocol', async () => {
    const window = await start();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(window.loadURL).toHaveBeenCalledWith('app://poplar/index.html');
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) as unknown }]);
    expect([...fake.handles.keys()]).toEqual(['poplar:invoke']);
    expect([...fake.listeners.keys()]).toEqual(['poplar:reply']);
    expect([...fake.protocolHandlers.keys()]).toEqual(['app']);
    expect(fake.menu).toBeDefined();
  });

  it('quits when another instance holds the lock, and focuses the window on a second launch', async () => {
    fake.app.singleInstance = false;
    expect(await startShell({ logger: QUIET })).toBeUndefined();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    resetFake();
    const window = await start();
    fake.app.emit('second-instance');
    expect(window.focus).toHaveBeenCalled();
  });

  it('serves the renderer through app:// with the CSP', async () => {
    await start();
    const handler = fake.protocolHandlers.get('app') as (r: Request) => Promise<Response>;
    const response = await handler(new Request('app://poplar/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('ws:');
    expect((await handler(new Request('app://poplar/%2e%2e/%2e%2e/etc/passwd'))).status).toBeGreaterThanOrEqual(400);
  });

  it('refuses navigation, new windows and webviews', async () => {
    const window = await start();
    const contents = window.webContents;
    const navigate = { url: 'https://evil.example/', preventDefault: vi.fn() };
    contents.emit('will-navigate', navigate);
    expect(navigate.preventDefault).toHaveBeenCalled();
    const frameOut = { url: 'https://evil.example/', isMainFrame: false, preventDefault: vi.fn() };
    contents.emit('will-frame-navigate', frameOut);
    expect(frameOut.preventDefault).toHaveBeenCalled();
    const mailFrame = { url: 'about:srcdoc', isMainFrame: false, preventDefault: vi.fn() };
    contents.emit('will-frame-navigate', mailFrame);
    expect(mailFrame.preventDefault).not.toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('denies permissions and puts the CSP on every response', async () => {
    await start();
    const ses = fake.session.defaultSession;
    const granted = vi.fn();
    ses.permissionRequest?.({} as never, 'geolocation' as never, granted as never, {} as never);
    expect(granted).toHaveBeenCalledWith(false);
    expect(ses.permissionCheck?.()).toBe(false);
    const callback = vi.fn();
    ses.headersReceived?.({ responseHeaders: { 'X-Other': ['1'] } } as never, callback as never);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [expect.stringContaining("object-src 'none'")] },
    });
  });

  it('dispatches IPC from the main frame of the window, and refuses any other sender', async () => {
    const window = await start();
    expect(await invoke(ipcEvent(window), 'app:info', {})).toEqual({
      ok: true,
      value: { version: '1.2.3', host: 'electron', platform: process.platform },
    });
    expect(await invoke(ipcEvent(window), 'accounts:has-secret', { accountId: 'bad id' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    const { FakeFrame } = await import('./fake-electron.ts');
    const subframe = new FakeFrame('app://poplar/index.html', window.webContents.mainFrame.processId, 99);
    const navigated = new FakeFrame('https://evil.example/', window.webContents.mainFrame.processId, 1);
    for (const event of [
      ipcEvent(window, subframe),
      { sender: { id: window.webContents.id + 100 }, senderFrame: window.webContents.mainFrame },
      { sender: { id: window.webContents.id }, senderFrame: null },
    ]) {
      expect(await invoke(event, 'app:info', {})).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    window.webContents.mainFrame.url = navigated.url;
    expect(await invoke(ipcEvent(window), 'app:info', {})).toMatchObject({ ok: false });
  });

  it("asks the window's store with poplar:request and takes the answer only from the window's main frame", async () => {
    const window = await start();
    const host = shell?.host;
    if (host === undefined) throw new Error('no shell');
    const reply = fake.listeners.get('poplar:reply') as (e: unknown, id: unknown, result: unknown) => void;
    const answer = host.request('store:load-sync-state', { accountId: accountId('a') });
    const sent = window.webContents.send.mock.calls.find((call) => call[0] === 'poplar:request') as unknown[];
    expect(sent.slice(2)).toEqual(['store:load-sync-state', { accountId: 'a' }]);
    const id = sent[1];
    // A forged answer from another web contents is ignored; the window's own is taken.
    reply({ sender: { id: 999 }, senderFrame: window.webContents.mainFrame }, id, { ok: true, value: 'forged' });
    reply(ipcEvent(window), id, { ok: true, value: { state: [], firstSync: true } });
    await expect(answer).resolves.toEqual({ state: [], firstSync: true });

    const failed = host.request('store:load-sync-state', { accountId: accountId('a') });
    const second = window.webContents.send.mock.calls.filter((call) => call[0] === 'poplar:request')[1] as unknown[];
    reply(ipcEvent(window), second[1], { ok: false, error: { code: 'STORE_QUOTA', message: 'full', details: {} } });
    await expect(failed).rejects.toMatchObject({ code: 'STORE_QUOTA' });

    await expect(host.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('did not answer') as unknown,
    });
    const closing = expect(host.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
    window.destroyed = true;
    window.emit('closed');
    await closing;
    await expect(host.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('not open') as unknown,
    });
  });

  it('refuses to save a password when safeStorage is unavailable, with a clear error', async () => {
    const window = await start();
    fake.safeStorage.available = false;
    const refused = await invoke(ipcEvent(window), 'accounts:set-secret', { accountId: 'a', password: 'hunter2' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED', message: expect.stringContaining('keychain') as unknown } });
    fake.safeStorage.available = true;
    fake.safeStorage.backend = 'basic_text';
    expect(await invoke(ipcEvent(window), 'accounts:set-secret', { accountId: 'a', password: 'hunter2' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_SUPPORTED' },
    });
    fake.safeStorage.backend = 'gnome_libsecret';
    expect(await invoke(ipcEvent(window), 'accounts:set-secret', { accountId: 'a', password: 'hunter2' })).toEqual({ ok: true, value: null });
    expect(await invoke(ipcEvent(window), 'accounts:has-secret', { accountId: 'a' })).toEqual({ ok: true, value: true });
  });

  it('opens links only through shell.openExternal, after the URL check', async () => {
    const window = await start();
    expect(await invoke(ipcEvent(window), 'app:open-external', { url: 'https://example.com/a' })).toEqual({ ok: true, value: null });
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://example.com/a');
    expect(await invoke(ipcEvent(window), 'app:open-external', { url: 'file:///etc/passwd' })).toMatchObject({ ok: false });
    expect(fake.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('sends events to the window and notifies of new mail only when it is not focused', async () => {
    const window = await start();
    await invoke(ipcEvent(window), 'sync:set-offline', { offline: true });
    expect(window.webContents.send).toHaveBeenCalledWith('poplar:event', 'sync:offline', { offline: true });
    const outcome = { accountId: accountId('a'), ok: true, newMessages: 3, notices: [] };
    window.focused = true;
    shell?.host.emit('sync:outcome', outcome);
    expect(window.webContents.send).toHaveBeenCalledWith('poplar:event', 'sync:outcome', outcome);
    expect(FakeNotification.shown).toEqual([]);
    window.focused = false;
    shell?.host.emit('sync:outcome', { ...outcome, newMessages: 0 });
    shell?.host.emit('sync:outcome', outcome);
    expect(FakeNotification.shown).toEqual([{ title: 'Poplar', body: '3 new messages' }]);
  });

  it("greys out the menu items the window's state disables, from its command state, after the sender check", async () => {
    const window = await start();
    const menu = fake.menu as { getMenuItemById(id: string): FakeMenuItem | null };
    const item = (id: string) => menu.getMenuItemById(id);
    // Nothing selected yet: what acts on a selection is disabled from the start.
    expect(item('delete')?.enabled).toBe(false);
    expect(item('send-receive-all')?.enabled).toBe(true);

    const state = { enabled: ['delete', 'download-now', 'work-offline'], checked: ['work-offline'] };
    expect(await invoke(ipcEvent(window), 'app:command-state', state)).toEqual({ ok: true, value: null });
    expect(item('delete')?.enabled).toBe(true);
    expect(item('download-now')?.enabled).toBe(true);
    expect(item('send-receive-all')?.enabled).toBe(false);
    expect(item('work-offline')).toMatchObject({ enabled: true, checked: true });

    // Another sender (the mail frame, another web contents) changes nothing.
    const { FakeFrame } = await import('./fake-electron.ts');
    const subframe = new FakeFrame('app://poplar/index.html', window.webContents.mainFrame.processId, 99);
    const nothing = { enabled: [], checked: [] };
    expect(await invoke(ipcEvent(window, subframe), 'app:command-state', nothing)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await invoke({ sender: { id: 999 }, senderFrame: window.webContents.mainFrame }, 'app:command-state', nothing)).toMatchObject({ ok: false });
    expect(item('delete')?.enabled).toBe(true);

    // A payload the contract refuses changes nothing either.
    for (const bad of [
      { enabled: ['delete', 'rm -rf'], checked: [] },
      { enabled: ['delete', 'delete'], checked: [] },
      { enabled: 'delete', checked: [] },
      { enabled: [] },
      { enabled: Array.from({ length: 100 }, () => 'delete'), checked: [] },
      null,
    ]) {
      expect(await invoke(ipcEvent(window), 'app:command-state', bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    expect(item('delete')?.enabled).toBe(true);
    expect(item('work-offline')?.checked).toBe(true);

    // The window closes: with no window there is no selection.
    window.destroyed = true;
    window.emit('closed');
    expect(item('delete')?.enabled).toBe(false);
    expect(item('work-offline')?.checked).toBe(false);
  });

  it('sends menu clicks to the window as poplar:command', async () => {
    const window = await start();
    const menu = fake.menu as { template: { submenu?: { id?: string; click?: () => void }[] }[] };
    const item = menu.template.flatMap((m) => m.submenu ?? []).find((i) => i.id === 'send-receive-all');
    item?.click?.();
    expect(window.webContents.send).toHaveBeenCalledWith('poplar:command', 'send-receive-all');
  });
});
