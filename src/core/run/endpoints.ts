/**
 * `--sandbox-endpoints`: a running sandbox, as the first line `bridge sandbox` printed
 * (`{"stepFunctions", "dataFactory", "caCertificate"}`), given as that JSON or as the path of a
 * file that holds it.
 */
import type { FileHost } from '../host';
import type { SandboxEndpoints } from './request';

export class EndpointsError extends Error {}

export async function readSandboxEndpoints(given: string, host: FileHost, resolve: (p: string) => string): Promise<SandboxEndpoints> {
  let text = given.trim();
  let where = 'the --sandbox-endpoints JSON';
  if (!text.startsWith('{')) {
    const file = resolve(text);
    const content = await host.readFile(file);
    if (content === undefined) throw new EndpointsError(`--sandbox-endpoints: "${given}" is neither the JSON line "bridge sandbox" printed nor a file that can be read.`);
    text = content.split('\n').find((l) => l.trim())?.trim() ?? '';
    where = `the first line of ${file}`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new EndpointsError(`--sandbox-endpoints: ${where} is not JSON (${(e as Error).message}); give the first line "bridge sandbox" printed.`);
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const url = (key: string, scheme: RegExp) => {
    const u = v[key];
    if (typeof u !== 'string' || !scheme.test(u)) throw new EndpointsError(`--sandbox-endpoints: ${where} has no ${key} URL; give the first line "bridge sandbox" printed, such as {"stepFunctions":"http://127.0.0.1:8083","dataFactory":"https://127.0.0.1:8084","caCertificate":"/tmp/…/sandbox-ca.pem"}.`);
    return u.replace(/\/+$/, '');
  };
  const stepFunctions = url('stepFunctions', /^https?:\/\//i);
  const dataFactory = url('dataFactory', /^https:\/\//i);
  let caPem = typeof v.caPem === 'string' ? v.caPem : undefined;
  if (!caPem) {
    if (typeof v.caCertificate !== 'string') throw new EndpointsError(`--sandbox-endpoints: ${where} names no caCertificate (the sandbox's CA file).`);
    caPem = await host.readFile(resolve(v.caCertificate));
    if (!caPem) throw new EndpointsError(`--sandbox-endpoints: the sandbox's CA certificate ${v.caCertificate} cannot be read: is that sandbox still running?`);
  }
  return { stepFunctions, dataFactory, caPem };
}
