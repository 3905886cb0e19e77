/**
 * How the window reaches main, whichever host it runs in: `getMainApi()` is the Electron preload's object when
 * the page has one, else the browser bridge's WebSocket client (main-api.ts). One connection per page.
 */
import type { CommandId } from '../../app/commands.ts';
import type { MainApi } from '../../app/ipc/contract.ts';
import { createMainApi, type HostConnection, type HostScope } from './main-api.ts';

export { createMainApi } from './main-api.ts';
export type { HostConnection, HostScope, PreloadApi } from './main-api.ts';
export { connectBridge, socketUrl, webSocketOpener } from './ws-client.ts';
export type { BridgeClient, BridgeClientOptions, OpenSocket, WebSocketConstructor } from './ws-client.ts';

let connection: HostConnection | undefined;

function host(): HostConnection {
  // Typed, not cast: this checks that the page's globals (DOM WebSocket, location) fit what the client uses.
  const scope: HostScope = globalThis;
  connection ??= createMainApi(scope);
  return connection;
}

/** The window's one connection to main, created on first use. */
export function getMainApi(): MainApi {
  return host().api;
}

/** Which host the page runs in: 'electron' (native menus, OS keychain) or 'browser' (the bridge). */
export function getHostKind(): HostConnection['kind'] {
  return host().kind;
}

/** Native menu commands in Electron; in a browser there are none (the page's own keys and buttons remain). */
export function onMenuCommand(listener: (id: CommandId) => void): () => void {
  const current = host();
  return current.kind === 'electron' ? current.preload.onCommand(listener) : () => undefined;
}

/**
 * Connection changes of the browser bridge (after a reconnect main may have restarted and forgotten the
 * accounts: configure them again). In Electron main and window live and die together, so this never fires.
 */
export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  const current = host();
  return current.kind === 'browser' ? current.client.onConnectionChange(listener) : () => undefined;
}
