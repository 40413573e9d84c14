/**
 * What every diagnostic's message may carry, wherever it is shown (the Problems panel reads the
 * sink directly, not the CLI's printers): no credential, no megabytes of a quoted value.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DiagnosticSink } from '../../../src/core/rules/report';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

function reported(message: string): string {
  const sink = new DiagnosticSink();
  sink.report('url-mismatch', '/w/a.bridge.jsonc', range, message);
  return sink.diagnostics('/w/a.bridge.jsonc')[0].message;
}

test('a message quoting a SAS URL or a JWT keeps neither the signature nor the token', () => {
  const jwt = ['eyJhbGciOiJSUzI1NiJ9', 'eyJhdWQiOiJhcGk6Ly9icmlkZ2UiLCJzdWIiOiJ4In0', 'c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2Vu'].join('.');
  const sig = ['abcdefghij', 'klmnopqrstuv', 'wxyz0123456789%3D'].join('');
  const message = reported(`gateway.url "https://x.blob.core.windows.net/c?sv=2022&sig=${sig}" differs from the activity's "Bearer ${jwt}".`);
  assert.ok(!message.includes(sig), message);
  assert.ok(!message.includes(jwt.split('.')[1]) && !message.includes(jwt.split('.')[2]), message);
  assert.match(message, /«redacted/);
});

test('a quoted value of a megabyte is clipped, the words around it kept', () => {
  const huge = 'x'.repeat(1_000_000);
  const message = reported(`The activity calls "${huge}", but gateway.url is "https://api.example.com/run": make them the same.`);
  assert.ok(message.length < 600, `message is ${message.length} characters`);
  assert.match(message, /more characters/);
  assert.match(message, /"https:\/\/api\.example\.com\/run": make them the same\.$/);
});
