/**
 * Constructs ADF accepts that the lint once reported (found linting public pipelines), and where
 * cross-file problems point: each valid construct lints clean, its near miss is still reported.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { BASE_PIPELINE, CONFIG, FACTORY, INGEST_PAYLOAD, PAYLOAD, PIPELINE, REPO, allDiagnostics, baseFiles, describeAll, edit, edits, expectExactly, lintFiles, rangeOf } from './support';

const base = baseFiles();

async function clean(files: Map<string, string>): Promise<void> {
  const result = await lintFiles(files);
  assert.deepEqual(allDiagnostics(result), [], describeAll(result));
}

describe('ADF names are compared as ADF compares them', () => {
  test('@pipeline().parameters and variables() in another case than declared are valid', async () => {
    await clean(edits(
      base,
      [PIPELINE, "pipeline().parameters.modelName", "pipeline().parameters.ModelName"],
      [PIPELINE, '"message": "@variables(\'runDate\')"', '"message": "@variables(\'RunDate\')"'],
    ));
  });

  test('a global parameter in another case is valid, a misspelt one is still an expression-error', async () => {
    await clean(edit(base, PIPELINE, 'pipeline().globalParameters.environment', 'pipeline().globalParameters.Environment'));
    const files = edit(base, PIPELINE, 'pipeline().globalParameters.environment', 'pipeline().globalParameters.enviroment');
    const text = files.get(PIPELINE)!;
    expectExactly(await lintFiles(files), [{ code: 'expression-error', file: PIPELINE, range: rangeOf(text, 'enviroment'), message: /"environment"/ }]);
  });

  test('correlation-parameter-missing and correlation-not-forwarded ignore case', async () => {
    await clean(edits(
      base,
      [CONFIG, '"adfParameter": "correlationId"', '"adfParameter": "CorrelationID"'],
      [PIPELINE, '"X-Correlation-Id": "@{pipeline().parameters.correlationId}"', '"X-Correlation-Id": "@{pipeline().parameters.CORRELATIONID}"'],
    ));
  });

  test('payload parameters ignore case: neither unknown nor missing', async () => {
    const payload = JSON.parse(base.get(PAYLOAD)!) as Record<string, unknown>;
    const recased = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k.toUpperCase(), v]));
    await clean(new Map(base).set(PAYLOAD, JSON.stringify(recased, null, 2)));
  });

  test('pipeline-not-found ignores case: pipeline/retrainmodel.json is pipeline "RetrainModel"', async () => {
    const files = new Map(base);
    files.delete(PIPELINE);
    files.set(path.join(REPO, 'pipeline', 'retrainmodel.json'), BASE_PIPELINE);
    await clean(files);
  });

  test('activity(\'x\') differing only in case resolves as in ADF (no problem); an unknown name is an error', async () => {
    let files = edit(base, PIPELINE, "activity('StartRetrain').output", "activity('startretrain').output");
    await clean(files);
    files = edit(base, PIPELINE, "activity('StartRetrain').output", "activity('StartRetrian').output");
    const result = await lintFiles(files);
    const [d] = allDiagnostics(result);
    assert.deepEqual([d.code, d.severity], ['expression-error', 'error'], describeAll(result));
    assert.match(d.message, /"StartRetrain"/);
  });
});

describe('ADF expression syntax as ADF parses it', () => {
  test('global parameter names with "-"', async () => {
    const files = edits(
      base,
      [FACTORY, '"globalParameters": { "environment"', '"globalParameters": { "GP-Int": { "type": "Int", "value": 1 }, "environment"'],
      [PIPELINE, "pipeline().globalParameters.environment", "pipeline().globalParameters.environment, string(pipeline().globalParameters.GP-Int)"],
    );
    await clean(files);
    const wrong = edit(files, PIPELINE, 'globalParameters.GP-Int', 'globalParameters.GP-Ints');
    expectExactly(await lintFiles(wrong), [{ code: 'expression-error', file: PIPELINE, range: rangeOf(wrong.get(PIPELINE)!, 'GP-Ints') }]);
  });

  test('whitespace after "." in member access', async () => {
    await clean(edit(base, PIPELINE, "activity('StartRetrain').output", "activity('StartRetrain'). output"));
    await clean(edit(base, PIPELINE, 'pipeline().parameters.modelName', 'pipeline(). parameters.\\n modelName'));
  });

  test('an activity\'s description is text, never evaluated: "@" there is no expression', async () => {
    await clean(edit(base, PIPELINE, '"name": "StartRetrain",', '"name": "StartRetrain",\n        "description": "@daily: calls @{the gateway",'));
    // The same text where ADF evaluates it is still checked.
    const files = edit(base, PIPELINE, '"name": "StartRetrain",', '"name": "StartRetrain",\n        "userProperties": [{ "name": "note", "value": "@{the gateway" }],');
    const [d] = allDiagnostics(await lintFiles(files));
    assert.equal(d?.code, 'expression-error');
  });

  test('parameters declared by an ARM template expression are unknown names, not missing ones', async () => {
    const files = edit(base, PIPELINE, '"parameters": {', '"parameters": "[parameters(\'pipelineParameters\')]", "unusedParameters": {');
    const diagnostics = allDiagnostics(await lintFiles(files)).filter((d) => d.file === PIPELINE && /no parameter/.test(d.message));
    assert.deepEqual(diagnostics, [], describeAll(await lintFiles(files)));
  });

  test('no-break spaces (U+00A0) between tokens, as pasted from web pages', async () => {
    await clean(edit(base, PIPELINE, "activity('StartRetrain').output", "activity(\u00a0'StartRetrain'\u00a0).\u00a0output"));
    // Still not a separator: a no-break space inside a call's argument list does not stand for ','.
    const wrong = edit(base, PIPELINE, "pipeline().globalParameters.environment", "pipeline().globalParameters.environment\u00a0'x'");
    const [d] = allDiagnostics(await lintFiles(wrong));
    assert.equal(d?.code, 'expression-error');
  });
});

describe('cross-file mismatches carry the other side', () => {
  test('url-mismatch: related gateway.url in the config', async () => {
    const url = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/other';
    const files = edit(base, PIPELINE, '"url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain"', `"url": "${url}"`);
    const [d] = expectExactly(await lintFiles(files), [{ code: 'url-mismatch', file: PIPELINE, range: rangeOf(files.get(PIPELINE)!, url) }]);
    assert.deepEqual(d.related?.map((r) => [r.file, r.range]), [[CONFIG, rangeOf(base.get(CONFIG)!, 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain')]]);
    assert.match(d.related![0].message, /gateway\.url/);
  });

  test('audience-mismatch: related gateway.audience in the config', async () => {
    const files = edit(base, PIPELINE, '"resource": "api://bridge-retrain"', '"resource": "api://other"');
    const [d] = expectExactly(await lintFiles(files), [{ code: 'audience-mismatch', file: PIPELINE }]);
    assert.deepEqual(d.related?.map((r) => [r.file, r.range]), [[CONFIG, rangeOf(base.get(CONFIG)!, 'api://bridge-retrain')]]);
  });

  test('correlation-parameter-missing: related the pipeline\'s parameters', async () => {
    const files = edit(base, CONFIG, '"adfParameter": "correlationId"', '"adfParameter": "corrId"');
    const [d] = expectExactly(await lintFiles(files), [
      { code: 'correlation-parameter-missing', file: CONFIG },
      { code: 'correlation-not-forwarded', file: PIPELINE },
      { code: 'payload-missing-parameter', file: PAYLOAD },
    ]);
    const related = d.code === 'correlation-parameter-missing' ? d.related : undefined;
    assert.deepEqual(related?.map((r) => [r.file, r.range]), [[PIPELINE, rangeOf(BASE_PIPELINE, 'parameters', '    ],\n    "')]]);
    assert.match(related![0].message, /correlationId, modelName, trainingDays/);
  });
});

void INGEST_PAYLOAD;

describe('files as Windows editors save them', () => {
  test('a UTF-8 byte order mark before the JSON of a config, pipeline, factory, ASL, payload or mock file is no syntax error', async () => {
    const files = new Map([...base].map(([file, text]) => [file, '\ufeff' + text]));
    await clean(files);
  });

  test('positions after a byte order mark are those an editor shows (the mark takes no column)', async () => {
    // On one line, so the mark and the problem share line 0.
    const text = JSON.stringify(JSON.parse(base.get(PIPELINE)!)).replace('pipeline().globalParameters.environment', 'pipeline().globalParameters.enviroment');
    const files = new Map(base).set(PIPELINE, '\ufeff' + text);
    expectExactly(await lintFiles(files), [{ code: 'expression-error', file: PIPELINE, range: rangeOf(text, 'enviroment') }]);
  });
});
