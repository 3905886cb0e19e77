/**
 * The Electron shell: one window, its security, and the wiring between the page and the services. Thin on
 * purpose (design: rooms): what can be a pure function lives next door (window-options, ipc-guard,
 * menu-template, notifications, app-protocol) and the services are the same as the browser bridge's.
 *
 * The security checklist, where each item is done:
 * - contextIsolation, sandbox (also `app.enableSandbox()`), no nodeIntegration, webSecurity: window-options.ts
 * - a strict CSP: on every app:// response (app-protocol.ts) and on any other response (onHeadersReceived)
 * - no navigation, no new windows, no <webview>, for every web contents ever created: `lockDown`
 * - permission requests and checks denied; no downloads
 * - IPC: the sender is checked (ipc-guard.ts) before the payload is validated (dispatch)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type Session,
  type WebContents,
} from 'electron';
import { COMMANDS } from '../../app/commands.ts';
import { mailError, toErrorData } from '../../app/errors.ts';
import type { EventMap, Result } from '../../app/ipc/contract.ts';
import { WindowPort } from '../browser/window-port.ts';
import { stderrLogger, type Logger } from '../log.ts';
import { dispatch } from '../services/dispatch.ts';
import { createServices, type HostPort, type Services } from '../services/services.ts';
import { FileVault } from '../vault/vault.ts';
import { APP_SCHEME_PRIVILEGES, SHELL_CSP, serveAppRequest } from './app-protocol.ts';
import { IPC } from './ipc-channels.ts';
import { APP_ENTRY_URL, APP_SCHEME, isNavigationAllowed, isTrustedSender, type SenderFacts } from './ipc-guard.ts';
import { KeychainVault } from './keychain-vault.ts';
import { applyCommandState, initialCommandState, menuTemplate } from './menu-template.ts';
import { newMailNotice } from './notifications.ts';
import { mainWindowOptions } from './window-options.ts';

export interface ShellOptions {
  /** The built renderer; default `<app path>/dist/renderer`. */
  readonly staticDir?: string;
  /** The bundled preload; default `preload.cjs` next to this module's bundle. */
  readonly preloadPath?: string;
  readonly logger?: Logger;
  /** How long the window may take to answer one of main's requests. */
  readonly requestTimeoutMs?: number;
  /** DevTools and their menu item; default: only when not packaged. */
  readonly devTools?: boolean;
}

export interface Shell {
  readonly services: Services;
  /** The port the services talk to the window through (events, store requests). */
  readonly host: HostPort;
  mainWindow(): BrowserWindow | undefined;
}

const REFUSED: Result<never> = {
  ok: false,
  error: toErrorData(mailError('INVALID_ARGUMENT', 'Refused a request that did not come from the Poplar window.')),
};

/** Starts the app; undefined when another instance is already running (it gets focused instead). */
export async function startShell(options: ShellOptions = {}): Promise<Shell | undefined> {
  const log = options.logger ?? stderrLogger('info');
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  // Both must happen before `ready`.
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
  app.on('web-contents-created', (_event, contents) => lockDown(contents, log));

  let window: BrowserWindow | undefined;
  const live = (): BrowserWindow | undefined => (window !== undefined && !window.isDestroyed() ? window : undefined);

  const showNotice = (payload: EventMap['sync:outcome']): void => {
    const notice = newMailNotice(payload, live()?.isFocused() ?? false);
    if (notice === undefined || !Notification.isSupported()) return;
    const note = new Notification({ title: notice.title, body: notice.body });
    note.on('click', () => focus(live()));
    note.show();
  };

  const windowPort = new WindowPort(
    {
      sendEvent: (channel, payload) => {
        live()?.webContents.send(IPC.event, channel, payload);
        if (channel === 'sync:outcome') showNotice(payload as EventMap['sync:outcome']);
      },
      sendRequest: (id, channel, payload) => {
        const target = live();
        if (target === undefined) return false;
        target.webContents.send(IPC.request, id, channel, payload);
        return true;
      },
    },
    { timeoutMs: options.requestTimeoutMs, logger: log },
  );

  app.on('second-instance', () => focus(live()));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  await app.whenReady();
  const devTools = options.devTools ?? !app.isPackaged;
  const staticDir = options.staticDir ?? path.join(app.getAppPath(), 'dist', 'renderer');
  const preload = options.preloadPath ?? fileURLToPath(new URL('./preload.cjs', import.meta.url));

  hardenSession(session.defaultSession, log);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(staticDir, request));

  const menu = Menu.buildFromTemplate(
    menuTemplate(COMMANDS, {
      platform: process.platform,
      appName: app.name,
      devTools,
      onCommand: (id) => live()?.webContents.send(IPC.command, id),
    }),
  );

  const vault = new KeychainVault(
    new FileVault(path.join(app.getPath('userData'), 'vault.json')),
    safeStorage,
    process.platform,
  );
  const services = createServices({
    vault,
    host: windowPort,
    hostKind: 'electron',
    version: app.getVersion(),
    openExternal: (url) => shell.openExternal(url),
    logger: log,
    // Reached only through `dispatch`, after the sender check and the contract's schema.
    onCommandState: (state) => {
      applyCommandState(menu, COMMANDS, state);
    },
  });

  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent): boolean => {
    const target = live();
    const ok =
      target !== undefined &&
      isTrustedSender(senderFacts(event), { webContentsId: target.webContents.id, mainFrame: target.webContents.mainFrame });
    if (!ok) log.warn('refused IPC from a sender that is not the Poplar window');
    return ok;
  };

  ipcMain.handle(IPC.invoke, (event, channel: unknown, payload: unknown) =>
    trusted(event) ? dispatch(services.handlers, channel, payload) : Promise.resolve(REFUSED),
  );
  ipcMain.on(IPC.reply, (event, id: unknown, result: unknown) => {
    if (trusted(event)) windowPort.settle(id, result);
  });

  Menu.setApplicationMenu(menu);

  const createWindow = (): void => {
    const created = new BrowserWindow(mainWindowOptions({ preload, devTools }));
    window = created;
    created.once('ready-to-show', () => created.show());
    created.on('closed', () => {
      if (window === created) window = undefined;
      // No window, no selection: the next window reports its own state once it runs.
      applyCommandState(menu, COMMANDS, initialCommandState(COMMANDS));
      windowPort.disconnected('the window closed');
    });
    created.webContents.on('render-process-gone', (_event, details) => {
      log.error('the window crashed', { reason: details.reason });
      windowPort.disconnected('the window crashed');
    });
    created.loadURL(APP_ENTRY_URL).catch((e: unknown) => {
      log.error('the window did not load', { error: toErrorData(e).message });
    });
  };

  createWindow();
  app.on('activate', () => {
    if (live() === undefined) createWindow();
  });
  app.on('will-quit', () => services.stop());
  log.info('Poplar started', { version: app.getVersion() });
  return { services, host: windowPort, mainWindow: live };
}

/** Applied to every web contents (the window, DevTools, anything): no navigation, new windows or webviews. */
function lockDown(contents: WebContents, log: Logger): void {
  contents.setWindowOpenHandler((details) => {
    log.warn('refused to open a window', { url: details.url.slice(0, 200) });
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    log.warn('refused a navigation', { url: event.url.slice(0, 200) });
  });
  contents.on('will-frame-navigate', (event) => {
    if (isNavigationAllowed(event.url, event.isMainFrame)) return;
    event.preventDefault();
    log.warn('refused a frame navigation', { url: event.url.slice(0, 200) });
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function hardenSession(ses: Session, log: Logger): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.info('refused a permission request', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  // app:// responses carry the CSP already; this covers anything else the session ever loads.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [SHELL_CSP] } });
  });
  ses.on('will-download', (event) => event.preventDefault());
}

function focus(window: BrowserWindow | undefined): void {
  if (window === undefined) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** The facts the guard needs; a frame that is already gone counts as no frame. */
function senderFacts(event: IpcMainEvent | IpcMainInvokeEvent): SenderFacts {
  try {
    const frame = event.senderFrame;
    return {
      webContentsId: event.sender.id,
      frame: frame === null ? null : { url: frame.url, processId: frame.processId, routingId: frame.routingId },
    };
  } catch {
    return { webContentsId: event.sender.id, frame: null };
  }
}
