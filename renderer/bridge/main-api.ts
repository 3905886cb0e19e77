/**
 * Choosing the host: the Electron preload's object when the page has one (`window.poplar`, from
 * main/electron/preload.ts), else the browser bridge's WebSocket client. Both are `MainApi`. Written against a
 * plain `HostScope` so that it is tested without a browser; index.ts hands it the page's globals.
 */
import type { CommandId } from '../../app/commands.ts';
import { toErrorData } from '../../app/errors.ts';
import type { MainApi } from '../../app/ipc/contract.ts';
import { connectBridge, webSocketOpener, type BridgeClient, type WebSocketConstructor } from './ws-client.ts';

/** What the Electron preload exposes as `window.poplar` (main/electron/preload-api.ts has the same shape). */
export interface PreloadApi extends MainApi {
  /** Native menu clicks; menus exist only in Electron. */
  onCommand(listener: (id: CommandId) => void): () => void;
}

/** The globals the choice looks at: the page's own, or a plain object in tests. */
export interface HostScope {
  readonly poplar?: unknown;
  readonly location?: { readonly href: string };
  readonly WebSocket?: WebSocketConstructor;
}

export type HostConnection =
  | { readonly kind: 'electron'; readonly api: MainApi; readonly preload: PreloadApi }
  | { readonly kind: 'browser'; readonly api: MainApi; readonly client: BridgeClient };

export function createMainApi(scope: HostScope): HostConnection {
  if (isPreloadApi(scope.poplar)) return { kind: 'electron', api: fromPreload(scope.poplar), preload: scope.poplar };
  const client = connectBridge(scope.location ?? { href: '' }, {
    openSocket: scope.WebSocket === undefined ? null : webSocketOpener(scope.WebSocket),
  });
  return { kind: 'browser', api: client, client };
}

function isPreloadApi(value: unknown): value is PreloadApi {
  if (typeof value !== 'object' || value === null) return false;
  const api = value as Record<string, unknown>;
  return (
    typeof api.invoke === 'function' &&
    typeof api.on === 'function' &&
    typeof api.serve === 'function' &&
    typeof api.onCommand === 'function'
  );
}

/**
 * The preload's API as is, except that a failing store handler rejects with plain `ErrorData`: an Error crossing
 * contextBridge keeps only its message, and main needs the code (STORE_QUOTA is not STORE_FAILED).
 */
function fromPreload(preload: PreloadApi): MainApi {
  return {
    invoke: (channel, payload) => preload.invoke(channel, payload),
    on: (channel, listener) => preload.on(channel, listener),
    serve: (channel, handler) =>
      preload.serve(channel, async (request) => {
        try {
          return await handler(request);
        } catch (e) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- plain data survives contextBridge; an Error's code would not
          throw toErrorData(e);
        }
      }),
  };
}
