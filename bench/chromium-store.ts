/**
 * `npx tsx bench/chromium-store.ts [--count N] [--repeat R]`: the store alone in Chromium's real IndexedDB. The
 * page (bench/store-page/) applies a preview sync's batches with the app's own applySyncBatch, one after the
 * other as the executor issues them, with no window, IPC or server; for several batch sizes and both
 * durabilities. It is the floor of a preview sync through the app (bench/chromium-sync.ts): what the store costs,
 * separated from what the window and the transport add.
 *
 * Each case uses a fresh database in one fresh profile; the median of `--repeat` runs is printed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { serveDir } from '../test/renderer/reading/browser-support.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium-setup.ts';
import type { StoreBenchApi, StoreBenchInput, StoreBenchResult } from './store-page/api.ts';

const PAGE_ROOT = fileURLToPath(new URL('./store-page/', import.meta.url));

function parseOptions(argv: readonly string[]): { count: number; repeat: number } {
  let count = 10_000;
  let repeat = 3;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if ((flag === '--count' || flag === '--repeat') && Number.isSafeInteger(value) && value >= 1) {
      if (flag === '--count') count = value;
      else repeat = value;
      i += 1;
    } else {
      throw new Error(`unknown or invalid option ${String(flag)}; usage: chromium-store.ts [--count N] [--repeat R]`);
    }
  }
  return { count, repeat };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const { count, repeat } = parseOptions(process.argv.slice(2));
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'poplar-store-page-'));
  const profile = await mkdtemp(path.join(os.tmpdir(), 'poplar-store-profile-'));
  let server: Awaited<ReturnType<typeof serveDir>> | undefined;
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
  try {
    await build({
      configFile: false,
      root: PAGE_ROOT,
      base: './',
      logLevel: 'warn',
      publicDir: false,
      build: { outDir, emptyOutDir: true, sourcemap: false, reportCompressedSize: false, target: 'chrome130' },
    });
    server = await serveDir(outDir);
    // A persistent profile on disk, as the app has: IndexedDB then writes (and, when strict, flushes) real files.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction(() => 'poplarStoreBench' in globalThis);

    const cases: Array<Omit<StoreBenchInput, 'dbName' | 'count'>> = [];
    for (const durability of ['strict', 'relaxed'] as const) {
      for (const batchSize of [250, 1000, 2500]) cases.push({ durability, batchSize });
    }
    console.log(`The store alone in Chromium's IndexedDB: ${count.toLocaleString('en-US')} previews, applySyncBatch one batch after another (median of ${repeat})`);
    console.log(`  ${'durability'.padEnd(11)}${'batch'.padStart(6)}${'total s'.padStart(10)}${'msg/s'.padStart(9)}${'first ms'.padStart(10)}${'last ms'.padStart(9)}`);
    let n = 0;
    for (const c of cases) {
      const runs: StoreBenchResult[] = [];
      for (let r = 0; r < repeat; r += 1) {
        const input: StoreBenchInput = { ...c, count, dbName: `bench-${(n += 1)}` };
        const result = await page.evaluate(
          (i) => (globalThis as unknown as { poplarStoreBench: StoreBenchApi }).poplarStoreBench.run(i),
          input,
        );
        if (result.stored !== count) throw new Error(`the store holds ${result.stored} messages, not ${count}`);
        runs.push(result);
      }
      const total = median(runs.map((r) => r.totalMs));
      const first = median(runs.map((r) => r.batchMs[0] ?? 0));
      const last = median(runs.map((r) => r.batchMs.at(-1) ?? 0));
      console.log(
        `  ${c.durability.padEnd(11)}${String(c.batchSize).padStart(6)}${(total / 1000).toFixed(3).padStart(10)}` +
          `${Math.round((count / total) * 1000).toLocaleString('en-US').padStart(9)}${first.toFixed(0).padStart(10)}${last.toFixed(0).padStart(9)}`,
      );
    }
    for (const recordsPerMessage of [1, 2] as const) {
      const runs: number[] = [];
      for (let r = 0; r < repeat; r += 1) {
        const input = { count, batchSize: 1000, recordsPerMessage, dbName: `floor-${(n += 1)}` };
        const result = await page.evaluate(
          (i) => (globalThis as unknown as { poplarStoreBench: StoreBenchApi }).poplarStoreBench.floor(i),
          input,
        );
        runs.push(result.totalMs);
      }
      const total = median(runs);
      console.log(
        `  ${`floor: bare IndexedDB, ${recordsPerMessage} two-field record${recordsPerMessage === 1 ? '' : 's'} per message, no index, relaxed, batch 1000`.padEnd(0)}` +
          `  ${(total / 1000).toFixed(3)} s, ${Math.round((count / total) * 1000).toLocaleString('en-US')} msg/s`,
      );
    }
    const [l1, l5, l15] = os.loadavg().map((v) => v.toFixed(2));
    console.log(`  load average: ${String(l1)} ${String(l5)} ${String(l15)}, ${os.cpus().length} CPUs`);
  } finally {
    await context?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await rm(outDir, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
