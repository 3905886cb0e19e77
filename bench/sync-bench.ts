/**
 * The sync benchmark (`--only sync`): a whole sync of the benchmark mailbox by the real executor
 * (main/sync/executor.ts) into the real store (renderer/store/) under fake-indexeddb, in Node, over plain loopback.
 *
 *   sync-previews  first sync, previews only (TOP n 20, leave until deleted), the executor's default batch size
 *   sync-whole     first sync, whole messages (RETR, leave forever)
 *   sync-resync    a second sync when nothing changed: after sync-previews into the same db; only it is measured
 *   sync-previews-b1000  as sync-previews with batches of 1,000 messages (full run only)
 *
 * Each is compared with the engine alone on the same mailbox in the same run: its own pipelined `TOP n 20` scan
 * (b-top20/engine/pipelined/plain) for the previews and the re-sync, its pipelined RETR (c-retr/...) for whole
 * messages. run.ts adds those engine cases to the run when a sync case is selected.
 *
 * This module is what run.ts (the parent) needs; bench/sync-client.ts is what runs in the case process.
 */
import { caseId, type ChildReport, type OpId } from './cases.ts';
import { formatTable, num, ratio, seconds } from './table.ts';

export type SyncKind = 'previews' | 'whole' | 'resync';

/** Lines of body in a preview: the "download previews, lines 20". */
export const SYNC_PREVIEW_LINES = 20;

/** What run.ts hands the case process for a sync case (in ChildSpec.sync). */
export interface SyncSpec {
  readonly kind: SyncKind;
  /** Messages per store batch; absent: the executor's default. */
  readonly batchSize?: number;
}

/** A sync case process's measurements beyond wall, CPU and RSS (in ChildReport.sync). */
export interface SyncBreakdown {
  readonly kind: SyncKind;
  /** Messages the measured run fetched (previews + wholes). */
  readonly fetched: number;
  /** Messages in the store after the measured run. */
  readonly stored: number;
  /** Time inside the port's `loadSyncState` (one call per run). */
  readonly loadStateMs: number;
  /** Time inside the port's `applySyncBatch`, summed over the batches. */
  readonly applyMs: number;
  readonly batches: number;
  /** Each applySyncBatch in order, in ms (0.1 ms resolution). */
  readonly batchMs: readonly number[];
  /**
   * `extractPreview` over the same bodies (TOP n 20 or RETR), fetched again by a second session after the run and
   * extracted in the same process; only the calls are timed; `ms` is the median pass. Absent for the re-sync (it
   * fetches nothing).
   */
  readonly extract?: { readonly ms: number; readonly passesMs: readonly number[]; readonly messages: number; readonly bytes: number };
  /** The unmeasured first sync of the re-sync case. */
  readonly setupMs?: number;
}

export interface SyncCaseDef {
  /** `sync-previews/fake-idb/default-batch/plain`: what `--only` matches against. */
  readonly id: string;
  readonly kind: SyncKind;
  readonly batchSize?: number;
  /** The engine case it is compared with. */
  readonly referenceOp: OpId;
}

/** The engine case a sync case is compared with: its pipelined plain-TCP TOP n 20 scan or RETR of all. */
export function referenceCaseId(def: SyncCaseDef): string {
  return caseId(def.referenceOp, 'engine', 'pipelined', 'plain');
}

export interface SyncMatrixOptions {
  readonly quick: boolean;
  readonly only: readonly string[];
}

export function buildSyncMatrix(options: SyncMatrixOptions): SyncCaseDef[] {
  const all: SyncCaseDef[] = [
    { id: 'sync-previews/fake-idb/default-batch/plain', kind: 'previews', referenceOp: 'b' },
    { id: 'sync-whole/fake-idb/default-batch/plain', kind: 'whole', referenceOp: 'c' },
    { id: 'sync-resync/fake-idb/default-batch/plain', kind: 'resync', referenceOp: 'b' },
  ];
  if (!options.quick) {
    all.push({ id: 'sync-previews/fake-idb/batch1000/plain', kind: 'previews', batchSize: 1000, referenceOp: 'b' });
  }
  return all.filter((c) => options.only.length === 0 || options.only.some((s) => c.id.includes(s)));
}

// ---------------------------------------------------------------------------------------------------------------
// Report (parent side)

export interface SyncResult {
  readonly def: SyncCaseDef;
  readonly runs: ChildReport[];
}

type OkReport = Extract<ChildReport, { ok: true }>;

/** The engine reference as run.ts measured it: its median wall time. */
export interface ReferenceTiming {
  readonly wallMs: number;
}

export interface SyncVerdict {
  readonly target: string;
  readonly pass: boolean;
}

export interface SyncSection {
  /** Tables and notes, ready to print. */
  readonly blocks: string[];
  readonly verdicts: SyncVerdict[];
  /** Lines for the targets list that are information, not PASS/FAIL. */
  readonly infos: string[];
  /** Cases that delivered other messages or bytes than the mailbox holds. */
  readonly mismatches: string[];
}

/** Targets from the sync issue. */
export const TARGET_RESYNC_MS = 1000;
export const TARGET_PREVIEW_SYNC_VS_ENGINE = 2;

const LABEL: Record<SyncKind, string> = {
  previews: '1 previews (TOP 20)',
  whole: '2 whole (RETR)',
  resync: '3 re-sync, no change',
};

function label(def: SyncCaseDef): string {
  return def.batchSize === undefined ? LABEL[def.kind] : `${LABEL[def.kind]}, batch ${def.batchSize.toLocaleString('en-US')}`;
}

interface SyncSummary {
  readonly def: SyncCaseDef;
  readonly median: OkReport | undefined;
  readonly runs: number;
  readonly fastestMs: number | undefined;
  readonly slowestMs: number | undefined;
  readonly maxRssKiB: number | undefined;
  readonly error: string | undefined;
}

function summarize(result: SyncResult): SyncSummary {
  const ok = result.runs.filter((r): r is OkReport => r.ok).sort((x, y) => x.wallMs - y.wallMs);
  const failed = result.runs.find((r): r is Extract<ChildReport, { ok: false }> => !r.ok);
  const rss = ok.map((r) => r.maxRssKiB).filter((v) => v > 0);
  return {
    def: result.def,
    median: ok[Math.floor((ok.length - 1) / 2)],
    runs: ok.length,
    fastestMs: ok[0]?.wallMs,
    slowestMs: ok[ok.length - 1]?.wallMs,
    maxRssKiB: rss.length > 0 ? Math.max(...rss) : undefined,
    error: failed?.error,
  };
}

function mib(kib: number | undefined): string {
  return kib === undefined || kib <= 0 ? '—' : num(kib / 1024);
}

function median(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function share(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((100 * part) / whole)}%` : '—';
}

/** What a case must have delivered: every message listed, and for RETR exactly the mailbox's bytes. */
function checkCase(s: SyncSummary, listed: number | undefined, bytes: Partial<Record<OpId, number>>): string | undefined {
  const m = s.median;
  const b = m?.sync;
  if (m === undefined || b === undefined || listed === undefined) return undefined;
  const problems: string[] = [];
  if (b.stored !== listed) problems.push(`${b.stored} messages stored, expected ${listed}`);
  const fetchedWanted = s.def.kind === 'resync' ? 0 : listed;
  if (b.fetched !== fetchedWanted) problems.push(`${b.fetched} fetched, expected ${fetchedWanted}`);
  if (s.def.kind === 'whole' && bytes.c !== undefined && m.bytes !== bytes.c) problems.push(`${m.bytes} B downloaded, expected ${bytes.c}`);
  const extractWanted = bytes[s.def.referenceOp];
  if (b.extract !== undefined && extractWanted !== undefined && b.extract.bytes !== extractWanted) {
    problems.push(`extraction pass saw ${b.extract.bytes} B, expected ${extractWanted}`);
  }
  return problems.length > 0 ? problems.join(', ') : undefined;
}

export interface SyncReportInput {
  readonly results: readonly SyncResult[];
  /** Messages in the loopback mailbox. */
  readonly count: number;
  /** Messages and bytes the warm-up saw (b: TOP n 20, c: RETR). */
  readonly listed: number | undefined;
  readonly bytes: Partial<Record<OpId, number>>;
  readonly reference: (id: string) => ReferenceTiming | undefined;
}

export function syncSection(input: SyncReportInput): SyncSection {
  const summaries = input.results.map(summarize);
  const blocks: string[] = [];
  const verdicts: SyncVerdict[] = [];
  const infos: string[] = [];
  const mismatches: string[] = [];

  const main: string[][] = [];
  const breakdown: string[][] = [];
  for (const s of summaries) {
    const m = s.median;
    const refId = referenceCaseId(s.def);
    const ref = input.reference(refId);
    if (m === undefined) {
      main.push([label(s.def), '', '', '', '', '', '', '', '', s.error ?? 'no result']);
      continue;
    }
    const mismatch = checkCase(s, input.listed, input.bytes);
    if (mismatch !== undefined) mismatches.push(`${s.def.id}: ${mismatch}`);
    const r = ref === undefined ? undefined : m.wallMs / ref.wallMs;
    const b = m.sync;
    const notes = [
      mismatch === undefined ? '' : `MISMATCH: ${mismatch}`,
      s.error === undefined ? '' : `a run failed: ${s.error}`,
      s.runs > 1 ? `median of ${s.runs} (${seconds(s.fastestMs)}–${seconds(s.slowestMs)} s)` : '',
      b?.setupMs === undefined ? '' : `after an unmeasured previews sync of ${seconds(b.setupMs)} s`,
    ].filter((x) => x !== '');
    main.push([
      label(s.def),
      (b?.stored ?? m.listed).toLocaleString('en-US'),
      (b?.fetched ?? m.messages).toLocaleString('en-US'),
      seconds(m.wallMs),
      s.def.referenceOp === 'b' ? 'TOP n 20' : 'RETR',
      seconds(ref?.wallMs),
      ratio(r),
      seconds(m.cpuMs),
      mib(s.maxRssKiB),
      notes.join('; '),
    ]);
    if (b !== undefined) {
      const extractMs = b.extract?.ms ?? 0;
      const storeMs = b.loadStateMs + b.applyMs;
      const rest = m.wallMs - storeMs - extractMs;
      breakdown.push([
        label(s.def),
        seconds(m.wallMs),
        seconds(b.loadStateMs),
        seconds(b.applyMs),
        `${b.batches}`,
        num(median(b.batchMs), 1),
        num(b.batchMs[0], 1),
        num(b.batchMs.length > 0 ? Math.max(...b.batchMs) : undefined, 1),
        b.extract === undefined ? '—' : seconds(b.extract.ms),
        seconds(rest),
        `${share(storeMs, m.wallMs)} / ${b.extract === undefined ? '—' : share(extractMs, m.wallMs)} / ${share(rest, m.wallMs)}`,
      ]);
    }

    if (s.def.kind === 'resync') {
      const target = `no-change re-sync of ${input.count.toLocaleString('en-US')} messages < ${seconds(TARGET_RESYNC_MS)} s (${seconds(m.wallMs)} s, fake-indexeddb)`;
      verdicts.push({ target, pass: m.wallMs < TARGET_RESYNC_MS });
    }
    if (s.def.kind === 'previews' && s.def.batchSize === undefined) {
      infos.push(
        `  n/a   preview sync within ${TARGET_PREVIEW_SYNC_VS_ENGINE}× the engine's own preview scan: measured in Chromium's real ` +
          'IndexedDB, which comes with the app, not here',
        `        for information only, fake-indexeddb in Node: ${ratio(r)} (${seconds(m.wallMs)} s vs ${seconds(ref?.wallMs)} s)`,
      );
    }
  }

  blocks.push(
    [
      'Sync into the store: runSync → syncStorePort, Node + fake-indexeddb, plain loopback (the same mailbox and Dovecot)',
      'wall: runSync start to its result (QUIT answered), without opening the db; ratio: sync wall / the engine case alone in the',
      `same run (${referenceCaseId({ id: '', kind: 'previews', referenceOp: 'b' })}, ${referenceCaseId({ id: '', kind: 'whole', referenceOp: 'c' })});`,
      'peak RSS: the case process (VmHWM; for the re-sync reset after the first sync, so it is the second run over the filled db)',
      formatTable(
        [
          { title: 'sync' },
          { title: 'stored', align: 'right' },
          { title: 'fetched', align: 'right' },
          { title: 'wall s', align: 'right' },
          { title: 'engine alone' },
          { title: 'engine s', align: 'right' },
          { title: 'sync/engine', align: 'right' },
          { title: 'CPU s', align: 'right' },
          { title: 'peak RSS MiB', align: 'right' },
          { title: 'notes' },
        ],
        main,
      ),
    ].join('\n'),
  );
  if (breakdown.length > 0) {
    blocks.push(
      [
        'Where the sync time goes (median run)',
        'loadSyncState, applySyncBatch: measured in the run, inside the store port (wrapped), summed; per applySyncBatch: median,',
        'first and max ms; extractPreview: measured in the same process after the run, on the same bodies fetched again (TOP n 20',
        'or RETR), only the calls timed, median of 3 passes;',
        'rest = wall − store − extractPreview: the engine (network, parsing), planner, executor bookkeeping, GC',
        formatTable(
          [
            { title: 'sync' },
            { title: 'wall s', align: 'right' },
            { title: 'loadSyncState s', align: 'right' },
            { title: 'applySyncBatch s', align: 'right' },
            { title: 'batches', align: 'right' },
            { title: 'median ms', align: 'right' },
            { title: 'first ms', align: 'right' },
            { title: 'max ms', align: 'right' },
            { title: 'extractPreview s', align: 'right' },
            { title: 'rest s', align: 'right' },
            { title: 'store / extract / rest' },
          ],
          breakdown,
        ),
      ].join('\n'),
    );
  }
  return { blocks, verdicts, infos, mismatches };
}
