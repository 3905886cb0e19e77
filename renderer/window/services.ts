/**
 * What the window's containers share: main's API, the live sync status and the platform, provided once at the
 * root. The database has its own provider in renderer/store/hooks.ts.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { MainApi } from '../../app/ipc/contract.ts';
import type { Platform } from '../commands/accelerators.ts';
import type { MenuSource } from '../commands/use-commands.ts';
import type { SyncSnapshot, SyncStatusModel } from './sync-status.ts';

export interface WindowServices {
  readonly api: MainApi;
  readonly status: SyncStatusModel;
  readonly platform: Platform;
  /** Problems from outside React (the sync host) for the status bar. */
  readonly problems: ProblemBus;
  /** The Electron menu's commands, when there is a menu. */
  readonly menu?: MenuSource;
}

export interface ProblemBus {
  emit(text: string): void;
  /** Delivers the last problem emitted before the listener came, then every new one. */
  listen(listener: (text: string) => void): () => void;
}

export function createProblemBus(): ProblemBus {
  let listener: ((text: string) => void) | undefined;
  let pending: string | undefined;
  return {
    emit(text) {
      if (listener === undefined) pending = text;
      else listener(text);
    },
    listen(next) {
      listener = next;
      if (pending !== undefined) next(pending);
      pending = undefined;
      return () => {
        if (listener === next) listener = undefined;
      };
    },
  };
}

export const ServicesContext = createContext<WindowServices | undefined>(undefined);

export function useServices(): WindowServices {
  const services = useContext(ServicesContext);
  if (services === undefined) throw new Error('useServices outside a ServicesContext provider');
  return services;
}

export function useSyncSnapshot(): SyncSnapshot {
  const { status } = useServices();
  return useSyncExternalStore(status.subscribe, status.getSnapshot);
}
