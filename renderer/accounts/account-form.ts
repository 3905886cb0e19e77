/**
 * The account dialog's form: its fields as the user types them (text for numbers, so a half-typed value is not
 * lost), its checks with messages in plain words, and the mapping to what is stored (the account's settings) and
 * what main receives (AccountConfig, checked with the contract's own schema).
 */
import {
  AccountConfigSchema,
  AuthMethodSchema,
  FingerprintSchema,
  HostSchema,
  type AccountConfig,
} from '../../app/ipc/contract.ts';
import type { AccountId } from '../../app/ids.ts';
import {
  DEFAULT_POLICY,
  type AccountPolicy,
  type DownloadPolicy,
  type LeavePolicy,
  type NewAccountPolicy,
} from '../../app/sync/policy.ts';
import type { AccountRecord, NewAccount } from '../store/index.ts';

export type Security = AccountConfig['security'];
export type AuthMethod = NonNullable<AccountConfig['authMethod']>;

export interface AccountForm {
  readonly name: string;
  readonly email: string;
  readonly host: string;
  readonly port: string;
  readonly security: Security;
  readonly user: string;
  /** Typed by the user; never filled from anywhere (a saved password never comes back to the window). */
  readonly password: string;
  /** '' for "the strongest the server offers". */
  readonly authMethod: AuthMethod | '';
  readonly allowPlaintextPassword: boolean;
  /** A trusted certificate's SHA-256 fingerprint, or ''. */
  readonly tlsFingerprint: string;
  readonly download: DownloadPolicy['kind'];
  readonly previewLines: string;
  readonly maxKb: string;
  readonly leave: LeavePolicy['kind'];
  readonly leaveDays: string;
  readonly atStartup: boolean;
  readonly checkEvery: boolean;
  readonly everyMinutes: string;
  readonly inSendReceiveAll: boolean;
  readonly newAccount: NewAccountPolicy;
}

export type FormField = keyof AccountForm;
export type FormErrors = Partial<Record<FormField, string>>;

/** The settings stored for an account (no secret), as addAccount and updateAccount take them. */
export type AccountSettings = Omit<NewAccount, 'id' | 'createdAt'>;

export interface ValidAccount {
  readonly settings: AccountSettings;
  readonly config: AccountConfig;
  /** A new password to hand to main's vault, when one was typed. */
  readonly password?: string;
}

export type FormCheck =
  | { readonly ok: true; readonly value: ValidAccount }
  | { readonly ok: false; readonly errors: FormErrors };

export const SECURITY_LABELS: Readonly<Record<Security, string>> = {
  tls: 'SSL/TLS',
  starttls: 'STARTTLS',
  none: 'None (not encrypted)',
};

export const AUTH_METHODS: readonly AuthMethod[] = AuthMethodSchema.options;

export function defaultPort(security: Security): number {
  return security === 'tls' ? 995 : 110;
}

const KB = 1024;
const DEFAULT_POLICY_LINES = DEFAULT_POLICY.download.kind === 'previews' ? DEFAULT_POLICY.download.lines : 40;

export function emptyForm(): AccountForm {
  return formFromPolicy(DEFAULT_POLICY, {
    name: '',
    email: '',
    host: '',
    port: String(defaultPort('tls')),
    security: 'tls',
    user: '',
    password: '',
    authMethod: '',
    allowPlaintextPassword: false,
    tlsFingerprint: '',
  });
}

type ServerPart = Pick<
  AccountForm,
  'name' | 'email' | 'host' | 'port' | 'security' | 'user' | 'password' | 'authMethod' | 'allowPlaintextPassword' | 'tlsFingerprint'
>;

function formFromPolicy(policy: AccountPolicy, server: ServerPart): AccountForm {
  const { download, leave, schedule } = policy;
  return {
    ...server,
    download: download.kind,
    previewLines: String(download.kind === 'whole' ? DEFAULT_POLICY_LINES : download.lines),
    maxKb: String(download.kind === 'whole-up-to' ? Math.max(1, Math.round(download.maxBytes / KB)) : 1024),
    leave: leave.kind,
    leaveDays: String(leave.kind === 'days' ? leave.days : 14),
    atStartup: schedule.atStartup,
    checkEvery: schedule.everyMinutes !== null,
    everyMinutes: String(schedule.everyMinutes ?? 10),
    inSendReceiveAll: schedule.inSendReceiveAll,
    newAccount: policy.newAccount,
  };
}

export function formFromRecord(account: AccountRecord): AccountForm {
  const method = AUTH_METHODS.find((m) => m === account.authMethod);
  return formFromPolicy(account.policy, {
    name: account.name,
    email: account.email,
    host: account.host,
    port: String(account.port),
    security: account.security,
    user: account.user,
    password: '',
    authMethod: method ?? '',
    allowPlaintextPassword: account.allowPlaintextPassword,
    tlsFingerprint: account.tlsFingerprint ?? '',
  });
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f]/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function wholeNumber(text: string, min: number, max: number, errors: FormErrors, field: FormField, what: string): number {
  const t = text.trim();
  const n = /^\d{1,15}$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    errors[field] = `Enter ${what}: a whole number from ${min} to ${max.toLocaleString('en')}.`;
    return min;
  }
  return n;
}

function policyOf(form: AccountForm, errors: FormErrors): AccountPolicy {
  const lines = () => wholeNumber(form.previewLines, 0, 10_000, errors, 'previewLines', 'the number of lines');
  let download: DownloadPolicy;
  if (form.download === 'previews') download = { kind: 'previews', lines: lines() };
  else if (form.download === 'whole') download = { kind: 'whole' };
  else {
    const kb = wholeNumber(form.maxKb, 1, 2 ** 30, errors, 'maxKb', 'a size in KB');
    download = { kind: 'whole-up-to', maxBytes: kb * KB, lines: lines() };
  }
  const leave: LeavePolicy =
    form.leave === 'days'
      ? { kind: 'days', days: wholeNumber(form.leaveDays, 1, 36_500, errors, 'leaveDays', 'a number of days') }
      : { kind: form.leave };
  const everyMinutes = form.checkEvery
    ? wholeNumber(form.everyMinutes, 1, 7 * 24 * 60, errors, 'everyMinutes', 'a number of minutes')
    : null;
  return {
    download,
    leave,
    schedule: { atStartup: form.atStartup, everyMinutes, inSendReceiveAll: form.inSendReceiveAll },
    newAccount: form.newAccount,
  };
}

/** The fields the contract's schema paths stand for, to show its complaints next to the right field. */
const SCHEMA_FIELDS: Readonly<Record<string, FormField>> = {
  host: 'host',
  port: 'port',
  security: 'security',
  user: 'user',
  authMethod: 'authMethod',
  tlsFingerprint: 'tlsFingerprint',
  'policy.download.lines': 'previewLines',
  'policy.download.maxBytes': 'maxKb',
  'policy.leave.days': 'leaveDays',
  'policy.schedule.everyMinutes': 'everyMinutes',
};

export interface CheckOptions {
  readonly id: AccountId;
  /** A new account needs its password; an existing one keeps the saved password unless one is typed. */
  readonly passwordRequired: boolean;
}

export function checkAccountForm(form: AccountForm, options: CheckOptions): FormCheck {
  const errors: FormErrors = {};
  const name = form.name.trim();
  const email = form.email.trim();
  const host = form.host.trim();
  const user = form.user.trim();
  const fingerprint = form.tlsFingerprint.trim();
  if (name === '') errors.name = 'Give the account a name, such as "Home" or "Work".';
  else if (name.length > 100 || CONTROL.test(name)) errors.name = 'Use at most 100 ordinary characters.';
  if (!EMAIL.test(email) || email.length > 256) errors.email = 'Enter an email address such as you@example.com.';
  const hostCheck = HostSchema.safeParse(host);
  if (!hostCheck.success) {
    errors.host =
      host === ''
        ? 'Enter the POP3 server name, such as pop.example.com.'
        : 'A server name has only letters, digits, dots and hyphens.';
  }
  const port = wholeNumber(form.port, 1, 65_535, errors, 'port', 'a port');
  if (user === '') errors.user = 'Enter the user name (often your email address).';
  else if (user.length > 256 || CONTROL.test(user)) {
    errors.user = 'The user name must not contain line breaks or control characters.';
  }
  if (form.password !== '' && (form.password.length > 1024 || CONTROL.test(form.password))) {
    errors.password = 'The password must not contain line breaks or control characters.';
  } else if (form.password === '' && options.passwordRequired) {
    errors.password = 'Enter the password for this mailbox.';
  }
  if (fingerprint !== '' && !FingerprintSchema.safeParse(fingerprint).success) {
    errors.tlsFingerprint = 'A SHA-256 fingerprint is 32 pairs of hex digits, such as AB:CD:…';
  }
  const policy = policyOf(form, errors);
  const allowPlaintextPassword = form.security === 'none' && form.allowPlaintextPassword;
  const authMethod = form.authMethod === '' ? undefined : form.authMethod;
  const tlsFingerprint = fingerprint === '' ? undefined : fingerprint;
  const server = { host, port, security: form.security, user, authMethod, allowPlaintextPassword, tlsFingerprint };
  const parsed = AccountConfigSchema.safeParse({ id: options.id, ...server, policy });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = SCHEMA_FIELDS[issue.path.join('.')] ?? 'host';
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  const settings: AccountSettings = { name, email, ...server, policy };
  const password = form.password === '' ? undefined : form.password;
  return { ok: true, value: { settings, config: parsed.data, password } };
}

/** A new account's id: 128 random bits in the store's alphabet (`[A-Za-z0-9_-]`), 22 characters. */
export function newAccountId(): AccountId {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      id += alphabet.charAt((acc >> bits) & 63);
    }
  }
  if (bits > 0) id += alphabet.charAt((acc << (6 - bits)) & 63);
  return id as AccountId;
}

/** What main needs of a stored account to sync it; undefined when the record does not pass the contract. */
export function toAccountConfig(account: AccountRecord): AccountConfig | undefined {
  const parsed = AccountConfigSchema.safeParse(account);
  return parsed.success ? parsed.data : undefined;
}
