/**
 * The registry as the window's components reach it: the toolbar, the context menu and the reading pane run
 * commands against the window's current context; keys and the Electron menu come in through the same `run`.
 */
import { createContext, useContext, useEffect, useMemo } from 'react';
import type { CommandId } from '../../app/commands.ts';
import type { MainApi } from '../../app/ipc/contract.ts';
import { shortcutAllowed } from './accelerators.ts';
import { commandState, createCommandStateReporter } from './command-state.ts';
import { isCommandId, type CommandContext, type CommandRegistry } from './registry.ts';

export interface Commands {
  readonly registry: CommandRegistry;
  readonly context: CommandContext;
  /** Runs a command on the current context, or on a variant of it (the reading pane's one message). */
  readonly run: (id: CommandId, context?: CommandContext) => void;
}

export const CommandsContext = createContext<Commands | undefined>(undefined);

export function useCommands(): Commands {
  const commands = useContext(CommandsContext);
  if (commands === undefined) throw new Error('useCommands outside a CommandsContext provider');
  return commands;
}

/** Keyboard shortcuts for the whole window, except while a dialog is open (it owns the keyboard then). */
export function useShortcuts(commands: Commands): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing || document.querySelector('dialog[open]') !== null) return;
      const id = commands.registry.commandForKey(e);
      if (id === undefined || !shortcutAllowed(e, e.target instanceof HTMLElement ? e.target : null)) return;
      e.preventDefault();
      if (commands.registry.isEnabled(id, commands.context)) commands.run(id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [commands]);
}

/** Subscribes to the Electron menu's commands (`poplar:command`); the bridge provides it, a browser has none. */
export type MenuSource = (listener: (id: CommandId) => void) => () => void;

export function useMenuCommands(source: MenuSource | undefined, run: (id: CommandId) => void): void {
  useEffect(() => {
    if (source === undefined) return undefined;
    return source((id) => {
      // The id crossed a process boundary: run only what the registry knows.
      if (isCommandId(id)) run(id);
    });
  }, [source, run]);
}

/**
 * Tells main which commands can run, for the native menus' greyed-out items: at start, then whenever the set
 * changes (selecting a second message changes nothing; selecting the first, or none, does).
 */
export function useCommandStateReport(commands: Pick<Commands, 'registry' | 'context'>, api: Pick<MainApi, 'invoke'>): void {
  const reporter = useMemo(() => createCommandStateReporter(api), [api]);
  const { registry, context } = commands;
  useEffect(() => {
    reporter.report(commandState(registry, context));
  }, [reporter, registry, context]);
}
