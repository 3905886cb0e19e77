/**
 * What the native menus need to know of the window: which commands can run now, and which toggles are on. Only the
 * window knows (the selection, the folder, offline), so it tells main over the contract (`app:command-state`) —
 * once at start and then only when the set changes, not at every click in the list. Pure, and tested with fakes.
 */
import type { CommandId } from '../../app/commands.ts';
import type { CommandState, MainApi } from '../../app/ipc/contract.ts';
import type { CommandContext, CommandRegistry } from './registry.ts';

/** The registry's verdict on every command under `context`, in the registry's order. */
export function commandState(registry: Pick<CommandRegistry, 'specs' | 'isEnabled' | 'isChecked'>, context: CommandContext): CommandState {
  const enabled: CommandId[] = [];
  const checked: CommandId[] = [];
  for (const { id } of registry.specs) {
    if (registry.isEnabled(id, context)) enabled.push(id);
    if (registry.isChecked(id, context) === true) checked.push(id);
  }
  return { enabled, checked };
}

function keyOf(state: CommandState): string {
  return `${state.enabled.join(',')}|${state.checked.join(',')}`;
}

export interface CommandStateReporter {
  /** Sends `state` if it differs from the last one sent. */
  report(state: CommandState): void;
}

/**
 * Sends a state only when it differs from the last one sent. A send that fails (main refused it, or could not be
 * reached) is forgotten, so the next report sends again. Never rejects: the menus are a convenience, and the window
 * works without them (a browser has none, and its host accepts the state and ignores it).
 */
export function createCommandStateReporter(api: Pick<MainApi, 'invoke'>): CommandStateReporter {
  let last: string | undefined;
  return {
    report(state) {
      const key = keyOf(state);
      if (key === last) return;
      last = key;
      const forget = (): void => {
        if (last === key) last = undefined;
      };
      api
        .invoke('app:command-state', { enabled: [...state.enabled], checked: [...state.checked] })
        .then((result) => {
          if (!result.ok) forget();
        })
        .catch(forget);
    },
  };
}
