/**
 * `tsx main/browser/start.ts [--open]`: Poplar without the Electron binary. Serves the built renderer
 * (`dist/renderer/`, built beforehand by `vite build`) and the main-process services on 127.0.0.1, prints the
 * address with its access token, and with `--open` shows it in Chromium as an app window (started on a 0600
 * launcher file that redirects to the address, so the token never appears on a command line).
 *
 * Secrets go to a file vault in the data directory, protected by file permissions only (0600): there is no OS
 * keychain here, and the log says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mailError } from '../../app/errors.ts';
import { stderrLogger, type Logger } from '../log.ts';
import { createServices } from '../services/services.ts';
import { FileVault } from '../vault/vault.ts';
import { startBridge, type Bridge } from './server.ts';
import { chromiumArgs, findChromium, launcherHtml, parseStartArgs, START_USAGE, type StartOptions } from './start-options.ts';
import { newToken, TOKEN_PATTERN } from './token.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<number> {
  const options = parseStartArgs(process.argv.slice(2), {
    env: process.env,
    home: os.homedir(),
    defaultStaticDir: path.join(REPO_ROOT, 'dist', 'renderer'),
  });
  if (options.help) {
    process.stdout.write(`${START_USAGE}\n`);
    return 0;
  }
  const log = stderrLogger(options.debug ? 'debug' : 'info');
  if (!existsSync(path.join(options.staticDir, 'index.html'))) {
    process.stderr.write(`start: ${options.staticDir} has no index.html. Build the renderer first (vite build).\n`);
    return 2;
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const vaultFile = path.join(options.dataDir, 'vault.json');
  log.info('secrets are kept in a file protected by file permissions only (0600), not by an OS keychain', {
    file: vaultFile,
  });
  const bridge = await startBridge({
    staticDir: options.staticDir,
    port: options.port,
    token: accessToken(options),
    logger: log,
    services: (host) =>
      createServices({
        vault: new FileVault(vaultFile),
        host,
        hostKind: 'browser',
        version: packageVersion(),
        openExternal: (url) => openExternal(url, log),
        logger: log,
        extraCa: options.caFile === undefined ? undefined : readFileSync(options.caFile, 'utf8'),
      }),
  });
  process.stdout.write(`Poplar is running. Open this address (it carries the access token):\n${bridge.url}\n`);
  const browser = options.open ? openWindow(bridge, options, log) : undefined;
  handleSignals(bridge, browser, log);
  return 0;
}

/** The token is kept (0600) so that a restarted bridge takes the open window back; --new-token replaces it. */
function accessToken(options: StartOptions): string {
  const file = path.join(options.dataDir, 'bridge-token');
  if (!options.newToken && existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (TOKEN_PATTERN.test(saved)) return saved;
  }
  const token = newToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? pkg.version : undefined;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Links from mail, already checked by the services (http, https, mailto): handed to the desktop's opener. */
function openExternal(url: string, log: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
    child.once('error', (e) => {
      log.warn('could not open a link', { error: e.message });
      reject(mailError('NOT_SUPPORTED', 'No program to open links with (xdg-open) was found on this machine.'));
    });
  });
}

function openWindow(bridge: Bridge, options: StartOptions, log: Logger): ChildProcess | undefined {
  const chromium = findChromium(existsSync);
  if (chromium === undefined) {
    log.warn('no Chromium found (/usr/bin/chromium, chromium-browser, google-chrome); open the address yourself');
    return undefined;
  }
  const profile = path.join(options.dataDir, 'chromium');
  mkdirSync(profile, { recursive: true, mode: 0o700 });
  const launcher = path.join(options.dataDir, 'open.html');
  writeFileSync(launcher, launcherHtml(bridge.url), { mode: 0o600 });
  chmodSync(launcher, 0o600);
  const child = spawn(chromium, chromiumArgs(pathToFileURL(launcher).href, profile), { stdio: 'ignore' });
  child.on('error', (e) => log.warn('Chromium did not start', { error: e.message }));
  child.on('exit', (code) => log.info('the Chromium window closed; Poplar keeps running until Ctrl+C', { code: code ?? -1 }));
  return child;
}

function handleSignals(bridge: Bridge, browser: ChildProcess | undefined, log: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    log.info('stopping', { signal });
    if (browser !== undefined && browser.exitCode === null) browser.kill('SIGTERM');
    bridge.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error('the bridge did not close cleanly', { error: e instanceof Error ? e.message : String(e) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (e: unknown) => {
    const inUse = e instanceof Error && (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    process.stderr.write(
      inUse
        ? 'start: the port is in use — is Poplar already running? (--port picks another, but the mail store belongs to the address)\n'
        : `start: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exitCode = 2;
  },
);
