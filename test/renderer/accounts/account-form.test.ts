import { describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import { AccountConfigSchema } from '../../../app/ipc/contract.ts';
import { DEFAULT_POLICY } from '../../../app/sync/policy.ts';
import {
  checkAccountForm,
  defaultPort,
  emptyForm,
  formFromRecord,
  newAccountId,
  toAccountConfig,
  type AccountForm,
} from '../../../renderer/accounts/account-form.ts';
import { testRequest } from '../../../renderer/accounts/use-account-editor.ts';
import type { AccountRecord } from '../../../renderer/store/index.ts';

const ID = accountId('acc_1');
const FP = Array.from({ length: 32 }, () => 'AB').join(':');

function filled(overrides: Partial<AccountForm> = {}): AccountForm {
  return {
    ...emptyForm(),
    name: 'Home',
    email: 'me@example.org',
    host: 'pop.example.org',
    user: 'me@example.org',
    password: 's3cret',
    ...overrides,
  };
}

const check = (form: AccountForm, passwordRequired = true) => checkAccountForm(form, { id: ID, passwordRequired });

function errorsOf(form: AccountForm, passwordRequired = true) {
  const r = check(form, passwordRequired);
  return r.ok ? {} : r.errors;
}

describe('the account form', () => {
  it('starts with SSL/TLS on 995 and the default policy', () => {
    const form = emptyForm();
    expect(form.security).toBe('tls');
    expect(form.port).toBe('995');
    expect(form.download).toBe('previews');
    expect(form.previewLines).toBe('40');
    expect(defaultPort('starttls')).toBe(110);
    expect(defaultPort('none')).toBe(110);
  });

  it('maps a valid form to the stored settings and to an AccountConfig the contract accepts', () => {
    const r = check(filled());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.password).toBe('s3cret');
    expect(r.value.settings).toEqual({
      name: 'Home',
      email: 'me@example.org',
      host: 'pop.example.org',
      port: 995,
      security: 'tls',
      user: 'me@example.org',
      authMethod: undefined,
      allowPlaintextPassword: false,
      tlsFingerprint: undefined,
      policy: DEFAULT_POLICY,
    });
    expect(AccountConfigSchema.parse(r.value.config)).toEqual(r.value.config);
    expect(r.value.config.id).toBe(ID);
    expect(JSON.stringify(r.value.config)).not.toContain('s3cret');
  });

  it('shows each problem next to its field', () => {
    const errors = errorsOf(
      filled({ name: ' ', email: 'nope', host: 'pop example', port: '99999', user: '', password: '', tlsFingerprint: 'AB:CD' }),
    );
    expect(Object.keys(errors).sort()).toEqual(['email', 'host', 'name', 'password', 'port', 'tlsFingerprint', 'user']);
    expect(errors.port).toContain('1 to 65,535');
  });

  it('refuses line breaks in what reaches the POP3 server', () => {
    expect(errorsOf(filled({ user: 'me\r\nDELE 1' })).user).toBeDefined();
    expect(errorsOf(filled({ password: 'a\nb' })).password).toBeDefined();
  });

  it('needs a password for a new account only; an existing one keeps its saved password', () => {
    expect(errorsOf(filled({ password: '' }), true).password).toBeDefined();
    const r = check(filled({ password: '' }), false);
    expect(r.ok && r.value.password).toBe(undefined);
  });

  it('sends a password unencrypted only with consent, and only for a connection without security', () => {
    const tls = check(filled({ allowPlaintextPassword: true }));
    expect(tls.ok && tls.value.config.allowPlaintextPassword).toBe(false);
    const none = check(filled({ security: 'none', port: '110', allowPlaintextPassword: true }));
    expect(none.ok && none.value.config.allowPlaintextPassword).toBe(true);
  });

  it('writes each policy from its words', () => {
    const r = check(
      filled({ download: 'whole-up-to', maxKb: '512', previewLines: '20', leave: 'days', leaveDays: '14', checkEvery: false, atStartup: false, newAccount: 'start-from-now' }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config.policy).toEqual({
      download: { kind: 'whole-up-to', maxBytes: 512 * 1024, lines: 20 },
      leave: { kind: 'days', days: 14 },
      schedule: { atStartup: false, everyMinutes: null, inSendReceiveAll: true },
      newAccount: 'start-from-now',
    });
  });

  it('checks only the numbers the chosen policies use', () => {
    expect(check(filled({ download: 'whole', previewLines: 'x', maxKb: 'y', leave: 'forever', leaveDays: 'z' })).ok).toBe(true);
    expect(errorsOf(filled({ download: 'previews', previewLines: '-3' })).previewLines).toBeDefined();
    expect(errorsOf(filled({ leave: 'days', leaveDays: '0' })).leaveDays).toBeDefined();
    expect(errorsOf(filled({ checkEvery: true, everyMinutes: '2.5' })).everyMinutes).toBeDefined();
  });

  it('keeps a trusted certificate fingerprint and a chosen login method', () => {
    const r = check(filled({ tlsFingerprint: FP, authMethod: 'APOP' }));
    expect(r.ok && r.value.config.tlsFingerprint).toBe(FP);
    expect(r.ok && r.value.config.authMethod).toBe('APOP');
  });

  it('reads an account back into the form, without any password', () => {
    const record: AccountRecord = {
      id: ID,
      name: 'Work',
      email: 'w@example.org',
      host: 'pop.work.example',
      port: 110,
      security: 'starttls',
      user: 'w',
      authMethod: 'CRAM-MD5',
      allowPlaintextPassword: false,
      tlsFingerprint: FP,
      policy: { ...DEFAULT_POLICY, leave: { kind: 'days', days: 7 }, schedule: { atStartup: true, everyMinutes: null, inSendReceiveAll: false } },
      createdAt: 1,
      firstSyncDone: true,
    };
    const form = formFromRecord(record);
    expect(form).toMatchObject({ port: '110', security: 'starttls', authMethod: 'CRAM-MD5', leave: 'days', leaveDays: '7', checkEvery: false, inSendReceiveAll: false, password: '' });
    const again = check(form, false);
    expect(again.ok && again.value.config).toEqual(toAccountConfig(record));
  });

  it('does not configure main with an account that fails the contract', () => {
    const record = { id: ID, host: 'bad host', port: 995, security: 'tls', user: 'u', allowPlaintextPassword: false, policy: DEFAULT_POLICY } as unknown as AccountRecord;
    expect(toAccountConfig(record)).toBeUndefined();
  });

  it('makes account ids in the store\u2019s alphabet', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newAccountId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('tests with the typed password, or else the saved one (by account id)', () => {
    const typed = testRequest(filled({ port: '995' }), ID, false);
    expect(typed).toMatchObject({ host: 'pop.example.org', port: 995, security: 'tls', user: 'me@example.org', password: 's3cret' });
    expect(typed.accountId).toBeUndefined();
    const saved = testRequest(filled({ password: '' }), ID, false);
    expect(saved.password).toBeUndefined();
    expect(saved.accountId).toBe(ID);
    expect(testRequest(filled({ password: '' }), ID, true).accountId).toBeUndefined();
  });
});
