/**
 * The browser bridge: Poplar's main-process services served to a browser page on this machine, for development,
 * end-to-end tests and machines without the Electron binary (design: rooms). One HTTP server bound to 127.0.0.1
 * serves the built renderer with a strict CSP, and a WebSocket endpoint carries the IPC contract.
 *
 * Who may drive it: a page served by this bridge (its Origin) that knows the access token (from the URL the
 * bridge printed). Anything else gets an HTTP error and no socket. Host headers other than 127.0.0.1:PORT are
 * refused too, so a DNS-rebinding page cannot pose as the bridge's own origin.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import { toErrorData } from '../../app/errors.ts';
import { SILENT_LOGGER, type Logger } from '../log.ts';
import { contentSecurityPolicy, securityHeaders } from '../security/csp.ts';
import { readStaticFile } from '../security/static-files.ts';
import { dispatch, type Handlers } from '../services/dispatch.ts';
import type { HostPort } from '../services/services.ts';
import {
  BRIDGE_IPC_PATH,
  BRIDGE_TOKEN_PARAM,
  REPLACED_CLOSE_CODE,
  decodeFrame,
  encodeFrame,
  type MainMessage,
} from '../../app/ipc/codec.ts';
import { newToken, tokenMatches } from './token.ts';
import { WindowPort } from './window-port.ts';

export const BRIDGE_HOST = '127.0.0.1';

export interface BridgeServices {
  readonly handlers: Handlers;
  stop?(): void;
}

export interface BridgeOptions {
  /** The built renderer: index.html and its assets (`dist/renderer/`). */
  readonly staticDir: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** At least 32 URL-safe characters; default: 32 random bytes in hex. */
  readonly token?: string;
  /** Builds the services once the bridge can reach the window (in the app: `createServices({ host, … })`). */
  readonly services: (host: HostPort) => BridgeServices;
  readonly logger?: Logger;
  /** How long the window may take to answer one of main's requests. */
  readonly requestTimeoutMs?: number;
  /** The largest frame the window may send (its answers carry the account state). */
  readonly maxFrameBytes?: number;
  /** Ping interval; a window that misses a pong is dropped. */
  readonly heartbeatMs?: number;
}

export interface Bridge {
  /** `http://127.0.0.1:PORT/?token=…`: open this. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** The same port the services got: for tests and tools that emit or ask directly. */
  readonly host: HostPort;
  readonly connected: boolean;
  close(): Promise<void>;
}

const DEFAULT_MAX_FRAME_BYTES = 256 * 1024 * 1024;
const DEFAULT_HEARTBEAT_MS = 30_000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,256}$/;

const WindowMessageSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('invoke'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    channel: z.string().max(128),
    payload: z.unknown(),
  }),
  z.object({ t: z.literal('reply'), id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), result: z.unknown() }),
]);

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const log = options.logger ?? SILENT_LOGGER;
  const token = options.token ?? newToken();
  if (!TOKEN_SHAPE.test(token)) throw new Error('a bridge token is 32-256 letters, digits, - or _');

  const server = http.createServer();
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: BRIDGE_HOST, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the bridge has no TCP address');
  const port = address.port;
  const hostHeader = `${BRIDGE_HOST}:${port}`;
  const origin = `http://${hostHeader}`;
  const headers = {
    ...securityHeaders(contentSecurityPolicy({ connectSources: [`ws://${hostHeader}`] })),
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-cache',
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES });
  let current: WebSocket | undefined;
  let alive = false;

  const send = (ws: WebSocket, message: MainMessage): boolean => {
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(encodeFrame(message));
    return true;
  };

  const windowPort = new WindowPort(
    {
      sendEvent: (channel, payload) => {
        try {
          if (current === undefined || !send(current, { t: 'event', channel, payload })) {
            log.debug('no window to tell', { channel });
          }
        } catch (e) {
          log.error('an event could not be sent', { channel, error: toErrorData(e).message });
        }
      },
      sendRequest: (id, channel, payload) => current !== undefined && send(current, { t: 'request', id, channel, payload }),
    },
    { timeoutMs: options.requestTimeoutMs, logger: log },
  );

  let services: BridgeServices;
  try {
    services = options.services(windowPort);
  } catch (e) {
    await closeServer(server);
    throw e;
  }

  const answer = async (ws: WebSocket, id: number, channel: string, payload: unknown): Promise<void> => {
    const result = await dispatch(services.handlers, channel, payload);
    try {
      send(ws, { t: 'result', id, result });
    } catch (e) {
      send(ws, { t: 'result', id, result: { ok: false, error: toErrorData(e) } });
    }
  };

  const onMessage = (ws: WebSocket, data: RawData, isBinary: boolean): void => {
    if (!isBinary) {
      ws.close(1003, 'binary frames only');
      return;
    }
    const parsed = (() => {
      try {
        return WindowMessageSchema.safeParse(decodeFrame(asBytes(data)));
      } catch {
        return undefined;
      }
    })();
    if (parsed?.success !== true) {
      log.warn('the window sent a malformed message; closing its connection');
      ws.close(1008, 'malformed message');
      return;
    }
    const message = parsed.data;
    switch (message.t) {
      case 'invoke':
        void answer(ws, message.id, message.channel, message.payload);
        break;
      case 'reply':
        if (ws === current) windowPort.settle(message.id, message.result);
        break;
    }
  };

  const attach = (ws: WebSocket): void => {
    const previous = current;
    current = ws;
    alive = true;
    if (previous !== undefined) {
      windowPort.disconnected('another window connected');
      previous.close(REPLACED_CLOSE_CODE, 'another Poplar window took over');
      log.info('a new window replaced the connected one');
    } else log.info('a window connected');
    ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
    ws.on('pong', () => {
      if (ws === current) alive = true;
    });
    ws.on('error', (e) => log.warn('window connection error', { error: e.message }));
    ws.on('close', () => {
      if (ws !== current) return;
      current = undefined;
      windowPort.disconnected('its connection closed');
      log.info('the window disconnected');
    });
  };

  server.on('request', (req, res) => {
    void serveStatic(req, res).catch((e: unknown) => {
      log.error('a static request failed', { error: toErrorData(e).message });
      if (!res.headersSent) res.writeHead(500, headers);
      res.end();
    });
  });

  const serveStatic = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const plain = { ...headers, 'Content-Type': 'text/plain; charset=utf-8' };
    if (req.headers.host !== hostHeader) {
      res.writeHead(421, plain).end('Misdirected request\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...plain, Allow: 'GET, HEAD' }).end('Method not allowed\n');
      return;
    }
    const file = await readStaticFile(options.staticDir, req.url ?? '/');
    if (file.status !== 200) {
      res.writeHead(file.status, plain).end(file.status === 404 ? 'Not found\n' : 'Bad request\n');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Content-Length': file.body.byteLength });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  /** Who may open the IPC socket: the right path, the right token (checked first), this bridge's own origin. */
  const refusal = (req: http.IncomingMessage): readonly [number, string] | undefined => {
    const target = req.url ?? '';
    const mark = target.indexOf('?');
    const pathname = mark === -1 ? target : target.slice(0, mark);
    if (pathname !== BRIDGE_IPC_PATH) return [404, 'Not Found'];
    const offered = new URLSearchParams(mark === -1 ? '' : target.slice(mark + 1)).get(BRIDGE_TOKEN_PARAM);
    if (!tokenMatches(offered, token)) {
      log.warn('refused a window connection without the right token');
      return [401, 'Unauthorized'];
    }
    if (req.headers.origin !== origin || req.headers.host !== hostHeader) {
      log.warn('refused a window connection from another origin', { origin: req.headers.origin?.slice(0, 200) });
      return [403, 'Forbidden'];
    }
    return undefined;
  };

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refused = refusal(req);
    if (refused === undefined) wss.handleUpgrade(req, socket, head, attach);
    else refuse(socket, ...refused);
  });

  const heartbeat = setInterval(() => {
    if (current === undefined) return;
    if (!alive) {
      log.warn('the window stopped answering pings; dropping it');
      current.terminate();
      return;
    }
    alive = false;
    current.ping();
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  log.info('browser bridge listening', { origin });
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?${BRIDGE_TOKEN_PARAM}=${token}`,
    origin,
    port,
    token,
    host: windowPort,
    get connected() {
      return current !== undefined;
    },
    close: () => {
      closing ??= (async () => {
        clearInterval(heartbeat);
        services.stop?.();
        const last = current;
        current = undefined;
        windowPort.disconnected('Poplar is shutting down');
        if (last !== undefined) await closeSocket(last);
        wss.close();
        await closeServer(server);
        log.info('browser bridge closed');
      })();
      return closing;
    },
  };
}

/** A refused upgrade: a bare HTTP status, then the connection is closed. */
function refuse(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function asBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Going away (1001): the window reconnects when a bridge is back. Terminated if it does not close in time. */
function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, 1000);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1001, 'Poplar is shutting down');
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
