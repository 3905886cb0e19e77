/**
 * Starting the window: open the store, start the sync host (main may ask the store for state at once), follow
 * main's sync events, and render. A failure before the window exists is shown in plain words.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { MainApi } from '../../app/ipc/contract.ts';
import { toErrorData } from '../../app/errors.ts';
import { detectPlatform, type Platform } from '../commands/accelerators.ts';
import type { MenuSource } from '../commands/use-commands.ts';
import { PoplarDbContext } from '../store/hooks.ts';
import { DEFAULT_DB_NAME, openPoplarDb, type PoplarDb } from '../store/index.ts';
import { inThreadWriter, workerWriter, type SyncWriter } from '../store/sync-writer.ts';
import { startSyncHost } from '../sync-host.ts';
import { parseMessage } from '../reading/mime.ts';
import { prepareView } from '../reading/index.ts';
import { startViewPreparer } from './prepare-views.ts';
import { App } from './App.tsx';
import { browserNotifier } from './notifier.ts';
import { ServicesContext, createProblemBus, type WindowServices } from './services.ts';
import { createSyncStatusModel } from './sync-status.ts';
import { problemNotice } from './use-window.ts';

async function platformOf(api: MainApi): Promise<Platform> {
  const info = await api.invoke('app:info', {});
  return detectPlatform(info.ok ? info.value.platform : navigator.platform);
}

export interface StartOptions {
  /** The Electron menu's commands (renderer/bridge's onMenuCommand). */
  readonly menu?: MenuSource;
}

/** The store's sync writer in its own worker (design: bulk writes off the window's thread). */
function syncWriter(db: PoplarDb, onProblem: (message: string) => void): SyncWriter {
  const here = inThreadWriter(db);
  if (typeof Worker === 'undefined') return here;
  try {
    const worker = new Worker(new URL('../store/sync-worker.ts', import.meta.url), { type: 'module', name: 'poplar-sync-writer' });
    return workerWriter(worker, DEFAULT_DB_NAME, here, onProblem);
  } catch (e) {
    onProblem(`The background store writer could not start (${e instanceof Error ? e.message : String(e)}); sync writes run in the window.`);
    return here;
  }
}

export async function startWindow(root: HTMLElement, api: MainApi, options: StartOptions = {}): Promise<void> {
  const reactRoot = createRoot(root);
  try {
    // Events come before anything else, so no status sent while the store opens is missed.
    const status = createSyncStatusModel(api);
    // Opening is quick, except once after an update that changes the store's schema: every message is rewritten
    // (about 5 s per 10,000 messages). A person must not stare at an empty window meanwhile.
    const slowOpen = setTimeout(() => {
      reactRoot.render(
        <div className="fatal" role="status">
          <h1>Opening your mail…</h1>
          <p>Poplar is updating its mail store after an update. With a large mailbox this takes a minute, once.</p>
        </div>,
      );
    }, 700);
    const db = await openPoplarDb().finally(() => {
      clearTimeout(slowOpen);
    });
    const problems = createProblemBus();
    const writer = syncWriter(db, (message) => problems.emit(message));
    startSyncHost({ api, db, writer, notifier: browserNotifier(), onProblem: (p) => problems.emit(problemNotice(p)) });
    // Downloaded mail is prepared for reading in the background: at start, and after each check that went well.
    const preparer = startViewPreparer({
      db,
      prepare: async (bytes, idle) => {
        const parsed = await parseMessage(bytes);
        await idle();
        return prepareView(parsed) ?? null;
      },
    });
    api.on('sync:outcome', (event) => {
      if (event.ok) preparer.poke();
    });
    const services: WindowServices = { api, status, problems, menu: options.menu, platform: await platformOf(api) };
    reactRoot.render(
      <StrictMode>
        <PoplarDbContext value={db}>
          <ServicesContext value={services}>
            <App />
          </ServicesContext>
        </PoplarDbContext>
      </StrictMode>,
    );
  } catch (e) {
    const error = toErrorData(e);
    reactRoot.render(
      <div className="fatal" role="alert">
        <h1>Poplar could not start</h1>
        <p>{problemNotice(error)}</p>
      </div>,
    );
  }
}
