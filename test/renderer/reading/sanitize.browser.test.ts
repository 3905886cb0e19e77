/**
 * The reading pane in a real browser (Debian's Chromium, driven by playwright-core): the sanitizer, the sandboxed
 * frame and the pane itself, against a hostile message.
 *
 * Network proof: every URL in the hostile message points at a loopback server this test runs, and that server
 * records each request that arrives. Playwright's own request interception is not used for the proof: it does not
 * see requests made by a sandboxed (opaque-origin) srcdoc frame, which Chromium may put in a process of its own.
 * Script proof: a script or handler that runs posts `ran:<what>` to the page and requests `/beacon/ran-<what>`.
 *
 * Skipped, with a message, when /usr/bin/chromium is missing (`apt-get install chromium`); with
 * POPLAR_REQUIRE_CHROMIUM=1 (CI) a missing browser fails instead.
 */
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_SANDBOX } from '../../../renderer/reading/frame-document.ts';
import { CHROMIUM, HAS_CHROMIUM, loadedMessageFrame, openHarness, paneCalls } from './browser-support.ts';
import type { HarnessSession, Network, StaticServer } from './browser-support.ts';
import type { HarnessGlobal, PaneSpec } from './harness-api.ts';
import { PNG_BASE64, REMOTE_PATHS, hostileHtml, hostileMessage } from './hostile.ts';

const REQUIRE_CHROMIUM = process.env['POPLAR_REQUIRE_CHROMIUM'] === '1';

if (!HAS_CHROMIUM) {
  console.warn(
    `\n  SKIPPED: the reading pane's browser tests (sanitizer, sandboxed frame, no-request proof) need ${CHROMIUM}.` +
      '\n  Install it with `apt-get install chromium` (Debian). Set POPLAR_REQUIRE_CHROMIUM=1 to fail instead.\n',
  );
}

describe('browser test prerequisites', () => {
  it.runIf(REQUIRE_CHROMIUM)(`${CHROMIUM} is installed (POPLAR_REQUIRE_CHROMIUM=1)`, () => {
    expect(HAS_CHROMIUM).toBe(true);
  });
});

/** How long a negative proof waits for requests that should not come (lazy images, style sheets, refresh). */
const QUIET_MS = 750;
const LOGO = `data:image/png;base64,${PNG_BASE64}`;
const NEVER = /\/beacon\//;


/** The page's getComputedStyle, typed for this DOM-less project. */
interface StyleReader {
  getComputedStyle(element: unknown): { readonly whiteSpace: string };
}
/**
 * Probes evaluated inside the message frame. They are strings because this file is compiled for Node, without
 * DOM types; Playwright evaluates them in the sandboxed frame, where the mail's own scripts cannot run.
 */
const FRAME_PROBE = `(() => {
  const byId = (id) => document.getElementById(id);
  return {
    url: location.href,
    styled: getComputedStyle(byId('styled')).color,
    td: getComputedStyle(byId('td')).color,
    cid: byId('cid').naturalWidth,
    pixel: byId('pixel').getAttribute('src'),
  };
})()`;
const PIXEL_WIDTH = `document.getElementById('pixel').naturalWidth`;

describe.skipIf(!HAS_CHROMIUM)('the reading pane in Chromium', () => {
  let session: HarnessSession;
  let site: StaticServer;
  let network: Network;
  let context: BrowserContext;
  let page: Page;
  let siteMark = 0;

  const harness = (page_: Page = page) => ({
    sanitize: (html: string, allowRemote: boolean, cid: Readonly<Record<string, string>> = {}) =>
      page_.evaluate(
        ([h, a, c]) => (globalThis as unknown as HarnessGlobal).poplarHarness.sanitize(h, a, c),
        [html, allowRemote, cid] as const,
      ),
    frameDocument: (body: string, allowRemote: boolean) =>
      page_.evaluate(
        ([b, a]) => (globalThis as unknown as HarnessGlobal).poplarHarness.frameDocument(b, a),
        [body, allowRemote] as const,
      ),
    showFrame: (srcdoc: string, sandbox: string | null) =>
      page_.evaluate(
        ([s, b]) => (globalThis as unknown as HarnessGlobal).poplarHarness.showFrame(s, b),
        [srcdoc, sandbox] as const,
      ),
    ...paneCalls(() => page_),
  });

  /** Clears the page, the network log and the harness's records. */
  async function reset(): Promise<void> {
    await page.evaluate(() => {
      (globalThis as unknown as HarnessGlobal).poplarHarness.reset();
    });
    network.hits.length = 0;
    siteMark = site.requests.length;
  }

  const quiet = () => page.waitForTimeout(QUIET_MS);

  const paneFrame = (): Promise<Frame> => loadedMessageFrame(page);

  /** Requests the harness's own server saw since the last reset: relative URLs in a mail would land there. */
  const siteRequests = () => site.requests.slice(siteMark).filter((p) => p !== '/favicon.ico');

  beforeAll(async () => {
    // The one outside address the tests open (a link's new window): answered here, never from the internet.
    session = await openHarness((ctx) =>
      ctx.route('https://example.com/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<title>outside</title>' }),
      ),
    );
    ({ site, network, context, page } = session);  });

  afterAll(async () => {
    await session.close();
  });

  describe('sanitize.ts', () => {
    const inspect = (html: string) =>
      page.evaluate((markup) => (globalThis as unknown as HarnessGlobal).poplarHarness.inspect(markup), html);

    it('removes scripts, handlers, forms, frames, plugins, media, SVG/MathML, <base>, <meta> and <link>', async () => {
      const { html } = await harness().sanitize(hostileHtml(network.origin), false, { 'logo@example.com': LOGO });
      const seen = await inspect(html);
      expect(seen.tags).toEqual(
        expect.not.arrayContaining([
          'script', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'video', 'audio', 'svg', 'math',
          'noscript', 'base', 'meta', 'link', 'title', 'image', 'mglyph',
        ]),
      );
      expect(seen.handlers).toEqual([]);
      expect(html).not.toMatch(/javascript:|data:text|manifest|ping=|autofocus/i);
    });

    it('keeps only http(s), mailto and #fragment links, opening outside the frame', async () => {
      const { html } = await harness().sanitize(hostileHtml(network.origin), false);
      const links = (await inspect(html)).links;
      const newWindow = { target: '_blank', rel: 'noopener noreferrer', ping: null };
      expect(links).toEqual([
        { id: 'js', href: null, target: null, rel: null, ping: null },
        { id: 'js-entity', href: null, target: null, rel: null, ping: null },
        { id: 'data-link', href: null, target: null, rel: null, ping: null },
        { id: 'external', href: 'https://example.com/page?x=1', ...newWindow },
        { id: 'mail', href: 'mailto:bob@example.com', ...newWindow },
        { id: 'fragment', href: '#text', target: null, rel: null, ping: null },
        { id: 'relative-link', href: null, target: null, rel: null, ping: null },
      ]);
    });

    it('blocks and counts every remote reference (img, srcset, background, CSS url(), <link>) until allowed', async () => {
      const blocked = await harness().sanitize(hostileHtml(network.origin), false);
      expect(blocked.blockedCount).toBe(REMOTE_PATHS.length);
      expect(blocked.html).not.toContain(network.origin);
      expect(blocked.html).not.toContain('/remote/');
      const imgs = (await inspect(blocked.html)).imgs;
      expect(imgs.filter((img) => img.src !== null || img.srcset !== null)).toEqual([]);

      const allowed = await harness().sanitize(hostileHtml(network.origin), true);
      expect(allowed.blockedCount).toBe(0);
      for (const path of REMOTE_PATHS) {
        // A scheme-relative URL resolves against the parent page in a srcdoc frame: it is made https.
        const origin = path === '/remote/scheme-relative.png' ? network.origin.replace('http:', 'https:') : network.origin;
        expect(allowed.html).toContain(`${origin}${path}`);
      }
      expect(allowed.html).not.toMatch(NEVER);
    });

    it('drops relative URLs, custom properties, var() and attr(), and @font-face; @import never survives', async () => {
      const { html } = await harness().sanitize(hostileHtml(network.origin), true);
      const css = (await inspect(html)).css;
      expect(css).not.toMatch(/@import|@font-face|--evil|var\(|attr\(|relative-css/);
      expect(html).not.toMatch(/["(]\/?relative(?:-css)?\.png/);
    });

    it('inlines cid: images as data: URLs, in <img> and in CSS, and drops what it cannot resolve', async () => {
      const withCid = await harness().sanitize(hostileHtml(network.origin), false, { 'logo@example.com': LOGO });
      const seen = await inspect(withCid.html);
      expect(seen.imgs.find((img) => img.id === 'cid')?.src).toBe(LOGO);
      expect(seen.css).toContain(`.cid-bg { background-image: url("${LOGO}"); }`);
      // Not a raster image, so not kept even as data:
      expect(seen.imgs.find((img) => img.id === 'data-svg')?.src).toBeNull();

      const withoutCid = await inspect((await harness().sanitize(hostileHtml(network.origin), false)).html);
      expect(withoutCid.imgs.find((img) => img.id === 'cid')?.src).toBeNull();
      expect(withoutCid.css).not.toContain('cid:');
    });

    it('keeps the mail’s own styles, and its <head> styles, with a body wrapper for the body’s colours', async () => {
      const { html } = await harness().sanitize(
        '<html dir="rtl"><head><style><!-- .x { color: rgb(1, 2, 3) } --></style></head>' +
          '<body bgcolor="#102030" style="color: rgb(4, 5, 6)"><p class="x" style="font-weight: bold">x</p></body></html>',
        false,
      );
      expect(html).toBe(
        '<style>.x { color: rgb(1, 2, 3); }</style>' +
          '<div class="poplar-mail" style="color: rgb(4, 5, 6); background-color: rgb(16, 32, 48);" dir="rtl">' +
          '<p class="x" style="font-weight: bold;">x</p></div>',
      );
    });

    it('filters a style value that many elements repeat as it filters it on one, counting it on each', async () => {
      const remote = `background: url(${network.origin}/remote/td-style.png) no-repeat; color: rgb(1, 2, 3)`;
      const cid = 'background-image:url(cid:logo@example.com);--x:1;padding:var(--x)';
      const cells = (prefix: string, style: string, n: number) =>
        Array.from({ length: n }, (_, i) => `<td id="${prefix}${i}" style="${style}">x</td>`).join('');
      const table = (body: string) => `<table><tr>${body}</tr></table>`;
      const cidParts = { 'logo@example.com': LOGO };
      const styleOf = async (html: string, id: string) =>
        (await inspect(html)).styles.find((s) => s.id === id)?.style;

      for (const allowRemote of [false, true]) {
        // One element alone: the reference result, filtered without anything to reuse.
        const oneRemote = await harness().sanitize(table(cells('r', remote, 1)), allowRemote);
        const oneCid = await harness().sanitize(table(cells('c', cid, 1)), allowRemote, cidParts);
        const many = await harness().sanitize(table(cells('r', remote, 3) + cells('c', cid, 3)), allowRemote, cidParts);

        expect(oneRemote.blockedCount).toBe(allowRemote ? 0 : 1);
        expect(many.blockedCount).toBe(allowRemote ? 0 : 3);
        const remoteStyle = await styleOf(oneRemote.html, 'r0');
        const cidStyle = await styleOf(oneCid.html, 'c0');
        expect(remoteStyle).toContain('rgb(1, 2, 3)');
        expect(remoteStyle?.includes('/remote/td-style.png')).toBe(allowRemote);
        expect(cidStyle).toBe(`background-image: url("${LOGO}");`);
        for (const i of [0, 1, 2]) {
          expect(await styleOf(many.html, `r${i}`)).toBe(remoteStyle);
          expect(await styleOf(many.html, `c${i}`)).toBe(cidStyle);
        }
      }
    });

    it('cannot be made to close its <style> element from inside CSS', async () => {
      // The CSS escape \3c is "<": the browser's serialization of the string gives back a literal "</style>".
      const { html } = await harness().sanitize(
        '<style>p::after { content: "\\3c /style>\\3c img src=x onerror=alert(1)>" }</style><p>x</p>',
        false,
      );
      const seen = await inspect(html);
      expect(seen.tags).not.toContain('img');
      expect(seen.handlers).toEqual([]);
      expect(seen.css).toContain('content: "\\3c /style>\\3c img src=x onerror=alert(1)>"');
    });
  });

  describe('each wall on its own, proven on the network', () => {
    const scriptBeacons = (hits: readonly string[]) =>
      hits.filter((p) => /\/beacon\/(?:ran-|external|iframe|object|embed|video|audio|font|refresh)/.test(p));

    it('control: unprotected, the hostile HTML runs scripts and makes requests (the probes work)', async () => {
      await reset();
      await harness().showFrame(hostileHtml(network.origin), null);
      await quiet();
      const { messages } = await harness().events();
      expect(messages).toEqual(expect.arrayContaining(['ran:script', 'ran:onerror', 'ran:svg-onload']));
      expect(network.hits).toEqual(expect.arrayContaining(['/remote/pixel.png', '/beacon/ran-script', '/beacon/iframe']));
    });

    it('the sanitizer alone (no sandbox, no CSP): nothing runs and nothing loads', async () => {
      await reset();
      const { html } = await harness().sanitize(hostileHtml(network.origin), false, { 'logo@example.com': LOGO });
      await harness().showFrame(`<!DOCTYPE html><body>${html}`, null);
      await quiet();
      expect((await harness().events()).messages).toEqual([]);
      expect(network.hits).toEqual([]);
      expect(siteRequests()).toEqual([]);
    });

    it('the sanitizer alone, remote allowed: only the remote images and style sheet load', async () => {
      await reset();
      const { html } = await harness().sanitize(hostileHtml(network.origin), true);
      await harness().showFrame(`<!DOCTYPE html><body>${html}`, null);
      await quiet();
      expect((await harness().events()).messages).toEqual([]);
      expect(network.hits.length).toBeGreaterThan(0);
      expect(network.hits.filter((p) => !(REMOTE_PATHS as readonly string[]).includes(p))).toEqual([]);
      expect(siteRequests()).toEqual([]);
    });

    it('the frame alone (sandbox + CSP, unsanitized): nothing runs and nothing loads; allowed, still no script', async () => {
      await reset();
      const raw = hostileHtml(network.origin);
      await harness().showFrame(await harness().frameDocument(raw, false), FRAME_SANDBOX);
      await quiet();
      expect((await harness().events()).messages).toEqual([]);
      expect(network.hits).toEqual([]);
      expect(siteRequests()).toEqual([]);

      // With remote content allowed the CSP lets images and style sheets through (the sanitizer is what keeps the
      // rest out), but the sandbox still runs no script, refresh or plugin, and the CSP still loads no frame,
      // media or font.
      await reset();
      await harness().showFrame(await harness().frameDocument(raw, true), FRAME_SANDBOX);
      await quiet();
      expect((await harness().events()).messages).toEqual([]);
      expect(scriptBeacons(network.hits)).toEqual([]);
    });
  });

  describe('ReadingPane', () => {
    it('shows a hostile message with no request leaving the page and no script running, until Show images', async () => {
      await reset();
      await harness().mountPane({ raw: hostileMessage(network.origin), content: 'whole', remoteAllowed: false });
      const frame = await paneFrame();
      await quiet();

      const iframe = page.locator('iframe.rp-frame');
      expect(await iframe.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
      const srcdoc = ((await iframe.getAttribute('srcdoc')) ?? '').replaceAll('&#39;', "'");
      expect(srcdoc).toMatch(
        /^<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;/,
      );
      expect(network.hits).toEqual([]);
      expect(siteRequests()).toEqual([]);
      expect((await harness().events()).messages).toEqual([]);

      // What did render: decoded headers, the mail's styles, the inline image; no remote image.
      await expect(page.locator('.rp-subject').textContent()).resolves.toBe('Hostile ✓');
      await expect(page.locator('.rp-fields').textContent()).resolves.toContain('Mallory ✓ <mallory@example.com>');
      const rendered = await frame.evaluate<unknown>(FRAME_PROBE);
      expect(rendered).toEqual({ url: 'about:srcdoc', styled: 'rgb(4, 5, 6)', td: 'rgb(1, 2, 3)', cid: 1, pixel: null });

      const bar = page.locator('.rp-bar', { hasText: 'Remote images are blocked' });
      expect(await bar.count()).toBe(1);
      await bar.getByRole('button', { name: 'Show images' }).click();
      expect((await harness().events()).calls).toContain('allowRemote');
      const allowedFrame = await paneFrame();
      await expect.poll(() => iframe.getAttribute('srcdoc')).toContain('img-src data: https: http:');
      await quiet();

      expect(network.hits.length).toBeGreaterThan(0);
      expect(network.hits.filter((p) => !(REMOTE_PATHS as readonly string[]).includes(p))).toEqual([]);
      expect((await harness().events()).messages).toEqual([]);
      expect(await page.locator('.rp-bar', { hasText: 'Remote images are blocked' }).count()).toBe(0);
      await expect.poll(() => allowedFrame.evaluate<unknown>(PIXEL_WIDTH)).toBe(1);
    });

    it('never shows a body made with remote content allowed once it is not, not even for one render', async () => {
      await reset();
      await harness().mountPane({ raw: hostileMessage(network.origin), content: 'whole', remoteAllowed: true });
      await paneFrame();
      const iframe = page.locator('iframe.rp-frame');
      await expect.poll(() => iframe.getAttribute('srcdoc')).toContain('img-src data: https: http:');

      // Right after the render that takes the setting back: no frame yet, or only a blocked one.
      for (const srcdoc of await harness().setRemoteAllowed(false)) {
        expect(srcdoc).not.toContain('https: http:');
        expect(srcdoc).not.toContain('/remote/');
      }
      await expect.poll(() => iframe.getAttribute('srcdoc')).toContain('img-src data:;');
      expect(await iframe.getAttribute('srcdoc')).not.toContain('/remote/');
      network.hits.length = 0;
      await quiet();
      expect(network.hits).toEqual([]);
      expect(await page.locator('.rp-bar', { hasText: 'Remote images are blocked' }).count()).toBe(1);
    });

    it('opens a link from the message in a new window without an opener; the frame stays where it is', async () => {
      await reset();
      await harness().mountPane({ raw: hostileMessage(network.origin), content: 'whole', remoteAllowed: false });
      const frame = await paneFrame();
      const [popup] = await Promise.all([context.waitForEvent('page'), frame.click('#external')]);
      await popup.waitForLoadState();
      expect(popup.url()).toBe('https://example.com/page?x=1');
      expect(await popup.evaluate<unknown>('window.opener === null')).toBe(true);
      await popup.close();
      expect(frame.url()).toBe('about:srcdoc');
      expect(page.url()).toBe(`${site.origin}/`);
    });

    it('links a text/plain body (http, https, mailto only) and hands a click to the host', async () => {
      await reset();
      await harness().mountPane({
        raw: [
          'From: a@example.org',
          'Subject: text',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'See https://example.com/text-link, write to mailto:a@example.org',
          'but not javascript:alert(1) nor <script>alert(2)</script>',
        ].join('\r\n'),
        content: 'whole',
        remoteAllowed: false,
      });
      const text = page.locator('.rp-text');
      await text.waitFor();
      const hrefs = await Promise.all((await text.locator('a').all()).map((a) => a.getAttribute('href')));
      expect(hrefs).toEqual(['https://example.com/text-link', 'mailto:a@example.org']);
      await expect(text.textContent()).resolves.toContain('<script>alert(2)</script>');
      await text.locator('a').first().click();
      expect((await harness().events()).openedLinks).toEqual(['https://example.com/text-link']);
      expect(page.url()).toBe(`${site.origin}/`);
      expect(await page.locator('iframe.rp-frame').count()).toBe(0);
    });

    it('keeps one hidden, empty, sandboxed frame so the message frames’ process stays up between messages', async () => {
      await reset();
      const text = { raw: 'From: a@example.org\r\nSubject: t\r\n\r\nplain\r\n', content: 'whole', remoteAllowed: false } as const;
      await harness().mountPane(text);
      await harness().mountPane(text);
      const warm = page.locator('body > iframe.rp-warm-frame');
      await expect.poll(() => warm.count()).toBe(1);
      expect(await warm.getAttribute('sandbox')).toBe(FRAME_SANDBOX);
      expect(await warm.getAttribute('aria-hidden')).toBe('true');
      expect(await warm.getAttribute('tabindex')).toBe('-1');
      expect(await warm.isVisible()).toBe(false);
      const srcdoc = ((await warm.getAttribute('srcdoc')) ?? '').replaceAll('&#39;', "'");
      expect(srcdoc).toContain("default-src 'none'");
      expect(srcdoc).toContain('<body></body>');
      await quiet();
      expect(network.hits).toEqual([]);
      expect(siteRequests()).toEqual([]);
    });

    it('lists attachments with decoded names; Save downloads the bytes and revokes the object URL', async () => {
      await reset();
      const pdf = Buffer.from('%PDF-1.4 not really');
      await harness().mountPane({
        raw: [
          'From: a@example.org',
          'Subject: files',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="m"',
          '',
          '--m',
          'Content-Type: text/plain',
          '',
          'Attached.',
          '--m',
          'Content-Type: application/pdf',
          "Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates%202025.pdf",
          'Content-Transfer-Encoding: base64',
          '',
          pdf.toString('base64'),
          '--m--',
          '',
        ].join('\r\n'),
        content: 'whole',
        remoteAllowed: false,
      });
      const item = page.locator('.rp-attachment');
      await item.waitFor();
      await expect(item.textContent()).resolves.toBe('€ rates 2025.pdfapplication/pdf · 19 bytesSave');
      const before = await harness().events();
      const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button').click()]);
      expect(download.suggestedFilename()).toBe('€ rates 2025.pdf');
      expect(await readFile(await download.path())).toEqual(pdf);
      // Revoked a moment after the click (AttachmentList's REVOKE_DELAY_MS), once the download holds the blob.
      await expect.poll(async () => (await harness().events()).revokedUrls - before.revokedUrls, { timeout: 10_000 }).toBe(1);
      expect((await harness().events()).createdUrls - before.createdUrls).toBe(1);
    });

    it('shows a preview with its size and commands; one gone from the server cannot be downloaded', async () => {
      await reset();
      const preview: PaneSpec = {
        raw: '',
        content: 'preview',
        remoteAllowed: false,
        sizeOnServer: 1536,
        previewText: 'First lines, see https://example.com/p',
      };
      await harness().mountPane(preview);
      const bar = page.locator('.rp-bar');
      await expect(bar.textContent()).resolves.toContain('The whole message is 1.5 KB on the server.');
      await page.getByRole('button', { name: 'Download now' }).click();
      await page.getByRole('button', { name: 'Mark to download a copy' }).click();
      expect(await page.getByRole('button', { name: 'Unmark' }).count()).toBe(0);
      expect((await harness().events()).calls).toEqual(['downloadNow', 'markDownloadCopy']);
      await page.locator('.rp-text a').click();
      expect((await harness().events()).openedLinks).toEqual(['https://example.com/p']);

      await harness().select({ ...preview, onServer: false, mark: 'download' });
      await expect(bar.textContent()).resolves.toContain('no longer on the server');
      await expect(bar.textContent()).resolves.toContain('Marked to download at the next Send/Receive.');
      for (const name of ['Download now', 'Mark to download', 'Mark to download a copy']) {
        expect(await page.getByRole('button', { name, exact: true }).isDisabled()).toBe(true);
      }
      await page.getByRole('button', { name: 'Unmark' }).click();
      expect((await harness().events()).calls).toContain('unmark');
    });

    it('shows the fetched first lines of a preview as plain text, paragraphs kept, under the bar', async () => {
      await reset();
      const firstLines = 'Hi Ann,\n\nThe <b>plan</b> is at https://example.com/plan.\nSecond line.\n\n> quoted';
      await harness().mountPane({ raw: '', content: 'preview', remoteAllowed: false, previewText: 'Hi Ann, The plan', firstLines });
      const text = page.locator('.rp-first-lines');
      await text.waitFor();
      // Text with its line breaks (the pane shows them with white-space: pre-wrap), never markup.
      await expect(text.textContent()).resolves.toBe(firstLines);
      await expect(text.evaluate((el) => (globalThis as unknown as StyleReader).getComputedStyle(el).whiteSpace)).resolves.toBe('pre-wrap');
      expect(await text.locator('b').count()).toBe(0);
      expect(await page.locator('.rp-preview-text').count()).toBe(0);
      // Below the "only the beginning" bar.
      expect(await page.locator('.rp-bar ~ .rp-body .rp-first-lines').count()).toBe(1);
      await text.locator('a').click();
      expect((await harness().events()).openedLinks).toEqual(['https://example.com/plan']);

      // A record stored before Poplar kept the first lines: its one-line snippet stands in.
      await harness().select({ raw: '', content: 'preview', remoteAllowed: false, previewText: 'Only the snippet' });
      await expect(page.locator('.rp-preview-text').textContent()).resolves.toBe('Only the snippet …');
    });

    it('shows the record’s headers and preview, with a note, when the body cannot be loaded', async () => {
      await reset();
      await harness().mountPane({ raw: '', content: 'whole', remoteAllowed: false, loadError: 'disk on fire' });
      const note = page.locator('.rp-bar-warning');
      await note.waitFor();
      await expect(note.textContent()).resolves.toBe('The message could not be loaded: disk on fire');
      await expect(page.locator('.rp-subject').textContent()).resolves.toBe('Subject from the record');
      await expect(page.locator('.rp-text').textContent()).resolves.toBe('Preview text from the record …');
    });

    it('keeps a broken message inside the pane: its error boundary shows a note, the next message shows again', async () => {
      await reset();
      await harness().mountPane({ raw: '', content: 'preview', remoteAllowed: false, brokenRecord: true });
      const alert = page.getByRole('alert');
      await expect(alert.textContent()).resolves.toMatch(/^This message could not be shown\./);
      await harness().select({ raw: '', content: 'preview', remoteAllowed: false });
      await expect(page.locator('.rp-subject').textContent()).resolves.toBe('Subject from the record');
      expect(await page.getByRole('alert').count()).toBe(0);
    });

    it('never shows a slow message after the selection moved on', async () => {
      await reset();
      const message = (subject: string) => `Subject: ${subject}\r\nContent-Type: text/plain\r\n\r\nBody of ${subject}\r\n`;
      await harness().mountPane({ raw: message('slow'), content: 'whole', remoteAllowed: false, delayMs: 400 });
      await harness().select({ raw: message('fast'), content: 'whole', remoteAllowed: false });
      await page.locator('.rp-text', { hasText: 'Body of fast' }).waitFor();
      await page.waitForTimeout(600);
      await expect(page.locator('.rp-subject').textContent()).resolves.toBe('fast');
      await expect(page.locator('.rp-text').textContent()).resolves.toBe('Body of fast');
    });
  });
});
