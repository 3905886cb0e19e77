import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../app/ids.ts';
import { FileVault, MemoryVault, type Sealer } from '../../../main/vault/vault.ts';

const A = accountId('a');
const B = accountId('b');

describe('vaults', () => {
  it('MemoryVault keeps, replaces and forgets a secret', async () => {
    const v = new MemoryVault();
    expect(await v.get(A)).toBeUndefined();
    await v.set(A, { password: 'p1' });
    await v.set(A, { password: 'p2' });
    expect(await v.get(A)).toEqual({ password: 'p2' });
    await v.delete(A);
    expect(await v.get(A)).toBeUndefined();
  });

  it('FileVault persists across instances in a 0600 file, and deletes one account only', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'poplar-vault-')), 'sub', 'vault.json');
    await new FileVault(file).set(A, { password: 'secret a' });
    await new FileVault(file).set(B, { oauthToken: 'tok' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = new FileVault(file);
    expect(await again.get(A)).toEqual({ password: 'secret a' });
    await again.delete(A);
    expect(await again.get(A)).toBeUndefined();
    expect(await again.get(B)).toEqual({ oauthToken: 'tok' });
  });

  it('FileVault stores only what the sealer makes of it', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'poplar-vault-')), 'vault.bin');
    const xor: Sealer = {
      seal: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
      open: (sealed) => Buffer.from(sealed.map((b) => b ^ 0x5a)).toString('utf8'),
    };
    await new FileVault(file, xor).set(A, { password: 'hunter2' });
    expect(readFileSync(file).toString('latin1')).not.toContain('hunter2');
    expect(await new FileVault(file, xor).get(A)).toEqual({ password: 'hunter2' });
  });
});
