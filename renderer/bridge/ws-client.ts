/**
 * The window's side of the browser bridge: `MainApi` over one WebSocket to main/browser/server.ts. Requests get
 * ids and deadlines; events go to listeners; main's requests go to the store's handlers and are answered with a
 * `Result`. When the socket drops (the bridge may be restarting) it reconnects with capped, jittered backoff;
 * calls made meanwhile wait a little for it, then fail as data. Nothing here throws into the page.
 *
 * The socket is reached through `OpenSocket`, so the same client runs on the browser's WebSocket and, in tests,
 * on the `ws` package.
 */
import { createWindowRegistry, failure, guard, reportToPage } from '../../app/ipc/window-registry.ts';
import { toErrorData } from '../../app/errors.ts';
import {
  type MainApi,
  type RequestChannel,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../app/ipc/contract.ts';
import {
  BRIDGE_IPC_PATH,
  BRIDGE_TOKEN_PARAM,
  REPLACED_CLOSE_CODE,
  decodeFrame,
  encodeFrame,
  type WindowMessage,
  type WireResult,
} from '../../app/ipc/codec.ts';

export interface SocketEvents {
  onOpen(): void;
  onMessage(frame: Uint8Array): void;
  onClose(code: number): void;
}
export interface BridgeSocket {
  send(frame: Uint8Array<ArrayBuffer>): void;
  close(): void;
}
export type OpenSocket = (url: string, events: SocketEvents) => BridgeSocket;

/** The part of a WebSocket this client uses: the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  binaryType: string;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => unknown) | null;
  onmessage: ((event: never) => unknown) | null;
  onclose: ((event: never) => unknown) | null;
  onerror: ((event: never) => unknown) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export function webSocketOpener(WebSocketImpl: WebSocketConstructor): OpenSocket {
  return (url, events) => {
    const socket = new WebSocketImpl(url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => events.onOpen();
    socket.onmessage = (event: { readonly data: unknown }) => {
      const data = event.data;
      if (data instanceof ArrayBuffer) events.onMessage(new Uint8Array(data));
      else if (data instanceof Uint8Array) events.onMessage(data);
    };
    socket.onclose = (event: { readonly code: number }) => events.onClose(event.code);
    // An error is always followed by close; the close handler does the work.
    socket.onerror = () => undefined;
    return {
      send: (frame) => socket.send(frame),
      close: () => socket.close(1000, 'closed by the window'),
    };
  };
}

export interface BridgeClientOptions {
  /** Default: the global WebSocket, when there is one; null: there is none (every call fails as data). */
  readonly openSocket?: OpenSocket | null;
  /** How long main may take to answer one request. */
  readonly invokeTimeoutMs?: number;
  /** How long a request made while disconnected waits for the connection. */
  readonly connectWaitMs?: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  /** [0, 1): jitter source. */
  readonly random?: () => number;
  /** Where errors thrown by the page's own listeners and handlers go (default: the global reportError). */
  readonly reportError?: (error: unknown) => void;
}

export interface BridgeClient extends MainApi {
  readonly connected: boolean;
  /** Told on every connect and disconnect: after a reconnect, main may have restarted and forgotten the accounts. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  close(): void;
}

interface PendingInvoke {
  readonly frame: Uint8Array<ArrayBuffer>;
  readonly channel: string;
  readonly resolve: (result: Result<never>) => void;
  timer: ReturnType<typeof setTimeout>;
  sent: boolean;
}

export function connectBridge(location: { readonly href: string }, options: BridgeClientOptions = {}): BridgeClient {
  const invokeTimeoutMs = options.invokeTimeoutMs ?? 120_000;
  const connectWaitMs = options.connectWaitMs ?? 10_000;
  const backoffInitialMs = options.backoffInitialMs ?? 250;
  const backoffMaxMs = options.backoffMaxMs ?? 10_000;
  const random = options.random ?? Math.random;
  const report = options.reportError ?? reportToPage;
  const openSocket = options.openSocket === undefined ? globalOpener() : (options.openSocket ?? undefined);

  const target = socketUrl(location.href);
  const registry = createWindowRegistry(report);
  const connectionListeners = new Set<(connected: boolean) => void>();
  const pending = new Map<number, PendingInvoke>();
  let nextId = 1;
  let socket: BridgeSocket | undefined;
  let open = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /** Why no connection can be made (no token, no WebSocket, replaced, closed); undefined while one may be. */
  let stopped: string | undefined = target === undefined
    ? 'This page was opened without its access token: open the address Poplar printed when it started.'
    : openSocket === undefined
      ? 'This page has no WebSocket to reach Poplar with.'
      : undefined;

  const setOpen = (value: boolean): void => {
    if (open === value) return;
    open = value;
    for (const listener of connectionListeners) guard(report, () => listener(value));
  };

  const finish = (id: number, result: Result<never>): void => {
    const entry = pending.get(id);
    if (entry === undefined) return;
    pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(result);
  };

  const transmit = (id: number, entry: PendingInvoke): void => {
    if (socket === undefined || !open) return;
    try {
      socket.send(entry.frame);
    } catch (e) {
      finish(id, failure('CONNECTION_CLOSED', `Could not send ${entry.channel} to Poplar: ${toErrorData(e).message}`));
      return;
    }
    entry.sent = true;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      finish(id, failure('IDLE_TIMEOUT', `Poplar did not answer ${entry.channel} within ${Math.round(invokeTimeoutMs / 1000)} s.`));
    }, invokeTimeoutMs);
  };

  const sendMessage = (message: WindowMessage): void => {
    if (socket === undefined || !open) return;
    try {
      socket.send(encodeFrame(message));
    } catch (e) {
      report(e);
    }
  };

  const onRequest = async (id: number, channel: unknown, payload: unknown): Promise<void> => {
    const from = socket;
    const handler = registry.handler(channel);
    let result: WireResult;
    if (handler === undefined) {
      result = failure('STORE_FAILED', `This window cannot answer ${String(channel).slice(0, 60)} (nothing serves it).`);
    } else {
      try {
        result = { ok: true, value: await handler(payload) };
      } catch (e) {
        result = { ok: false, error: toErrorData(e) };
      }
    }
    // An answer for a connection that is gone would reach nobody who waits for it.
    if (socket === from) sendMessage({ t: 'reply', id, result });
  };

  const onFrame = (frame: Uint8Array): void => {
    let message: unknown;
    try {
      message = decodeFrame(frame);
    } catch (e) {
      report(e);
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if (m.t === 'result' && typeof m.id === 'number' && isResult(m.result)) {
      finish(m.id, m.result as Result<never>);
    } else if (m.t === 'event') {
      registry.deliver(m.channel, m.payload);
    } else if (m.t === 'request' && typeof m.id === 'number') {
      void onRequest(m.id, m.channel, m.payload);
    }
  };

  const connect = (): void => {
    retry = undefined;
    if (stopped !== undefined || target === undefined || openSocket === undefined) return;
    let mine: BridgeSocket | undefined;
    const events: SocketEvents = {
      onOpen: () => {
        if (socket !== mine) return;
        attempt = 0;
        setOpen(true);
        for (const [id, entry] of pending) if (!entry.sent) transmit(id, entry);
      },
      onMessage: (frame) => {
        if (socket === mine) onFrame(frame);
      },
      onClose: (code) => {
        if (socket !== mine) return;
        socket = undefined;
        setOpen(false);
        for (const [id, entry] of pending) {
          if (entry.sent) finish(id, failure('CONNECTION_CLOSED', `The connection to Poplar closed before it answered ${entry.channel}.`));
        }
        if (code === REPLACED_CLOSE_CODE) {
          stop('Poplar was opened in another window or tab; this one is no longer connected. Reload it to take over.');
          return;
        }
        schedule();
      },
    };
    try {
      mine = openSocket(target, events);
      socket = mine;
    } catch (e) {
      report(e);
      schedule();
    }
  };

  const schedule = (): void => {
    if (stopped !== undefined || retry !== undefined) return;
    const ceiling = Math.min(backoffMaxMs, backoffInitialMs * 2 ** Math.min(attempt, 30));
    attempt += 1;
    retry = setTimeout(connect, ceiling / 2 + (random() * ceiling) / 2);
  };

  const stop = (why: string): void => {
    stopped = why;
    if (retry !== undefined) clearTimeout(retry);
    retry = undefined;
    for (const id of [...pending.keys()]) finish(id, failure('CONNECTION_CLOSED', why));
  };

  connect();

  return {
    get connected() {
      return open;
    },

    invoke<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      if (stopped !== undefined) return Promise.resolve(failure('CONNECTION_CLOSED', stopped));
      const id = nextId++;
      let frame: Uint8Array<ArrayBuffer>;
      try {
        frame = encodeFrame({ t: 'invoke', id, channel, payload } satisfies WindowMessage);
      } catch (e) {
        return Promise.resolve(failure('INVALID_ARGUMENT', `Cannot send ${channel}: ${toErrorData(e).message}`));
      }
      return new Promise<Result<ResponseOf<C>>>((resolve) => {
        const timer = setTimeout(() => {
          finish(id, failure('CONNECTION_CLOSED', 'Poplar is not reachable: its connection is down. Is it still running?'));
        }, connectWaitMs);
        const entry: PendingInvoke = { frame, channel, resolve, timer, sent: false };
        pending.set(id, entry);
        transmit(id, entry);
      });
    },

    on: registry.on,
    serve: registry.serve,

    onConnectionChange(listener: (connected: boolean) => void): () => void {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },

    close(): void {
      stop('This window closed its connection to Poplar.');
      const last = socket;
      socket = undefined;
      setOpen(false);
      last?.close();
    },
  };
}

/** `http://127.0.0.1:PORT/?token=T` → `ws://127.0.0.1:PORT/ipc?token=T`; undefined without a token. */
export function socketUrl(pageHref: string): string | undefined {
  let page: URL;
  try {
    page = new URL(pageHref);
  } catch {
    return undefined;
  }
  const token = page.searchParams.get(BRIDGE_TOKEN_PARAM);
  if (token === null || token === '') return undefined;
  const url = new URL(BRIDGE_IPC_PATH, page);
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.searchParams.set(BRIDGE_TOKEN_PARAM, token);
  return url.toString();
}

function isResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return r.ok === true || (r.ok === false && typeof r.error === 'object' && r.error !== null);
}

function globalOpener(): OpenSocket | undefined {
  const scope = globalThis as { readonly WebSocket?: WebSocketConstructor };
  return scope.WebSocket === undefined ? undefined : webSocketOpener(scope.WebSocket);
}
