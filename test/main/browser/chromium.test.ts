/**
 * The bridge with a real browser: a page built from renderer/bridge/ (vite), served by the bridge, in Debian's
 * Chromium. Proves what a Node client cannot: the page's CSP allows its own socket, the browser's Origin passes
 * the check, the DOM WebSocket fits the client, and message bytes survive. Skipped without /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, uidl } from '../../../app/ids.ts';
import { startBridge, type Bridge } from '../../../main/browser/server.ts';
import { fakeHandlers } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const BRIDGE_INDEX = fileURLToPath(new URL('../../../renderer/bridge/index.ts', import.meta.url));

/** A page that connects through getMainApi() and writes what it sees into the DOM. */
const PAGE = `
import { getHostKind, getMainApi } from ${JSON.stringify(BRIDGE_INDEX)};
const api = getMainApi();
api.on('sync:offline', (payload) => { document.body.dataset.event = JSON.stringify(payload); });
api.serve('store:apply-sync-batch', async (request) => {
  document.body.dataset.bytes = Array.from(request.batch.wholes[0].bytes).join(',');
  return null;
});
const result = await api.invoke('app:info', {});
document.body.dataset.result = JSON.stringify({ kind: getHostKind(), result });
`;

async function buildPage(): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'poplar-page-'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title><script type="module" src="./main.ts"></script>');
  writeFileSync(path.join(root, 'main.ts'), PAGE);
  const outDir = path.join(root, 'dist');
  await build({ root, logLevel: 'silent', configFile: false, build: { outDir, target: 'es2022' } });
  return outDir;
}

describe.skipIf(!existsSync(CHROMIUM))('the bridge in Chromium', () => {
  let bridge: Bridge;
  let browser: Browser;

  beforeAll(async () => {
    bridge = await startBridge({ staticDir: await buildPage(), services: () => ({ handlers: fakeHandlers([]) }) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser.close();
    await bridge.close();
  });

  it('connects from its own page under the CSP, invokes, hears events and serves byte-exact batches', async () => {
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) cspViolations.push(m.text());
    });
    await page.goto(bridge.url);
    // Page-side code is passed as selectors and strings: the test project has no DOM types.
    await page.waitForSelector('body[data-result]', { state: 'attached' });
    expect(JSON.parse((await page.getAttribute('body', 'data-result')) ?? '')).toEqual({
      kind: 'browser',
      result: { ok: true, value: { version: '9.9.9', host: 'browser', platform: 'test' } },
    });

    bridge.host.emit('sync:offline', { offline: true });
    await page.waitForSelector('body[data-event]', { state: 'attached' });
    expect(await page.getAttribute('body', 'data-event')).toBe('{"offline":true}');

    const bytes = new Uint8Array([0, 1, 2, 13, 10, 46, 13, 10, 255]);
    const preview = { from: [], to: [], cc: [], subject: '', previewText: '', hasAttachments: false };
    await bridge.host.request('store:apply-sync-batch', {
      accountId: accountId('a'),
      batch: {
        now: 1,
        previews: [],
        adopted: [],
        stateUpdates: [],
        forgotten: [],
        wholes: [{ ref: { uid: uidl('u'), ordinal: 0 }, size: bytes.length, firstSeen: 1, keepOnServer: false, preview, bytes }],
      },
    });
    expect(await page.getAttribute('body', 'data-bytes')).toBe(Array.from(bytes).join(','));
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('does not let a page of another origin connect, even with the token', async () => {
    const page = await browser.newPage();
    await page.goto('about:blank');
    const url = `ws://127.0.0.1:${bridge.port}/ipc?token=${bridge.token}`;
    const outcome = await page.evaluate(
      `new Promise((resolve) => {
        const ws = new WebSocket(${JSON.stringify(url)});
        ws.onopen = () => resolve('open');
        ws.onclose = () => resolve('refused');
      })`,
    );
    expect(outcome).toBe('refused');
    expect(bridge.connected).toBe(false);
    await page.close();
  });
});
