/**
 * Validation at the door: every request from the window is checked against the contract's schema before its
 * handler runs, and every outcome goes back as a `Result`. Both hosts (Electron, browser bridge) call this.
 */
import { mailError, toErrorData, type ErrorData } from '../../app/errors.ts';
import {
  REQUESTS,
  isRequestChannel,
  type RequestChannel,
  type ResponseOf,
  type Result,
  type ValidRequestOf,
} from '../../app/ipc/contract.ts';

export type Handlers = { readonly [C in RequestChannel]: (payload: ValidRequestOf<C>) => Promise<ResponseOf<C>> };

export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) {
    return { ok: false, error: invalid(`unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`) };
  }
  const parsed = REQUESTS[channel].safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first === undefined || first.path.length === 0 ? '' : ` at ${first.path.join('.')}`;
    return { ok: false, error: invalid(`${channel}: ${first?.message ?? 'invalid payload'}${where}`) };
  }
  try {
    const handler = handlers[channel] as (p: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  }
}

function invalid(message: string): ErrorData {
  return toErrorData(mailError('INVALID_ARGUMENT', `Refused a request from the window: ${message}.`));
}
