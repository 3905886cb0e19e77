/**
 * The window: toolbar, three panes (folders, messages, reading) each behind its own error boundary, the status
 * bar, and whatever dialog or menu is open. Layout only: the state lives in useWindow, the data in the panes.
 */
import { useCallback, useEffect } from 'react';
import { AccountDialog } from '../accounts/AccountDialog.tsx';
import { ContextMenu } from '../commands/ContextMenu.tsx';
import { Toolbar } from '../commands/Toolbar.tsx';
import { CommandsContext, useMenuCommands, useShortcuts } from '../commands/use-commands.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { FolderPane } from './FolderPane.tsx';
import { MessageList } from './MessageList.tsx';
import { ReadingContainer } from './ReadingContainer.tsx';
import { useServices } from './services.ts';
import { StatusBar } from './StatusBar.tsx';
import { useAccountActions } from './use-account-actions.ts';
import { useWindow } from './use-window.ts';

function scopeLabel(accountId: string | undefined, folder: string): string {
  if (accountId === undefined) return folder === 'inbox' ? 'All inboxes' : 'All Deleted Items';
  return folder === 'inbox' ? 'Inbox' : 'Deleted Items';
}

export function App() {
  const w = useWindow();
  const { menu, platform, problems } = useServices();
  const { commands, setAccountDialog, confirm, report, setMenu, setNotice } = w;
  useShortcuts(commands);
  useMenuCommands(menu, commands.run);
  const onAction = useAccountActions({ openDialog: setAccountDialog, confirm, report });
  const closeMenu = useCallback(() => setMenu(undefined), [setMenu]);
  const openMenu = useCallback((x: number, y: number) => setMenu({ x, y }), [setMenu]);
  const reportText = useCallback((text: string) => report(text), [report]);
  useEffect(() => problems.listen(reportText), [problems, reportText]);
  const focus = w.selection.focus;

  return (
    <CommandsContext value={commands}>
      <div className="app">
        <Toolbar search={w.searchInput} onSearch={w.setSearchInput} searchRef={w.searchRef} />
        <main className="panes">
          <section className="pane folders" aria-label="Folders">
            <ErrorBoundary name="folder list">
              <FolderPane
                scope={w.scope}
                onScope={w.setScope}
                onSettings={(accountId) => setAccountDialog({ accountId })}
                onAddAccount={() => setAccountDialog({})}
                onAction={onAction}
              />
            </ErrorBoundary>
          </section>
          <section className="pane messages" aria-label="Messages">
            <ErrorBoundary name="message list">
              <MessageList
                scope={w.scope}
                order={w.order}
                search={w.search}
                selection={w.selection}
                onSelection={w.setSelection}
                onOrder={w.setOrder}
                onContextMenu={openMenu}
                onCount={w.setCount}
                handle={w.listHandle}
                platform={platform}
                label={scopeLabel(w.scope.accountId, w.scope.folder)}
              />
            </ErrorBoundary>
          </section>
          <section className="pane reading" aria-label="Reading pane">
            <ErrorBoundary name="message">
              <ReadingContainer focus={focus} selectedCount={w.selection.selected.size} onProblem={reportText} />
            </ErrorBoundary>
          </section>
        </main>
        <StatusBar
          count={w.count}
          searching={w.search !== ''}
          notice={w.notice}
          onDismissNotice={() => setNotice(undefined)}
          onToggleOffline={() => commands.run('work-offline')}
        />
        {w.menu !== undefined ? <ContextMenu x={w.menu.x} y={w.menu.y} onClose={closeMenu} /> : null}
        {w.accountDialog !== undefined ? (
          <ErrorBoundary name="account settings">
            <AccountDialog
              accountId={w.accountDialog.accountId}
              focusPassword={w.accountDialog.focusPassword === true}
              onClose={() => setAccountDialog(undefined)}
              confirm={confirm}
            />
          </ErrorBoundary>
        ) : null}
        {w.question !== undefined ? <ConfirmDialog question={w.question.question} onAnswer={w.answer} /> : null}
      </div>
    </CommandsContext>
  );
}
