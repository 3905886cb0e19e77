/** The folder pane's container: accounts, unread counts and live status, read through the store's hooks. */
import type { AccountId } from '../../app/ids.ts';
import { useAccounts, useUnreadCounts } from '../store/hooks.ts';
import type { FolderScope } from '../store/index.ts';
import { accountStatusView } from './account-status.ts';
import type { AccountAction } from './AccountStatusLine.tsx';
import { Loading } from './ErrorBoundary.tsx';
import { FolderTree } from './FolderTree.tsx';
import { useSyncSnapshot } from './services.ts';

export interface FolderPaneProps {
  readonly scope: FolderScope;
  readonly onScope: (scope: FolderScope) => void;
  readonly onSettings: (accountId: AccountId) => void;
  readonly onAddAccount: () => void;
  readonly onAction: (accountId: AccountId, action: AccountAction, fingerprint?: string) => void;
}

export function FolderPane(props: FolderPaneProps) {
  const accounts = useAccounts();
  const counts = useUnreadCounts(accounts?.map((a) => a.id) ?? []);
  const sync = useSyncSnapshot();
  if (accounts === undefined) return <Loading what="accounts" />;
  const now = Date.now();
  const items = accounts.map((a) => ({
    id: a.id,
    name: a.name,
    email: a.email,
    unread: counts?.get(a.id),
    status: accountStatusView(a, sync.accounts.get(a.id), sync.offline, now),
  }));
  return <FolderTree {...props} accounts={items} />;
}
