/**
 * The engine under test, driven the way the sync engine will drive it: connect, log in, UIDL, then `fetchMany`
 * for every message, QUIT. Bodies are counted and dropped, as the minimal client does.
 */
import { readFileSync } from 'node:fs';
import { Pop3Session } from '../main/pop3/session.ts';
import { OPS, type ChildSpec } from './cases.ts';

export interface EngineResult {
  readonly listed: number;
  readonly messages: number;
  readonly bytes: number;
  readonly note: string;
}

export async function runEngine(spec: ChildSpec): Promise<EngineResult> {
  const { endpoint } = spec;
  const op = OPS[spec.op];
  const session = await Pop3Session.connect({
    host: endpoint.host,
    port: endpoint.port,
    security: endpoint.tls ? 'tls' : 'none',
    tls: endpoint.caPath === undefined ? undefined : { ca: readFileSync(endpoint.caPath, 'utf8') },
    pipelining: spec.mode === 'pipelined' ? 'auto' : 'off',
  });
  try {
    const method = await session.authenticate({
      user: endpoint.user,
      password: endpoint.password,
      allowPlaintextPassword: true,
    });
    const listing = await session.uidl();
    let messages = 0;
    let bytes = 0;
    await session.fetchMany(
      op.kind,
      listing.map((u) => u.n),
      op.kind === 'top' ? { lines: op.lines } : {},
      (_n, body) => {
        messages += 1;
        bytes += body.length;
      },
    );
    const pipelined = session.pipelining;
    await session.quit();
    return { listed: listing.length, messages, bytes, note: `login ${method}${pipelined ? ', pipelined' : ''}` };
  } catch (error) {
    session.abort();
    throw error;
  }
}
