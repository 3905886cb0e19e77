/**
 * `tsx scripts/screenshots.ts [--static-dir DIR] [--out DIR] [--fonts DIR]` (`npm run screenshots`): pictures of
 * the real window for the README. Runs the demo (POP3 demo server, image server, browser bridge with the real
 * services) and Debian's Chromium through playwright-core at 1280×800, goes through the states a newcomer meets,
 * and writes a PNG of each to docs/screenshots/. Build the window first (vite build). The sample mail has a
 * Japanese subject: without a CJK font (fonts-noto-cjk) it shows as boxes, and the script says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { chromium, type Locator, type Page } from 'playwright-core';
import { fillAccountDialog, saveAccount, testAccount, waitForMessages } from '../main/demo/drive-window.ts';
import { startDemo, type Demo, type DemoAccount } from '../main/demo/run-demo.ts';
import { Pop3Session } from '../main/pop3/session.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
/** README pictures stay small: screenshots are stored as indexed PNGs (toPalettePng, below). */
const MAX_BYTES = 200 * 1024;

const say = (text: string): boolean => process.stdout.write(`${text}\n`);

interface Options {
  readonly staticDir: string;
  readonly out: string;
  /** More fonts for Chromium only (the sample mail has Japanese and Greek), through a private fontconfig file. */
  readonly fonts?: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: { 'static-dir': { type: 'string' }, out: { type: 'string' }, fonts: { type: 'string' } },
    strict: true,
  });
  return {
    staticDir: path.resolve(values['static-dir'] ?? path.join(REPO_ROOT, 'dist', 'renderer')),
    out: path.resolve(values.out ?? path.join(REPO_ROOT, 'docs', 'screenshots')),
    fonts: values.fonts === undefined ? undefined : path.resolve(values.fonts),
  };
}

/** Chromium's environment: with `--fonts`, a fontconfig file that adds that directory to the system's fonts. */
function browserEnv(fonts: string | undefined, scratch: string): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])));
  if (fonts === undefined) {
    const japanese = spawnSync('fc-list', [':lang=ja'], { encoding: 'utf8' });
    if (japanese.status === 0 && japanese.stdout.trim() === '') {
      say('No Japanese font here: one subject will show as boxes. Install fonts-noto-cjk, or pass --fonts DIR.');
    }
    return env;
  }
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const file = path.join(scratch, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
      `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>${escape(fonts)}</dir>\n` +
      `  <cachedir>${escape(path.join(scratch, 'cache'))}</cachedir>\n</fontconfig>\n`,
  );
  return { ...env, FONTCONFIG_FILE: file };
}

async function shoot(page: Page, out: string, name: string, what: string): Promise<void> {
  const file = path.join(out, name);
  await page.mouse.move(0, VIEWPORT.height - 1);
  const png = toPalettePng(decodeRgb(await page.screenshot({ animations: 'disabled', caret: 'hide' })));
  writeFileSync(file, png);
  const size = png.length;
  say(`${name.padEnd(26)} ${String(Math.round(size / 1024)).padStart(4)} KB  ${what}`);
  if (size > MAX_BYTES) throw new Error(`${name} is ${size} bytes, over the ${MAX_BYTES} allowed for the README`);
}

/** Scrolls `scroller` with the mouse wheel until `target` is at its top: the server's settings and the report. */
async function scrollToTop(page: Page, scroller: Locator, target: Locator): Promise<void> {
  const box = await scroller.boundingBox();
  const at = await target.boundingBox();
  if (box === null || at === null) return;
  await scroller.hover();
  await page.mouse.wheel(0, at.y - box.y - 12);
  await page.waitForTimeout(400);
}

/** Clicks the list row whose subject is exactly `subject`, and waits for the reading pane to show it. */
async function select(page: Page, subject: string): Promise<void> {
  await page.getByRole('row').filter({ has: page.getByText(subject, { exact: true }) }).first().click();
  await page.getByRole('region', { name: 'Reading pane' }).getByRole('heading', { name: subject }).waitFor();
}

async function run(demo: Demo, page: Page, out: string): Promise<void> {
  await page.goto(demo.bridge.url);
  await page.getByRole('button', { name: 'Add account…' }).waitFor();

  // The account reaches the server through a relay that can slow it down, to catch a check in progress.
  const link = await startSlowLink(demo.pop3.port);
  const account = { ...demo.account, port: link.port };
  try {
    await screens(demo, page, out, account, link);
  } finally {
    await link.close();
  }
}

async function screens(demo: Demo, page: Page, out: string, account: DemoAccount, link: SlowLink): Promise<void> {
  const total = demo.pop3.messages().length;

  // The account dialog, filled in, with the report of "Test account settings".
  const dialog = await fillAccountDialog(page, account);
  await testAccount(dialog);
  await scrollToTop(page, dialog.locator('.dialog-body'), dialog.getByLabel('Security', { exact: true }));
  await shoot(page, out, 'account-dialog.png', 'Add account, after "Test account settings"');
  await saveAccount(dialog);

  // The first check has listed every message as a preview; one is selected.
  await waitForMessages(page, Math.min(total, 12));
  await page.getByText(`${total} messages`, { exact: true }).waitFor();
  await select(page, 'Harbour map v3: print proofs');
  await page.getByText('Only the beginning of this message has been downloaded', { exact: false }).waitFor();
  await shoot(page, out, 'previews.png', 'previews after the first check; one selected, only its beginning downloaded');

  // An HTML newsletter downloaded whole, its remote images blocked.
  const newsletter = '⚓ The Contour Line #48: Mapping the tides';
  await select(page, newsletter);
  await page.getByRole('region', { name: 'Reading pane' }).getByRole('button', { name: 'Download now' }).click();
  await page.getByRole('button', { name: 'Show images' }).waitFor();
  await page.locator('iframe').first().contentFrame().getByRole('heading', { name: 'Mapping the tides' }).waitFor();
  await shoot(page, out, 'html-message.png', 'a downloaded HTML newsletter: remote images blocked, "Show images"');

  // New mail arrived; Send/Receive over a slowed-down link, followed in the status bar.
  for (let i = 0; i < 4; i++) demo.deliver();
  link.bytesPerSecond = 300;
  await page.getByRole('button', { name: 'Send/Receive All' }).click();
  await page.getByRole('progressbar', { name: `Checking ${account.name}` }).waitFor();
  await page.getByText(/: Downloading 2 of 4/).waitFor({ timeout: 60_000 });
  await shoot(page, out, 'syncing.png', 'Send/Receive in progress, in the status bar and under the account');
  link.bytesPerSecond = 0;
  await page.getByText(`${total + 4} messages`, { exact: true }).waitFor();

  // The server's own words when a check fails: another client holds the mailbox (RFC 2449 [IN-USE]).
  const other = await Pop3Session.connect({ host: account.host, port: demo.pop3.port, security: 'none' });
  try {
    await other.authenticate({ user: account.user, password: account.password, allowPlaintextPassword: true });
    await page.getByRole('button', { name: 'Send/Receive All' }).click();
    await page.getByText('The server said:', { exact: false }).waitFor();
    await shoot(page, out, 'server-error.png', 'a check refused by the server, in its own words, with when Poplar retries');
  } finally {
    await other.quit().catch(() => undefined);
  }

  // Dark mode, reading a downloaded newsletter with its images allowed.
  await page.emulateMedia({ colorScheme: 'dark' });
  await select(page, 'Atlases and field guides: 20% off this week');
  await page.getByRole('region', { name: 'Reading pane' }).getByRole('button', { name: 'Download now' }).click();
  await page.getByRole('button', { name: 'Show images' }).click();
  await page.locator('iframe').first().contentFrame().getByRole('img', { name: 'Cover of Small Islands, Drawn by Hand' }).waitFor();
  await page.waitForTimeout(300);
  await shoot(page, out, 'dark-mode.png', 'dark mode: a downloaded newsletter with its images shown');
}

async function main(): Promise<number> {
  const { staticDir, out, fonts } = options();
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    process.stderr.write(`screenshots: ${staticDir} has no index.html. Build the window first: npx vite build\n`);
    return 2;
  }
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`screenshots: ${CHROMIUM} is missing (Debian: apt-get install chromium)\n`);
    return 2;
  }
  mkdirSync(out, { recursive: true });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'poplar-screenshots-'));
  const demo = await startDemo({ staticDir, bridgePort: 0, pop3Port: 0, version: '0.0.0' });
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Grey anti-aliasing: fewer colours, so the palette PNGs stay faithful and small.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-background-networking', '--disable-lcd-text'],
      env: browserEnv(fonts, scratch),
    });
    try {
      const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', locale: 'en-GB', timezoneId: 'Europe/London' });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await run(demo, page, out);
      return 0;
    } finally {
      await browser.close();
    }
  } finally {
    await demo.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small PNGs: the screenshots as indexed images.

/**
 * Makes the browser's screenshots small enough for the README: re-encodes an 8-bit RGB(A) PNG as an indexed PNG
 * of at most 256 colours. A window is mostly a few flat colours and the greys of anti-aliased text, so the most
 * frequent colours are kept exactly, the rest are summed up by median cut, and every pixel takes the nearest
 * palette colour (no dithering, which would speckle flat areas). Lossy, but not visibly so for a window.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Colours kept exactly, most frequent first; the rest of the 256 come from median cut. */
const EXACT = 192;

interface Rgb {
  readonly width: number;
  readonly height: number;
  /** 3 bytes a pixel. */
  readonly pixels: Buffer;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** An 8-bit RGB or RGBA PNG, not interlaced (what Chromium writes), as RGB; alpha is dropped. */
function decodeRgb(file: Buffer): Rgb {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let bpp = 0;
  const data: Buffer[] = [];
  for (let at = 8; at + 8 <= file.length; ) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colour !== 2 && colour !== 6)) throw new Error('only 8-bit RGB(A) PNGs, not interlaced');
      bpp = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * bpp;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? (rows[row + i - bpp] ?? 0) : 0;
      const b = y > 0 ? (rows[row - stride + i] ?? 0) : 0;
      const c = i >= bpp && y > 0 ? (rows[row - stride + i - bpp] ?? 0) : 0;
      const predicted = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      rows[row + i] = ((raw[source + i] ?? 0) + predicted) & 0xff;
    }
  }
  if (bpp === 3) return { width, height, pixels: rows };
  const pixels = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++) rows.copy(pixels, p * 3, p * 4, p * 4 + 3);
  return { width, height, pixels };
}

const r = (c: number): number => (c >> 16) & 0xff;
const g = (c: number): number => (c >> 8) & 0xff;
const b = (c: number): number => c & 0xff;
const CHANNELS = [r, g, b] as const;

/** Median cut over `colours` (with their counts) into at most `boxes` representative colours. */
function medianCut(colours: readonly (readonly [number, number])[], boxes: number): number[] {
  if (colours.length === 0 || boxes <= 0) return [];
  const queue: (readonly (readonly [number, number])[])[] = [colours];
  while (queue.length < boxes) {
    let pick = -1;
    let widest = 0;
    let channel = r;
    queue.forEach((box, i) => {
      if (box.length < 2) return;
      for (const ch of CHANNELS) {
        const values = box.map(([c]) => ch(c));
        const range = Math.max(...values) - Math.min(...values);
        if (range > widest) {
          widest = range;
          pick = i;
          channel = ch;
        }
      }
    });
    if (pick === -1) break;
    const box = [...(queue[pick] ?? [])].sort((x, y) => channel(x[0]) - channel(y[0]));
    const half = box.reduce((sum, [, n]) => sum + n, 0) / 2;
    let seen = 0;
    let cut = 1;
    for (; cut < box.length - 1; cut++) {
      seen += box[cut - 1]?.[1] ?? 0;
      if (seen >= half) break;
    }
    queue.splice(pick, 1, box.slice(0, cut), box.slice(cut));
  }
  return queue.map((box) => {
    const total = box.reduce((sum, [, n]) => sum + n, 0);
    const mean = CHANNELS.map((ch) => Math.round(box.reduce((sum, [c, n]) => sum + ch(c) * n, 0) / total));
    return ((mean[0] ?? 0) << 16) | ((mean[1] ?? 0) << 8) | (mean[2] ?? 0);
  });
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** The image as an indexed PNG of at most 256 colours. */
function toPalettePng(image: Rgb): Buffer {
  const { width, height, pixels } = image;
  const counts = new Map<number, number>();
  for (let at = 0; at < pixels.length; at += 3) {
    const c = pixels.readUIntBE(at, 3);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const byFrequency = [...counts].sort((x, y) => y[1] - x[1]);
  const palette =
    byFrequency.length <= 256
      ? byFrequency.map(([c]) => c)
      : [...byFrequency.slice(0, EXACT).map(([c]) => c), ...medianCut(byFrequency.slice(EXACT), 256 - EXACT)];
  const index = new Map<number, number>();
  const nearest = (c: number): number => {
    let best = 0;
    let bestDistance = Infinity;
    palette.forEach((p, i) => {
      const d = (r(p) - r(c)) ** 2 + (g(p) - g(c)) ** 2 + (b(p) - b(c)) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    });
    return best;
  };
  for (const c of counts.keys()) index.set(c, nearest(c));
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = index.get(pixels.readUIntBE((y * width + x) * 3, 3)) ?? 0;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8);
  const table = Buffer.alloc(palette.length * 3);
  palette.forEach((c, i) => table.writeUIntBE(c, i * 3, 3));
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', table),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// A slow link, to catch a check in progress.

/**
 * A TCP relay on 127.0.0.1 that can make a link slow: the server's bytes reach the client at `bytesPerSecond`
 * while `slow` is set, at full speed otherwise. The screenshots use it to catch a check in progress, which on
 * loopback is over before a picture can be taken.
 */
interface SlowLink {
  readonly port: number;
  /** Bytes a second from server to client; 0: as fast as they come. */
  bytesPerSecond: number;
  close(): Promise<void>;
}

const TICK_MS = 50;

async function startSlowLink(targetPort: number): Promise<SlowLink> {
  const sockets = new Set<net.Socket>();
  const link = {
    port: 0,
    bytesPerSecond: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let queue: Buffer[] = [];
    let ended = false;
    const flush = (): void => {
      let budget = link.bytesPerSecond === 0 ? Infinity : Math.max(1, Math.round((link.bytesPerSecond * TICK_MS) / 1000));
      while (queue.length > 0 && budget > 0) {
        const head = queue[0] ?? Buffer.alloc(0);
        const part = head.subarray(0, Math.min(head.length, budget));
        client.write(part);
        budget -= part.length;
        if (part.length === head.length) queue.shift();
        else queue[0] = head.subarray(part.length);
      }
      if (queue.length === 0 && ended) client.end();
    };
    const timer = setInterval(flush, TICK_MS);
    upstream.on('data', (chunk: Buffer) => {
      queue.push(chunk);
      if (link.bytesPerSecond === 0) flush();
    });
    upstream.on('end', () => {
      ended = true;
      flush();
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    client.on('end', () => upstream.end());
    const drop = (): void => {
      clearInterval(timer);
      queue = [];
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', drop);
    upstream.on('close', () => {
      if (queue.length === 0) drop();
    });
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no TCP address');
  link.port = address.port;
  return link;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`screenshots: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
