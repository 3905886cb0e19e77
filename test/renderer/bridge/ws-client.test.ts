import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { mailError } from '../../../app/errors.ts';
import { accountId, uidl } from '../../../app/ids.ts';
import type { SyncBatch } from '../../../app/sync/batch.ts';
import { startBridge, type Bridge } from '../../../main/browser/server.ts';
import type { Handlers } from '../../../main/services/dispatch.ts';
import { connectBridge, socketUrl, webSocketOpener, type BridgeClient, type OpenSocket } from '../../../renderer/bridge/ws-client.ts';
import { fakeHandlers, makeStaticDir } from '../../main/browser/helpers.ts';

const bridges: Bridge[] = [];
const clients: BridgeClient[] = [];

/** The `ws` package's WebSocket, sending the Origin a browser would send for the bridge's page. */
function opener(origin: string): OpenSocket {
  return webSocketOpener(
    class extends WebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    },
  );
}

async function bridge(options: { port?: number; token?: string; handlers?: Partial<Handlers> } = {}): Promise<Bridge> {
  const b = await startBridge({
    staticDir: makeStaticDir(),
    port: options.port,
    token: options.token,
    requestTimeoutMs: 2000,
    services: () => ({ handlers: { ...fakeHandlers([]), ...options.handlers } }),
  });
  bridges.push(b);
  return b;
}

function client(b: Bridge, options: Parameters<typeof connectBridge>[1] = {}): BridgeClient {
  const c = connectBridge({ href: b.url }, { openSocket: opener(b.origin), backoffInitialMs: 20, backoffMaxMs: 100, ...options });
  clients.push(c);
  return c;
}

function until(check: () => boolean, ms = 3000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > ms) reject(new Error('timed out waiting'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of bridges.splice(0)) await b.close();
});

describe('socketUrl', () => {
  it('points at /ipc on the page host with the page token', () => {
    expect(socketUrl('http://127.0.0.1:17110/?token=abc')).toBe('ws://127.0.0.1:17110/ipc?token=abc');
    expect(socketUrl('https://poplar.test/app/?x=1&token=a%2Bb#frag')).toBe('wss://poplar.test/ipc?token=a%2Bb');
    expect(socketUrl('http://127.0.0.1:17110/')).toBeUndefined();
    expect(socketUrl('http://127.0.0.1:17110/?token=')).toBeUndefined();
    expect(socketUrl('not a url')).toBeUndefined();
  });
});

describe('the WebSocket client against a real bridge', () => {
  it('invokes, and gets validation failures as data', async () => {
    const c = client(await bridge());
    expect(await c.invoke('app:info', {})).toEqual({ ok: true, value: { version: '9.9.9', host: 'browser', platform: 'test' } });
    expect(c.connected).toBe(true);
    const bad = await c.invoke('accounts:has-secret', { accountId: 'spaces are not allowed' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('delivers events to listeners of their channel until they unsubscribe; a throwing listener is reported', async () => {
    const b = await bridge();
    const reported: unknown[] = [];
    const c = client(b, { reportError: (e) => reported.push(e) });
    await until(() => c.connected);
    const seen: unknown[] = [];
    c.on('sync:offline', () => {
      throw new Error('listener bug');
    });
    const off = c.on('sync:offline', (p) => seen.push(p));
    c.on('sync:progress', () => seen.push('wrong channel'));
    b.host.emit('sync:offline', { offline: true });
    await until(() => seen.length === 1);
    off();
    b.host.emit('sync:offline', { offline: false });
    expect(await c.invoke('app:info', {})).toMatchObject({ ok: true });
    expect(seen).toEqual([{ offline: true }]);
    expect(reported).toHaveLength(2);
  });

  it("serves main's store requests: a sync batch with message bytes arrives byte-exact", async () => {
    const b = await bridge();
    const c = client(b);
    const bodies = [new Uint8Array(70_000).map((_, i) => (i * 31) % 256), new Uint8Array([0x2e, 0x0d, 0x0a]), new Uint8Array(0)];
    const batch: SyncBatch = {
      now: 1_700_000_000_000,
      previews: [],
      wholes: [
        {
          ref: { uid: uidl('$bin'), ordinal: 0 },
          size: 70_000,
          firstSeen: 1,
          keepOnServer: false,
          preview: { from: [], to: [], cc: [], subject: 'Ünïcödé ✉', previewText: '', hasAttachments: false },
          bytes: [bodies[0] ?? new Uint8Array(), bodies[1] ?? new Uint8Array()],
        },
      ],
      adopted: [],
      stateUpdates: [],
      forgotten: [],
      unidentified: [
        { id: 'run:1', size: 0, preview: { from: [], to: [], cc: [], subject: '', previewText: '', hasAttachments: false }, bytes: bodies[2] ?? new Uint8Array() },
      ],
    };
    const received: unknown[] = [];
    c.serve('store:apply-sync-batch', (request) => {
      received.push(request);
      return Promise.resolve(null);
    });
    await until(() => c.connected);
    await expect(b.host.request('store:apply-sync-batch', { accountId: accountId('a'), batch })).resolves.toBeNull();
    expect(received).toEqual([{ accountId: 'a', batch }]);
    const got = received[0] as { batch: SyncBatch };
    const whole = got.batch.wholes[0]?.bytes as Uint8Array[];
    expect(Buffer.from(whole[0] ?? []).equals(Buffer.from(bodies[0] ?? []))).toBe(true);
    expect(whole[0]).toBeInstanceOf(Uint8Array);
  });

  it("answers with the store's error code, and with STORE_FAILED when nothing serves a channel", async () => {
    const b = await bridge();
    const c = client(b);
    c.serve('store:load-sync-state', () => Promise.reject(mailError('STORE_QUOTA', 'The disk is full.')));
    await until(() => c.connected);
    await expect(b.host.request('store:load-sync-state', { accountId: accountId('a') })).rejects.toMatchObject({
      code: 'STORE_QUOTA',
      message: 'The disk is full.',
    });
    await expect(
      b.host.request('store:apply-sync-batch', { accountId: accountId('a'), batch: { now: 0, previews: [], wholes: [], adopted: [], stateUpdates: [], forgotten: [] } }),
    ).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });

  it('reconnects after the bridge restarts on the same port and token, and says so', async () => {
    const first = await bridge();
    const c = client(first, { connectWaitMs: 100 });
    const changes: boolean[] = [];
    c.onConnectionChange((up) => changes.push(up));
    await until(() => c.connected);
    await first.close();
    await until(() => !c.connected);
    expect((await c.invoke('app:info', {})).ok).toBe(false);
    await bridge({ port: first.port, token: first.token });
    await until(() => c.connected);
    expect(await c.invoke('app:info', {})).toMatchObject({ ok: true });
    expect(changes).toEqual([true, false, true]);
  });

  it('a call made while the connection is being made waits for it', async () => {
    const b = await bridge();
    const c = client(b);
    expect(c.connected).toBe(false);
    expect(await c.invoke('app:info', {})).toMatchObject({ ok: true });
  });

  it('fails calls as CONNECTION_CLOSED when the socket drops mid-call, and as IDLE_TIMEOUT when main is slow', async () => {
    const hang = (): Promise<never> => new Promise<never>(() => undefined);
    const b = await bridge({ handlers: { 'sync:send-receive': hang } });
    const c = client(b, { invokeTimeoutMs: 300 });
    expect(await c.invoke('sync:send-receive', {})).toMatchObject({ ok: false, error: { code: 'IDLE_TIMEOUT' } });
    const inFlight = c.invoke('sync:send-receive', {});
    await until(() => c.connected);
    await b.close();
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'CONNECTION_CLOSED' } });
  });

  it('stops for good when another window takes over (close code 4001)', async () => {
    const b = await bridge();
    const first = client(b);
    await until(() => first.connected);
    const second = client(b);
    await until(() => second.connected && !first.connected);
    const result = await first.invoke('app:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'CONNECTION_CLOSED', message: expect.stringContaining('another window') as unknown } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.connected).toBe(false);
    expect(second.connected).toBe(true);
  });
});

describe('the WebSocket client without a bridge', () => {
  it('without a token it never connects, and every call fails at once as data', async () => {
    let opened = 0;
    const c = connectBridge({ href: 'http://127.0.0.1:1/' }, { openSocket: () => {
      opened++;
      throw new Error('must not be called');
    } });
    clients.push(c);
    expect(await c.invoke('app:info', {})).toMatchObject({ ok: false, error: { code: 'CONNECTION_CLOSED', message: expect.stringContaining('access token') as unknown } });
    expect(opened).toBe(0);
  });

  it('without a WebSocket, calls fail as data', async () => {
    const c = connectBridge({ href: 'http://127.0.0.1:1/?token=t' }, { openSocket: null });
    clients.push(c);
    expect(await c.invoke('app:info', {})).toMatchObject({ ok: false, error: { code: 'CONNECTION_CLOSED' } });
  });

  it('when nothing listens, a call waits connectWaitMs while it retries, then fails as CONNECTION_CLOSED', async () => {
    const b = await bridge();
    const port = b.port;
    await b.close();
    bridges.length = 0;
    let attempts = 0;
    const base = opener(`http://127.0.0.1:${port}`);
    const c = connectBridge(
      { href: `http://127.0.0.1:${port}/?token=${'a'.repeat(64)}` },
      {
        openSocket: (url, events) => {
          attempts++;
          return base(url, events);
        },
        connectWaitMs: 400,
        backoffInitialMs: 20,
        backoffMaxMs: 50,
      },
    );
    clients.push(c);
    const started = Date.now();
    expect(await c.invoke('app:info', {})).toMatchObject({ ok: false, error: { code: 'CONNECTION_CLOSED' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(attempts).toBeGreaterThan(2);
  });

  it('refuses unknown channels without throwing', () => {
    const reported: unknown[] = [];
    const c = connectBridge({ href: 'http://127.0.0.1:1/' }, { openSocket: null, reportError: (e) => reported.push(e) });
    clients.push(c);
    const off = c.on('no:such' as 'sync:offline', () => undefined);
    const unserve = c.serve('no:such' as 'store:load-sync-state', () => Promise.resolve({ state: [], firstSync: true }));
    off();
    unserve();
    expect(reported).toHaveLength(2);
  });
});
