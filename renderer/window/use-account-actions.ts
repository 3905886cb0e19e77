/** What the buttons of an account's status line do: try again, re-enter the password, trust a certificate… */
import { useCallback } from 'react';
import type { ErrorData } from '../../app/errors.ts';
import { toErrorData } from '../../app/errors.ts';
import type { AccountId } from '../../app/ids.ts';
import type { Confirmation } from '../commands/registry.ts';
import { usePoplarDb } from '../store/hooks.ts';
import { updateAccount } from '../store/index.ts';
import type { AccountAction } from './AccountStatusLine.tsx';
import { useServices } from './services.ts';
import type { AccountDialogState } from './use-window.ts';

export interface AccountActionDeps {
  readonly openDialog: (state: AccountDialogState) => void;
  readonly confirm: (q: Confirmation) => Promise<boolean>;
  readonly report: (problem: ErrorData | string) => void;
}

export function trustQuestion(fingerprint: string): Confirmation {
  return {
    title: 'Trust this certificate?',
    body:
      `Poplar will accept, for this account only, the server certificate with the SHA-256 fingerprint ${fingerprint}, ` +
      'and no other. Do this only when you know it is the right one, such as your own server’s self-signed certificate.',
    confirmLabel: 'Trust this certificate',
  };
}

export function useAccountActions(deps: AccountActionDeps) {
  const db = usePoplarDb();
  const { api, status } = useServices();
  const { openDialog, confirm, report } = deps;

  return useCallback(
    (accountId: AccountId, action: AccountAction, fingerprint?: string) => {
      const act = async () => {
        switch (action) {
          case 'retry': {
            const r = await api.invoke('sync:send-receive', { accountId });
            if (!r.ok) report(r.error);
            return;
          }
          case 'password':
            openDialog({ accountId, focusPassword: true });
            return;
          case 'settings':
            openDialog({ accountId });
            return;
          case 'trust': {
            if (fingerprint === undefined || !(await confirm(trustQuestion(fingerprint)))) return;
            await updateAccount(db, accountId, { tlsFingerprint: fingerprint });
            const r = await api.invoke('sync:send-receive', { accountId });
            if (!r.ok) report(r.error);
            return;
          }
          case 'confirm-migration': {
            const r = await api.invoke('sync:confirm-migration', { accountId });
            if (r.ok) status.clearConfirmation(accountId);
            else report(r.error);
            return;
          }
          case 'wait':
          case 'none':
            return;
        }
      };
      act().catch((e: unknown) => {
        report(toErrorData(e));
      });
    },
    [db, api, status, openDialog, confirm, report],
  );
}
