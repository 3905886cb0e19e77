/**
 * The account dialog's state and actions: editing the form, Auto-detect, Test account settings, trusting a
 * certificate, saving (password to main, settings to the store) and removing the account.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AccountTestReport } from '../../app/account-test.ts';
import { toErrorData, type ErrorData } from '../../app/errors.ts';
import type { AccountId } from '../../app/ids.ts';
import type { MainApi, RequestOf } from '../../app/ipc/contract.ts';
import type { AccountRecord } from '../store/index.ts';
import {
  checkAccountForm,
  defaultPort,
  emptyForm,
  formFromRecord,
  newAccountId,
  type AccountForm,
  type FormErrors,
} from './account-form.ts';
import { removeAccountEverywhere, saveAccount, type AccountWrites } from './save-account.ts';

export type TestMode = 'detect' | 'test';

export interface TestState {
  readonly mode: TestMode;
  readonly running: boolean;
  readonly report?: AccountTestReport;
  readonly error?: ErrorData;
}

export interface EditorDeps {
  readonly api: MainApi;
  readonly writes: AccountWrites;
  readonly existing: AccountRecord | undefined;
  readonly onDone: () => void;
}

/** What "Test account settings" sends: the form as it is now, with the typed or else the saved password. */
export function testRequest(form: AccountForm, id: AccountId, isNew: boolean): RequestOf<'accounts:test'> {
  const port = Number(form.port.trim());
  const user = form.user.trim();
  const fingerprint = form.tlsFingerprint.trim();
  return {
    host: form.host.trim(),
    port: Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined,
    security: form.security,
    user: user === '' ? undefined : user,
    password: form.password === '' ? undefined : form.password,
    accountId: isNew || form.password !== '' ? undefined : id,
    method: form.authMethod === '' ? undefined : form.authMethod,
    allowPlaintextPassword: form.security === 'none' && form.allowPlaintextPassword,
    fingerprint: fingerprint === '' ? undefined : fingerprint,
  };
}

export function useAccountEditor({ api, writes, existing, onDone }: EditorDeps) {
  const isNew = existing === undefined;
  const id = useMemo(() => existing?.id ?? newAccountId(), [existing?.id]);
  const [form, setForm] = useState<AccountForm>(() => (existing === undefined ? emptyForm() : formFromRecord(existing)));
  const [errors, setErrors] = useState<FormErrors>({});
  const [test, setTest] = useState<TestState | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [hasSecret, setHasSecret] = useState<boolean | undefined>(isNew ? false : undefined);

  useEffect(() => {
    if (isNew) return undefined;
    let live = true;
    api
      .invoke('accounts:has-secret', { accountId: id })
      .then((r) => {
        if (live) setHasSecret(r.ok ? r.value : false);
      })
      .catch(() => {
        if (live) setHasSecret(false);
      });
    return () => {
      live = false;
    };
  }, [api, id, isNew]);

  const set = useCallback(<K extends keyof AccountForm>(field: K, value: AccountForm[K]) => {
    setForm((f) => {
      const next = { ...f, [field]: value };
      // A port left at the default follows the security choice (995 for SSL/TLS, 110 otherwise).
      if (field === 'security' && f.port.trim() === String(defaultPort(f.security))) {
        next.port = String(defaultPort(value as AccountForm['security']));
      }
      // The user name usually is the address: follow it until the user types another.
      if (field === 'email' && (f.user === '' || f.user === f.email)) next.user = value as string;
      return next;
    });
    setErrors((e) => ({ ...e, [field]: undefined }));
    setProblem(undefined);
  }, []);

  const runTest = useCallback(
    async (mode: TestMode) => {
      const host = form.host.trim();
      if (host === '') {
        setErrors((e) => ({ ...e, host: 'Enter the server name first.' }));
        return;
      }
      setTest({ mode, running: true });
      try {
        const request = mode === 'detect' ? { host } : testRequest(form, id, isNew);
        const r = await api.invoke('accounts:test', request);
        if (!r.ok) {
          setTest({ mode, running: false, error: r.error });
          return;
        }
        setTest({ mode, running: false, report: r.value });
        const chosen = r.value.chosen;
        if (mode === 'detect' && chosen !== undefined) {
          setForm((f) => ({ ...f, security: chosen.security, port: String(chosen.port) }));
        }
      } catch (e) {
        setTest({ mode, running: false, error: toErrorData(e) });
      }
    },
    [api, form, id, isNew],
  );

  const save = useCallback(async () => {
    const check = checkAccountForm(form, { id, passwordRequired: isNew });
    if (!check.ok) {
      setErrors(check.errors);
      setProblem('Some settings need your attention: see the messages next to them.');
      return;
    }
    setSaving(true);
    setProblem(undefined);
    const result = await saveAccount(writes, api, id, isNew, check.value);
    setSaving(false);
    if (result.ok) onDone();
    else setProblem(`Not saved: ${result.error.message}`);
  }, [api, form, id, isNew, onDone, writes]);

  const remove = useCallback(async () => {
    const error = await removeAccountEverywhere(writes, api, id);
    if (error === undefined) onDone();
    else setProblem(`Not removed completely: ${error.message}`);
  }, [api, id, onDone, writes]);

  return { id, isNew, form, set, errors, test, runTest, saving, save, remove, problem, hasSecret };
}

export type AccountEditor = ReturnType<typeof useAccountEditor>;
