/** The folder pane's contents: "All inboxes", then each account with its status, Inbox and Deleted Items. */
import type { AccountId } from '../../app/ids.ts';
import type { FolderKind } from '../../app/mail/types.ts';
import type { FolderScope } from '../store/index.ts';
import type { AccountStatusView } from './account-status.ts';
import { AccountStatusLine, type AccountAction } from './AccountStatusLine.tsx';

export interface FolderTreeAccount {
  readonly id: AccountId;
  readonly name: string;
  readonly email: string;
  readonly unread?: { readonly inbox: number; readonly deleted: number };
  readonly status: AccountStatusView;
}

export interface FolderTreeProps {
  readonly accounts: readonly FolderTreeAccount[];
  readonly scope: FolderScope;
  readonly onScope: (scope: FolderScope) => void;
  readonly onSettings: (accountId: AccountId) => void;
  readonly onAddAccount: () => void;
  readonly onAction: (accountId: AccountId, action: AccountAction, fingerprint?: string) => void;
}

const FOLDER_NAMES: Readonly<Record<FolderKind, string>> = { inbox: 'Inbox', deleted: 'Deleted Items' };

function FolderButton(props: {
  readonly name: string;
  readonly unread: number | undefined;
  readonly current: boolean;
  readonly onClick: () => void;
  readonly className?: string;
}) {
  const unread = props.unread ?? 0;
  return (
    <button
      type="button"
      className={`folder${props.current ? ' current' : ''}${unread > 0 ? ' has-unread' : ''} ${props.className ?? ''}`}
      aria-current={props.current ? 'page' : undefined}
      onClick={props.onClick}
    >
      <span className="folder-name">{props.name}</span>
      {unread > 0 ? (
        <span className="badge" aria-label={`${unread} unread`}>
          {unread.toLocaleString()}
        </span>
      ) : null}
    </button>
  );
}

export function FolderTree(props: FolderTreeProps) {
  const { scope } = props;
  const allUnread = props.accounts.reduce<number | undefined>(
    (sum, a) => (sum === undefined || a.unread === undefined ? undefined : sum + a.unread.inbox),
    0,
  );
  const isCurrent = (accountId: AccountId | undefined, folder: FolderKind) =>
    scope.accountId === accountId && scope.folder === folder;
  return (
    <nav className="folder-tree" aria-label="Folders">
      <FolderButton
        name="All inboxes"
        unread={allUnread}
        current={isCurrent(undefined, 'inbox')}
        onClick={() => props.onScope({ folder: 'inbox' })}
        className="all-inboxes"
      />
      {props.accounts.map((a) => (
        <section key={a.id} className="account" aria-label={a.name}>
          <div className="account-head">
            <span className="account-name" title={a.email}>
              {a.name}
            </span>
            <button
              type="button"
              className="icon-button"
              aria-label={`Settings of ${a.name}`}
              title="Account settings"
              onClick={() => props.onSettings(a.id)}
            >
              ⚙
            </button>
          </div>
          <AccountStatusLine accountId={a.id} view={a.status} onAction={props.onAction} />
          {(['inbox', 'deleted'] as const).map((folder) => (
            <FolderButton
              key={folder}
              name={FOLDER_NAMES[folder]}
              unread={a.unread?.[folder]}
              current={isCurrent(a.id, folder)}
              onClick={() => props.onScope({ accountId: a.id, folder })}
            />
          ))}
        </section>
      ))}
      {props.accounts.length === 0 ? <p className="muted empty">No accounts yet.</p> : null}
      <button type="button" className="add-account" onClick={props.onAddAccount}>
        Add account…
      </button>
    </nav>
  );
}
