/**
 * A stand-in for the `electron` module (the binary cannot run here): just enough of app, BrowserWindow,
 * ipcMain, session, protocol, safeStorage, shell, Menu and Notification for the shell to start, with every
 * registration recorded so tests can drive it. Used through `vi.mock('electron', …)`.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

type Fn = (...args: never[]) => unknown;

export class FakeFrame {
  constructor(
    public url: string,
    readonly processId: number,
    readonly routingId: number,
  ) {}
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeFrame('app://poplar/index.html', 10 + this.id, 1);
  readonly send = vi.fn();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(() => Promise.resolve());
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  focused = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
    fake.app.emit('web-contents-created', {}, this.webContents);
  }
  isFocused(): boolean {
    return this.focused;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
}

export class FakeNotification extends EventEmitter {
  static readonly shown: { title: string; body: string }[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this.options);
  }
}

class FakeApp extends EventEmitter {
  readonly name = 'Poplar';
  readonly isPackaged = true;
  readonly userData = mkdtempSync(path.join(os.tmpdir(), 'poplar-electron-'));
  singleInstance = true;
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly enableSandbox = vi.fn();
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(): string {
    return this.userData;
  }
  getAppPath(): string {
    return this.userData;
  }
  getVersion(): string {
    return '1.2.3';
  }
}

class FakeSession extends EventEmitter {
  permissionRequest: Fn | undefined;
  permissionCheck: Fn | undefined;
  headersReceived: Fn | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: Fn) => {
      this.headersReceived = listener;
    },
  };
  setPermissionRequestHandler(handler: Fn): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: Fn): void {
    this.permissionCheck = handler;
  }
}

export interface FakeMenuItem {
  id?: string;
  enabled?: boolean;
  checked?: boolean;
  type?: string;
  submenu?: FakeMenuItem[];
  click?: (item: FakeMenuItem) => void;
}

function findItem(items: readonly FakeMenuItem[], id: string): FakeMenuItem | null {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = item.submenu === undefined ? null : findItem(item.submenu, id);
    if (inner !== null) return inner;
  }
  return null;
}

function createFake() {
  const handles = new Map<string, Fn>();
  const listeners = new Map<string, Fn>();
  const protocolHandlers = new Map<string, Fn>();
  return {
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    handles,
    listeners,
    protocolHandlers,
    privileged: [] as unknown[],
    menu: undefined as unknown,
    ipcMain: {
      handle: (channel: string, handler: Fn) => void handles.set(channel, handler),
      on: (channel: string, handler: Fn) => void listeners.set(channel, handler),
    },
    session: { defaultSession: new FakeSession() },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void fake.privileged.push(...schemes),
      handle: (scheme: string, handler: Fn) => void protocolHandlers.set(scheme, handler),
    },
    safeStorage: {
      available: true,
      backend: 'gnome_libsecret',
      isAsyncEncryptionAvailable: () => Promise.resolve(fake.safeStorage.available),
      getSelectedStorageBackend: () => fake.safeStorage.backend,
      encryptStringAsync: (plain: string) => Promise.resolve(Buffer.from(`sealed:${plain}`).reverse()),
      decryptStringAsync: (sealed: Buffer) =>
        Promise.resolve({ result: Buffer.from(sealed).reverse().toString().replace(/^sealed:/, ''), shouldReEncrypt: false }),
    },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    Menu: {
      // Electron's Menu keeps items whose `enabled` and `checked` can be changed later; here the items are the
      // template's own objects, found by id at any depth.
      buildFromTemplate: (template: FakeMenuItem[]) => ({ template, getMenuItemById: (id: string) => findItem(template, id) }),
      setApplicationMenu: (menu: unknown) => {
        fake.menu = menu;
      },
    },
  };
}

export const fake = createFake();

/** The module object `vi.mock('electron')` returns. */
export const electronModule = {
  app: fake.app,
  BrowserWindow: FakeBrowserWindow,
  Notification: FakeNotification,
  ipcMain: fake.ipcMain,
  session: fake.session,
  protocol: fake.protocol,
  safeStorage: fake.safeStorage,
  shell: fake.shell,
  Menu: fake.Menu,
};

/** Back to a fresh app between tests (the shell keeps no module state of its own). */
export function resetFake(): void {
  fake.app.removeAllListeners();
  fake.app.singleInstance = true;
  fake.app.quit.mockClear();
  fake.handles.clear();
  fake.listeners.clear();
  fake.protocolHandlers.clear();
  fake.privileged.length = 0;
  fake.menu = undefined;
  fake.safeStorage.available = true;
  fake.safeStorage.backend = 'gnome_libsecret';
  fake.shell.openExternal.mockClear();
  FakeBrowserWindow.instances.length = 0;
  FakeNotification.shown.length = 0;
  FakeNotification.supported = true;
}
