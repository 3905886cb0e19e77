/**
 * Support for the reading pane's browser tests: bundle the harness page with Vite, serve it on loopback, and
 * start Debian's Chromium through playwright-core. Nothing is downloaded; without /usr/bin/chromium the tests
 * are skipped (see sanitize.browser.test.ts).
 */
import react from '@vitejs/plugin-react';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../../support/chromium.ts';
import type { HarnessEvents, HarnessGlobal, PaneSpec } from './harness-api.ts';
import { PNG_BASE64 } from './hostile.ts';

export { CHROMIUM };
export const HAS_CHROMIUM = existsSync(CHROMIUM);

const HARNESS_ROOT = fileURLToPath(new URL('./browser/', import.meta.url));

/** Bundles browser/index.html and its harness into a fresh temporary folder; returns the folder. */
export async function buildHarness(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'poplar-reading-'));
  await build({
    configFile: false,
    root: HARNESS_ROOT,
    base: './',
    logLevel: 'warn',
    publicDir: false,
    plugins: [react()],
    build: { outDir, emptyOutDir: true, minify: false, sourcemap: false, reportCompressedSize: false, target: 'esnext' },
  });
  return outDir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface StaticServer {
  readonly origin: string;
  /** Every path requested, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves a folder on 127.0.0.1 (a free port), with extra headers on every response. */
export async function serveDir(dir: string, headers: Readonly<Record<string, string>> = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
        res.end(body);
      },
      () => {
        res.writeHead(404).end();
      },
    );
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...CHROMIUM_ARGS,
      // Loopback only: a name that slips past the tests' own routing fails to resolve instead of going out.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

/** The loopback "internet": records every request; images are a 1x1 PNG, style sheets colour #text. */
export interface Network {
  readonly origin: string;
  readonly hits: string[];
  close(): Promise<void>;
}

export async function startNetwork(): Promise<Network> {
  const hits: string[] = [];
  const png = Buffer.from(PNG_BASE64, 'base64');
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    if (path.endsWith('.css')) {
      res.writeHead(200, { 'Content-Type': 'text/css' }).end('#text { color: rgb(7, 8, 9); }');
    } else {
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What a browser test of the pane runs against: the harness built and served on loopback, the recording
 * "internet", Chromium, and one page on the harness, ready.
 */
export interface HarnessSession {
  readonly site: StaticServer;
  readonly network: Network;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the browser and both servers, and removes the build. */
  close(): Promise<void>;
}

/** Opens a HarnessSession; `setUp` may route the context's requests before the page opens. */
export async function openHarness(setUp?: (context: BrowserContext) => Promise<unknown>): Promise<HarnessSession> {
  const outDir = await buildHarness();
  const site = await serveDir(outDir);
  const network = await startNetwork();
  const browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true });
  await setUp?.(context);
  const page = await context.newPage();
  await page.goto(`${site.origin}/`);
  await page.waitForFunction(() => 'poplarHarness' in globalThis);
  return {
    site,
    network,
    browser,
    context,
    page,
    close: async () => {
      await browser.close();
      await site.close();
      await network.close();
      await removeDir(outDir);
    },
  };
}

/** The reading pane's message frame on `page`, once its document has loaded. */
export async function loadedMessageFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe.rp-frame');
  const frame = await handle.contentFrame();
  if (frame === null) throw new Error('the message frame has no document');
  await frame.waitForLoadState('load');
  return frame;
}

/** The harness's pane calls both browser test files make, on the page `page()` gives when each is made. */
export function paneCalls(page: () => Page) {
  return {
    mountPane: (spec: PaneSpec) =>
      page().evaluate((s) => (globalThis as unknown as HarnessGlobal).poplarHarness.mountPane(s), spec),
    select: (spec: PaneSpec) =>
      page().evaluate((s) => {
        (globalThis as unknown as HarnessGlobal).poplarHarness.select(s);
      }, spec),
    setRemoteAllowed: (allowed: boolean) =>
      page().evaluate((a) => (globalThis as unknown as HarnessGlobal).poplarHarness.setRemoteAllowed(a), allowed),
    events: (): Promise<HarnessEvents> =>
      page().evaluate(() => (globalThis as unknown as HarnessGlobal).poplarHarness.events()),
  };
}
