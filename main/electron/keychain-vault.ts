/**
 * The vault of the desktop app: a FileVault (one 0600 file, written atomically) whose secrets are each sealed by
 * the OS keychain through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret or KWallet on
 * Linux). It uses safeStorage's asynchronous API — the synchronous one is deprecated since Electron 45 — so the
 * sealing wraps the vault instead of plugging into FileVault's synchronous Sealer.
 *
 * Where the keychain is not available — or on Linux only as `basic_text`, a fixed key that protects nothing —
 * passwords are refused with a clear error instead of being written in a form that merely looks protected.
 */
import type { SafeStorage } from 'electron';
import type { AccountId } from '../../app/ids.ts';
import { mailError } from '../../app/errors.ts';
import type { Secret, Vault } from '../vault/vault.ts';

export type SafeStorageLike = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

type SecretField = keyof Secret;
const FIELDS: readonly SecretField[] = ['password', 'oauthToken'];

export class KeychainVault implements Vault {
  /** `inner` holds the sealed form: each field is the keychain's ciphertext in base64. */
  constructor(
    private readonly inner: Vault,
    private readonly storage: SafeStorageLike,
    private readonly platform: NodeJS.Platform,
  ) {}

  async get(accountId: AccountId): Promise<Secret | undefined> {
    const sealed = await this.inner.get(accountId);
    if (sealed === undefined) return undefined;
    await this.checkAvailable();
    const plain: Record<string, string> = {};
    let reseal = false;
    for (const field of FIELDS) {
      const value = sealed[field];
      if (value === undefined) continue;
      const opened = await this.storage.decryptStringAsync(Buffer.from(value, 'base64'));
      plain[field] = opened.result;
      reseal ||= opened.shouldReEncrypt;
    }
    // The keychain rotated its key: store the secret again under the new one.
    if (reseal) await this.set(accountId, plain);
    return plain;
  }

  async set(accountId: AccountId, secret: Secret): Promise<void> {
    await this.checkAvailable();
    const sealed: Record<string, string> = {};
    for (const field of FIELDS) {
      const value = secret[field];
      if (value !== undefined) sealed[field] = (await this.storage.encryptStringAsync(value)).toString('base64');
    }
    await this.inner.set(accountId, sealed);
  }

  /** Forgetting needs no keychain. */
  delete(accountId: AccountId): Promise<void> {
    return this.inner.delete(accountId);
  }

  private async checkAvailable(): Promise<void> {
    if (!(await this.storage.isAsyncEncryptionAvailable())) {
      throw mailError(
        'NOT_SUPPORTED',
        "Poplar cannot keep passwords: the system's secure storage (keychain) is not available. Unlock or set it up, then try again.",
      );
    }
    if (this.platform === 'linux' && this.storage.getSelectedStorageBackend() === 'basic_text') {
      throw mailError(
        'NOT_SUPPORTED',
        'Poplar cannot keep passwords: no keyring (GNOME Keyring or KWallet) is running, so they could not be stored safely.',
      );
    }
  }
}
