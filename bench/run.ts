/**
 * `npm run bench`: the POP3 engine against a private Dovecot on loopback, next to a minimal hand-written
 * pipelined client and (for RETR) Debian's mpop. See bench/cases.ts for the matrix and `--help` for options.
 *
 * 1. Generates the mailboxes once (cached under .tmp/bench-mailbox-<count>-<seed>/), starts Dovecot and links
 *    them in, and warms Dovecot up (indexes, page cache) with one pass of each operation, which also yields the
 *    message counts and byte totals every case must match.
 * 2. Runs each case in a fresh Node process (compiled to .tmp/bench-js/ first, so that no TypeScript loader
 *    sits in the measured process; `--tsx` uses the tsx loader instead), whose own peak RSS is reported. mpop
 *    runs as itself. Loopback cases run `--repeat` times, interleaved, and the median wall time is kept.
 * 3. Prints the cases, then the ratios and the targets.
 *
 * The sync cases (bench/sync-bench.ts: a whole sync into the store under fake-indexeddb) run in the same way, each
 * with the engine case it is compared with.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDovecot, type DovecotServer } from '../test/support/dovecot.ts';
import { startLatencyProxy, type LatencyProxy } from '../test/support/latency-proxy.ts';
import {
  ADDED_RTT_MS,
  buildMatrix,
  OPS,
  type CaseDef,
  type ChildReport,
  type ChildSpec,
  type Endpoint,
  type Mode,
  type OpId,
  type Transport,
} from './cases.ts';
import { ensureMailbox, installMailbox, type CachedMailbox } from './mailbox-cache.ts';
import { MPOP_PATH, mpopAvailable, runMpop } from './mpop.ts';
import { runReferenceClient } from './reference-client.ts';
import { buildSyncMatrix, referenceCaseId, syncSection, type SyncResult } from './sync-bench.ts';
import { formatTable, num, ratio, seconds } from './table.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMPILED_DIR = path.join(REPO_ROOT, '.tmp', 'bench-js');
const RESULTS_PATH = path.join(REPO_ROOT, '.tmp', 'bench-results.json');
const PASSWORD = 'bench-pass';
const MIB = 1024 * 1024;

const TARGET_ENGINE_VS_MINIMAL = 1.25;
const TARGET_RETR_RSS_MIB = 150;
const TARGET_SCAN_SPEEDUP_AT_20MS = 40;
/** Default time limit of a sync case (it includes, for the re-sync, the first sync, and the extraction pass). */
const SYNC_TIMEOUT_MS = 600_000;

// ---------------------------------------------------------------------------------------------------------------
// Options

/** A mistake on the command line: reported without a stack trace. */
class UsageError extends Error {}

interface Options {
  readonly quick: boolean;
  readonly only: string[];
  /** Messages on loopback. */
  readonly count: number;
  /** Messages for the +20ms cases. */
  readonly slowCount: number;
  readonly seed: number;
  /** Runs per loopback case (the median is kept); +20ms cases run once. */
  readonly repeat: number;
  readonly timeoutMs: number;
  readonly tsx: boolean;
  readonly mpop: boolean;
}

const USAGE = `usage: npm run bench -- [options]
  --quick            1,000 messages (100 at +20 ms), operations a and c and the sync cases (not batch1000),
                     one run per case
  --only <text>      run only cases whose id contains <text> (repeatable), e.g. --only retr --only 20ms;
                     ids look like c-retr/engine/pipelined/plain, a-top0/minimal/sequential/20ms;
                     --only sync: the sync into the store (sync-previews/..., sync-whole/..., sync-resync/...),
                     with the engine cases they are compared with
  --count <n>        messages on loopback (default 10000, quick 1000)
  --count-20ms <n>   messages for the +20 ms cases (default 1000, quick 100)
  --seed <n>         mailbox generator seed (default 1)
  --repeat <n>       runs per loopback case, median kept (default 3, quick 1)
  --timeout <s>      per-case time limit (default 180 s on loopback, 300 s at +20 ms, 600 s for a sync)
  --tsx              run cases under the tsx loader instead of compiled JS (adds ~30 MiB to every RSS)
  --no-mpop          skip mpop
  --list             print the selected case ids and exit`;

function parseOptions(argv: readonly string[]): Options & { list: boolean } {
  const quick = argv.includes('--quick');
  const only: string[] = [];
  let count = quick ? 1000 : 10_000;
  let slowCount = quick ? 100 : 1000;
  let seed = 1;
  let repeat = quick ? 1 : 3;
  let timeoutMs = 0;
  let tsx = false;
  let mpop = true;
  let list = false;
  const int = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} needs an integer ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    switch (arg) {
      case '--quick':
        break;
      case '--only': {
        const value = argv[(i += 1)];
        if (value === undefined) throw new UsageError('--only needs a substring');
        only.push(value);
        break;
      }
      case '--count':
        count = int(arg, argv[(i += 1)], 1);
        break;
      case '--count-20ms':
        slowCount = int(arg, argv[(i += 1)], 1);
        break;
      case '--seed':
        seed = int(arg, argv[(i += 1)], 0);
        break;
      case '--repeat':
        repeat = int(arg, argv[(i += 1)], 1);
        break;
      case '--timeout':
        timeoutMs = int(arg, argv[(i += 1)], 1) * 1000;
        break;
      case '--tsx':
        tsx = true;
        break;
      case '--no-mpop':
        mpop = false;
        break;
      case '--list':
        list = true;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return { quick, only, count, slowCount, seed, repeat, timeoutMs, tsx, mpop, list };
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes

interface ChildRunner {
  readonly describe: string;
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Transpiles bench/ and what it imports to plain ESM JavaScript (no type check: `npm run typecheck` does that),
 * so that each case runs in a bare `node` whose RSS is the client's and Node's only.
 */
function prepareRunner(useTsx: boolean): ChildRunner {
  const tsxRunner: ChildRunner = {
    describe: 'node --import tsx bench/case.ts',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(REPO_ROOT, 'bench', 'case.ts')],
  };
  if (useTsx) return tsxRunner;
  const started = performance.now();
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(REPO_ROOT, 'bench'), '--noEmit', 'false', '--noCheck', '--outDir', COMPILED_DIR, '--rootDir',
      REPO_ROOT, '--rewriteRelativeImportExtensions', '--sourceMap', 'false', '--declaration', 'false'],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  const entry = path.join(COMPILED_DIR, 'bench', 'case.js');
  if (result.status !== 0 || !existsSync(entry)) {
    console.error(`! could not compile bench/ (${(result.stdout + result.stderr).trim().slice(0, 400)}); using tsx`);
    return tsxRunner;
  }
  writeFileSync(path.join(COMPILED_DIR, 'package.json'), '{ "type": "module" }\n');
  console.error(`compiled bench/ to ${path.relative(REPO_ROOT, COMPILED_DIR)} in ${seconds(performance.now() - started)} s`);
  return { describe: `node ${path.relative(REPO_ROOT, entry)} (compiled)`, command: process.execPath, args: [entry] };
}

let currentChild: ReturnType<typeof spawn> | undefined;

function runChild(runner: ChildRunner, spec: ChildSpec, timeoutMs: number): Promise<ChildReport> {
  return new Promise((resolve) => {
    const child = spawn(runner.command, [...runner.args, JSON.stringify(spec)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    currentChild = child;
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => (stdout += s));
    child.stderr.on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `cannot start: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      currentChild = undefined;
      if (timedOut) {
        resolve({ ok: false, error: `TIMEOUT: killed after ${Math.round(timeoutMs / 1000)} s` });
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as ChildReport);
      } catch {
        const tail = stderr.trim().split('\n').slice(-4).join(' / ');
        resolve({ ok: false, error: `child exit ${String(code ?? signal)} without a report: ${tail}` });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Results

interface Expected {
  readonly listed: number;
  readonly bytes: Record<OpId, number>;
}

interface CaseResult {
  readonly def: CaseDef;
  readonly messagesExpected: number;
  /** One report per run. */
  readonly runs: ChildReport[];
}

type OkReport = Extract<ChildReport, { ok: true }>;

interface Summary {
  readonly def: CaseDef;
  /** The median run (by wall time), if any run succeeded. */
  readonly median: OkReport | undefined;
  readonly maxRssKiB: number | undefined;
  readonly runs: number;
  readonly fastestMs: number | undefined;
  readonly slowestMs: number | undefined;
  readonly error: string | undefined;
  readonly mismatch: string | undefined;
}

function summarize(result: CaseResult, expected: Expected | undefined): Summary {
  const ok = result.runs.filter((r): r is OkReport => r.ok).sort((x, y) => x.wallMs - y.wallMs);
  const failed = result.runs.find((r): r is Extract<ChildReport, { ok: false }> => !r.ok);
  const median = ok[Math.floor((ok.length - 1) / 2)];
  const rss = ok.map((r) => r.maxRssKiB).filter((v) => v > 0);
  let mismatch: string | undefined;
  if (expected !== undefined) {
    const want = expected.bytes[result.def.op];
    const wrong = ok.find((r) => r.messages !== expected.listed || r.bytes !== want);
    if (wrong !== undefined) {
      mismatch = `got ${wrong.messages} msgs / ${wrong.bytes} B, expected ${expected.listed} / ${want}`;
    }
  }
  return {
    def: result.def,
    median,
    maxRssKiB: rss.length > 0 ? Math.max(...rss) : undefined,
    runs: ok.length,
    fastestMs: ok[0]?.wallMs,
    slowestMs: ok[ok.length - 1]?.wallMs,
    error: failed?.error,
    mismatch,
  };
}

const TRANSPORT_LABEL: Record<Transport, string> = { plain: 'plain', tls: 'TLS', '+20ms': `+${ADDED_RTT_MS}ms` };

function caseTable(summaries: readonly Summary[]): string {
  const rows = summaries.map((s) => {
    const m = s.median;
    const head = [OPS[s.def.op].label, s.def.client, s.def.mode, TRANSPORT_LABEL[s.def.transport]];
    if (m === undefined) return [...head, '', '', '', '', '', '', s.error ?? 'no result'];
    const secs = m.wallMs / 1000;
    const notes = [
      s.mismatch === undefined ? '' : `MISMATCH: ${s.mismatch}`,
      s.error === undefined ? '' : `a run failed: ${s.error}`,
      s.runs > 1 ? `median of ${s.runs} (${seconds(s.fastestMs)}–${seconds(s.slowestMs)} s)` : '',
      m.note ?? '',
    ].filter((x) => x !== '');
    return [
      ...head,
      m.messages.toLocaleString('en-US'),
      seconds(m.wallMs),
      num(m.messages / secs, 0),
      num(m.bytes / 1e6 / secs, 1),
      seconds(m.cpuMs),
      mib(s.maxRssKiB),
      notes.join('; '),
    ];
  });
  return formatTable(
    [
      { title: 'case' },
      { title: 'client' },
      { title: 'mode' },
      { title: 'transport' },
      { title: 'messages', align: 'right' },
      { title: 'wall s', align: 'right' },
      { title: 'msg/s', align: 'right' },
      { title: 'MB/s', align: 'right' },
      { title: 'CPU s', align: 'right' },
      { title: 'peak RSS MiB', align: 'right' },
      { title: 'notes' },
    ],
    rows,
  );
}

function findCase(
  summaries: readonly Summary[],
  op: OpId,
  client: CaseDef['client'],
  mode: Mode,
  transport: Transport,
): Summary | undefined {
  return summaries.find(
    (s) => s.def.op === op && s.def.client === client && s.def.mode === mode && s.def.transport === transport,
  );
}

function find(
  summaries: readonly Summary[],
  op: OpId,
  client: CaseDef['client'],
  mode: Mode,
  transport: Transport,
): OkReport | undefined {
  return findCase(summaries, op, client, mode, transport)?.median;
}

function mib(kib: number | undefined): string {
  return kib === undefined || kib <= 0 ? '—' : num(kib / 1024);
}

interface Verdict {
  readonly target: string;
  readonly pass: boolean;
}

function verdictText(pass: boolean | undefined): string {
  if (pass === undefined) return '';
  return pass ? 'PASS' : 'FAIL';
}

function ratioTables(summaries: readonly Summary[], verdicts: Verdict[]): string[] {
  const out: string[] = [];
  const ops = [...new Set(summaries.map((s) => s.def.op))];
  const transports = [...new Set(summaries.map((s) => s.def.transport))];
  const modes: readonly Mode[] = ['pipelined', 'sequential'];

  // Engine / minimal client, same case, same run.
  const vsMinimal: string[][] = [];
  for (const op of ops) {
    for (const transport of transports) {
      for (const mode of modes) {
        const engine = find(summaries, op, 'engine', mode, transport);
        const minimal = find(summaries, op, 'minimal', mode, transport);
        if (engine === undefined && minimal === undefined) continue;
        const r = engine !== undefined && minimal !== undefined ? engine.wallMs / minimal.wallMs : undefined;
        const targeted = (op === 'a' || op === 'c') && transport !== '+20ms';
        const pass = targeted && r !== undefined ? r <= TARGET_ENGINE_VS_MINIMAL : undefined;
        if (pass !== undefined) {
          verdicts.push({ target: `engine ≤ ${TARGET_ENGINE_VS_MINIMAL}× minimal: ${OPS[op].label}, ${mode}, ${TRANSPORT_LABEL[transport]} (${ratio(r)})`, pass });
        }
        vsMinimal.push([OPS[op].label, mode, TRANSPORT_LABEL[transport], seconds(engine?.wallMs), seconds(minimal?.wallMs),
          ratio(r), targeted ? `≤ ${TARGET_ENGINE_VS_MINIMAL}× ${verdictText(pass)}` : '']);
      }
    }
  }
  if (vsMinimal.length > 0) {
    out.push('Engine / minimal client (wall time; lower is better)');
    out.push(formatTable([{ title: 'case' }, { title: 'mode' }, { title: 'transport' }, { title: 'engine s', align: 'right' },
      { title: 'minimal s', align: 'right' }, { title: 'ratio', align: 'right' }, { title: 'target' }], vsMinimal));
  }

  // Pipelined speed-up per client.
  const speedups: string[][] = [];
  for (const op of ops) {
    for (const transport of transports) {
      for (const client of ['engine', 'minimal', 'mpop'] as const) {
        const pipelined = find(summaries, op, client, 'pipelined', transport);
        const sequential = find(summaries, op, client, 'sequential', transport);
        if (pipelined === undefined && sequential === undefined) continue;
        const r = pipelined !== undefined && sequential !== undefined ? sequential.wallMs / pipelined.wallMs : undefined;
        const targeted = client === 'engine' && transport === '+20ms' && (op === 'a' || op === 'b');
        const pass = targeted && r !== undefined ? r >= TARGET_SCAN_SPEEDUP_AT_20MS : undefined;
        if (pass !== undefined) {
          verdicts.push({ target: `engine pipelined scan ≥ ${TARGET_SCAN_SPEEDUP_AT_20MS}× its sequential mode at +${ADDED_RTT_MS} ms: ${OPS[op].label} (${ratio(r)})`, pass });
        }
        speedups.push([OPS[op].label, TRANSPORT_LABEL[transport], client, seconds(sequential?.wallMs),
          seconds(pipelined?.wallMs), ratio(r), targeted ? `≥ ${TARGET_SCAN_SPEEDUP_AT_20MS}× ${verdictText(pass)}` : '']);
      }
    }
  }
  if (speedups.length > 0) {
    out.push('Pipelined speed-up (sequential wall / pipelined wall; higher is better)');
    out.push(formatTable([{ title: 'case' }, { title: 'transport' }, { title: 'client' }, { title: 'sequential s', align: 'right' },
      { title: 'pipelined s', align: 'right' }, { title: 'speed-up', align: 'right' }, { title: 'target' }], speedups));
  }

  // Engine vs mpop for RETR.
  const vsMpop: string[][] = [];
  for (const transport of transports) {
    for (const mode of modes) {
      const engine = findCase(summaries, 'c', 'engine', mode, transport);
      const mpop = findCase(summaries, 'c', 'mpop', mode, transport);
      if (mpop?.median === undefined) continue;
      const engineMs = engine?.median?.wallMs;
      vsMpop.push([mode, TRANSPORT_LABEL[transport], seconds(engineMs), seconds(mpop.median.wallMs),
        ratio(engineMs === undefined ? undefined : engineMs / mpop.median.wallMs), mib(engine?.maxRssKiB), mib(mpop.maxRssKiB)]);
    }
  }
  if (vsMpop.length > 0) {
    out.push('Engine vs mpop, c RETR (mpop also writes every message to a Maildir on tmpfs)');
    out.push(formatTable([{ title: 'mode' }, { title: 'transport' }, { title: 'engine s', align: 'right' }, { title: 'mpop s', align: 'right' },
      { title: 'engine/mpop', align: 'right' }, { title: 'engine RSS MiB', align: 'right' }, { title: 'mpop RSS MiB', align: 'right' }], vsMpop));
  }

  // Peak RSS of the engine for RETR.
  for (const s of summaries) {
    if (s.def.client === 'engine' && s.def.op === 'c' && s.maxRssKiB !== undefined) {
      const mib = s.maxRssKiB / 1024;
      verdicts.push({ target: `engine peak RSS < ${TARGET_RETR_RSS_MIB} MiB: ${OPS.c.label}, ${s.def.mode}, ${TRANSPORT_LABEL[s.def.transport]} (${num(mib)} MiB)`, pass: mib < TARGET_RETR_RSS_MIB });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Main

function toolVersion(command: string, args: readonly string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0]?.trim() ?? '?' : 'not available';
}

function userFor(count: number): string {
  return `bench${count}`;
}

async function warmUp(server: DovecotServer, user: string, mailbox: CachedMailbox): Promise<Expected> {
  const endpoint = { host: server.host, port: server.plainPort, user, password: PASSWORD, window: Number.POSITIVE_INFINITY };
  const started = performance.now();
  const bytes = { a: 0, b: 0, c: 0 } satisfies Record<OpId, number>;
  let listed = 0;
  for (const op of ['a', 'b', 'c'] as const) {
    const spec = OPS[op];
    const r = await runReferenceClient({
      ...endpoint,
      op: spec.kind === 'top' ? { kind: 'top', lines: spec.lines } : { kind: 'retr' },
    });
    if (r.listed !== mailbox.count || r.messages !== mailbox.count) {
      throw new Error(`warm-up ${spec.label}: ${r.messages} of ${r.listed} messages, expected ${mailbox.count}`);
    }
    bytes[op] = r.bytes;
    listed = r.listed;
  }
  if (bytes.c !== mailbox.bytes) {
    throw new Error(`warm-up RETR delivered ${bytes.c} bytes, the generator wrote ${mailbox.bytes}`);
  }
  console.error(`warmed up ${user}: ${listed} messages, ${num(bytes.c / 1e6)} MB, in ${seconds(performance.now() - started)} s`);
  return { listed, bytes };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const mpop = options.mpop && mpopAvailable();
  const cases = buildMatrix({ quick: options.quick, only: options.only, mpop });
  const syncCases = buildSyncMatrix({ quick: options.quick, only: options.only });
  // A sync case is compared with the engine alone in the same run: that engine case runs too, selected or not.
  const addedReferences = new Set<string>();
  for (const s of syncCases) {
    const id = referenceCaseId(s);
    if (cases.some((c) => c.id === id)) continue;
    cases.push({ id, op: s.referenceOp, client: 'engine', mode: 'pipelined', transport: 'plain' });
    addedReferences.add(id);
  }
  if (options.list) {
    for (const c of cases) console.log(addedReferences.has(c.id) ? `${c.id} (reference for the sync cases)` : c.id);
    for (const c of syncCases) console.log(c.id);
    return;
  }
  if (cases.length === 0) throw new UsageError(`no case matches ${options.only.map((s) => JSON.stringify(s)).join(' or ')}`);
  if (options.mpop && !mpop) console.error(`note: ${MPOP_PATH} is not installed; the mpop cases are skipped`);
  const engineAvailable = existsSync(path.join(REPO_ROOT, 'main', 'pop3', 'session.ts'));
  const executorAvailable = engineAvailable && existsSync(path.join(REPO_ROOT, 'main', 'sync', 'executor.ts'));
  mkdirSync(path.join(REPO_ROOT, '.tmp'), { recursive: true });

  const needsSlow = cases.some((c) => c.transport === '+20ms');
  const counts = [...new Set([options.count, ...(needsSlow ? [options.slowCount] : [])])];
  const mailboxes = new Map<number, CachedMailbox>();
  for (const count of counts) {
    const m = ensureMailbox(REPO_ROOT, count, options.seed);
    console.error(
      `mailbox ${count}/${options.seed}: ${num(m.bytes / 1e6)} MB, ` +
        (m.generated ? `generated in ${seconds(m.generateMs)} s` : `cached in ${path.relative(REPO_ROOT, m.dir)}`),
    );
    mailboxes.set(count, m);
  }

  const runner = prepareRunner(options.tsx);
  const server = await startDovecot({ users: counts.map((c) => ({ name: userFor(c), password: PASSWORD })) });
  let proxy: LatencyProxy | undefined;
  // An object, not a `let`: the SIGINT handler sets it, which flow analysis cannot see.
  const interrupt = { requested: false };
  const cleanup = async (): Promise<void> => {
    await proxy?.close();
    await server.stop();
  };
  process.once('SIGINT', () => {
    interrupt.requested = true;
    console.error('\ninterrupted: stopping');
    currentChild?.kill('SIGKILL');
    void cleanup().finally(() => process.exit(130));
  });

  try {
    const expected = new Map<number, Expected>();
    for (const count of counts) {
      const mailbox = mailboxes.get(count);
      if (mailbox === undefined) continue;
      const { linked, copied } = installMailbox(mailbox, server.maildir(userFor(count)));
      if (copied > 0) console.error(`note: ${copied} files copied (${linked} linked)`);
      expected.set(count, await warmUp(server, userFor(count), mailbox));
    }
    if (needsSlow) {
      proxy = await startLatencyProxy({ targetHost: server.host, targetPort: server.plainPort, oneWayMs: ADDED_RTT_MS / 2 });
    }

    const endpointFor = (transport: Transport): Endpoint => {
      const count = transport === '+20ms' ? options.slowCount : options.count;
      const base = { host: server.host, user: userFor(count), password: PASSWORD };
      switch (transport) {
        case 'plain':
          return { ...base, port: server.plainPort, tls: false };
        case 'tls':
          return { ...base, port: server.tlsPort, tls: true, caPath: server.pki.caPath };
        case '+20ms':
          if (proxy === undefined) throw new Error('no proxy');
          return { ...base, port: proxy.port, tls: false };
      }
    };

    // The floor: a child that loads nothing and does nothing.
    const floor = await runChild(runner, { id: 'idle', op: 'a', client: 'idle', mode: 'pipelined', endpoint: endpointFor('plain') }, 60_000);

    const results: CaseResult[] = cases.map((def) => ({
      def,
      messagesExpected: def.transport === '+20ms' ? options.slowCount : options.count,
      runs: [],
    }));
    const syncResults: SyncResult[] = syncCases.map((def) => ({ def, runs: [] }));
    const plan: Array<{ readonly pop: CaseResult } | { readonly sync: SyncResult }> = [];
    for (let round = 0; round < options.repeat; round += 1) {
      for (const r of results) if (round === 0 || r.def.transport !== '+20ms') plan.push({ pop: r });
      for (const r of syncResults) plan.push({ sync: r });
    }
    const progressLine = (i: number, id: string, report: ChildReport): void => {
      const shown = report.ok ? `${seconds(report.wallMs)} s, ${num(report.maxRssKiB / 1024)} MiB` : report.error;
      console.error(`[${String(i + 1).padStart(String(plan.length).length)}/${plan.length}] ${id.padEnd(42)} ${shown}`);
    };
    const started = performance.now();
    for (const [i, item] of plan.entries()) {
      if (interrupt.requested) break;
      if ('sync' in item) {
        const { def } = item.sync;
        const spec: ChildSpec = {
          id: def.id,
          op: def.referenceOp,
          client: 'sync',
          mode: 'pipelined',
          endpoint: endpointFor('plain'),
          sync: { kind: def.kind, batchSize: def.batchSize },
        };
        const report: ChildReport = executorAvailable
          ? await runChild(runner, spec, options.timeoutMs > 0 ? options.timeoutMs : SYNC_TIMEOUT_MS)
          : { ok: false, unavailable: true, error: 'sync executor not available yet (main/sync/executor.ts missing)' };
        item.sync.runs.push(report);
        progressLine(i, def.id, report);
        continue;
      }
      const result = item.pop;
      const { def } = result;
      const timeoutMs = options.timeoutMs > 0 ? options.timeoutMs : def.transport === '+20ms' ? 300_000 : 180_000;
      const endpoint = endpointFor(def.transport);
      let report: ChildReport;
      if (def.client === 'mpop') {
        report = await runMpop({ endpoint, pipelining: def.mode === 'pipelined', timeoutMs });
      } else if (def.client === 'engine' && !engineAvailable) {
        report = { ok: false, unavailable: true, error: 'engine not available yet (main/pop3/session.ts missing)' };
      } else {
        report = await runChild(runner, { id: def.id, op: def.op, client: def.client, mode: def.mode, endpoint }, timeoutMs);
      }
      result.runs.push(report);
      progressLine(i, def.id, report);
    }
    const totalMs = performance.now() - started;

    const summaries = results.map((r) => summarize(r, expected.get(r.messagesExpected)));
    const verdicts: Verdict[] = [];
    // The engine cases added only as the sync cases' references take no part in the engine's own ratios and targets.
    const ratios = ratioTables(summaries.filter((s) => !addedReferences.has(s.def.id)), verdicts);
    const mainExpected = expected.get(options.count);
    const sync = syncSection({
      results: syncResults,
      count: options.count,
      listed: mainExpected?.listed,
      bytes: mainExpected?.bytes ?? {},
      reference: (id) => {
        const s = summaries.find((x) => x.def.id === id);
        return s?.median === undefined ? undefined : { wallMs: s.median.wallMs };
      },
    });
    verdicts.push(...sync.verdicts);
    const main = mailboxes.get(options.count);
    const slow = mailboxes.get(options.slowCount);

    const lines: string[] = [];
    lines.push('');
    lines.push(`Poplar POP3 benchmark — ${new Date().toISOString()}`);
    lines.push(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${num(os.totalmem() / MIB / 1024)} GiB RAM`);
    lines.push(`Dovecot ${toolVersion('/usr/sbin/dovecot', ['--version'])}; ${mpop ? toolVersion(MPOP_PATH, ['--version']) : 'mpop not installed'}`);
    if (main !== undefined) lines.push(`loopback mailbox: ${main.count.toLocaleString('en-US')} messages, ${num(main.bytes / 1e6)} MB (seed ${options.seed})`);
    if (needsSlow && slow !== undefined) {
      lines.push(`+${ADDED_RTT_MS}ms mailbox: ${slow.count.toLocaleString('en-US')} messages, ${num(slow.bytes / 1e6)} MB, through a proxy adding ${ADDED_RTT_MS} ms of round trip`);
    }
    lines.push(`cases run by ${runner.describe}; floor RSS of an idle case process: ${floor.ok ? `${num(floor.maxRssKiB / 1024)} MiB` : floor.error}`);
    lines.push(`loopback cases: ${options.repeat > 1 ? `median of ${options.repeat} interleaved runs` : 'one run'}; +${ADDED_RTT_MS}ms cases: one run; total ${seconds(totalMs)} s`);
    lines.push('wall: connect to QUIT answered (mpop: process start to exit); MB = 10^6 bytes of message data');
    lines.push('CPU and peak RSS: the client process only (its VmHWM; mpop: GNU time), not Dovecot; RSS: max over runs');
    lines.push('');
    lines.push(caseTable(summaries));
    if (addedReferences.size > 0) lines.push(`(${[...addedReferences].join(', ')}: run as the sync cases' reference)`);
    for (const block of [...ratios, ...sync.blocks]) {
      lines.push('');
      lines.push(block);
    }
    lines.push('');
    lines.push(options.quick || options.count < 10_000 || options.slowCount < 1000
      ? 'Targets (indicative only: they are set for 10,000 messages on loopback and 1,000 at +20 ms)'
      : 'Targets');
    if (verdicts.length === 0) lines.push('  (none measured by the selected cases)');
    for (const v of verdicts) lines.push(`  ${v.pass ? 'PASS' : 'FAIL'}  ${v.target}`);
    lines.push(...sync.infos);
    const unavailable = summaries.filter((s) => s.def.client === 'engine' && s.median === undefined);
    if (unavailable.length > 0) lines.push(`  n/a   ${unavailable.length} engine case(s) without a result: ${unavailable[0]?.error ?? ''}`);
    console.log(lines.join('\n'));

    writeFileSync(
      RESULTS_PATH,
      JSON.stringify({ date: new Date().toISOString(), options, floor, results, syncResults, verdicts }, null, 2) + '\n',
    );
    console.error(`\nraw results: ${path.relative(REPO_ROOT, RESULTS_PATH)}`);
    const mismatched = summaries.filter((s) => s.mismatch !== undefined);
    if (mismatched.length > 0) {
      console.error(`! ${mismatched.length} case(s) delivered the wrong messages or bytes`);
      process.exitCode = 1;
    }
    for (const m of sync.mismatches) console.error(`! ${m}`);
    if (sync.mismatches.length > 0) process.exitCode = 1;
  } finally {
    if (!interrupt.requested) await cleanup();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
