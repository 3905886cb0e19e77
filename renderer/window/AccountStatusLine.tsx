/** An account's status under its name in the folder pane: activity, progress, and a problem with its remedy. */
import type { AccountId } from '../../app/ids.ts';
import type { AccountStatusView } from './account-status.ts';
import type { StatusAction } from './status-text.ts';

export type AccountAction = StatusAction | 'confirm-migration';

export interface AccountStatusLineProps {
  readonly accountId: AccountId;
  readonly view: AccountStatusView;
  readonly onAction: (accountId: AccountId, action: AccountAction, fingerprint?: string) => void;
}

const BUTTONS: Readonly<Record<StatusAction, string | undefined>> = {
  retry: 'Try again now',
  password: 'Enter the password',
  trust: 'Trust this certificate…',
  settings: 'Account settings',
  wait: undefined,
  none: undefined,
};

export function AccountStatusLine({ accountId, view, onAction }: AccountStatusLineProps) {
  const { problem, progress } = view;
  // "Trust" needs the certificate's fingerprint; without it, the settings dialog's test finds it.
  const action = problem?.action === 'trust' && problem.fingerprint === undefined ? 'settings' : problem?.action;
  const button = action === undefined ? undefined : BUTTONS[action];
  return (
    <div className="account-status" aria-live="polite">
      <div className={view.busy ? 'status-line busy' : 'status-line'}>{view.line}</div>
      {progress !== undefined ? (
        <progress
          className="account-progress"
          max={1}
          value={progress.fraction}
          aria-label={progress.text}
        />
      ) : null}
      {problem !== undefined ? (
        <div className="account-problem" role="alert">
          <p className="problem-headline">{problem.headline}</p>
          {problem.serverWords !== undefined ? (
            <p className="server-words">
              The server said: <q>{problem.serverWords}</q>
            </p>
          ) : problem.detail !== undefined ? (
            <p className="problem-detail">{problem.detail}</p>
          ) : null}
          {problem.waitUntil !== undefined ? (
            <p>{`The server allows the next check at ${problem.waitUntil}.`}</p>
          ) : (
            <p className="muted">{problem.advice}</p>
          )}
          {button !== undefined && action !== undefined ? (
            <button type="button" className="small" onClick={() => onAction(accountId, action, problem.fingerprint)}>
              {button}
            </button>
          ) : null}
        </div>
      ) : null}
      {view.confirmation !== undefined ? (
        <div className="account-problem">
          <p>{view.confirmation}</p>
          <button type="button" className="small" onClick={() => onAction(accountId, 'confirm-migration')}>
            Download them
          </button>
        </div>
      ) : null}
      {view.notices.map((notice) => (
        <p key={notice} className="notice">
          {notice}
        </p>
      ))}
    </div>
  );
}
