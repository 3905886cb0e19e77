/**
 * One benchmark case in a fresh process, so that its peak RSS is the process's own:
 *   node --import tsx bench/case.ts '<ChildSpec as JSON>'
 * Prints exactly one JSON line (a ChildReport) on stdout; run.ts reads the last line.
 */
import { readFileSync } from 'node:fs';
import { OPS, type ChildReport, type ChildSpec } from './cases.ts';
import type * as EngineModule from './engine-client.ts';

/**
 * Peak resident set of this process, in KiB. On Linux `process.resourceUsage().maxRSS` is not it: the kernel
 * carries the high-water mark over from the forked copy of the parent (run.ts, which holds the warm-up's data)
 * through exec, so every case would report at least the parent's RSS. VmHWM is the high-water mark of this
 * process image only. Elsewhere maxRSS is the best there is.
 */
function peakRssKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'latin1'));
    if (match?.[1] !== undefined) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

function report(r: ChildReport): void {
  process.stdout.write(JSON.stringify(r) + '\n');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
  return code + error.message;
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg === undefined) throw new Error('usage: bench/case.ts <json spec>');
  const spec = JSON.parse(arg) as ChildSpec;
  const op = OPS[spec.op];
  const { endpoint } = spec;

  // Load the client before the clock starts: module loading is not what is measured.
  let run: () => Promise<{ listed: number; messages: number; bytes: number; note?: string }>;
  switch (spec.client) {
    case 'idle':
      run = () => Promise.resolve({ listed: 0, messages: 0, bytes: 0 });
      break;
    case 'minimal': {
      const { runReferenceClient } = await import('./reference-client.ts');
      const ca = endpoint.caPath === undefined ? undefined : readFileSync(endpoint.caPath, 'utf8');
      run = () =>
        runReferenceClient({
          host: endpoint.host,
          port: endpoint.port,
          tls: endpoint.tls ? { ca } : undefined,
          user: endpoint.user,
          password: endpoint.password,
          op: op.kind === 'top' ? { kind: 'top', lines: op.lines } : { kind: 'retr' },
          window: spec.mode === 'pipelined' ? Number.POSITIVE_INFINITY : 1,
        });
      break;
    }
    case 'engine': {
      let engine: typeof EngineModule;
      try {
        engine = await import('./engine-client.ts');
      } catch (error) {
        report({ ok: false, unavailable: true, error: `engine not available yet (${describe(error)})` });
        return;
      }
      run = () => engine.runEngine(spec);
      break;
    }
    case 'sync': {
      // Measures itself: only the sync run is timed, not opening the db or (for the re-sync) the first sync.
      const { runSyncCase } = await import('./sync-client.ts');
      try {
        report(await runSyncCase(spec, peakRssKiB));
      } catch (error) {
        report({ ok: false, error: describe(error), maxRssKiB: peakRssKiB() });
      }
      return;
    }
  }

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const result = await run();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    report({
      ok: true,
      ...result,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssKiB: peakRssKiB(),
    });
  } catch (error) {
    report({ ok: false, error: describe(error), maxRssKiB: peakRssKiB() });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    report({ ok: false, error: describe(error) });
    process.exit(1);
  },
);
