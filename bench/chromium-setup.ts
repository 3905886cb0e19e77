/**
 * What the Chromium benches (chromium-sync.ts, chromium-ui.ts, chromium-store.ts) set up and tear down alike:
 * Debian's Chromium and its flags, a stack of cleanups that also runs on failure and on Ctrl-C, temporary folders,
 * the browser bridge with the main-side services, and a window on a profile. What they measure stays in each bench.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startBridge, type Bridge } from '../main/browser/server.ts';
import { createServices, type HostPort, type Services } from '../main/services/services.ts';
import { MemoryVault } from '../main/vault/vault.ts';
import { CHROMIUM, CHROMIUM_ARGS, launchAppWindow } from '../test/support/chromium.ts';

export { CHROMIUM, CHROMIUM_ARGS };

/** Everything a bench started, stopped and removed in the reverse order, whatever failed on the way. */
export interface Cleanups {
  /** Registers one step of the teardown. */
  push(step: () => Promise<void>): void;
  /** A new temporary folder (under the system's), removed at teardown. */
  tempDir(prefix: string): Promise<string>;
  /** Runs the registered steps, last first; a step that fails is reported on stderr and the others still run. */
  run(): Promise<void>;
}

/** A new, empty stack of cleanups; an interrupt (SIGINT) runs it, then exits with 130. */
export function startCleanups(): Cleanups {
  const steps: Array<() => Promise<void>> = [];
  const run = async (): Promise<void> => {
    for (const step of steps.splice(0).reverse()) {
      try {
        await step();
      } catch (e) {
        console.error(`! cleanup: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  process.once('SIGINT', () => {
    console.error('\ninterrupted: cleaning up');
    void run().finally(() => process.exit(130));
  });
  return {
    push: (step) => {
      steps.push(step);
    },
    tempDir: async (prefix) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
      steps.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    run,
  };
}

export interface BenchBridgeOptions {
  /** The built renderer. */
  readonly staticDir: string;
  /** Default: a free port. */
  readonly port?: number;
  /** How long the window may take to answer one of main's requests (default: the bridge's). */
  readonly requestTimeoutMs?: number;
  /** The test CA, for a server whose certificate it signed. */
  readonly extraCa?: string;
  /** Wraps the port the services talk to the window through, to watch what crosses it. */
  readonly wrapHost?: (host: HostPort) => HostPort;
}

export interface BenchBridge {
  readonly bridge: Bridge;
  /** The services the bridge built once the window connected; undefined before. */
  readonly services: () => Services | undefined;
}

/** The browser bridge with main's services (an in-memory vault, version 'bench'), closed at teardown. */
export async function startBenchBridge(options: BenchBridgeOptions, cleanups: Cleanups): Promise<BenchBridge> {
  const wrapHost = options.wrapHost ?? ((host: HostPort) => host);
  let services: Services | undefined;
  const bridge = await startBridge({
    staticDir: options.staticDir,
    port: options.port,
    requestTimeoutMs: options.requestTimeoutMs,
    services: (host) => {
      services = createServices({
        vault: new MemoryVault(),
        host: wrapHost(host),
        hostKind: 'browser',
        version: 'bench',
        openExternal: () => Promise.resolve(),
        extraCa: options.extraCa,
      });
      return services;
    },
  });
  cleanups.push(() => bridge.close());
  return { bridge, services: () => services };
}

/**
 * Debian's Chromium on the profile in `profileDir` (a fresh one starts with an empty IndexedDB), 1360 × 820,
 * en-GB, UTC, closed at teardown; its page reports uncaught errors on stderr.
 */
export async function launchWindow(
  profileDir: string,
  defaultTimeoutMs: number,
  cleanups: Cleanups,
): Promise<{ readonly context: BrowserContext; readonly page: Page }> {
  const context = await launchAppWindow(profileDir);
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error(`! page error: ${error.message}`));
  page.setDefaultTimeout(defaultTimeoutMs);
  return { context, page };
}

/** A command-line option's integer value, at least `min`; a clear error otherwise. */
export function intOption(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < min) throw new Error(`${flag} needs an integer ≥ ${min}`);
  return n;
}

/** Runs a bench's `main`; a failure is printed with its stack and sets exit code 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  });
}
