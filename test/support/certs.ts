/**
 * A private PKI for tests: one CA and one server certificate for `localhost` / 127.0.0.1, made with the openssl
 * command-line tool (Node has no API that issues X.509 certificates).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestPki {
  readonly dir: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** SHA-256 fingerprint of the server certificate, `AA:BB:...` as Node prints it. */
  readonly fingerprint256: string;
}

export function createTestPki(dir: string, commonName = 'localhost'): TestPki {
  mkdirSync(dir, { recursive: true });
  const p = (name: string): string => path.join(dir, name);
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256', '-days', '3650', '-subj', '/CN=Poplar Test CA',
    '-keyout', p('ca.key'), '-out', p('ca.pem'), '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256', '-subj', `/CN=${commonName}`,
    '-keyout', p('server.key'), '-out', p('server.csr')]);
  writeFileSync(p('server.ext'), `subjectAltName=DNS:${commonName},DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-days', '3650', '-sha256', '-extfile', p('server.ext'), '-out', p('server.pem')]);
  const certPem = readFileSync(p('server.pem'), 'utf8');
  return {
    dir,
    caPem: readFileSync(p('ca.pem'), 'utf8'),
    certPem,
    keyPem: readFileSync(p('server.key'), 'utf8'),
    caPath: p('ca.pem'),
    certPath: p('server.pem'),
    keyPath: p('server.key'),
    fingerprint256: new X509Certificate(certPem).fingerprint256,
  };
}
