/**
 * Prepared views (renderer/reading/prepared.ts) in a real browser: the pane showing a stored view before the
 * message is parsed, keeping its frame when the parse comes back, saving a view when it opens a message cold, and
 * the view's own functions (prepareView, asPreparedView). The same harness page and loopback "internet" as
 * sanitize.browser.test.ts (see there for the network proof); skipped the same way without /usr/bin/chromium.
 *
 * `holdBody` keeps the pane's loadBody from settling until the test releases it, so a test can see the pane as it
 * is before the parse; the harness's in-memory store records every save.
 */
import { readFile } from 'node:fs/promises';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, loadedMessageFrame, openHarness, paneCalls } from './browser-support.ts';
import type { HarnessSession, Network } from './browser-support.ts';
import type { HarnessGlobal, PreparedViewData } from './harness-api.ts';
import { REMOTE_PATHS, hostileMessage } from './hostile.ts';

/** How long a negative proof waits for requests that should not come. */
const QUIET_MS = 750;
const PDF = Buffer.from('%PDF-1.4 not really');
const BLOCKED_BAR = 'Remote images are blocked';

/** An HTML message with a remote image and a PDF attachment. */
function htmlWithFile(origin: string, text = 'The report'): string {
  return [
    'From: Ann Example <ann@example.org>',
    'To: bob@example.org',
    'Subject: Quarterly report',
    'Date: Fri, 21 Nov 2025 15:03:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="m"',
    '',
    '--m',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p id="text">${text}</p><img id="pixel" src="${origin}/remote/pixel.png" alt="">`,
    '--m',
    'Content-Type: application/pdf',
    'Content-Disposition: attachment; filename="report.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    PDF.toString('base64'),
    '--m--',
    '',
  ].join('\r\n');
}

const TEXT_MESSAGE = 'From: a@example.org\r\nSubject: plain\r\nContent-Type: text/plain\r\n\r\nJust text.\r\n';

describe.skipIf(!HAS_CHROMIUM)('prepared views in Chromium', () => {
  let session: HarnessSession;
  let network: Network;
  let page: Page;

  const call = {
    ...paneCalls(() => page),
    releaseBody: () =>
      page.evaluate(() => {
        (globalThis as unknown as HarnessGlobal).poplarHarness.releaseBody();
      }),
    shownKey: () => page.evaluate(() => (globalThis as unknown as HarnessGlobal).poplarHarness.shownKey()),
    prepareView: (raw: string) =>
      page.evaluate((r) => (globalThis as unknown as HarnessGlobal).poplarHarness.prepareView(r), raw),
    asPreparedView: (value: unknown, clone = false) =>
      page.evaluate(
        ([v, c]) => (globalThis as unknown as HarnessGlobal).poplarHarness.asPreparedView(v, c),
        [value, clone] as const,
      ),
  };

  async function reset(): Promise<void> {
    await page.evaluate(() => {
      (globalThis as unknown as HarnessGlobal).poplarHarness.reset();
    });
    network.hits.length = 0;
  }

  const quiet = () => page.waitForTimeout(QUIET_MS);
  const frameElement = () => page.locator('iframe.rp-frame');
  const srcdoc = async () => (await frameElement().getAttribute('srcdoc')) ?? '';
  const saveButton = () => page.locator('.rp-attachment').getByRole('button', { name: 'Save report.pdf' });

  const paneFrame = (): Promise<Frame> => loadedMessageFrame(page);

  /** Waits until the pane has asked for the message's bytes (at idle, after a prepared view). */
  async function bodyRequested(): Promise<void> {
    await expect.poll(async () => (await call.events()).calls.some((c) => c.startsWith('loadBody:'))).toBe(true);
  }

  async function viewOf(raw: string): Promise<PreparedViewData> {
    const view = await call.prepareView(raw);
    if (view === undefined) throw new Error('no view for an HTML message');
    return view;
  }

  beforeAll(async () => {
    session = await openHarness();
    ({ network, page } = session);  });

  afterAll(async () => {
    await session.close();
  });

  it('shows a stored view before the parse; the parse keeps the same frame and document, and enables Save', async () => {
    await reset();
    const raw = htmlWithFile(network.origin);
    const made = await viewOf(raw);
    // A marker only the stored document has: if the pane sanitized again, it would be gone.
    const view = { ...made, document: made.document.replace('</body>', '<p id="stored">stored</p></body>') };
    await call.mountPane({ raw, content: 'whole', remoteAllowed: false, prepared: { view }, holdBody: true });

    const frame = await paneFrame();
    expect(await srcdoc()).toBe(view.document);
    // Headers and attachments from the view (the record's subject is 'Subject from the record').
    await expect(page.locator('.rp-subject').textContent()).resolves.toBe('Quarterly report');
    await expect(page.locator('.rp-attachment-name').allTextContents()).resolves.toEqual(['report.pdf']);
    expect(await page.locator('.rp-bar', { hasText: BLOCKED_BAR }).count()).toBe(1);
    await bodyRequested();
    expect(await saveButton().isDisabled()).toBe(true);
    expect(await saveButton().getAttribute('title')).toMatch(/being read/);

    // Marks on the element and on its document: a replaced element loses the first, a reloaded frame the second.
    await page.evaluate("document.querySelector('iframe.rp-frame').dataset.kept = 'element'");
    await frame.evaluate("document.body.dataset.kept = 'document'");
    await call.releaseBody();
    await expect.poll(() => saveButton().isEnabled()).toBe(true);
    expect(await frameElement().getAttribute('data-kept')).toBe('element');
    expect(await srcdoc()).toBe(view.document);
    expect(await frame.evaluate<unknown>('document.body.dataset.kept')).toBe('document');
    expect(await frame.evaluate<unknown>("document.getElementById('stored') !== null")).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), saveButton().click()]);
    expect(download.suggestedFilename()).toBe('report.pdf');
    expect(await readFile(await download.path())).toEqual(PDF);
    // A view from the store is not saved again; nothing remote loaded.
    expect((await call.events()).saves).toEqual([]);
    expect(network.hits).toEqual([]);
  });

  it('saves the view of a message opened cold, once, under its key, as the frame shows it; never with remote allowed', async () => {
    await reset();
    const raw = hostileMessage(network.origin);
    await call.mountPane({ raw, content: 'whole', remoteAllowed: false, prepared: {} });
    await paneFrame();
    await expect.poll(async () => (await call.events()).saves.length).toBe(1);
    await quiet();
    const { saves, calls } = await call.events();
    const key = await call.shownKey();
    expect(calls).toContain(`loadView:${key}`);
    expect(saves).toHaveLength(1);
    const saved = saves[0];
    expect(saved?.key).toBe(key);
    expect(saved?.view.document).toBe(await srcdoc());
    expect(saved?.view.document).not.toContain(network.origin);
    expect(saved?.view.document).not.toContain('/remote/');
    expect(saved?.view.blockedCount).toBe(REMOTE_PATHS.length);
    expect(await page.locator('.rp-bar', { hasText: BLOCKED_BAR }).count()).toBe(1);
    expect(saved?.view.headers.subject).toBe('Hostile ✓');
    expect(network.hits).toEqual([]);

    // Remote content allowed: the store is not asked, and nothing is saved...
    await reset();
    await call.mountPane({ raw, content: 'whole', remoteAllowed: true, prepared: {} });
    await paneFrame();
    await expect.poll(srcdoc).toContain('img-src data: https: http:');
    await quiet();
    expect((await call.events()).saves).toEqual([]);
    expect((await call.events()).calls.filter((c) => c.startsWith('loadView:'))).toEqual([]);

    // ...until the setting is taken back: then the blocked body, as shown, is saved.
    await call.setRemoteAllowed(false);
    await expect.poll(srcdoc).toContain('img-src data:;');
    await expect.poll(async () => (await call.events()).saves.length).toBe(1);
    const again = (await call.events()).saves[0];
    expect(again?.key).toBe(await call.shownKey());
    expect(again?.view.document).toBe(await srcdoc());
    expect(again?.view.document).not.toContain('/remote/');
  });

  it('never saves a view under the key of another message when the selection moves on', async () => {
    await reset();
    await call.mountPane({ raw: htmlWithFile(network.origin, 'slow one'), content: 'whole', remoteAllowed: false, prepared: {}, delayMs: 300 });
    await call.select({ raw: htmlWithFile(network.origin, 'fast one'), content: 'whole', remoteAllowed: false, prepared: {} });
    await paneFrame();
    await page.waitForTimeout(600);
    const key = await call.shownKey();
    const { saves } = await call.events();
    for (const save of saves) {
      expect(save.view.document.includes('fast one')).toBe(save.key === key);
      expect(save.view.document.includes('slow one')).toBe(save.key !== key);
    }
    expect(saves.filter((s) => s.key === key)).toHaveLength(1);
  });

  it('prepareView makes the document the pane shows, byte for byte; none for a text message', async () => {
    await reset();
    const raw = hostileMessage(network.origin);
    await call.mountPane({ raw, content: 'whole', remoteAllowed: false });
    await paneFrame();
    const view = await viewOf(raw);
    expect(view.document).toBe(await srcdoc());
    expect(view.blockedCount).toBe(REMOTE_PATHS.length);
    expect(view.headers.from).toEqual([{ name: 'Mallory ✓', address: 'mallory@example.com' }]);
    expect(await call.prepareView(TEXT_MESSAGE)).toBeUndefined();
  });

  it('asPreparedView takes a real view through structuredClone, and nothing that is not one in every field', async () => {
    await reset();
    const view = await viewOf(htmlWithFile(network.origin));
    expect(view.attachments).toEqual([{ index: expect.any(Number) as number, filename: 'report.pdf', mimeType: 'application/pdf', size: PDF.length }]);
    expect(await call.asPreparedView(view, true)).toEqual(view);
    // What a record carries besides the view does not come along.
    expect(await call.asPreparedView({ ...view, renderVersion: 'x' })).toEqual(view);

    const without = (field: string) => Object.fromEntries(Object.entries(view).filter(([k]) => k !== field));
    const headersWithout = (field: string) => ({
      ...view,
      headers: Object.fromEntries(Object.entries(view.headers).filter(([k]) => k !== field)),
    });
    const headers = (patch: Record<string, unknown>) => ({ ...view, headers: { ...view.headers, ...patch } });
    const ann = { name: 'Ann', address: 'ann@example.org' };
    const file = { index: 1, filename: 'a.pdf', mimeType: 'application/pdf', size: 3 };
    const rejected: [string, unknown][] = [
      ['null', null],
      ['a string', 'view'],
      ['an array', [view]],
      ['an empty object', {}],
      ...['headers', 'attachments', 'notes', 'document', 'blockedCount'].map((f): [string, unknown] => [`no ${f}`, without(f)]),
      ...['parsed', 'from', 'to', 'cc', 'subject'].map((f): [string, unknown] => [`no headers.${f}`, headersWithout(f)]),
      ['a number as document', { ...view, document: 42 }],
      ['a string as blockedCount', { ...view, blockedCount: '3' }],
      ['a negative blockedCount', { ...view, blockedCount: -1 }],
      ['a fractional blockedCount', { ...view, blockedCount: 1.5 }],
      ['a number as text', { ...view, text: 5 }],
      ['null headers', { ...view, headers: null }],
      ['a string as headers.parsed', headers({ parsed: 'yes' })],
      ['a number as subject', headers({ subject: 7 })],
      ['a string as date', headers({ date: 'yesterday' })],
      ['a number as dateText', headers({ dateText: 3 })],
      ['an address without a string address', headers({ from: [{ name: 'Ann' }] })],
      ['an address with a number as name', headers({ to: [{ name: 1, address: 'a@example.org' }] })],
      ['an address that is a string', headers({ cc: ['ann@example.org'] })],
      ['addresses not an array', headers({ from: ann })],
      ['attachments not an array', { ...view, attachments: file }],
      ['an attachment without a size', { ...view, attachments: [{ index: 1, filename: 'a', mimeType: 'b' }] }],
      ['an attachment with a string size', { ...view, attachments: [{ ...file, size: '3' }] }],
      ['an attachment with a number as filename', { ...view, attachments: [{ ...file, filename: 9 }] }],
      ['a note that is not a string', { ...view, notes: [1] }],
      ['notes not an array', { ...view, notes: 'note' }],
    ];
    for (const [what, value] of rejected) {
      expect(await call.asPreparedView(value), what).toBeUndefined();
    }
    // A message without a text alternative or a date is still a view.
    const sparse = { ...view, text: undefined, headers: { ...view.headers, date: undefined, dateText: 'someday' } };
    expect(await call.asPreparedView(sparse, true)).toEqual(sparse);
  });

  it('Show images on a stored view loads remote content only after the click; taken back, the stored document returns', async () => {
    await reset();
    const raw = hostileMessage(network.origin);
    const view = await viewOf(raw);
    await call.mountPane({ raw, content: 'whole', remoteAllowed: false, prepared: { view }, holdBody: true });
    await paneFrame();
    expect(await srcdoc()).toBe(view.document);
    await quiet();
    expect(network.hits).toEqual([]);

    await page.locator('.rp-bar', { hasText: BLOCKED_BAR }).getByRole('button', { name: 'Show images' }).click();
    expect((await call.events()).calls).toContain('allowRemote');
    await bodyRequested();
    // Until the message is parsed the blocked view stays: still nothing remote.
    await quiet();
    expect(await srcdoc()).toBe(view.document);
    expect(network.hits).toEqual([]);

    await call.releaseBody();
    await expect.poll(srcdoc).toContain('img-src data: https: http:');
    await paneFrame();
    await quiet();
    expect(network.hits.length).toBeGreaterThan(0);
    expect(network.hits.filter((p) => !(REMOTE_PATHS as readonly string[]).includes(p))).toEqual([]);
    expect((await call.events()).saves).toEqual([]);

    // Taken back: right after that render, only the blocked document; then nothing remote loads.
    expect(await call.setRemoteAllowed(false)).toEqual([view.document]);
    await paneFrame();
    expect(await srcdoc()).toBe(view.document);
    network.hits.length = 0;
    await quiet();
    expect(network.hits).toEqual([]);
    expect(await page.locator('.rp-bar', { hasText: BLOCKED_BAR }).count()).toBe(1);
    expect((await call.events()).saves).toEqual([]);
  });

  it('keeps a stored view on screen when the message cannot be read, with a note; Save stays disabled', async () => {
    await reset();
    const raw = htmlWithFile(network.origin);
    const view = await viewOf(raw);
    await call.mountPane({
      raw,
      content: 'whole',
      remoteAllowed: false,
      prepared: { view },
      holdBody: true,
      loadError: 'disk on fire',
    });
    await paneFrame();
    await bodyRequested();
    await page.evaluate("document.querySelector('iframe.rp-frame').dataset.kept = 'element'");
    await call.releaseBody();

    const note = page.locator('.rp-bar-warning');
    await note.waitFor();
    await expect(note.textContent()).resolves.toBe('The attachments could not be read: disk on fire');
    expect(await frameElement().getAttribute('data-kept')).toBe('element');
    expect(await srcdoc()).toBe(view.document);
    await expect(page.locator('.rp-subject').textContent()).resolves.toBe('Quarterly report');
    expect(await saveButton().isDisabled()).toBe(true);
    expect(await saveButton().getAttribute('title')).toMatch(/could not be read/);
    expect((await call.events()).saves).toEqual([]);
  });
});
