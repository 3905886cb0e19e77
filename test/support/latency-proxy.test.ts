import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return address.port;
}

async function proxyTo(port: number, oneWayMs: number, extra: Partial<Parameters<typeof startLatencyProxy>[0]> = {}): Promise<LatencyProxy> {
  const proxy = await startLatencyProxy({ targetHost: '127.0.0.1', targetPort: port, oneWayMs, ...extra });
  cleanups.push(() => proxy.close());
  return proxy;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
    cleanups.push(() => {
      socket.destroy();
      return Promise.resolve();
    });
  });
}

function nextData(socket: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => socket.once('data', resolve));
}

describe('latency proxy', () => {
  it('adds at least 2 × oneWayMs to every round trip', async () => {
    const echoPort = await listen((socket) => socket.on('data', (chunk: Buffer) => socket.write(chunk)));
    const oneWayMs = 25;
    const proxy = await proxyTo(echoPort, oneWayMs);
    const socket = await connect(proxy.port);
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      const reply = nextData(socket);
      socket.write(`ping ${i}\n`);
      expect((await reply).toString()).toBe(`ping ${i}\n`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(2 * oneWayMs);
    }
    expect(proxy.connections).toBe(1);
  });

  it('passes 1 MB intact and in order, in small and large writes, both ways', async () => {
    const payload = randomBytes(1024 * 1024);
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    // The server echoes everything and closes its side when the client has closed its side.
    const echoPort = await listen((socket) => {
      socket.on('data', (chunk: Buffer) => socket.write(chunk));
      socket.on('end', () => socket.end());
    });
    const proxy = await proxyTo(echoPort, 5);
    const socket = await connect(proxy.port);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.once('end', resolve));
    // Writes of varied sizes, from 1 byte to 64 KiB, so the FIFO holds many entries at once.
    let offset = 0;
    let size = 1;
    while (offset < payload.length) {
      socket.write(payload.subarray(offset, offset + size));
      offset += size;
      size = size >= 65536 ? 1 : size * 2;
    }
    socket.end();
    await ended;
    const echoed = Buffer.concat(received);
    expect(echoed.length).toBe(payload.length);
    expect(digest(echoed)).toBe(digest(payload));
  });

  it('lets a hook cut the connection after N bytes from the server', async () => {
    const serverPort = await listen((socket) => socket.end(Buffer.alloc(10_000, 0x61)));
    const proxy = await proxyTo(serverPort, 1, {
      onServerChunk: (chunk, { offset }) => {
        const limit = 1234;
        if (offset + chunk.length <= limit) return undefined;
        return { forward: chunk.subarray(0, Math.max(0, limit - offset)), cut: 'close' };
      },
    });
    const socket = await connect(proxy.port);
    let total = 0;
    socket.on('data', (chunk: Buffer) => (total += chunk.length));
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(total).toBe(1234);
  });
});
