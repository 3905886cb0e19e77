/** The command line of `demo.ts`, as a pure function (tested without a process). */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DemoAccount } from './run-demo.ts';

/** Fixed by default, so the values to type into "Add account" are the same every run. */
export const DEFAULT_DEMO_PORT = 17_120;
export const DEFAULT_DEMO_POP3_PORT = 11_110;
export const NEW_MAIL_EVERY_MS = 60_000;

export const DEMO_USAGE = `Usage: demo [--open] [--port N] [--pop3-port N] [--data-dir DIR] [--static-dir DIR] [--debug]
  --open           open Poplar in Chromium and add the demo account by itself
                   (headless, with nothing to see, when there is no display)
  --port N         the window's address, http://127.0.0.1:N (default ${DEFAULT_DEMO_PORT}; 0: any free port)
  --pop3-port N    the demo POP3 server's port on 127.0.0.1 (default ${DEFAULT_DEMO_POP3_PORT}; 0: any free port)
  --data-dir DIR   Chromium's profile, where the window keeps its mail (default: a new temporary
                   directory, removed on exit, so every demo starts fresh)
  --static-dir DIR the built renderer (default: dist/renderer)
  --debug          log the POP3 dialogue and more`;

export interface DemoCommand {
  readonly open: boolean;
  readonly port: number;
  readonly pop3Port: number;
  /** Undefined: a temporary directory. */
  readonly dataDir?: string;
  readonly staticDir: string;
  readonly debug: boolean;
  readonly help: boolean;
}

function port(value: string | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) throw new Error(`${option} ${value} is not a port`);
  return Number(value);
}

export function parseDemoArgs(argv: readonly string[], defaultStaticDir: string): DemoCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      open: { type: 'boolean', default: false },
      port: { type: 'string' },
      'pop3-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'static-dir': { type: 'string' },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const bridgePort = port(values.port, DEFAULT_DEMO_PORT, '--port');
  const pop3Port = port(values['pop3-port'], DEFAULT_DEMO_POP3_PORT, '--pop3-port');
  if (bridgePort !== 0 && bridgePort === pop3Port) throw new Error('--port and --pop3-port must differ');
  return {
    open: values.open,
    port: bridgePort,
    pop3Port,
    dataDir: values['data-dir'] === undefined ? undefined : path.resolve(values['data-dir']),
    staticDir: path.resolve(values['static-dir'] ?? defaultStaticDir),
    debug: values.debug,
    help: values.help,
  };
}

/** Whether a window could be shown: an X11 or Wayland display is set. */
export function hasDisplay(env: Readonly<Record<string, string | undefined>>): boolean {
  return (env.DISPLAY ?? '') !== '' || (env.WAYLAND_DISPLAY ?? '') !== '';
}

/**
 * Chromium's switches for the demo window. No sandbox only as root, where Chromium refuses to start with it;
 * no GPU and no background traffic (the demo needs neither, and runs offline).
 */
export function demoChromiumArgs(appUrl: string, isRoot: boolean): string[] {
  return [...(isRoot ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-background-networking', `--app=${appUrl}`];
}

/** What a person types into "Add account" to reach the demo server, as printed on start. */
export function accountInstructions(account: DemoAccount): string {
  const rows: readonly (readonly [string, string])[] = [
    ['Name', `${account.name}   (any name will do)`],
    ['Email address', account.email],
    ['POP3 server', account.host],
    ['Security', 'None (not encrypted)'],
    ['Port', String(account.port)],
    ['User name', account.user],
    ['Password', account.password],
  ];
  return [
    'In the window, click "Add account…" and enter:',
    ...rows.map(([label, value]) => `  ${label.padEnd(15)} ${value}`),
    '  [x] Allow sending the password unencrypted',
    '      (fine here: the demo server runs on this machine, and the connection never leaves it)',
    'then Save. Poplar checks the new account at once.',
  ].join('\n');
}
