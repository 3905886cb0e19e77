/**
 * Fixtures for the bridge tests: a built renderer on disk (with a secret file next to it that must never be
 * served), handlers that record what reached them, raw HTTP over a TCP socket (so paths go out exactly as
 * written), and WebSocket clients from the `ws` package.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { mailError } from '../../../app/errors.ts';
import type { RequestChannel, ValidRequestOf } from '../../../app/ipc/contract.ts';
import { decodeFrame, encodeFrame } from '../../../app/ipc/codec.ts';
import type { Handlers } from '../../../main/services/dispatch.ts';

export const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';

/** `<tmp>/dist/renderer/` with an index and assets; `<tmp>/package.json` holds SECRET; a symlink points out. */
export function makeStaticDir(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'poplar-bridge-'));
  const dir = path.join(root, 'dist', 'renderer');
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Poplar</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log("poplar");');
  writeFileSync(path.join(dir, 'assets', 'style.css'), 'body { margin: 0 }');
  writeFileSync(path.join(dir, '.hidden'), SECRET);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ secret: SECRET }));
  writeFileSync(path.join(root, 'dist', 'secret.txt'), SECRET);
  symlinkSync(path.join(root, 'package.json'), path.join(dir, 'link-out.json'));
  return dir;
}

export interface RecordedCall {
  readonly channel: RequestChannel;
  readonly payload: unknown;
}

/** Handlers for every channel: app:info and accounts:has-secret answer, the rest refuse; every call is recorded. */
export function fakeHandlers(calls: RecordedCall[]): Handlers {
  const refuse = (channel: RequestChannel) => (payload: unknown) => {
    calls.push({ channel, payload });
    return Promise.reject(mailError('NOT_SUPPORTED', `${channel} is not in this fake`));
  };
  return {
    'accounts:test': refuse('accounts:test'),
    'accounts:set-secret': refuse('accounts:set-secret'),
    'accounts:forget-secret': refuse('accounts:forget-secret'),
    'accounts:has-secret': (payload: ValidRequestOf<'accounts:has-secret'>) => {
      calls.push({ channel: 'accounts:has-secret', payload });
      return Promise.resolve(payload.accountId === 'saved');
    },
    'accounts:configure': refuse('accounts:configure'),
    'sync:send-receive': refuse('sync:send-receive'),
    'sync:set-offline': refuse('sync:set-offline'),
    'sync:confirm-migration': refuse('sync:confirm-migration'),
    'app:open-external': refuse('app:open-external'),
    'app:command-state': refuse('app:command-state'),
    'app:info': (payload) => {
      calls.push({ channel: 'app:info', payload });
      return Promise.resolve({ version: '9.9.9', host: 'browser', platform: 'test' });
    },
  };
}

/**
 * Sends `request` verbatim and returns what the server wrote until it closed (or 2 s passed); with `headOnly`,
 * only until the end of the response head (an upgraded connection stays open).
 */
export function rawHttp(port: number, request: string, host = '127.0.0.1', headOnly = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (headOnly && Buffer.concat(chunks).includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

export function get(port: number, target: string, headers: Record<string, string> = {}): Promise<string> {
  const lines = Object.entries({ Host: `127.0.0.1:${port}`, Connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return rawHttp(port, `GET ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
}

export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}

export function headerOf(response: string, name: string): string | undefined {
  const head = response.split('\r\n\r\n', 1)[0] ?? '';
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** Opens a `ws` client; resolves when open, rejects with the HTTP status when the upgrade is refused. */
export function openClient(url: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`status ${res.statusCode ?? 0}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

export function sendMessage(ws: WebSocket, message: unknown): void {
  ws.send(encodeFrame(message));
}

/** The next decoded message matching `pick`. */
export function nextMessage(ws: WebSocket, pick: (m: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = decodeFrame(new Uint8Array(data)) as Record<string, unknown>;
      if (!pick(message)) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
  });
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

export function ipcUrl(port: number, token: string | undefined): string {
  return `ws://127.0.0.1:${port}/ipc${token === undefined ? '' : `?token=${token}`}`;
}
