/**
 * The command line of `start.ts`, and where things live on disk, as pure functions (tested without a process).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * A fixed port by default: the window's store (IndexedDB) belongs to the page's origin, `http://127.0.0.1:PORT`,
 * so a different port each run would show an empty mailbox.
 */
export const DEFAULT_START_PORT = 17_110;

export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

export const START_USAGE = `Usage: start [--port N] [--open] [--data-dir DIR] [--ca FILE.pem] [--static-dir DIR] [--new-token] [--debug]
  --port N         listen on 127.0.0.1:N (default ${DEFAULT_START_PORT}; the mail store belongs to this address)
  --open           open the window in Chromium (app mode, private profile under the data directory)
  --data-dir DIR   where the vault, the access token and the browser profile live
                   (default: $XDG_CONFIG_HOME/poplar or ~/.config/poplar)
  --ca FILE.pem    trust an extra certificate authority for POP3 servers
  --static-dir DIR the built renderer (default: dist/renderer)
  --new-token      replace the saved access token (open windows must be opened again)`;

export interface StartOptions {
  readonly port: number;
  readonly open: boolean;
  readonly dataDir: string;
  readonly caFile?: string;
  readonly staticDir: string;
  readonly newToken: boolean;
  readonly debug: boolean;
  readonly help: boolean;
}

export interface StartEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly defaultStaticDir: string;
}

/** `$XDG_CONFIG_HOME/poplar`, or `~/.config/poplar` (the XDG spec ignores a relative XDG_CONFIG_HOME). */
export function configDir(env: StartEnvironment['env'], home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  return xdg !== undefined && path.isAbsolute(xdg) ? path.join(xdg, 'poplar') : path.join(home, '.config', 'poplar');
}

export function parseStartArgs(argv: readonly string[], environment: StartEnvironment): StartOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      open: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      ca: { type: 'string' },
      'static-dir': { type: 'string' },
      'new-token': { type: 'boolean', default: false },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  let port = DEFAULT_START_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535) throw new Error(`--port ${values.port} is not a port`);
    port = Number(values.port);
  }
  return {
    port,
    open: values.open,
    dataDir: path.resolve(values['data-dir'] ?? configDir(environment.env, environment.home)),
    caFile: values.ca,
    staticDir: path.resolve(values['static-dir'] ?? environment.defaultStaticDir),
    newToken: values['new-token'],
    debug: values.debug,
    help: values.help,
  };
}

export function findChromium(exists: (file: string) => boolean): string | undefined {
  return CHROMIUM_CANDIDATES.find((file) => exists(file));
}

/**
 * A page that sends the browser on to the bridge's address. Chromium is started on this file, not on the
 * address itself: a command line is visible to every user of the machine (/proc/PID/cmdline), and the address
 * carries the token; the file is readable by its owner only.
 */
export function launcherHtml(url: string): string {
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html>\n<meta charset="utf-8">\n<meta http-equiv="refresh" content="0;url=${escaped}">\n<title>Poplar</title>\n`;
}

/** An app window (no tabs, no address bar) with its own profile, so the store persists under the data dir. */
export function chromiumArgs(url: string, profileDir: string): string[] {
  return [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check'];
}
