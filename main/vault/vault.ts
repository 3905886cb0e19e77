/**
 * Credentials live only in main/ (design.md): the renderer hands a password over once, when the account form is
 * submitted, and never sees it again. In the Electron app the vault encrypts with the OS keychain (safeStorage, in
 * main/electron/); elsewhere it is explicit: in memory, or a file readable only by its owner.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AccountId } from '../../app/ids.ts';

export interface Secret {
  readonly password?: string;
  readonly oauthToken?: string;
}

export interface Vault {
  get(accountId: AccountId): Promise<Secret | undefined>;
  set(accountId: AccountId, secret: Secret): Promise<void>;
  delete(accountId: AccountId): Promise<void>;
}

export class MemoryVault implements Vault {
  private readonly secrets = new Map<AccountId, Secret>();

  get(accountId: AccountId): Promise<Secret | undefined> {
    return Promise.resolve(this.secrets.get(accountId));
  }

  set(accountId: AccountId, secret: Secret): Promise<void> {
    this.secrets.set(accountId, { ...secret });
    return Promise.resolve();
  }

  delete(accountId: AccountId): Promise<void> {
    this.secrets.delete(accountId);
    return Promise.resolve();
  }
}

/** How the file vault protects its bytes: identity (0600 file) by default; safeStorage in the Electron shell. */
export interface Sealer {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

const PLAIN_SEALER: Sealer = {
  seal: (plain) => Buffer.from(plain, 'utf8'),
  open: (sealed) => sealed.toString('utf8'),
};

/**
 * A vault in one file, written atomically (temp file + rename) with mode 0600. Without a sealer the secrets are
 * protected by file permissions only; the README says so.
 */
export class FileVault implements Vault {
  constructor(
    private readonly file: string,
    private readonly sealer: Sealer = PLAIN_SEALER,
  ) {}

  private read(): Record<string, Secret> {
    if (!existsSync(this.file)) return {};
    const parsed: unknown = JSON.parse(this.sealer.open(readFileSync(this.file)));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Secret>) : {};
  }

  private write(all: Record<string, Secret>): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, this.sealer.seal(JSON.stringify(all)), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }

  get(accountId: AccountId): Promise<Secret | undefined> {
    return Promise.resolve(this.read()[accountId]);
  }

  set(accountId: AccountId, secret: Secret): Promise<void> {
    const all = this.read();
    all[accountId] = { ...secret };
    this.write(all);
    return Promise.resolve();
  }

  delete(accountId: AccountId): Promise<void> {
    const all = this.read();
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a plain record keyed by account id
    delete all[accountId];
    this.write(all);
    return Promise.resolve();
  }
}
