#!/usr/bin/env node
// Checks syntaxes/adf-expression.injection.tmLanguage.json with the TextMate engine and the JSON
// grammars of the VS Code that the integration tests run (vscode-textmate + vscode-oniguruma
// from code-server's lib/vscode), so the scopes asserted here are the ones the editor paints.
//   node test/harness/check-grammar.mjs    (after test/harness/setup-code-server.sh; or set CODE_SERVER_DIR)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const envFile = path.join(ROOT, '.cache', 'code-server-4.100.3', 'env.sh');
const CS = process.env.CODE_SERVER_DIR ||
  (fs.existsSync(envFile) ? /^export CODE_SERVER_DIR="?([^"\n]*)"?$/m.exec(fs.readFileSync(envFile, 'utf8'))?.[1] : undefined);
if (!CS) {
  console.error('check-grammar: code-server is not set up. Run: bash test/harness/setup-code-server.sh');
  process.exit(2);
}
const VSCODE = path.join(CS, 'lib', 'vscode');
const require = createRequire(path.join(VSCODE, 'package.json'));
const textmate = require('vscode-textmate');
const onig = require('vscode-oniguruma');

const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributed = pkg.contributes.grammars.find((g) => g.scopeName === 'source.adf-expression.injection');
assert.ok(contributed, 'package.json contributes the injection grammar');
const grammarFiles = {
  'source.json': path.join(VSCODE, 'extensions', 'json', 'syntaxes', 'JSON.tmLanguage.json'),
  'source.json.comments': path.join(VSCODE, 'extensions', 'json', 'syntaxes', 'JSONC.tmLanguage.json'),
  'source.adf-expression.injection': path.join(ROOT, contributed.path),
};
const registry = new textmate.Registry({
  onigLib: Promise.resolve({ createOnigScanner: (p) => new onig.OnigScanner(p), createOnigString: (s) => new onig.OnigString(s) }),
  loadGrammar: async (scope) => {
    const file = grammarFiles[scope];
    return file ? textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
  },
  getInjections: (scope) => (contributed.injectTo.includes(scope) ? ['source.adf-expression.injection'] : undefined),
});

/** Tokens of one line: [{ text, scopes }]. */
async function tokens(scope, line) {
  const grammar = await registry.loadGrammar(scope);
  const r = grammar.tokenizeLine(line, textmate.INITIAL);
  return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}
function scopesOf(toks, text) {
  const t = toks.find((x) => x.text === text);
  assert.ok(t, `a token ${JSON.stringify(text)} in ${JSON.stringify(toks.map((x) => x.text))}`);
  return t.scopes;
}
const has = (scopes, s) => scopes.some((x) => x === s || x.startsWith(s + '.'));

let passed = 0;
const failures = [];
async function check(name, fn) {
  try { await fn(); passed++; console.log(`  ✓ ${name}`); } catch (e) { failures.push(name); console.log(`  ✗ ${name}\n    ${e.message.split('\n').join('\n    ')}`); }
}

console.log('ADF expression injection grammar');
for (const scope of ['source.json', 'source.json.comments']) {
  await check(`${scope}: whole expression with pipeline() and a member`, async () => {
    const t = await tokens(scope, '{ "value": "@pipeline().parameters.runId" }');
    assert.ok(has(scopesOf(t, '@'), 'keyword.operator.expression.adf'));
    assert.ok(has(scopesOf(t, 'pipeline'), 'support.function.context.adf'));
    assert.ok(has(scopesOf(t, 'parameters'), 'variable.other.property.adf'));
    assert.ok(has(scopesOf(t, 'runId'), 'variable.other.property.adf'));
    // The JSON string around it still closes where it should.
    const closing = t.filter((x) => x.text === '"').pop();
    assert.ok(closing.scopes.some((s) => s.startsWith('punctuation.definition.string.end.json')), closing.scopes.join(' '));
  });
  await check(`${scope}: activity('x') with its string literal`, async () => {
    const t = await tokens(scope, `{ "v": "@activity('Call Gateway').output.status" }`);
    assert.ok(has(scopesOf(t, 'activity'), 'support.function.context.adf'));
    assert.ok(has(scopesOf(t, 'Call Gateway'), 'string.quoted.single.adf'));
    assert.ok(has(scopesOf(t, 'output'), 'variable.other.property.adf'));
  });
  await check(`${scope}: interpolation inside text`, async () => {
    const t = await tokens(scope, `{ "url": "https://x/run/@{concat('a', pipeline().RunId)}/done" }`);
    assert.ok(has(scopesOf(t, '@{'), 'punctuation.section.interpolation.begin.adf'));
    assert.ok(has(scopesOf(t, 'concat'), 'support.function.adf'));
    assert.ok(has(scopesOf(t, 'RunId'), 'variable.other.property.adf'));
    assert.ok(has(scopesOf(t, '}'), 'punctuation.section.interpolation.end.adf'));
    const tail = scopesOf(t, '/done');
    assert.ok(!has(tail, 'meta.interpolation.adf') && has(tail, 'string.quoted.double.json'), 'text after the interpolation is a plain string again');
  });
  await check(`${scope}: '' escape, numbers, constants`, async () => {
    const t = await tokens(scope, `{ "v": "@if(equals(variables('n'), 3), 'it''s', null)" }`);
    assert.ok(has(scopesOf(t, 'variables'), 'support.function.context.adf'));
    assert.ok(has(scopesOf(t, 'equals'), 'support.function.adf'));
    assert.ok(has(scopesOf(t, '3'), 'constant.numeric.adf'));
    assert.ok(has(scopesOf(t, "''"), 'constant.character.escape.adf'));
    assert.ok(has(scopesOf(t, 'null'), 'constant.language.adf'));
  });
  await check(`${scope}: plain strings, keys and @scope/package values stay strings`, async () => {
    const t = await tokens(scope, '{ "@types/node": "@tsconfig/node20", "name": "orders" }');
    for (const tok of t) assert.ok(!tok.scopes.some((s) => s.endsWith('.adf')), `no ADF scope on ${JSON.stringify(tok.text)}: ${tok.scopes.join(' ')}`);
  });
  await check(`${scope}: an unfinished expression ends with its string`, async () => {
    const t = await tokens(scope, `{ "a": "@concat('x", "b": 1 }`);
    const b = scopesOf(t, 'b');
    assert.ok(!b.some((s) => s.endsWith('.adf')), `"b" is outside the expression: ${b.join(' ')}`);
    assert.ok(has(scopesOf(t, '1'), 'constant.numeric.json'));
  });
  await check(`${scope}: @@ is a literal @`, async () => {
    const t = await tokens(scope, '{ "a": "mail @@{not an expression}" }');
    assert.ok(has(scopesOf(t, '@@'), 'constant.character.escape.adf'));
    assert.ok(!t.some((x) => x.scopes.some((s) => s.startsWith('meta.interpolation.adf'))));
  });
}
await check('source.json.comments: comments keep their scope next to expressions', async () => {
  const t = await tokens('source.json.comments', `{ "a": "@pipeline().RunId" // note`);
  assert.ok(has(scopesOf(t, ' note'), 'comment.line.double-slash'));
});
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
