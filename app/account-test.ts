/**
 * "Test account settings": what one probe of a POP3 server reports, as plain data. The engine in main/ produces
 * it, the command line prints it, and the account dialog will show it over IPC.
 */
import type { ErrorData } from './errors.ts';

export type Security = 'tls' | 'starttls' | 'none';

export interface TransportAttempt {
  readonly security: Security;
  readonly port: number;
  /** `ok` when the greeting and capabilities were read on a connection secured as asked. */
  readonly ok: boolean;
  readonly error?: ErrorData;
  readonly millis: number;
}

export interface CertificateReport {
  readonly protocol: string;
  readonly cipher: string;
  readonly subject: string;
  readonly issuer: string;
  readonly validTo: string;
  readonly fingerprint256: string;
  /** How the certificate was accepted: by the CA chain and host name, or by its pinned fingerprint. */
  readonly trustedBy: 'ca' | 'fingerprint';
}

export interface AccountTestReport {
  readonly host: string;
  /** Every transport tried, in order; with auto-detection: implicit TLS on 995, STLS on 110, plain 110. */
  readonly attempts: readonly TransportAttempt[];
  /** The transport that worked, if any. */
  readonly chosen?: { readonly security: Security; readonly port: number };
  readonly certificate?: CertificateReport;
  readonly greeting?: string;
  readonly capabilities: readonly string[];
  readonly pipelining: boolean;
  readonly implementation?: string;
  readonly loginDelaySeconds?: number;
  readonly expire?: string;
  /** Login methods the server offers, strongest first. */
  readonly authMethods: readonly string[];
  /** Absent when no credentials were given. */
  readonly login?: { readonly ok: true; readonly method: string } | { readonly ok: false; readonly error: ErrorData };
  readonly mailbox?: { readonly count: number; readonly size: number };
}
