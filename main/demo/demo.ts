/**
 * `tsx main/demo/demo.ts [--open]` (`npm run demo`): Poplar working, with no mail server of your own. Starts a
 * POP3 demo server on 127.0.0.1 with two weeks of sample mail, and Poplar's window in the browser bridge; with
 * `--open` it also opens the window in Chromium and adds the demo account there by itself. A new message arrives
 * every minute, for Send/Receive to find. Ctrl+C stops everything.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { extractPreview } from '../../app/mail/preview.ts';
import { findChromium, launcherHtml } from '../browser/start-options.ts';
import type { LogFields, Logger, LogLevel } from '../log.ts';
import {
  accountInstructions,
  DEMO_USAGE,
  demoChromiumArgs,
  hasDisplay,
  NEW_MAIL_EVERY_MS,
  parseDemoArgs,
  type DemoCommand,
} from './demo-options.ts';
import { addDemoAccount, restorePassword, waitForMessages } from './drive-window.ts';
import { startDemo, type Demo } from './run-demo.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };
const say = (text: string): boolean => process.stdout.write(`${text}\n`);

/** The services' log as short lines a person can read next to the demo's own output. */
function readableLogger(level: LogLevel, base: LogFields = {}): Logger {
  const emit = (at: LogLevel, message: string, fields?: LogFields): void => {
    if (RANK[at] < RANK[level]) return;
    const extra = Object.entries({ ...base, ...fields })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    process.stderr.write(`  [${at}] ${message}${extra === '' ? '' : `  (${extra})`}\n`);
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => readableLogger(level, { ...base, ...fields }),
    enabled: (at) => RANK[at] >= RANK[level],
  };
}

function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

interface AppWindow {
  readonly context: BrowserContext;
  readonly page: Page;
}

/** Opens the window in Chromium (app mode) on a 0600 launcher file, so the token is on no command line. */
async function openWindow(demo: Demo, profileDir: string, privateDir: string, onClosed: () => void): Promise<AppWindow | undefined> {
  const executablePath = findChromium(existsSync);
  if (executablePath === undefined) {
    say('No Chromium found (/usr/bin/chromium, chromium-browser, google-chrome): open the address above yourself.');
    return undefined;
  }
  const headless = !hasDisplay(process.env);
  if (headless) {
    say(
      'No display found ($DISPLAY and $WAYLAND_DISPLAY are not set): Chromium runs headless, so there is no window\n' +
        'to see. The demo still adds its account there, to show that it works. To use Poplar yourself, open the\n' +
        'address above in a browser on this machine and add the account with the values above.',
    );
  }
  const launcher = path.join(privateDir, 'open.html');
  writeFileSync(launcher, launcherHtml(demo.bridge.url), { mode: 0o600 });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless,
    args: demoChromiumArgs(pathToFileURL(launcher).href, process.getuid?.() === 0),
    // Playwright opens about:blank in a persistent profile by default: the app window is the only one wanted.
    ignoreDefaultArgs: ['about:blank'],
    viewport: headless ? { width: 1280, height: 800 } : null,
    // Ctrl+C is the demo's to handle: it closes the window, then the servers, then removes its files.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = context.pages().find((p) => p.url().startsWith(demo.bridge.origin)) ?? context.pages()[0] ?? (await context.newPage());
  // Headless Chromium has no app windows and may ignore --app: then the page is sent to the address here.
  if (!page.url().startsWith(demo.bridge.origin)) {
    await page.waitForURL(`${demo.bridge.origin}/**`, { timeout: 5_000 }).catch(() => page.goto(demo.bridge.url));
  }
  context.on('close', onClosed);
  return { context, page };
}

/**
 * First run: add the account. A profile kept from an earlier demo (--data-dir) has it already, but not its
 * password, which lived in that demo's memory: it is typed in again.
 */
async function setUpAccount(window: AppWindow, demo: Demo): Promise<void> {
  const { page } = window;
  // The folder pane shows "Add account…" once the accounts are read.
  await page.getByRole('button', { name: 'Add account…' }).waitFor({ timeout: 30_000 });
  if ((await page.getByText('No accounts yet.').count()) === 0) {
    if ((await page.getByRole('button', { name: `Settings of ${demo.account.name}` }).count()) === 0) {
      say('This Chromium profile already has accounts, but not the demo\'s: the demo adds none.');
      return;
    }
    say('This profile has the demo account already: typing its password in again (it was kept in memory only)…');
    await restorePassword(page, demo.account);
    say('Done. Send/Receive (F9) checks the demo mailbox.');
    return;
  }
  say('Adding the demo account in the window…');
  await addDemoAccount(page, demo.account);
  await waitForMessages(page, 1);
  say('Done: the demo account is added and its first check has listed the messages. Click one to read it.');
}

async function main(): Promise<number> {
  let command: DemoCommand;
  try {
    command = parseDemoArgs(process.argv.slice(2), path.join(REPO_ROOT, 'dist', 'renderer'));
  } catch (e) {
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n${DEMO_USAGE}\n`);
    return 2;
  }
  if (command.help) {
    say(DEMO_USAGE);
    return 0;
  }
  if (!existsSync(path.join(command.staticDir, 'index.html'))) {
    process.stderr.write(`demo: ${command.staticDir} has no index.html. Build the window first: npx vite build\n`);
    return 2;
  }
  const log = readableLogger(command.debug ? 'debug' : 'info');
  const privateDir = mkdtempSync(path.join(os.tmpdir(), 'poplar-demo-'));
  const profileDir = command.dataDir ?? path.join(privateDir, 'chromium');
  mkdirSync(profileDir, { recursive: true, mode: 0o700 });
  const cleanUp = (): void => rmSync(privateDir, { recursive: true, force: true });

  let demo: Demo;
  try {
    demo = await startDemo({ staticDir: command.staticDir, bridgePort: command.port, pop3Port: command.pop3Port, version: packageVersion(), logger: log });
  } catch (e) {
    cleanUp();
    const inUse = e instanceof Error && (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    process.stderr.write(
      inUse
        ? 'demo: a port is in use. Is a demo already running? --port and --pop3-port choose others (0: any free port).\n'
        : `demo: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return 2;
  }

  say(
    [
      '',
      'The Poplar demo is running.',
      '',
      `  Poplar's window   ${demo.bridge.url}`,
      `  POP3 server       127.0.0.1:${demo.pop3.port}, plain TCP on this machine only, ${demo.pop3.messages().length} messages`,
      '',
      accountInstructions(demo.account),
      '',
      `A new message arrives on the demo server every ${NEW_MAIL_EVERY_MS / 1000} seconds: Send/Receive (F9) fetches it.`,
      'Ctrl+C stops the demo.',
      '',
    ].join('\n'),
  );

  const timer = setInterval(() => {
    const message = demo.deliver();
    say(`New mail on the demo server: "${extractPreview(message.bytes).subject}"`);
  }, NEW_MAIL_EVERY_MS);

  let window: AppWindow | undefined;
  // An object, not a let: the signal handler changes it behind the type checker's back.
  const run = { stopping: false };
  const stop = (signal: NodeJS.Signals): void => {
    if (run.stopping) process.exit(130);
    run.stopping = true;
    say(`\nStopping the demo (${signal})…`);
    clearInterval(timer);
    void (async () => {
      await window?.context.close().catch(() => undefined);
      await demo.close();
      cleanUp();
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (command.open) {
    try {
      window = await openWindow(demo, profileDir, privateDir, () => {
        if (!run.stopping) say('The window was closed. The demo keeps running until Ctrl+C.');
      });
      if (window !== undefined) await setUpAccount(window, demo);
    } catch (e) {
      if (!run.stopping) say(`The window could not be set up by itself (${e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e)}). Add the account by hand, as above.`);
    }
  }
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
