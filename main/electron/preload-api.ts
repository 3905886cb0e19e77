/**
 * What the preload exposes to the page: `MainApi` (app/ipc/contract.ts) over Electron IPC, plus menu commands.
 * Never ipcRenderer itself (house style 5): the page gets five functions, and unknown channels are refused here,
 * before anything reaches main (which validates everything again anyway).
 *
 * Built from an injected ipcRenderer so that it is tested in plain Node; preload.ts only exposes it.
 */
import type { IpcRenderer } from 'electron';
import { COMMANDS, type CommandId } from '../../app/commands.ts';
import { toErrorData, type ErrorData } from '../../app/errors.ts';
import {
  isRequestChannel,
  type MainApi,
  type RequestChannel,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../app/ipc/contract.ts';
import { createWindowRegistry, failure, guard, reportToPage } from '../../app/ipc/window-registry.ts';
import { IPC } from './ipc-channels.ts';

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'send'>;

export interface PreloadApi extends MainApi {
  /** Clicks in the native menus, by command id (app/commands.ts). */
  onCommand(listener: (id: CommandId) => void): () => void;
}

const COMMAND_IDS: ReadonlySet<string> = new Set(COMMANDS.map((c) => c.id));

export function createPreloadApi(ipc: IpcRendererLike, report: (error: unknown) => void = reportToPage): PreloadApi {
  const registry = createWindowRegistry(report);
  const commandListeners = new Set<(id: CommandId) => void>();

  ipc.on(IPC.event, (_event, channel: unknown, payload: unknown) => {
    registry.deliver(channel, payload);
  });

  ipc.on(IPC.command, (_event, id: unknown) => {
    if (typeof id !== 'string' || !COMMAND_IDS.has(id)) return;
    for (const listener of commandListeners) guard(report, () => listener(id as CommandId));
  });

  ipc.on(IPC.request, (_event, id: unknown, channel: unknown, payload: unknown) => {
    if (typeof id !== 'number') return;
    void answer(channel, payload).then((result) => ipc.send(IPC.reply, id, result));
  });

  const answer = async (channel: unknown, payload: unknown): Promise<Result<unknown>> => {
    const handler = registry.handler(channel);
    if (handler === undefined) {
      return failure('STORE_FAILED', `This window cannot answer ${String(channel).slice(0, 60)} (nothing serves it).`);
    }
    try {
      return { ok: true, value: await handler(payload) };
    } catch (e) {
      return { ok: false, error: errorDataOf(e) };
    }
  };

  return {
    async invoke<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      if (!isRequestChannel(channel)) return failure('INVALID_ARGUMENT', `There is no request ${String(channel).slice(0, 60)}.`);
      try {
        return (await ipc.invoke(IPC.invoke, channel, payload)) as Result<ResponseOf<C>>;
      } catch (e) {
        return failure('CONNECTION_CLOSED', `Could not reach Poplar's main process: ${toErrorData(e).message}`);
      }
    },

    on: registry.on,
    serve: registry.serve,

    onCommand(listener: (id: CommandId) => void): () => void {
      commandListeners.add(listener);
      return () => void commandListeners.delete(listener);
    },
  };
}

/**
 * The page rejects with plain ErrorData (renderer/bridge/index.ts does that) because an Error crossing
 * contextBridge loses its code; anything else is turned into ErrorData here.
 */
function errorDataOf(e: unknown): ErrorData {
  if (typeof e === 'object' && e !== null && !(e instanceof Error)) {
    const r = e as Record<string, unknown>;
    if (typeof r.code === 'string' && typeof r.message === 'string') {
      const details = typeof r.details === 'object' && r.details !== null ? (r.details as ErrorData['details']) : {};
      return { code: r.code as ErrorData['code'], message: r.message, details };
    }
  }
  return toErrorData(e);
}

