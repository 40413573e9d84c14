/**
 * The sandbox's TLS material: a throw-away certificate authority made at start, and a server
 * certificate it signs for the loopback names (localhost, 127.0.0.1, ::1).
 *
 * Clients trust the CA certificate written to `caPath` and nothing else changes: TLS checks stay on
 * everywhere (no rejectUnauthorized:false, no NODE_TLS_REJECT_UNAUTHORIZED).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generate } from 'selfsigned';

export interface SandboxTls {
  /** Server private key (PEM). */
  key: string;
  /** Server certificate chain (PEM): the leaf followed by the CA certificate. */
  cert: string;
  /** The CA certificate clients must trust (PEM). */
  caPem: string;
  /** Where `caPem` was written. */
  caPath: string;
}

export interface SandboxTlsOptions {
  /** File to write the CA certificate to (folders are created). */
  caPath: string;
  /** Extra DNS names for the server certificate besides `localhost`. */
  extraDnsNames?: string[];
  /** Validity in days (default 7: the sandbox is short-lived). */
  validDays?: number;
}

/** Creates a CA and a loopback server certificate signed by it, and writes the CA to `caPath`. */
export async function createSandboxTls(options: SandboxTlsOptions): Promise<SandboxTls> {
  const notBeforeDate = new Date(Date.now() - 60_000); // tolerate small clock skew between processes
  const notAfterDate = new Date(notBeforeDate.getTime() + (options.validDays ?? 7) * 86_400_000);
  const ca = await generate([{ name: 'commonName', value: 'ADF-SFN Bridge Sandbox CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const dnsNames = ['localhost', ...(options.extraDnsNames ?? [])];
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...dnsNames.map((value) => ({ type: 2 as const, value })),
          { type: 7 as const, ip: '127.0.0.1' },
          { type: 7 as const, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(dirname(options.caPath), { recursive: true });
  await writeFile(options.caPath, ca.cert, 'utf8');
  return { key: server.private, cert: `${server.cert.trim()}\n${ca.cert.trim()}\n`, caPem: ca.cert, caPath: options.caPath };
}
