/**
 * The frame of an end-to-end test file: the Chromium check, and one environment (harness.ts) shared by the file's
 * tests, started before them and closed after them.
 */
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { removeBuiltRenderer, requireChromium, startE2e, type E2e, type E2eOptions } from './harness.ts';
import type { AccountInput } from './poplar-window.ts';

export interface E2eSuite {
  /** The running environment, for a test of `describeE2e` (beforeAll starts it; without it no test runs). */
  readonly env: () => E2e;
  /**
   * Registers the Chromium check, then `title`'s tests around one environment started with the suite's options.
   * When a test fails, main's log and the page's errors go to stderr.
   */
  readonly describeE2e: (title: string, tests: () => void) => void;
  /** The Add account form for the test Dovecot's user (STARTTLS on its plain port), named `name`. */
  readonly dovecotAccount: (name: string, previewLines: number) => AccountInput;
}

export function e2eSuite(options: E2eOptions): E2eSuite {
  let started: E2e | undefined;

  const env = (): E2e => {
    if (started === undefined) throw new Error('the end-to-end environment did not start: see the beforeAll error');
    return started;
  };

  const describeE2e = (title: string, tests: () => void): void => {
    // Its own test, so that a machine without Chromium shows a failure that names the remedy, not skipped tests.
    it("finds Debian's Chromium at /usr/bin/chromium (else: bash scripts/setup.sh)", () => {
      requireChromium();
    });

    describe(title, () => {
      beforeAll(async () => {
        started = await startE2e(options);
      }, 120_000);

      afterAll(async () => {
        try {
          await started?.close();
        } finally {
          started = undefined;
          await removeBuiltRenderer();
        }
      }, 30_000);

      afterEach((context) => {
        if (context.task.result?.state === 'fail' && started !== undefined) {
          console.error(`main's log (last 40 lines):\n${started.logs.slice(-40).join('\n')}`);
          console.error(`page errors: ${JSON.stringify(started.pageErrors)}`);
          console.error(`console errors (last 10): ${JSON.stringify(started.consoleErrors.slice(-10))}`);
        }
      });

      tests();
    });
  };

  const dovecotAccount = (name: string, previewLines: number): AccountInput => ({
    name,
    email: 'alice@poplar.test',
    host: '127.0.0.1',
    port: env().dovecot.plainPort,
    security: 'STARTTLS',
    user: 'alice',
    password: 'secret pass',
    previewLines,
  });

  return { env, describeE2e, dovecotAccount };
}
