/**
 * One sync case, in the case process (bench/case.ts): the real executor into the real store under fake-indexeddb,
 * wired as test/support/sync-fixture.ts wires them (the port called directly instead of over IPC), but with the
 * executor's default timeouts and batch size and a real clock.
 *
 * Measured: `runSync` from its call to its result. Not measured: loading modules, opening the db, adding the
 * account, and for the re-sync the first sync. The port is wrapped to sum the time spent inside it. After the run
 * (and after reading the peak RSS), a second session fetches the same bodies again and `extractPreview` is timed
 * on each (median of three passes), so its share of the run is measured without touching the executor.
 */
import { writeFileSync } from 'node:fs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { accountId } from '../app/ids.ts';
import { extractPreview } from '../app/mail/preview.ts';
import type { SyncStorePort } from '../app/sync/batch.ts';
import { DEFAULT_POLICY, type AccountPolicy } from '../app/sync/policy.ts';
import { Pop3Session } from '../main/pop3/session.ts';
import type { SyncProgress } from '../main/sync/progress.ts';
import { runSync, type SyncAccount, type SyncOutcome } from '../main/sync/executor.ts';
import {
  addAccount,
  openPoplarDb,
  syncStorePort,
  type IndexedDbFactory,
  type KeyRangeClass,
} from '../renderer/store/index.ts';
import type { ChildReport, ChildSpec, Endpoint } from './cases.ts';
import { SYNC_PREVIEW_LINES, type SyncBreakdown, type SyncKind } from './sync-bench.ts';

// fake-indexeddb's classes, typed as Dexie's options want them (as in test/support/sync-fixture.ts).
const FakeFactory = IDBFactory as unknown as new () => IndexedDbFactory;
const FakeKeyRange = IDBKeyRange as unknown as KeyRangeClass;

const ACCOUNT = accountId('bench');

function policyFor(kind: SyncKind): AccountPolicy {
  return kind === 'whole'
    ? { ...DEFAULT_POLICY, download: { kind: 'whole' }, leave: { kind: 'forever' }, newAccount: 'fetch-all' }
    : { ...DEFAULT_POLICY, download: { kind: 'previews', lines: SYNC_PREVIEW_LINES }, leave: { kind: 'until-deleted' }, newAccount: 'fetch-all' };
}

/** The store port with the time inside each call summed. */
class TimedPort implements SyncStorePort {
  loadStateMs = 0;
  applyMs = 0;
  batches = 0;
  /** Each applySyncBatch, in ms, in order. */
  batchMs: number[] = [];

  constructor(private readonly inner: SyncStorePort) {}

  reset(): void {
    this.loadStateMs = 0;
    this.applyMs = 0;
    this.batches = 0;
    this.batchMs = [];
  }

  async loadSyncState(...args: Parameters<SyncStorePort['loadSyncState']>): ReturnType<SyncStorePort['loadSyncState']> {
    const t0 = performance.now();
    try {
      return await this.inner.loadSyncState(...args);
    } finally {
      this.loadStateMs += performance.now() - t0;
    }
  }

  async applySyncBatch(...args: Parameters<SyncStorePort['applySyncBatch']>): Promise<void> {
    const t0 = performance.now();
    try {
      await this.inner.applySyncBatch(...args);
    } finally {
      const ms = performance.now() - t0;
      this.applyMs += ms;
      this.batches += 1;
      this.batchMs.push(Math.round(ms * 10) / 10);
    }
  }
}

/**
 * Resets this process's peak RSS (VmHWM) to its current RSS (Linux ≥ 4.0, /proc/self/clear_refs "5"), so that
 * the re-sync's peak is its own and not the first sync's. False where that is not possible.
 */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function outcomeError(outcome: SyncOutcome): string {
  return outcome.ok ? 'ok' : `${outcome.error.code}: ${outcome.error.message}`;
}

/** Passes of `extractPreview` over the bodies; the median is reported (the machine may be shared). */
const EXTRACT_PASSES = 3;

/** The same bodies the run fetched, fetched again by a second session (pipelined, as the executor does). */
async function fetchBodies(endpoint: Endpoint, kind: 'top' | 'retr'): Promise<Uint8Array[]> {
  const session = await Pop3Session.connect({ host: endpoint.host, port: endpoint.port, security: 'none', pipelining: 'auto' });
  try {
    await session.authenticate({ user: endpoint.user, password: endpoint.password, allowPlaintextPassword: true });
    const listing = await session.uidl();
    const bodies: Uint8Array[] = [];
    await session.fetchMany(kind, listing.map((u) => u.n), kind === 'top' ? { lines: SYNC_PREVIEW_LINES } : {}, (_n, body) => {
      bodies.push(body);
    });
    await session.quit();
    return bodies;
  } catch (error) {
    session.abort();
    throw error;
  }
}

/** `extractPreview` on each body, only the calls timed; the median of a few passes. */
function timeExtraction(bodies: readonly Uint8Array[]): NonNullable<SyncBreakdown['extract']> {
  const passes: number[] = [];
  let subjects = 0;
  for (let pass = 0; pass < EXTRACT_PASSES; pass += 1) {
    let ms = 0;
    subjects = 0;
    for (const body of bodies) {
      const t0 = performance.now();
      const preview = extractPreview(body);
      ms += performance.now() - t0;
      if (preview.subject !== '') subjects += 1;
    }
    passes.push(ms);
  }
  if (subjects === 0 && bodies.length > 0) throw new Error('the extraction pass found no subject at all');
  const sorted = [...passes].sort((x, y) => x - y);
  return {
    ms: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0,
    passesMs: passes,
    messages: bodies.length,
    bytes: bodies.reduce((sum, b) => sum + b.length, 0),
  };
}

export async function runSyncCase(spec: ChildSpec, peakRssKiB: () => number): Promise<ChildReport> {
  const { endpoint } = spec;
  const syncSpec = spec.sync;
  if (syncSpec === undefined) throw new Error('a sync case needs spec.sync');
  const { kind, batchSize } = syncSpec;

  const db = await openPoplarDb(`poplar-bench-${kind}`, new FakeFactory(), FakeKeyRange);
  try {
    const policy = policyFor(kind);
    await addAccount(db, {
      id: ACCOUNT,
      name: 'bench',
      email: 'bench@example.org',
      host: endpoint.host,
      port: endpoint.port,
      security: 'none',
      user: endpoint.user,
      allowPlaintextPassword: true,
      policy,
    });
    const port = new TimedPort(syncStorePort(db));
    const account: SyncAccount = {
      id: ACCOUNT,
      host: endpoint.host,
      port: endpoint.port,
      security: 'none',
      credentials: { user: endpoint.user, password: endpoint.password, allowPlaintextPassword: true },
      policy,
    };
    let downloadedBytes = 0;
    const options = {
      now: () => Date.now(),
      ...(batchSize === undefined ? {} : { batchSize }),
      onProgress: (p: SyncProgress) => {
        if (p.phase === 'downloading') downloadedBytes = p.bytes;
      },
    };

    let setupMs: number | undefined;
    let note = '';
    if (kind === 'resync') {
      const t0 = performance.now();
      const first = await runSync(account, port, options);
      setupMs = performance.now() - t0;
      if (!first.ok) throw new Error(`the first sync failed: ${outcomeError(first)}`);
      port.reset();
      downloadedBytes = 0;
      note = resetPeakRss() ? '' : 'peak RSS includes the first sync (VmHWM could not be reset)';
    }

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const outcome = await runSync(account, port, options);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const maxRssKiB = peakRssKiB();
    if (!outcome.ok) return { ok: false, error: `sync failed: ${outcomeError(outcome)}`, maxRssKiB };

    const stored = await db.messages.count();
    const fetched = outcome.counts.previews + outcome.counts.wholes;
    // After the peak RSS was read: holding the bodies here does not count.
    const extract = kind === 'resync' ? undefined : timeExtraction(await fetchBodies(endpoint, kind === 'whole' ? 'retr' : 'top'));
    const counts = Object.entries(outcome.counts)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return {
      ok: true,
      listed: stored,
      messages: fetched,
      bytes: downloadedBytes,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssKiB,
      note: [counts === '' ? 'nothing fetched' : counts, note].filter((x) => x !== '').join('; '),
      sync: {
        kind,
        fetched,
        stored,
        loadStateMs: port.loadStateMs,
        applyMs: port.applyMs,
        batches: port.batches,
        batchMs: port.batchMs,
        ...(extract === undefined ? {} : { extract }),
        ...(setupMs === undefined ? {} : { setupMs }),
      },
    };
  } finally {
    db.close();
  }
}
