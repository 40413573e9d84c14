/** Real HTTP(S) calls from Web activities to loopback addresses (the only network the sandbox has). */
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { WebCallResponse } from './types';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && (LOOPBACK_HOSTS.has(u.hostname) || /^127\.\d+\.\d+\.\d+$/.test(u.hostname));
  } catch {
    return false;
  }
}

/** Web activities give up on a request after this long (ADF's httpRequestTimeout default is 1 minute). */
const REQUEST_TIMEOUT_MS = 60_000;

export function loopbackRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  trustedCaPem?: string,
): Promise<WebCallResponse> {
  const u = new URL(url);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const outHeaders: Record<string, string> = { ...headers };
  if (payload !== undefined) {
    if (!Object.keys(outHeaders).some((h) => h.toLowerCase() === 'content-type')) outHeaders['Content-Type'] = 'application/json';
    outHeaders['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { method, headers: outHeaders, signal, timeout: REQUEST_TIMEOUT_MS };
    // Trust the public roots plus the sandbox's own CA, never "anything".
    if (u.protocol === 'https:' && trustedCaPem) options.ca = [...rootCertificates, trustedCaPem];
    const req = (u.protocol === 'https:' ? https : http).request(u, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const responseHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no response within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
