/**
 * `npx tsx bench/chromium-sync.ts [--count N] [--seed S] [--repeat R]`: a preview sync (TOP n 20, pipelined, plain
 * loopback) of the cached bench mailbox into Chromium's real IndexedDB, against the engine's own preview scan.
 *
 * 1. The cached mailbox (.tmp/bench-mailbox-<count>-<seed>/, see bench/mailbox-cache.ts) is linked into a fresh
 *    Dovecot (user alice).
 * 2. The engine alone, in this process: connect, USER/PASS, UIDL, fetchMany('top', all, 20 lines), QUIT. One
 *    warm-up pass (Dovecot's indexes, page cache), then `--repeat` passes; the median is kept.
 * 3. The renderer is built by `vite build` into a temporary folder and served by the browser bridge; Chromium
 *    (fresh profile, so IndexedDB starts empty) opens it, and an account (previews, 20 lines, kept until deleted,
 *    no encryption) is added through the dialog. Saving starts the first check.
 * 4. The sync's time is taken in main, on the events the executor emits: from the first 'sync:progress' of the
 *    run in phase 'connecting' to its 'sync:outcome'. It includes every store commit, which the page serves
 *    (store:apply-sync-batch runs in the page's IndexedDB). Then Send/Receive again: the no-change re-sync.
 *
 * `--profile` records a CPU profile of the page during the first sync (Chrome DevTools Protocol) and prints the
 * functions with the most self time: where the window spends the sync.
 *
 * Everything it started (Chromium, bridge, Dovecot, temporary folders) is stopped and removed, also on failure.
 */
import { buildRenderer } from '../test/support/build-renderer.ts';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventMap } from '../app/ipc/contract.ts';
import { Pop3Session } from '../main/pop3/session.ts';
import type { HostPort } from '../main/services/services.ts';
import { startDovecot, type DovecotServer } from '../test/support/dovecot.ts';
import { addPlainAccount } from './chromium-page.ts';
import { intOption, launchWindow, runBench, startBenchBridge, startCleanups } from './chromium-setup.ts';
import { ensureMailbox, installMailbox } from './mailbox-cache.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USER = 'alice';
const PASSWORD = 'secret pass';
const PREVIEW_LINES = 20;
const TARGET_RATIO = 2;
const BUILD_TIMEOUT_MS = 180_000;
const SYNC_TIMEOUT_MS = 900_000;

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  readonly count: number;
  readonly seed: number;
  readonly repeat: number;
  readonly profile: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  let count = 10_000;
  let seed = 1;
  let repeat = 3;
  let profile = false;
  const int = intOption;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--count') count = int(arg, argv[(i += 1)], 1);
    else if (arg === '--seed') seed = int(arg, argv[(i += 1)], 0);
    else if (arg === '--repeat') repeat = int(arg, argv[(i += 1)], 1);
    else if (arg === '--profile') profile = true;
    else throw new Error(`unknown option ${String(arg)}; usage: chromium-sync.ts [--count N] [--seed S] [--repeat R] [--profile]`);
  }
  return { count, seed, repeat, profile };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The engine's own preview scan, in this process; resolves with its wall time and what it fetched. */
async function engineScan(dovecot: DovecotServer): Promise<{ ms: number; messages: number; bytes: number; pipelined: boolean }> {
  const started = performance.now();
  const session = await Pop3Session.connect({ host: dovecot.host, port: dovecot.plainPort, security: 'none', pipelining: 'auto' });
  try {
    await session.authenticate({ user: USER, password: PASSWORD, allowPlaintextPassword: true });
    const listing = await session.uidl();
    let messages = 0;
    let bytes = 0;
    await session.fetchMany('top', listing.map((u) => u.n), { lines: PREVIEW_LINES }, (_n, body) => {
      messages += 1;
      bytes += body.length;
    });
    const pipelined = session.pipelining;
    await session.quit();
    return { ms: performance.now() - started, messages, bytes, pipelined };
  } catch (error) {
    session.abort();
    throw error;
  }
}


interface RunTiming {
  /** First 'sync:progress' in phase 'connecting' → 'sync:outcome'. */
  readonly connectToOutcomeMs: number;
  /** When the run was asked for (the Save click, or the Send/Receive call) → 'sync:outcome'. */
  readonly requestToOutcomeMs: number;
  readonly outcome: EventMap['sync:outcome'];
  /** store:apply-sync-batch requests the page answered during the run, and their summed round-trip time. */
  readonly batches: number;
  readonly batchMs: number;
  /** Each batch's round trip, in order. */
  readonly batchTimes: readonly number[];
}

/** Watches the events main sends the window, and times one sync run at a time. */
class SyncWatch {
  private connectedAt: number | undefined;
  private batches = 0;
  private batchMs = 0;
  private batchTimes: number[] = [];
  private requestedAt = 0;
  private waiter: { resolve: (t: RunTiming) => void; reject: (e: Error) => void } | undefined;

  wrap(host: HostPort): HostPort {
    return {
      request: async (channel, payload) => {
        if (channel !== 'store:apply-sync-batch') return host.request(channel, payload);
        const started = performance.now();
        try {
          return await host.request(channel, payload);
        } finally {
          const ms = performance.now() - started;
          this.batches += 1;
          this.batchMs += ms;
          this.batchTimes.push(ms);
        }
      },
      emit: (channel, payload) => {
        const at = performance.now();
        if (channel === 'sync:progress') {
          const p = payload as EventMap['sync:progress'];
          if (p.phase === 'connecting' && this.connectedAt === undefined) this.connectedAt = at;
        } else if (channel === 'sync:outcome') {
          this.finish(at, payload as EventMap['sync:outcome']);
        }
        host.emit(channel, payload);
      },
    };
  }

  /** Arms the watch for the next run; call right before whatever starts it. */
  expect(timeoutMs: number): Promise<RunTiming> {
    this.connectedAt = undefined;
    this.batches = 0;
    this.batchMs = 0;
    this.batchTimes = [];
    this.requestedAt = performance.now();
    return new Promise<RunTiming>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no sync:outcome within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiter = {
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  private finish(at: number, outcome: EventMap['sync:outcome']): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter === undefined) return;
    if (this.connectedAt === undefined) {
      waiter.reject(new Error(`sync:outcome without a connecting phase: ${JSON.stringify(outcome)}`));
      return;
    }
    waiter.resolve({ connectToOutcomeMs: at - this.connectedAt, requestToOutcomeMs: at - this.requestedAt, outcome,
      batches: this.batches, batchMs: this.batchMs, batchTimes: this.batchTimes });
  }
}

/** The page's functions with the most self time in a CDP CPU profile, to stderr. */
function printProfile(profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] }): void {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const node = byNode.get(id);
    const us = deltas[i] ?? 0;
    total += us;
    if (node === undefined) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url === '' ? '' : `${path.basename(url)}:${lineNumber + 1}`}`;
    self.set(name, (self.get(name) ?? 0) + us);
  });
  console.error(`page CPU profile: ${(total / 1e6).toFixed(2)} s sampled; most self time:`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.error(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanups = startCleanups();

  try {
    const mailbox = ensureMailbox(REPO_ROOT, options.count, options.seed);
    console.error(`mailbox: ${mailbox.count} messages, ${mailbox.generated ? 'generated' : 'cached'} in ${path.relative(REPO_ROOT, mailbox.dir)}`);

    const dovecot = await startDovecot();
    cleanups.push(() => dovecot.stop());
    installMailbox(mailbox, dovecot.maildir());

    // The engine alone: a warm-up pass, then the measured ones.
    const warm = await engineScan(dovecot);
    if (warm.messages !== options.count) throw new Error(`engine scan fetched ${warm.messages} of ${options.count} messages`);
    const engineRuns: number[] = [];
    for (let i = 0; i < options.repeat; i += 1) engineRuns.push((await engineScan(dovecot)).ms);
    const engineMs = median(engineRuns);
    console.error(`engine scan: ${engineRuns.map(seconds).join(', ')} s (warm-up ${seconds(warm.ms)} s)`);

    // The app in Chromium.
    const staticDir = await cleanups.tempDir('poplar-bench-renderer-');
    const buildStarted = performance.now();
    await buildRenderer(staticDir, BUILD_TIMEOUT_MS);
    console.error(`renderer built in ${seconds(performance.now() - buildStarted)} s`);

    const watch = new SyncWatch();
    const { bridge, services: bridgeServices } = await startBenchBridge({
      staticDir,
      requestTimeoutMs: SYNC_TIMEOUT_MS,
      extraCa: dovecot.pki.caPem,
      wrapHost: (host) => watch.wrap(host),
    }, cleanups);

    const { context, page } = await launchWindow(await cleanups.tempDir('poplar-bench-chromium-'), 30_000, cleanups);
    await page.goto(bridge.url);

    const cdp = options.profile ? await context.newCDPSession(page) : undefined;
    if (cdp !== undefined) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    }

    // While the first check runs: the window's long tasks (is it still responsive?), and when its first preview row
    // shows (does mail appear at once, or only at the end?).
    await page.evaluate(() => {
      const seen: number[] = [];
      (globalThis as unknown as { benchLongTasks: number[] }).benchLongTasks = seen;
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) seen.push(entry.duration);
      });
      // 'longtask' is a browser entry type, unknown to the Node typings this file is checked with.
      observer.observe({ type: 'longtask' as 'mark' });
    });
    let firstRowAt: number | undefined;
    let savedAt = NaN;
    const firstRow = page.getByRole('grid').getByRole('img', { name: 'Preview only' }).first();

    // The first sync: started by saving the account.
    let first: Promise<RunTiming> | undefined;
    await addPlainAccount(page, {
      name: 'Bench',
      email: 'alice@example.test',
      host: dovecot.host,
      port: dovecot.plainPort,
      user: USER,
      password: PASSWORD,
      previewLines: PREVIEW_LINES,
    }, () => {
      first = watch.expect(SYNC_TIMEOUT_MS);
      savedAt = performance.now();
      void cdp?.send('Profiler.start');
    });
    if (first === undefined) throw new Error('the Save button was never clicked');
    const rowShown = firstRow.waitFor({ timeout: SYNC_TIMEOUT_MS }).then(() => {
      firstRowAt = performance.now();
    });
    const sync = await first;
    await rowShown;
    const longTasks = await page.evaluate(() => (globalThis as unknown as { benchLongTasks: number[] }).benchLongTasks);
    if (cdp !== undefined) printProfile((await cdp.send('Profiler.stop')).profile);
    if (!sync.outcome.ok) throw new Error(`the sync failed: ${JSON.stringify(sync.outcome.error)}`);
    if (sync.outcome.newMessages !== options.count) {
      throw new Error(`the sync stored ${sync.outcome.newMessages} new messages, expected ${options.count}`);
    }

    // The no-change re-sync: Send/Receive again, as F9 does.
    const services = bridgeServices();
    if (services === undefined) throw new Error('the bridge did not build the services');
    const second = watch.expect(SYNC_TIMEOUT_MS);
    await services.handlers['sync:send-receive']({});
    const resync = await second;
    if (!resync.outcome.ok) throw new Error(`the re-sync failed: ${JSON.stringify(resync.outcome.error)}`);
    if (resync.outcome.newMessages !== 0) throw new Error(`the re-sync found ${resync.outcome.newMessages} new messages`);

    console.error(`batch round trips (ms, in order): ${sync.batchTimes.map((t) => t.toFixed(0)).join(' ')}`);
    const ratio = sync.connectToOutcomeMs / engineMs;
    const [load1, load5, load15] = os.loadavg().map((l) => l.toFixed(2));
    console.log(`Preview sync in Chromium's IndexedDB: ${options.count} messages, TOP n ${PREVIEW_LINES}, pipelined, plain loopback`);
    const row = (label: string, value: string): void => console.log(`  ${label.padEnd(40)}${value}`);
    row(`engine preview scan (median of ${options.repeat})`, `${seconds(engineMs)} s` +
      `  (${warm.pipelined ? 'pipelined' : 'NOT pipelined'}, ${(warm.bytes / 1024 / 1024).toFixed(1)} MiB)`);
    row('Chromium sync, connect → outcome', `${seconds(sync.connectToOutcomeMs)} s` +
      `  (Save click → outcome ${seconds(sync.requestToOutcomeMs)} s)`);
    row('  of which the page applied batches', `${seconds(sync.batchMs)} s  (${sync.batches} store:apply-sync-batch requests)`);
    row('first preview row shown, after Save', `${seconds((firstRowAt ?? NaN) - savedAt)} s`);
    row('window long tasks during the sync', `${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms, total ${longTasks.reduce((a, b) => a + b, 0).toFixed(0)} ms`);
    row('ratio sync / engine', `${ratio.toFixed(2)}×`);
    row(`target ≤ ${TARGET_RATIO}× the engine's scan`, ratio <= TARGET_RATIO ? 'PASS' : 'FAIL');
    row('no-change re-sync, connect → outcome', `${seconds(resync.connectToOutcomeMs)} s` +
      `  (Send/Receive → outcome ${seconds(resync.requestToOutcomeMs)} s)`);
    console.log(`  load average: ${load1} ${load5} ${load15}, ${os.cpus().length} CPUs`);
  } finally {
    await cleanups.run();
  }
}

runBench(main);
