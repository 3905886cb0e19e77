/**
 * The status bar: online or offline, the runs in progress with a progress bar, an account waiting to try again by
 * itself (a busy or unreachable server, LOGIN-DELAY) with the server's words and when, how many accounts need the
 * user, the list's size, and the last problem a command ran into.
 */
import { useEffect, useState } from 'react';
import type { AccountId } from '../../app/ids.ts';
import { SEARCH_LIMIT, useAccounts } from '../store/hooks.ts';
import { accountStatusView, progressView, waitSentence, waitView, type ProgressView, type WaitView } from './account-status.ts';
import { plural } from './format.ts';
import { useSyncSnapshot } from './services.ts';

export interface StatusBarProps {
  readonly count: number | undefined;
  /** The list shows a search's results. */
  readonly searching: boolean;
  readonly notice: string | undefined;
  readonly onDismissNotice: () => void;
  readonly onToggleOffline: () => void;
}

interface Run {
  readonly id: AccountId;
  readonly name: string;
  readonly progress?: ProgressView;
}

interface Wait {
  readonly id: AccountId;
  readonly name: string;
  readonly view: WaitView;
}

export interface StatusBarViewProps extends StatusBarProps {
  readonly offline: boolean;
  readonly runs: readonly Run[];
  /** Accounts that try again by themselves, the soonest first. */
  readonly waits?: readonly Wait[];
  readonly needsUser: number;
}

/** Re-renders every `everyMs` while `active`: a wait says "in 2 min", which must not go stale. */
function useTick(active: boolean, everyMs: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
}

/** How often a wait's "in N min" is brought up to date. */
const TICK_MS = 15_000;

function countText(count: number | undefined, searching: boolean): string {
  if (count === undefined) return '';
  if (!searching) return plural(count, 'message', 'messages');
  return count >= SEARCH_LIMIT ? `The newest ${plural(count, 'match', 'matches')}` : plural(count, 'match', 'matches');
}

export function StatusBarView(props: StatusBarViewProps) {
  const run = props.runs[0];
  const waits = props.waits ?? [];
  const wait = waits[0];
  return (
    <footer className="status-bar">
      <button
        type="button"
        className={props.offline ? 'offline-indicator offline' : 'offline-indicator'}
        aria-pressed={props.offline}
        title={props.offline ? 'Working offline: click to go online' : 'Online: click to work offline'}
        onClick={props.onToggleOffline}
      >
        <span className="dot" aria-hidden="true" />
        {props.offline ? 'Working offline' : 'Online'}
      </button>
      <div className="status-runs" aria-live="polite">
        {run === undefined ? null : (
          <>
            <span>{`${run.name}: ${run.progress?.text ?? 'checking…'}`}</span>
            <progress max={1} value={run.progress?.fraction} aria-label={`Checking ${run.name}`} />
            {props.runs.length > 1 ? <span className="muted">{`+${props.runs.length - 1} more`}</span> : null}
          </>
        )}
      </div>
      {wait === undefined ? null : (
        // Not a live region: its "in 2 min" changes every few seconds; the account's own status line announces.
        <span className="status-wait" title={waitSentence(wait.name, wait.view)}>
          <span className="status-wait-text">
            <span className="status-wait-name">{`${wait.name}: `}</span>
            {wait.view.text}
            {wait.view.serverWords === undefined ? null : (
              <span className="server-words">
                {' — the server said '}
                <q>{wait.view.serverWords}</q>
              </span>
            )}
          </span>
          {waits.length > 1 ? <span className="muted">{`+${waits.length - 1} more`}</span> : null}
        </span>
      )}
      {props.needsUser > 0 ? (
        <span className="status-attention">{`${plural(props.needsUser, 'account needs', 'accounts need')} your attention`}</span>
      ) : null}
      {props.notice !== undefined ? (
        <span className="status-notice" role="alert">
          {props.notice}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={props.onDismissNotice}>
            ×
          </button>
        </span>
      ) : null}
      <span className="status-count">{countText(props.count, props.searching)}</span>
    </footer>
  );
}

export function StatusBar(props: StatusBarProps) {
  const sync = useSyncSnapshot();
  const accounts = useAccounts() ?? [];
  const now = Date.now();
  const runs: Run[] = [];
  const waits: Wait[] = [];
  let needsUser = 0;
  for (const a of accounts) {
    const live = sync.accounts.get(a.id);
    const activity = live?.status?.activity;
    if (activity === 'running') {
      runs.push({ id: a.id, name: a.name, progress: live?.progress === undefined ? undefined : progressView(live.progress) });
    }
    const wait = waitView(a, live, sync.offline, now);
    if (wait !== undefined) waits.push({ id: a.id, name: a.name, view: wait });
    const view = accountStatusView(a, live, sync.offline, now);
    if (view.problem !== undefined && view.problem.action !== 'retry' && view.problem.action !== 'wait') needsUser++;
  }
  waits.sort((x, y) => x.view.at - y.view.at);
  useTick(waits.length > 0, TICK_MS);
  return <StatusBarView {...props} offline={sync.offline} runs={runs} waits={waits} needsUser={needsUser} />;
}
