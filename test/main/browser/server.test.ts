import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { accountId } from '../../../app/ids.ts';
import { startBridge, type Bridge } from '../../../main/browser/server.ts';
import type { HostPort } from '../../../main/services/services.ts';
import {
  closed,
  fakeHandlers,
  get,
  headerOf,
  ipcUrl,
  makeStaticDir,
  nextMessage,
  openClient,
  rawHttp,
  SECRET,
  sendMessage,
  statusOf,
  type RecordedCall,
} from './helpers.ts';

let bridge: Bridge;
let calls: RecordedCall[];
let host: HostPort | undefined;
let stopped = 0;
const clients: WebSocket[] = [];

/** A `ws` client; `token: null` or `origin: null` leave them out. */
async function client(options: { token?: string | null; origin?: string | null } = {}): Promise<WebSocket> {
  const token = options.token === undefined ? bridge.token : (options.token ?? undefined);
  const origin = options.origin === undefined ? bridge.origin : (options.origin ?? undefined);
  const ws = await openClient(ipcUrl(bridge.port, token), origin);
  clients.push(ws);
  return ws;
}

beforeEach(async () => {
  calls = [];
  stopped = 0;
  bridge = await startBridge({
    staticDir: makeStaticDir(),
    requestTimeoutMs: 500,
    services: (h) => {
      host = h;
      return {
        handlers: fakeHandlers(calls),
        stop: () => {
          stopped++;
        },
      };
    },
  });
});

afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  await bridge.close();
});

describe('the bridge: who may connect', () => {
  it('listens on 127.0.0.1 only and prints a URL with a 64-hex token', async () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    expect(bridge.token).toMatch(/^[0-9a-f]{64}$/);
    expect(host).toBe(bridge.host);
    // The rest of 127/8 is loopback too; a socket bound to 127.0.0.1 alone does not answer there.
    await expect(rawHttp(bridge.port, 'GET / HTTP/1.1\r\n\r\n', '127.0.0.2')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(
      new Promise((resolve, reject) => {
        const s = net.connect({ host: '::1', port: bridge.port }, () => resolve(s.destroy()));
        s.on('error', reject);
      }),
    ).rejects.toBeDefined();
  });

  it('refuses a wrong or missing token with a bare 401 and no upgrade', async () => {
    await expect(client({ token: '0'.repeat(64) })).rejects.toThrow('status 401');
    await expect(client({ token: null })).rejects.toThrow('status 401');
    await expect(client({ token: '' })).rejects.toThrow('status 401');
    await expect(client({ token: `${bridge.token}x` })).rejects.toThrow('status 401');
    // A wrong token is refused even from the right origin, and from a wrong one the token decides first.
    await expect(client({ token: 'x', origin: 'http://evil.example' })).rejects.toThrow('status 401');
    const upgrade = (token: string): string =>
      [
        `GET /ipc?token=${token} HTTP/1.1`,
        `Host: 127.0.0.1:${bridge.port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        `Origin: ${bridge.origin}`,
        '',
        '',
      ].join('\r\n');
    const response = await rawHttp(bridge.port, upgrade('nope'));
    expect(response).toBe('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    // The same request with the right token is upgraded.
    expect(statusOf(await rawHttp(bridge.port, upgrade(bridge.token), '127.0.0.1', true))).toBe(101);
  });

  it('refuses the right token from another origin, or from no origin', async () => {
    await expect(client({ origin: 'http://evil.example' })).rejects.toThrow('status 403');
    await expect(client({ origin: `http://localhost:${bridge.port}` })).rejects.toThrow('status 403');
    await expect(client({ origin: `http://127.0.0.1:${bridge.port + 1}` })).rejects.toThrow('status 403');
    await expect(client({ origin: 'null' })).rejects.toThrow('status 403');
    await expect(client({ origin: null })).rejects.toThrow('status 403');
    expect(bridge.connected).toBe(false);
    await client();
    expect(bridge.connected).toBe(true);
  });
});

describe('the bridge: the contract over the socket', () => {
  it('answers a good request from its handler, with the same id', async () => {
    const ws = await client();
    const answer = nextMessage(ws, (m) => m.t === 'result');
    sendMessage(ws, { t: 'invoke', id: 7, channel: 'accounts:has-secret', payload: { accountId: 'saved' } });
    expect(await answer).toEqual({ t: 'result', id: 7, result: { ok: true, value: true } });
    expect(calls).toEqual([{ channel: 'accounts:has-secret', payload: { accountId: 'saved' } }]);
  });

  it('refuses a bad payload or an unknown channel as INVALID_ARGUMENT, before any handler', async () => {
    const ws = await client();
    const first = nextMessage(ws, (m) => m.id === 1);
    const second = nextMessage(ws, (m) => m.id === 2);
    sendMessage(ws, { t: 'invoke', id: 1, channel: 'accounts:has-secret', payload: { accountId: 'not valid!' } });
    sendMessage(ws, { t: 'invoke', id: 2, channel: 'shell:exec', payload: {} });
    expect(await first).toMatchObject({ result: { ok: false, error: { code: 'INVALID_ARGUMENT' } } });
    expect(await second).toMatchObject({ result: { ok: false, error: { code: 'INVALID_ARGUMENT' } } });
    expect(calls).toEqual([]);
  });

  it('carries a handler failure as data', async () => {
    const ws = await client();
    const answer = nextMessage(ws, (m) => m.id === 3);
    sendMessage(ws, { t: 'invoke', id: 3, channel: 'sync:set-offline', payload: { offline: true } });
    expect(await answer).toMatchObject({ result: { ok: false, error: { code: 'NOT_SUPPORTED' } } });
  });

  it('delivers events to the window, and drops them quietly without one', async () => {
    bridge.host.emit('sync:offline', { offline: true });
    const ws = await client();
    const event = nextMessage(ws, (m) => m.t === 'event');
    bridge.host.emit('sync:status', { accountId: accountId('a'), activity: 'running', retryAttempt: 0 });
    expect(await event).toEqual({
      t: 'event',
      channel: 'sync:status',
      payload: { accountId: 'a', activity: 'running', retryAttempt: 0 },
    });
  });

  it('closes a connection that sends text frames or frames it cannot decode', async () => {
    const text = await client();
    const textClosed = closed(text);
    text.send('{"t":"invoke"}');
    expect((await textClosed).code).toBe(1003);
    const garbage = await client();
    const garbageClosed = closed(garbage);
    garbage.send(new Uint8Array([0, 0, 0, 9, 1, 2]));
    expect((await garbageClosed).code).toBe(1008);
  });

  it('lets a second window take over: the first is closed with 4001 and its requests fail', async () => {
    const first = await client();
    const firstClosed = closed(first);
    const pending = expect(bridge.host.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
    await nextMessage(first, (m) => m.t === 'request');
    const second = await client();
    expect((await firstClosed).code).toBe(4001);
    await pending;
    const answer = nextMessage(second, (m) => m.t === 'result');
    sendMessage(second, { t: 'invoke', id: 1, channel: 'app:info', payload: {} });
    expect(await answer).toMatchObject({ result: { ok: true, value: { version: '9.9.9' } } });
  });
});

describe("the bridge: main's requests to the window", () => {
  it('fails at once with STORE_FAILED when no window is connected', async () => {
    await expect(bridge.host.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
  });

  it('fails with STORE_FAILED when the window disconnects mid-request', async () => {
    const ws = await client();
    const pending = expect(bridge.host.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('went away') as unknown,
    });
    const request = await nextMessage(ws, (m) => m.t === 'request');
    expect(request).toMatchObject({ channel: 'store:load-sync-state', payload: { accountId: 'a' } });
    ws.close();
    await pending;
  });

  it('fails with STORE_FAILED when the window does not answer in time', async () => {
    await client();
    const started = Date.now();
    await expect(bridge.host.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('did not answer') as unknown,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it("resolves with the window's value and rejects with the window's error code", async () => {
    const ws = await client();
    const ok = bridge.host.request('store:load-sync-state', { accountId: accountId('a') });
    const first = await nextMessage(ws, (m) => m.t === 'request');
    sendMessage(ws, { t: 'reply', id: first.id, result: { ok: true, value: { state: [], firstSync: true } } });
    expect(await ok).toEqual({ state: [], firstSync: true });

    const bad = bridge.host.request('store:load-sync-state', { accountId: accountId('b') });
    const second = await nextMessage(ws, (m) => m.t === 'request');
    sendMessage(ws, {
      t: 'reply',
      id: second.id,
      result: { ok: false, error: { code: 'STORE_QUOTA', message: 'The disk is full.', details: {} } },
    });
    await expect(bad).rejects.toMatchObject({ code: 'STORE_QUOTA', message: 'The disk is full.' });
  });
});

describe('the bridge: static files', () => {
  const CSP = (port: number): string =>
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline' https: http:; img-src 'self' data: blob: https: http:; " +
    `frame-src 'self' blob: about:; connect-src 'self' ws://127.0.0.1:${port}; object-src 'none'; base-uri 'none'; ` +
    "form-action 'none'";

  it('serves index.html and assets with their types and the security headers', async () => {
    const index = await get(bridge.port, '/?token=whatever');
    expect(statusOf(index)).toBe(200);
    expect(headerOf(index, 'Content-Type')).toBe('text/html; charset=utf-8');
    expect(headerOf(index, 'Content-Security-Policy')).toBe(CSP(bridge.port));
    expect(headerOf(index, 'X-Content-Type-Options')).toBe('nosniff');
    expect(headerOf(index, 'Referrer-Policy')).toBe('no-referrer');
    expect(index).toContain('<title>Poplar</title>');
    const script = await get(bridge.port, '/assets/app.js');
    expect(headerOf(script, 'Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(headerOf(script, 'Content-Security-Policy')).toBe(CSP(bridge.port));
    expect(headerOf(await get(bridge.port, '/assets/style.css'), 'Content-Type')).toBe('text/css; charset=utf-8');
    expect(statusOf(await get(bridge.port, '/assets/missing.js'))).toBe(404);
  });

  it.each([
    '/../package.json',
    '/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/%2E%2E/package.json',
    '/..%2fpackage.json',
    '/..%2f..%2fpackage.json',
    '/assets/..%2f..%2f..%2fpackage.json',
    '/assets/..%5c..%5c..%5cpackage.json',
    '/..\\..\\package.json',
    '//../secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/.%2e/secret.txt',
    '/%252e%252e/package.json',
    '/link-out.json',
    '/.hidden',
    '/%00index.html',
    '/%zz',
    'http://127.0.0.1/../package.json',
  ])('refuses %s', async (target) => {
    const response = await get(bridge.port, target);
    expect([400, 404]).toContain(statusOf(response));
    expect(response).not.toContain(SECRET);
  });

  it('refuses other methods, and Host names other than its own (DNS rebinding)', async () => {
    const post = await rawHttp(bridge.port, `POST / HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(statusOf(post)).toBe(405);
    expect(statusOf(await get(bridge.port, '/', { Host: `evil.example:${bridge.port}` }))).toBe(421);
  });

  it('stops the services and closes the window connection on close', async () => {
    const ws = await client();
    const wsClosed = closed(ws);
    await bridge.close();
    expect((await wsClosed).code).toBe(1001);
    expect(stopped).toBe(1);
    await bridge.close();
    expect(stopped).toBe(1);
  });
});
