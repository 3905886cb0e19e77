/**
 * Add account / Account settings. The container reads the account (when editing) and hands a form editor to the
 * sections; saving sends the password to main and the settings to the store.
 */
import { useCallback, useMemo } from 'react';
import type { AccountId } from '../../app/ids.ts';
import type { Confirmation } from '../commands/registry.ts';
import { useAccount, usePoplarDb } from '../store/hooks.ts';
import type { AccountRecord } from '../store/index.ts';
import { Loading } from '../window/ErrorBoundary.tsx';
import { Modal } from '../window/Modal.tsx';
import { useServices } from '../window/services.ts';
import { trustQuestion } from '../window/use-account-actions.ts';
import { PolicySection } from './PolicySection.tsx';
import { storeAccountWrites } from './save-account.ts';
import { ServerSection } from './ServerSection.tsx';
import { TestSection } from './TestSection.tsx';
import { useAccountEditor } from './use-account-editor.ts';

export interface AccountDialogProps {
  /** Undefined: a new account. */
  readonly accountId: AccountId | undefined;
  readonly focusPassword: boolean;
  readonly onClose: () => void;
  readonly confirm: (q: Confirmation) => Promise<boolean>;
}

export function AccountDialog(props: AccountDialogProps) {
  const account = useAccount(props.accountId);
  if (props.accountId === undefined) return <AccountEditorDialog {...props} existing={undefined} />;
  if (account === undefined) {
    return (
      <Modal title="Account settings" onCancel={props.onClose}>
        <Loading what="the account" />
      </Modal>
    );
  }
  if (account === null) {
    return (
      <Modal title="Account settings" onCancel={props.onClose}>
        <p>This account no longer exists.</p>
        <div className="dialog-buttons">
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </Modal>
    );
  }
  return <AccountEditorDialog {...props} existing={account} />;
}

function AccountEditorDialog(props: AccountDialogProps & { readonly existing: AccountRecord | undefined }) {
  const db = usePoplarDb();
  const { api } = useServices();
  const writes = useMemo(() => storeAccountWrites(db), [db]);
  const { onClose, confirm, existing } = props;
  const editor = useAccountEditor({ api, writes, existing, onDone: onClose });
  const { set } = editor;
  const onTrust = useCallback(
    (fingerprint: string) => {
      void confirm(trustQuestion(fingerprint)).then((yes) => {
        if (yes) set('tlsFingerprint', fingerprint);
      });
    },
    [confirm, set],
  );
  const onRemove = () => {
    void confirm({
      title: `Remove ${existing?.name ?? 'this account'}?`,
      body:
        'Its messages are removed from this computer, and its password from Poplar. Nothing is deleted on the server.',
      confirmLabel: 'Remove account',
    }).then((yes) => (yes ? editor.remove() : undefined));
  };

  return (
    <Modal title={existing === undefined ? 'Add account' : `Account settings: ${existing.name}`} onCancel={onClose} className="account-dialog">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void editor.save();
        }}
      >
        <div className="dialog-body">
          <ServerSection editor={editor} focusPassword={props.focusPassword} />
          <TestSection editor={editor} onTrust={onTrust} />
          <PolicySection editor={editor} firstSyncDone={existing?.firstSyncDone === true} />
        </div>
        {editor.problem !== undefined ? (
          <p className="form-problem" role="alert">
            {editor.problem}
          </p>
        ) : null}
        <div className="dialog-buttons">
          {existing !== undefined ? (
            <button type="button" className="danger left" onClick={onRemove}>
              Remove account…
            </button>
          ) : null}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={editor.saving}>
            {editor.saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
