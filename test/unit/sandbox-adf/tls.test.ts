import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { sharedTls } from './helpers';
import type { SandboxTls } from '../../../src/sandbox/tls';

function get(options: https.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('sandbox TLS', () => {
  let tls: SandboxTls;
  let server: https.Server;
  let port: number;
  before(async () => {
    tls = await sharedTls();
    server = https.createServer({ key: tls.key, cert: tls.cert }, (_q, s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('writes the CA certificate it returns to caPath', () => {
    assert.equal(readFileSync(tls.caPath, 'utf8'), tls.caPem);
    assert.match(tls.caPem, /^-----BEGIN CERTIFICATE-----/);
  });

  it('is trusted for 127.0.0.1 and localhost when the client trusts the CA', async () => {
    assert.equal(await get({ host: '127.0.0.1', port, ca: tls.caPem, path: '/' }), 200);
    assert.equal(await get({ host: '127.0.0.1', servername: 'localhost', port, ca: tls.caPem, path: '/' }), 200);
  });

  it('is rejected by a client that does not trust the CA (checks stay on)', async () => {
    await assert.rejects(get({ host: '127.0.0.1', port, path: '/' }), /self-signed certificate in certificate chain|unable to verify/);
  });

  it('is rejected for a host name that is not in its SANs', async () => {
    await assert.rejects(get({ host: '127.0.0.1', servername: 'adf.example.com', port, ca: tls.caPem, path: '/' }), /altnames|does not match|Hostname/i);
  });
});
