/**
 * The main process's services behind the contract: account tests, the vault, and the sync scheduler with its
 * executor. Host-neutral: the Electron shell and the browser bridge give it a `HostPort` and call `dispatch`.
 */
import { mailError, toErrorData } from '../../app/errors.ts';
import type { AccountId } from '../../app/ids.ts';
import type { AccountConfig, CommandState, EventMap, RendererRequestChannel, RendererRequestMap } from '../../app/ipc/contract.ts';
import type { SyncStorePort } from '../../app/sync/batch.ts';
import { SILENT_LOGGER, type Logger } from '../log.ts';
import { testAccountSettings } from '../pop3/account-test.ts';
import type { Credentials } from '../pop3/auth.ts';
import { runSync } from '../sync/executor.ts';
import { SyncScheduler, type Clock } from '../sync/scheduler.ts';
import type { Vault } from '../vault/vault.ts';
import type { Handlers } from './dispatch.ts';

/** What a host gives the services: a way to tell the window, and a way to ask it (its store). */
export interface HostPort {
  emit<E extends keyof EventMap>(channel: E, payload: EventMap[E]): void;
  request<C extends RendererRequestChannel>(
    channel: C,
    payload: RendererRequestMap[C]['request'],
  ): Promise<RendererRequestMap[C]['response']>;
}

export interface ServiceOptions {
  readonly vault: Vault;
  readonly host: HostPort;
  readonly hostKind: 'electron' | 'browser';
  readonly version: string;
  readonly openExternal: (url: string) => Promise<void>;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly maxParallel?: number;
  /** Extra CA certificates to trust (tests and demo servers); the system's are always trusted. */
  readonly extraCa?: string;
  /** The window's commands that can run now (validated), for a host with native menus; others leave it out. */
  readonly onCommandState?: (state: CommandState) => void;
}

export interface Services {
  readonly handlers: Handlers;
  readonly scheduler: SyncScheduler;
  stop(): void;
}

export function createServices(options: ServiceOptions): Services {
  const log = options.logger ?? SILENT_LOGGER;
  const accounts = new Map<AccountId, AccountConfig>();
  const migrationConfirmed = new Set<AccountId>();
  const store: SyncStorePort = {
    loadSyncState: (accountId) => options.host.request('store:load-sync-state', { accountId }),
    applySyncBatch: async (accountId, batch) => {
      await options.host.request('store:apply-sync-batch', { accountId, batch });
    },
  };

  const credentialsFor = async (config: AccountConfig): Promise<Credentials> => {
    const secret = await options.vault.get(config.id);
    if (secret === undefined) {
      throw mailError('AUTH_FAILED', 'No password is saved for this account. Enter it in the account settings.');
    }
    return {
      user: config.user,
      password: secret.password,
      oauthToken: secret.oauthToken,
      method: config.authMethod,
      allowPlaintextPassword: config.allowPlaintextPassword,
    };
  };

  const scheduler = new SyncScheduler({
    clock: options.clock,
    maxParallel: options.maxParallel,
    onStatus: (status) => options.host.emit('sync:status', status),
    run: async (accountId) => {
      const config = accounts.get(accountId);
      if (config === undefined) return { ok: false, error: { code: 'NOT_SUPPORTED', message: 'Unknown account.', details: {} } };
      let credentials: Credentials;
      try {
        credentials = await credentialsFor(config);
      } catch (e) {
        const error = toErrorData(e);
        options.host.emit('sync:outcome', { accountId, ok: false, error, newMessages: 0, notices: [] });
        return { ok: false, error };
      }
      const confirmed = migrationConfirmed.delete(accountId);
      const outcome = await runSync(
        {
          id: accountId,
          host: config.host,
          port: config.port,
          security: config.security,
          tls: { fingerprint256: config.tlsFingerprint, ca: options.extraCa },
          credentials,
          policy: config.policy,
        },
        store,
        {
          now: () => (options.clock ?? { now: Date.now }).now(),
          onProgress: (p) => options.host.emit('sync:progress', p),
          logger: log,
          migrationConfirmed: confirmed,
        },
      );
      options.host.emit('sync:outcome', {
        accountId,
        ok: outcome.ok,
        error: outcome.ok ? undefined : outcome.error,
        newMessages: outcome.counts.previews + outcome.counts.wholes,
        notices: outcome.ok ? outcome.notices : [],
        needsConfirmation: outcome.ok ? outcome.needsConfirmation : undefined,
      });
      return outcome.ok
        ? { ok: true, loginDelaySeconds: outcome.loginDelaySeconds }
        : { ok: false, error: outcome.error, loginDelaySeconds: outcome.loginDelaySeconds };
    },
  });

  const handlers: Handlers = {
    'accounts:test': async (req) => {
      let password = req.password;
      if (password === undefined && req.accountId !== undefined) password = (await options.vault.get(req.accountId))?.password;
      return testAccountSettings({
        host: req.host,
        port: req.port,
        security: req.security,
        credentials:
          req.user === undefined || password === undefined
            ? undefined
            : { user: req.user, password, method: req.method, allowPlaintextPassword: req.allowPlaintextPassword },
        tls: { fingerprint256: req.fingerprint, ca: options.extraCa },
        logger: log,
      });
    },
    'accounts:set-secret': async (req) => {
      if (req.password === undefined && req.oauthToken === undefined) {
        throw mailError('INVALID_ARGUMENT', 'A password or a token is needed.');
      }
      await options.vault.set(req.accountId, { password: req.password, oauthToken: req.oauthToken });
      return null;
    },
    'accounts:forget-secret': async (req) => {
      await options.vault.delete(req.accountId);
      return null;
    },
    'accounts:has-secret': async (req) => (await options.vault.get(req.accountId)) !== undefined,
    'accounts:configure': (req) => {
      accounts.clear();
      for (const a of req.accounts) accounts.set(a.id, a);
      scheduler.setAccounts(req.accounts.map((a) => ({ id: a.id, schedule: a.policy.schedule })));
      return Promise.resolve(null);
    },
    'sync:send-receive': (req) => {
      if (req.accountId === undefined) scheduler.sendReceiveAll();
      else scheduler.sendReceive(req.accountId);
      return Promise.resolve(null);
    },
    'sync:set-offline': (req) => {
      scheduler.setOffline(req.offline);
      options.host.emit('sync:offline', { offline: req.offline });
      return Promise.resolve(null);
    },
    'sync:confirm-migration': (req) => {
      migrationConfirmed.add(req.accountId);
      scheduler.sendReceive(req.accountId);
      return Promise.resolve(null);
    },
    'app:open-external': async (req) => {
      await options.openExternal(checkExternalUrl(req.url));
      return null;
    },
    'app:info': () => Promise.resolve({ version: options.version, host: options.hostKind, platform: process.platform }),
    'app:command-state': (req) => {
      options.onCommandState?.(req);
      return Promise.resolve(null);
    },
  };

  return { handlers, scheduler, stop: () => scheduler.stop() };
}

/** Links from mail open outside only when they are http(s) or mailto, and well-formed (design: security shape). */
export function checkExternalUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw mailError('INVALID_ARGUMENT', 'That link is not a valid address.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:' && url.protocol !== 'mailto:') {
    throw mailError('INVALID_ARGUMENT', `Links of the kind ${url.protocol} are not opened.`);
  }
  if ((url.protocol === 'https:' || url.protocol === 'http:') && (url.username !== '' || url.password !== '')) {
    throw mailError('INVALID_ARGUMENT', 'Links that carry a user name or password are not opened.');
  }
  return url.toString();
}
