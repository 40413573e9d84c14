/** The JSON Schema (editor completion, other tools) and the lint rules come from one shape table and agree. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { bridgeConfigSchema, editorSchema } from '../../../src/core/config/schema';
import { lintConfigs } from '../../../src/core/lint/engine';
import { memoryHost } from '../../../src/core/node-host';
import { RULE_CODES } from '../../../src/core/rules/codes';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SAMPLE = path.join(ROOT, 'samples', 'analytics.bridge.jsonc');
const committed = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'bridge-config.schema.json'), 'utf8'));
const committedEditor = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'bridge-config.editor.schema.json'), 'utf8'));

async function schemaProblems(text: string, schema = committed): Promise<string[]> {
  const service = getLanguageService({});
  service.configure({ validate: true, allowComments: true, schemas: [{ uri: 'bridge://schema', fileMatch: ['*.bridge.jsonc'], schema }] });
  const doc = TextDocument.create('file:///w/a.bridge.jsonc', 'jsonc', 1, text);
  const diags = await service.doValidation(doc, service.parseJSONDocument(doc), { comments: 'ignore', trailingCommas: 'ignore' }, schema);
  return diags.map((d) => (typeof d.message === "string" ? d.message : d.message.value));
}

async function lintCodes(text: string): Promise<string[]> {
  const file = '/w/a.bridge.jsonc';
  const result = await lintConfigs([file], memoryHost(new Map([[file, text]])));
  return (result.diagnostics.get(file) ?? []).map((d) => d.code);
}

/** The sample config without its file references, so only config-level rules speak. */
const sample = readFileSync(SAMPLE, 'utf8').replace(/"repoRoot": "\.\/adf"[^\n]*\n/, '').replace(/,?\s*"definition": "[^"]*"/g, '').replace(/"payloads": \[[^\]]*\],\s*/g, '').replace(/,\s*"mocks": "[^"]*"/g, '');

describe('schema', () => {
  it('the committed schema is what the shape table generates (run "npm run generate:schema" after changing shape.ts)', () => {
    assert.deepEqual(committed, JSON.parse(JSON.stringify(bridgeConfigSchema())));
    assert.deepEqual(committedEditor, JSON.parse(JSON.stringify(editorSchema())));
  });

  it('the editor schema (contributed to VS Code) validates nothing, so no problem shows twice, yet keeps every key, description and allowed value', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.jsonValidation.map((j: { url: string }) => j.url), ['./schemas/bridge-config.editor.schema.json']);
    for (const [, mutate] of mutations) assert.deepEqual(await schemaProblems(mutate(readFileSync(SAMPLE, 'utf8')), committedEditor), []);
    const VALIDATING = ['required', 'enum', 'const', 'pattern', 'type', 'minimum', 'maximum', 'minLength', 'minItems', 'propertyNames', 'allOf', 'if', 'then'];
    const keys = (node: Record<string, unknown>, at: string, out: Map<string, Record<string, unknown>>) => {
      for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        out.set(`${at}${key}`, child);
        keys(child, `${at}${key}.`, out);
      }
      if (typeof node.additionalProperties === 'object') keys(node.additionalProperties as Record<string, unknown>, `${at}*.`, out);
      if (typeof node.items === 'object') keys(node.items as Record<string, unknown>, `${at}[].`, out);
      return out;
    };
    const strictKeys = keys(committed, '', new Map());
    const editorKeys = keys(committedEditor, '', new Map());
    assert.deepEqual([...editorKeys.keys()], [...strictKeys.keys()]);
    for (const [at, child] of editorKeys) {
      assert.deepEqual(VALIDATING.filter((k) => k in child), [], `${at} still validates`);
      assert.equal(child.description, strictKeys.get(at)!.description, at);
      const allowed = (strictKeys.get(at)!.enum as unknown[] | undefined) ?? [];
      for (const v of allowed) assert.ok((child.examples as unknown[]).includes(v), `${at} offers ${String(v)}`);
    }
    assert.equal(committedEditor.allowComments, true);
    assert.equal(committedEditor.allowTrailingCommas, true);
  });

  it('accepts the sample config, comments and trailing commas included, and so do the rules', async () => {
    assert.deepEqual(await schemaProblems(readFileSync(SAMPLE, 'utf8')), []);
    assert.deepEqual(await lintCodes(sample), []);
  });

  const mutations: [string, (t: string) => string, string][] = [
    ['an unknown key', (t) => t.replace('"region": "eu-west-1"', '"regoin": "eu-west-1"'), 'unknown-property'],
    ['a wrong type', (t) => t.replace('"accountId": "123456789012"', '"accountId": 123456789012'), 'invalid-type'],
    ['a value outside its enum', (t) => t.replace('"trigger": "s3-to-sfn"', '"trigger": "s3-to-lambda"'), 'invalid-value'],
    ['a bad pattern', (t) => t.replace('"tenantId": "7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f"', '"tenantId": "contoso"'), 'invalid-value'],
    ['a key the trigger requires', (t) => t.replace('"adf": { "pipeline": "RetrainModel", "activity": "StartRetrain" },', '"adf": { "pipeline": "RetrainModel" },'), 'missing-property'],
    ['a block the trigger does not allow', (t) => t.replace('"adf": { "pipeline": "IngestLanding" },', '"adf": { "pipeline": "IngestLanding", "activity": "X" },'), 'not-allowed'],
  ];
  for (const [what, mutate, code] of mutations) {
    it(`flags ${what} in both the schema and the rules (${code})`, async () => {
      const text = mutate(readFileSync(SAMPLE, 'utf8'));
      assert.notEqual(text, readFileSync(SAMPLE, 'utf8'), 'the mutation applies');
      assert.ok((await schemaProblems(text)).length > 0, 'the schema flags it');
      assert.ok((await lintCodes(mutate(sample))).includes(code), `the rules report ${code}`);
    });
  }

  it('documents every key for hover', () => {
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, at: string) => {
      for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof child === 'object' && !child.description) missing.push(`${at}${key}`);
        if (typeof child === 'object') walk(child, `${at}${key}.`);
      }
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties as Record<string, unknown>, `${at}*.`);
    };
    walk(committed, '');
    assert.deepEqual(missing, []);
  });

  it('has a documentation section for every rule code', () => {
    const docs = readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
    assert.deepEqual(RULE_CODES.filter((c) => !docs.includes(`\n## ${c}\n`)), []);
  });
});
