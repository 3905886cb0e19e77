/**
 * The end-to-end harness: the real window (the renderer built by Vite with the product's own config) served by
 * the real browser bridge and main-process services, talking POP3 to a private Dovecot, in Debian's Chromium
 * driven by playwright-core. Nothing is downloaded and nothing leaves loopback.
 *
 * - The renderer is built once per test process (`builtRenderer`) by `vite build`, into a temporary folder.
 * - `startE2e` starts a loopback recorder (the hostile mail's "tracker"), a Dovecot holding a few realistic
 *   messages and the hostile one, the bridge with an in-memory vault that trusts the test CA, and Chromium on a
 *   fresh profile (so the page's IndexedDB starts empty), and opens the bridge's address.
 * - `close()` stops everything it started and removes every temporary folder, whatever failed on the way.
 *
 * Without /usr/bin/chromium the suite fails (it does not skip): `bash scripts/setup.sh` installs it.
 */
import { buildRenderer } from '../support/build-renderer.ts';
import { CHROMIUM, launchAppWindow } from '../support/chromium.ts';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { startBridge, type Bridge } from '../../main/browser/server.ts';
import { createLogger } from '../../main/log.ts';
import { createServices } from '../../main/services/services.ts';
import { MemoryVault } from '../../main/vault/vault.ts';
import { startDovecot, type DovecotServer } from '../support/dovecot.ts';
import { generateMessages, writeMaildir, type GeneratedMessage } from '../support/mailbox.ts';
import { hostileMessage, startRecorder, type Recorder } from './hostile-mail.ts';
import { UI_TIMEOUT_MS } from './ui-expect.ts';

export { CHROMIUM };
export const SCREENSHOT_DIR = fileURLToPath(new URL('./.screenshots/', import.meta.url));

/** Fails with the remedy when Debian's Chromium is missing: an end-to-end suite must never pass by skipping. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The end-to-end tests need Debian's Chromium at ${CHROMIUM}, and it is missing. ` +
        'Run `bash scripts/setup.sh` (CI installs it), then run the tests again.',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The renderer, built once per process

const BUILD_TIMEOUT_MS = 90_000;

/** The production build of the window in a temporary folder (see build-renderer.ts). */
async function buildRendererOnce(): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'poplar-e2e-renderer-'));
  try {
    await buildRenderer(outDir, BUILD_TIMEOUT_MS);
  } catch (e) {
    await rm(outDir, { recursive: true, force: true });
    throw e;
  }
  return outDir;
}

let renderer: Promise<string> | undefined;

/** The built renderer's folder; the first call builds it, later calls in this process share that build. */
export function builtRenderer(): Promise<string> {
  renderer ??= buildRendererOnce();
  return renderer;
}

/** Removes this process's build; the next `builtRenderer()` builds again. */
export async function removeBuiltRenderer(): Promise<void> {
  const pending = renderer;
  renderer = undefined;
  const dir = await pending?.catch(() => undefined);
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// The mailbox

/** One of the realistic messages on the server, with what the tests look for in the window. */
export interface ServerMail {
  readonly messageId: string;
  readonly subject: string;
  /** A body line far below the first lines: absent from a short preview, shown once the message is whole. */
  readonly tailLine: string;
}

function headerValue(head: string, name: string): string {
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
  if (match?.[1] === undefined) throw new Error(`generated message without ${name}`);
  return match[1].trim();
}

function describeMail(message: GeneratedMessage): ServerMail {
  const text = message.bytes.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  const head = text.slice(0, end);
  const body = text.slice(end + 4).split('\r\n');
  // An ordinary sentence (no dot-stuffing or status lookalikes), well below the preview's first lines.
  const candidates = body.slice(8).filter((line) => /^\p{Lu}[\p{L} ,]{30,}\.?$/u.test(line));
  const tailLine = candidates[candidates.length - 1];
  if (tailLine === undefined) throw new Error(`message ${message.messageId} has no long ordinary body line`);
  if (body.slice(0, 8).includes(tailLine)) throw new Error(`message ${message.messageId}: its tail line is also near the top`);
  return { messageId: message.messageId, subject: headerValue(head, 'Subject'), tailLine };
}

/** The test mailbox: `count` realistic plain-text messages, then the hostile HTML message. */
export function mailbox(recorderOrigin: string, count: number, seed: number): {
  readonly messages: readonly GeneratedMessage[];
  readonly plain: readonly ServerMail[];
} {
  const plainMessages = [...generateMessages({ kind: 'small', seed, count })];
  const plain = plainMessages.map(describeMail);
  // Rows are found by their subject: none may be another's substring, or a row could be mistaken for another.
  for (const a of plain) {
    for (const b of plain) {
      if (a !== b && b.subject.includes(a.subject)) {
        throw new Error(`seed ${seed} gives subjects that overlap ("${a.subject}", "${b.subject}"): pick another seed`);
      }
    }
  }
  return { messages: [...plainMessages, hostileMessage(recorderOrigin, count)], plain };
}

// ---------------------------------------------------------------------------------------------------------------
// The environment

export interface E2e {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly bridge: Bridge;
  readonly dovecot: DovecotServer;
  readonly recorder: Recorder;
  /** The realistic messages on the server, in server order (the hostile one comes after them). */
  readonly plain: readonly ServerMail[];
  /** How many messages the server held at the start. */
  readonly serverCount: number;
  /** Every URL the browser requested, in order (page, frames, subresources). */
  readonly requests: readonly string[];
  /** Every dialog (alert, confirm, prompt) a page opened; each was dismissed. */
  readonly dialogs: readonly string[];
  /** Uncaught errors of the page. */
  readonly pageErrors: readonly string[];
  /**
   * Errors the page logged. Expect CSP reports here once the hostile mail was shown: Chromium reports the inline
   * handlers of markup parsed into an inert DOMParser document (the sanitizer's) under the window's CSP, though
   * such a document never runs them.
   */
  readonly consoleErrors: readonly string[];
  /** The main process's log lines (JSON), for a failing test's report. */
  readonly logs: readonly string[];
  /** Saves a screenshot of the window as `.screenshots/<name>.png`; returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface E2eOptions {
  /** Realistic messages on the server (the hostile one is added). */
  readonly count?: number;
  readonly seed?: number;
}

export async function startE2e(options: E2eOptions = {}): Promise<E2e> {
  requireChromium();
  const cleanups: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'the end-to-end environment did not close cleanly');
  };
  try {
    const staticDir = await builtRenderer();

    const recorder = await startRecorder();
    cleanups.push(() => recorder.close());

    const dovecot = await startDovecot();
    cleanups.push(() => dovecot.stop());
    const { messages, plain } = mailbox(recorder.origin, options.count ?? 5, options.seed ?? 7);
    const written = writeMaildir(dovecot.maildir(), messages);

    const logs: string[] = [];
    const logger = createLogger('info', (line) => logs.push(line));
    const bridge = await startBridge({
      staticDir,
      logger,
      services: (host) =>
        createServices({
          vault: new MemoryVault(),
          host,
          hostKind: 'browser',
          version: '0.0.0-e2e',
          openExternal: () => Promise.resolve(),
          logger,
          extraCa: dovecot.pki.caPem,
        }),
    });
    cleanups.push(() => bridge.close());

    const profile = await mkdtemp(path.join(os.tmpdir(), 'poplar-e2e-chromium-'));
    cleanups.push(() => rm(profile, { recursive: true, force: true }));
    const context = await launchAppWindow(profile);
    cleanups.push(() => context.close());

    const requests: string[] = [];
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    const watch = (page: Page): void => {
      page.on('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        dialog.dismiss().catch(() => undefined);
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
    };
    context.on('page', watch);
    const page = context.pages()[0] ?? (await context.newPage());
    watch(page);
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(bridge.url);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    return {
      page,
      context,
      bridge,
      dovecot,
      recorder,
      plain,
      serverCount: written.count,
      requests,
      dialogs,
      pageErrors,
      consoleErrors,
      logs,
      screenshot: async (name) => {
        const file = path.join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}
