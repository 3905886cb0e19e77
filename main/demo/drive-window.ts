/**
 * Drives Poplar's real window (in Chromium, through playwright-core) the way a person would: by the labels and
 * roles the window shows, never by its internals. The demo uses it to add its account; the screenshot script to
 * reach each state it shows.
 */
import type { Locator, Page } from 'playwright-core';
import type { DemoAccount } from './run-demo.ts';

const SECURITY_VALUES: Readonly<Record<DemoAccount['security'], string>> = { none: 'none' };

/** Opens "Add account" and fills it in; returns the dialog, not yet saved. */
export async function fillAccountDialog(page: Page, account: DemoAccount): Promise<Locator> {
  await page.getByRole('button', { name: 'Add account…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByLabel('Name', { exact: true }).fill(account.name);
  await dialog.getByLabel('Email address', { exact: true }).fill(account.email);
  await dialog.getByLabel('POP3 server', { exact: true }).fill(account.host);
  // Choosing the security first: the port field follows it until it is typed.
  await dialog.getByLabel('Security', { exact: true }).selectOption(SECURITY_VALUES[account.security]);
  await dialog.getByLabel('Port', { exact: true }).fill(String(account.port));
  await dialog.getByLabel('User name', { exact: true }).fill(account.user);
  await dialog.getByLabel('Password', { exact: true }).fill(account.password);
  await dialog.getByRole('checkbox', { name: 'Allow sending the password unencrypted' }).check();
  return dialog;
}

/** Clicks "Test account settings" and waits for its report. */
export async function testAccount(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Test account settings' }).click();
  await dialog.getByRole('region', { name: 'Test account settings' }).locator('dl, .field-error').first().waitFor();
}

/** Saves the dialog and waits until it has closed (a refused form keeps it open, with its problem shown). */
export async function saveAccount(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
}

/** The whole first run: add the demo account, and wait for its first check to list messages. */
export async function addDemoAccount(page: Page, account: DemoAccount, options: { readonly test?: boolean } = {}): Promise<void> {
  const dialog = await fillAccountDialog(page, account);
  if (options.test === true) await testAccount(dialog);
  await saveAccount(dialog);
}

/**
 * For a profile kept from an earlier demo (--data-dir): the account is in the window's store, but its password
 * was in the last demo's memory only. Types it again through Account settings → Replace password.
 */
export async function restorePassword(page: Page, account: DemoAccount): Promise<void> {
  await page.getByRole('button', { name: `Settings of ${account.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Account settings: ${account.name}` });
  // The dialog asks main whether a password is saved; without one it shows the field at once.
  await dialog.getByText('Checking…', { exact: true }).waitFor({ state: 'hidden' });
  const field = dialog.getByLabel('New password', { exact: true });
  if (!(await field.isVisible())) await dialog.getByRole('button', { name: 'Replace password' }).click();
  await field.fill(account.password);
  await saveAccount(dialog);
}

/** Waits until the message list shows at least `count` rows with content. */
export async function waitForMessages(page: Page, count: number, timeoutMs = 30_000): Promise<void> {
  await page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell').filter({ hasText: /\S/ }) })
    .nth(count - 1)
    .waitFor({ timeout: timeoutMs });
}
