/**
 * Everything the demo runs in this process: the POP3 demo server filled with the sample mail, a loopback server
 * for the newsletters' "remote" images, and the browser bridge with Poplar's real services (passwords in memory
 * only). Shared by `demo.ts` (the command) and `scripts/screenshots.ts`.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { startBridge, type Bridge } from '../browser/server.ts';
import { SILENT_LOGGER, type Logger } from '../log.ts';
import { createServices } from '../services/services.ts';
import { MemoryVault } from '../vault/vault.ts';
import { startDemoServer, type DemoMessage, type DemoServer } from './demo-server.ts';
import { picture } from './pictures.ts';
import { arrivingMessage, ROBIN, sampleMail } from './sample-mail.ts';

/** What to type into "Add account" (and what the demo types itself with `--open`). */
export interface DemoAccount {
  readonly name: string;
  readonly email: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly security: 'none';
  readonly user: string;
  readonly password: string;
}

export interface DemoOptions {
  /** The built renderer (dist/renderer). */
  readonly staticDir: string;
  /** 0: any free port. */
  readonly bridgePort: number;
  readonly pop3Port: number;
  readonly version: string;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export interface Demo {
  readonly bridge: Bridge;
  readonly pop3: DemoServer;
  /** The base URL of the loopback image server, as the sample mail uses it. */
  readonly imageBase: string;
  readonly account: DemoAccount;
  /** Puts the next "arriving" message on the server and returns it. */
  deliver(): DemoMessage;
  close(): Promise<void>;
}

export const DEMO_USER = 'demo';
export const DEMO_PASSWORD = 'demo';

/** Serves the pictures of pictures.ts as `/<name>.png` (GET and HEAD only), and logs who asked. */
async function startImageServer(log: Logger): Promise<{ readonly base: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const name = /^\/([a-z0-9-]{1,40})\.png(?:\?[\w=&-]{0,100})?$/.exec(req.url ?? '')?.[1];
    const image = name === undefined ? undefined : picture(name);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || image === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    log.info('a remote image was fetched (the reader chose "Show images")', { path: req.url });
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': image.length, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : image);
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the image server has no TCP address');
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const log = options.logger ?? SILENT_LOGGER;
  const now = options.now ?? Date.now;
  const runId = randomBytes(4).toString('hex');
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const images = await startImageServer(log);
    closers.push(() => images.close());
    const pop3 = await startDemoServer({
      user: DEMO_USER,
      password: DEMO_PASSWORD,
      port: options.pop3Port,
      messages: sampleMail({ now: now(), imageBase: images.base }),
    });
    closers.push(() => pop3.close());
    const bridge = await startBridge({
      staticDir: options.staticDir,
      port: options.bridgePort,
      logger: log,
      services: (host) =>
        createServices({
          vault: new MemoryVault(),
          host,
          hostKind: 'browser',
          version: options.version,
          logger: log,
          openExternal: (url) => {
            // The sample mail links only to .example domains, which lead nowhere: say what would have opened.
            log.info('a link was clicked; the demo does not open links', { url });
            return Promise.resolve();
          },
        }),
    });
    closers.push(() => bridge.close());
    let arrived = 0;
    return {
      bridge,
      pop3,
      imageBase: images.base,
      account: {
        name: 'Fernhill Maps (demo)',
        email: ROBIN.address,
        host: '127.0.0.1',
        port: pop3.port,
        security: 'none',
        user: DEMO_USER,
        password: DEMO_PASSWORD,
      },
      deliver: () => {
        const message = arrivingMessage(arrived++, now(), runId);
        pop3.add(message);
        return message;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
