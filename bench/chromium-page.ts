/**
 * The window side of bench/chromium-sync.ts: fills the Add account dialog the way a person does (labels and roles,
 * as test/e2e/poplar-window.ts does, but with Security "None (not encrypted)", which that helper does not offer)
 * and saves. Saving configures the account in main, which starts the first check by itself.
 */
import type { Page } from 'playwright-core';

export interface PlainAccountInput {
  readonly name: string;
  readonly email: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly previewLines: number;
}

/**
 * Fills the dialog and clicks Save (calling `beforeSave` right before the click); resolves once the dialog has
 * closed. No "Test account settings" round trip.
 */
export async function addPlainAccount(page: Page, input: PlainAccountInput, beforeSave?: () => void): Promise<void> {
  await page.getByRole('navigation', { name: 'Folders' }).getByRole('button', { name: 'Add account…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByLabel('Name', { exact: true }).fill(input.name);
  await dialog.getByLabel('Email address').fill(input.email);
  await dialog.getByLabel('POP3 server').fill(input.host);
  // Security first: choosing it moves the default port along.
  await dialog.getByLabel('Security').selectOption({ label: 'None (not encrypted)' });
  await dialog.getByLabel('Port').fill(String(input.port));
  await dialog.getByLabel('User name').fill(input.user);
  await dialog.getByLabel('Password', { exact: true }).fill(input.password);
  await dialog.getByRole('checkbox', { name: 'Allow sending the password unencrypted' }).check();
  await dialog.getByRole('radio', { name: /^Previews: the headers/ }).check();
  await dialog.getByLabel('Lines of preview').fill(String(input.previewLines));
  await dialog.getByRole('radio', { name: /until I delete it in Poplar/ }).check();
  const save = dialog.getByRole('button', { name: 'Save' });
  await save.waitFor();
  beforeSave?.();
  await save.click();
  await dialog.waitFor({ state: 'detached' });
}
