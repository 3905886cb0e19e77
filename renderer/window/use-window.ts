/**
 * The window's state and its command registry: which folder is shown in which order, the search, the selection,
 * and the dialogs and menus that are open. App.tsx lays this out; the panes get only what they show.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CommandId } from '../../app/commands.ts';
import type { ErrorData } from '../../app/errors.ts';
import type { AccountId } from '../../app/ids.ts';
import { createCommandRegistry, type CommandContext, type Confirmation } from '../commands/registry.ts';
import { storeActions } from '../commands/store-actions.ts';
import type { Commands } from '../commands/use-commands.ts';
import { useAccounts, useMessage, usePoplarDb, type ListOrder } from '../store/hooks.ts';
import type { FolderScope } from '../store/index.ts';
import type { ListHandle } from './MessageList.tsx';
import { EMPTY_SELECTION, type Selection } from './selection.ts';
import { useServices, useSyncSnapshot } from './services.ts';
import { describeProblem } from './status-text.ts';

export interface AccountDialogState {
  /** Undefined: a new account. */
  readonly accountId?: AccountId;
  readonly focusPassword?: boolean;
}

interface Question {
  readonly question: Confirmation;
  readonly resolve: (yes: boolean) => void;
}

const SEARCH_DELAY_MS = 200;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function problemNotice(problem: ErrorData | string): string {
  if (typeof problem === 'string') return problem;
  const text = describeProblem(problem);
  const words = text.serverWords === undefined ? problem.message : `The server said: “${text.serverWords}”`;
  return `${text.headline} ${words}`;
}

export function useWindow() {
  const db = usePoplarDb();
  const { api, platform } = useServices();
  const sync = useSyncSnapshot();
  const accounts = useAccounts();

  const [scope, setScopeState] = useState<FolderScope>({ folder: 'inbox' });
  const [order, setOrder] = useState<ListOrder>({ sort: 'receivedAt', direction: 'desc' });
  const [searchInput, setSearchInput] = useState('');
  const search = useDebounced(searchInput.trim(), SEARCH_DELAY_MS);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [count, setCount] = useState<number | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [accountDialog, setAccountDialog] = useState<AccountDialogState | undefined>(undefined);
  const [question, setQuestion] = useState<Question | undefined>(undefined);
  const [menu, setMenu] = useState<{ readonly x: number; readonly y: number } | undefined>(undefined);
  const listHandle = useRef<ListHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const setScope = useCallback((next: FolderScope) => {
    setScopeState(next);
    setSelection(EMPTY_SELECTION);
    setMenu(undefined);
  }, []);

  const report = useCallback((problem: ErrorData | string) => setNotice(problemNotice(problem)), []);
  const confirm = useCallback(
    (q: Confirmation) => new Promise<boolean>((resolve) => setQuestion({ question: q, resolve })),
    [],
  );
  const answer = useCallback(
    (yes: boolean) => {
      question?.resolve(yes);
      setQuestion(undefined);
    },
    [question],
  );

  const registry = useMemo(
    () =>
      createCommandRegistry({
        actions: storeActions(db),
        api,
        platform,
        ui: {
          moveSelection: (delta) => listHandle.current?.move(delta),
          focusSearch: () => {
            searchRef.current?.focus();
            searchRef.current?.select();
          },
          openAccountDialog: (accountId) => setAccountDialog(accountId === undefined ? {} : { accountId }),
          confirm,
          report,
        },
      }),
    [db, api, platform, confirm, report],
  );

  // In "All inboxes" the account in view is the focused message's.
  const focused = useMessage(scope.accountId === undefined ? selection.focus : undefined);
  const accountId = scope.accountId ?? focused?.accountId;
  const hasAccounts = (accounts?.length ?? 0) > 0;
  const context = useMemo<CommandContext>(
    () => ({ selection: [...selection.selected], folder: scope.folder, accountId, offline: sync.offline, hasAccounts }),
    [selection.selected, scope.folder, accountId, sync.offline, hasAccounts],
  );
  const contextRef = useRef(context);
  useEffect(() => {
    contextRef.current = context;
  }, [context]);
  const run = useCallback(
    (id: CommandId, ctx?: CommandContext) => {
      void registry.run(id, ctx ?? contextRef.current);
    },
    [registry],
  );
  const commands = useMemo<Commands>(() => ({ registry, context, run }), [registry, context, run]);

  return {
    scope,
    setScope,
    order,
    setOrder,
    searchInput,
    setSearchInput,
    search,
    selection,
    setSelection,
    count,
    setCount,
    notice,
    setNotice,
    report,
    accountDialog,
    setAccountDialog,
    question,
    answer,
    confirm,
    menu,
    setMenu,
    listHandle,
    searchRef,
    commands,
  };
}
