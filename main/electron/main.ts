/**
 * The Electron main process's entry (package.json "main", once bundled). Everything is in shell.ts.
 */
import { app } from 'electron';
import { stderrLogger } from '../log.ts';
import { startShell } from './shell.ts';

const log = stderrLogger('info');

startShell({ logger: log }).catch((e: unknown) => {
  log.error('Poplar could not start', { error: e instanceof Error ? e.message : String(e) });
  app.exit(1);
});
