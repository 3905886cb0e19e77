/**
 * `app:command-state` at main's door: validated by the contract's schema in `dispatch`, then handed to the host's
 * menus (Electron) or accepted and ignored (the browser bridge has no native menus).
 */
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../../app/commands.ts';
import type { CommandState } from '../../../app/ipc/contract.ts';
import { REQUESTS } from '../../../app/ipc/contract.ts';
import { dispatch } from '../../../main/services/dispatch.ts';
import { createServices, type HostPort } from '../../../main/services/services.ts';
import { MemoryVault } from '../../../main/vault/vault.ts';

const host: HostPort = {
  emit: () => undefined,
  request: () => Promise.reject(new Error('no window in this test')),
};

function services(onCommandState?: (state: CommandState) => void) {
  return createServices({
    vault: new MemoryVault(),
    host,
    hostKind: onCommandState === undefined ? 'browser' : 'electron',
    version: '0',
    openExternal: () => Promise.resolve(),
    ...(onCommandState === undefined ? {} : { onCommandState }),
  });
}

describe('app:command-state', () => {
  it('hands a valid state to the host, without anything the contract does not name', async () => {
    const seen = vi.fn<(state: CommandState) => void>();
    const s = services(seen);
    const result = await dispatch(s.handlers, 'app:command-state', { enabled: ['delete', 'search'], checked: ['work-offline'], extra: 'x' });
    expect(result).toEqual({ ok: true, value: null });
    expect(seen).toHaveBeenCalledWith({ enabled: ['delete', 'search'], checked: ['work-offline'] });
    s.stop();
  });

  it('accepts every command at once, and none', async () => {
    const seen = vi.fn<(state: CommandState) => void>();
    const s = services(seen);
    const all = COMMANDS.map((c) => c.id);
    expect(await dispatch(s.handlers, 'app:command-state', { enabled: all, checked: all })).toEqual({ ok: true, value: null });
    expect(await dispatch(s.handlers, 'app:command-state', { enabled: [], checked: [] })).toEqual({ ok: true, value: null });
    expect(seen).toHaveBeenCalledTimes(2);
    s.stop();
  });

  it.each([
    ['an unknown command', { enabled: ['format-disk'], checked: [] }],
    ['a command twice', { enabled: ['delete', 'delete'], checked: [] }],
    ['more ids than there are commands', { enabled: [...COMMANDS.map((c) => c.id), 'delete'], checked: [] }],
    ['a string for a list', { enabled: 'delete', checked: [] }],
    ['a missing list', { enabled: [] }],
    ['a number for an id', { enabled: [1], checked: [] }],
    ['no object', 'delete'],
    ['null', null],
  ])('refuses %s, and the host hears nothing', async (_name, payload) => {
    const seen = vi.fn<(state: CommandState) => void>();
    const s = services(seen);
    expect(REQUESTS['app:command-state'].safeParse(payload).success).toBe(false);
    expect(await dispatch(s.handlers, 'app:command-state', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(seen).not.toHaveBeenCalled();
    s.stop();
  });

  it('is harmless where there are no native menus (the browser bridge): accepted, ignored', async () => {
    const s = services();
    expect(await dispatch(s.handlers, 'app:command-state', { enabled: ['delete'], checked: [] })).toEqual({ ok: true, value: null });
    s.stop();
  });
});
