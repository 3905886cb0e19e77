import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import { KeychainVault, type SafeStorageLike } from '../../../main/electron/keychain-vault.ts';
import { FileVault } from '../../../main/vault/vault.ts';

const A = accountId('a');

function keychain(state: { available: boolean; backend: string; rotate?: boolean }): SafeStorageLike & { encrypted: number } {
  const storage = {
    encrypted: 0,
    isAsyncEncryptionAvailable: () => Promise.resolve(state.available),
    getSelectedStorageBackend: () => state.backend as ReturnType<SafeStorageLike['getSelectedStorageBackend']>,
    encryptStringAsync: (plain: string) => {
      storage.encrypted++;
      return Promise.resolve(Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0xa5)));
    },
    decryptStringAsync: (sealed: Buffer) =>
      Promise.resolve({ result: Buffer.from(sealed.map((b) => b ^ 0xa5)).toString('utf8'), shouldReEncrypt: state.rotate === true }),
  };
  return storage;
}

function file(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'poplar-keychain-')), 'vault.json');
}

describe('the keychain vault', () => {
  it('stores only what the keychain sealed, in a 0600 file, and opens it again', async () => {
    const where = file();
    const vault = new KeychainVault(new FileVault(where), keychain({ available: true, backend: 'gnome_libsecret' }), 'linux');
    await vault.set(A, { password: 'hunter2', oauthToken: 'tok-en' });
    const raw = readFileSync(where, 'utf8');
    expect(raw).not.toContain('hunter2');
    expect(raw).not.toContain('tok-en');
    expect(statSync(where).mode & 0o777).toBe(0o600);
    expect(await vault.get(A)).toEqual({ password: 'hunter2', oauthToken: 'tok-en' });
    await vault.delete(A);
    expect(await vault.get(A)).toBeUndefined();
  });

  it('refuses to store or read when the keychain is unavailable, or only basic_text on Linux', async () => {
    const state = { available: false, backend: 'gnome_libsecret' };
    const vault = new KeychainVault(new FileVault(file()), keychain(state), 'linux');
    await expect(vault.set(A, { password: 'p' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    state.available = true;
    state.backend = 'basic_text';
    await expect(vault.set(A, { password: 'p' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringContaining('keyring') as unknown });
    state.backend = 'kwallet6';
    await vault.set(A, { password: 'p' });
    state.available = false;
    await expect(vault.get(A)).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    // Forgetting needs no keychain, and an absent secret is simply absent.
    await vault.delete(A);
    expect(await vault.get(A)).toBeUndefined();
  });

  it('does not look at the Linux backend on other systems', async () => {
    const vault = new KeychainVault(new FileVault(file()), keychain({ available: true, backend: 'basic_text' }), 'darwin');
    await vault.set(A, { password: 'p' });
    expect(await vault.get(A)).toEqual({ password: 'p' });
  });

  it('seals again when the keychain rotated its key', async () => {
    const state = { available: true, backend: 'kwallet5', rotate: false };
    const storage = keychain(state);
    const vault = new KeychainVault(new FileVault(file()), storage, 'linux');
    await vault.set(A, { password: 'p' });
    expect(storage.encrypted).toBe(1);
    state.rotate = true;
    expect(await vault.get(A)).toEqual({ password: 'p' });
    expect(storage.encrypted).toBe(2);
  });
});
