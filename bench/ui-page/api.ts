/**
 * What the UI benchmark's pages offer the Node side (bench/chromium-ui.ts): the seeding page's
 * `globalThis.poplarBenchSeed` (seed.ts) and the probe added to the app's page, `globalThis.poplarBenchProbe`
 * (probe.ts). Types only, free of DOM and Node types, so both sides import them.
 */
import type { MessageKey } from '../../app/ids.ts';

export interface SeedRequest {
  /** Messages stored, the 1 MB one included. */
  readonly count: number;
  /** How many of them are then moved to Deleted Items. */
  readonly deleted: number;
  /** How many of the newest stay unread. */
  readonly unread: number;
  /** The downloaded message's raw bytes, base64. */
  readonly bigMessageBase64: string;
  /** Its Date: the newest of all. */
  readonly bigDate: number;
  /** The first check's clock. */
  readonly checkedAt: number;
}

export interface SeedResult {
  readonly inbox: number;
  readonly deleted: number;
  /** Subjects the list shows in the Inbox, newest first: first row, last row. */
  readonly inboxFirst: string;
  readonly inboxLast: string;
  readonly deletedFirst: string;
  /** Where the 1 MB message is in the Inbox, newest first (0: the first row), and a preview next to it. */
  readonly big: { readonly key: MessageKey; readonly index: number; readonly subject: string };
  readonly preview: { readonly index: number; readonly subject: string };
  /** Opening the store (an upgrade from an older schema included, in a kept profile). */
  readonly openMs: number;
  /** Time spent writing, by step. */
  readonly previewsMs: number;
  readonly markReadMs: number;
  readonly deleteMs: number;
}

export interface Timing {
  /** The click's event time. */
  readonly clickAt: number;
  /** The DOM reached the awaited state. */
  readonly shownAt: number;
  /** The frame showing it was produced. */
  readonly paintedAt: number;
  /** Steps on the way, where the probe can see them: name → time. */
  readonly steps: Readonly<Record<string, number>>;
}

export interface TaskSummary {
  readonly longTasks: number;
  readonly longestTask: number;
  readonly longFrames: number;
  readonly longestFrame: number;
  readonly longestBlocking: number;
  /** The scripts of the longest animation frame, for a reader who wants to know what took the time. */
  readonly worstScripts: string;
}

export interface ScrollState {
  readonly top: number;
  readonly max: number;
  readonly client: number;
}

export interface ProbeApi {
  now(): number;
  /** Long tasks and long animation frames that started at or after `since` (a `now()` of the page). */
  tasks(since: number): TaskSummary;
  /** Watch for the folder `label` to show `firstSubject` in its first row. */
  armRows(label: string, firstSubject: string): void;
  /** Watch for a new mail frame in the reading pane to load. */
  armBody(): void;
  /** The timing of what was armed, once it is painted. */
  result(timeoutMs: number): Promise<Timing>;
  /** Resolves after the next frame has been produced. */
  nextFrame(): Promise<number>;
  scroll(): ScrollState;
  /** The subject shown in the row with this aria-rowindex; null when no such row is rendered. */
  rowSubject(rowIndex: number): string | null;
  /**
   * What the app's store holds as this message's prepared view (renderer/store/prepared.ts), read with a
   * connection of the probe's own: 'view', 'nothing' (kept as having none), or 'none' (no record).
   */
  preparedView(key: MessageKey): Promise<'view' | 'nothing' | 'none'>;
  /** Removes this message's prepared view, so that the next open is one of a message not yet prepared. */
  dropPrepared(key: MessageKey): Promise<void>;
}
