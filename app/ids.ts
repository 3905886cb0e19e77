/** Branded ids: a string that cannot be passed where another kind of id is meant. */
declare const BRAND: unique symbol;
export type Brand<T, B extends string> = T & { readonly [BRAND]: B };

/** A Poplar account. */
export type AccountId = Brand<string, 'AccountId'>;
/** A POP3 unique-id as the server gave it in UIDL (RFC 1939 §7, C0039). */
export type Uidl = Brand<string, 'Uidl'>;
/** A message in the local store. */
export type MessageKey = Brand<string, 'MessageKey'>;
/** One run of the sync executor for one account. */
export type RunId = Brand<string, 'RunId'>;

export const accountId = (s: string): AccountId => s as AccountId;
export const uidl = (s: string): Uidl => s as Uidl;
export const messageKey = (s: string): MessageKey => s as MessageKey;
export const runId = (s: string): RunId => s as RunId;
