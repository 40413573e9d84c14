/**
 * Rules that need the files a config points at (pipelines, ASL, payloads, mocks): each fires on a
 * minimal failing case, on the file where the problem is (config, pipeline, ASL, payload or
 * mocks), at the exact range, with the spec severity.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import {
  ASL, BASE_ASL, BASE_CONFIG, BASE_MOCKS, BASE_PIPELINE, CONFIG, CROSS_FILE_RULES, FACTORY, INGEST_PAYLOAD, MOCKS, PAYLOAD, PIPELINE, REPO,
  S3_PAYLOAD, baseFiles, edit, expectLint, lintFiles, rangeOf, without, allDiagnostics, describeAll,
} from './support';

const covered = new Set<string>();
const base = baseFiles();

/** Edits one file once; `range(needle, after?)` locates in that file's edited text. */
function mutated(file: string, from: string, to: string) {
  const files = edit(base, file, from, to);
  const text = files.get(file)!;
  return { files, text, range: (needle: string, after?: string) => rangeOf(text, needle, after) };
}

describe('file-not-found (on the config, at the path value)', () => {
  test('repoRoot that does not exist', async () => {
    const m = mutated(CONFIG, '"repoRoot": "../adf"', '"repoRoot": "../adf-repo"');
    await expectLint(covered, m.files, [{ code: 'file-not-found', file: CONFIG, range: m.range('../adf-repo'), message: /repoRoot/ }]);
  });
  test('repoRoot that is a file', async () => {
    const m = mutated(CONFIG, '"repoRoot": "../adf"', '"repoRoot": "../payloads/ingest.json"');
    await expectLint(covered, m.files, [{ code: 'file-not-found', file: CONFIG, range: m.range('../payloads/ingest.json', '"repoRoot": "') }]);
  });
  test('a definition that does not exist', async () => {
    const m = mutated(CONFIG, '"definition": "../statemachines/retrain.asl.json"', '"definition": "../statemachines/retrain.json"');
    // Without a definition the mocks cannot be checked against its states, but are still read.
    await expectLint(covered, m.files, [{ code: 'file-not-found', file: CONFIG, range: m.range('../statemachines/retrain.json'), message: /Create it|fix the path/ }]);
  });
  test('a payload that does not exist (reported on the array element)', async () => {
    const m = mutated(CONFIG, '["../payloads/ingest.json"]', '["../payloads/ingest.json", "../payloads/missing.json"]');
    await expectLint(covered, m.files, [{ code: 'file-not-found', file: CONFIG, range: m.range('../payloads/missing.json') }]);
  });
  test('a mocks path that is a folder', async () => {
    const m = mutated(CONFIG, '"mocks": "../mocks/retrain.mock.json"', '"mocks": "../mocks"');
    await expectLint(covered, m.files, [{ code: 'file-not-found', file: CONFIG, range: m.range('../mocks', '"mocks": "'), message: /folder/ }]);
  });
  test('a config path that does not exist is reported, not thrown', async () => {
    const missing = path.join(path.dirname(CONFIG), 'gone.bridge.jsonc');
    const result = await lintFiles(base, {}, [missing]);
    assert.deepEqual(allDiagnostics(result).map((d) => [d.code, d.file]), [['file-not-found', missing]]);
    assert.ok(result.files.includes(missing));
  });
});

describe('pipeline-not-found', () => {
  test('a pipeline name with no pipeline/<name>.json: on the config value, with a suggestion', async () => {
    const m = mutated(CONFIG, '"pipeline": "RetrainModel"', '"pipeline": "RetrainModle"');
    const [d] = await expectLint(covered, m.files, [{ code: 'pipeline-not-found', file: CONFIG, range: m.range('RetrainModle'), message: /"RetrainModel"/ }]);
    assert.deepEqual(d.fix, { kind: 'replace-value', value: 'RetrainModel' });
  });
  test('the pipeline file deleted', async () => {
    await expectLint(covered, without(base, PIPELINE), [{ code: 'pipeline-not-found', file: CONFIG, range: rangeOf(BASE_CONFIG, 'RetrainModel', '"pipeline": "'), actionable: false }]);
  });
  test('the pipeline file deleted: the message lists the pipelines and says what to do', async () => {
    await expectLint(covered, without(base, PIPELINE), [{ code: 'pipeline-not-found', file: CONFIG, range: rangeOf(BASE_CONFIG, 'RetrainModel', '"pipeline": "'), message: /Pipelines there: IngestLanding\. Use one of them, or create the pipeline, or fix azure\.repoRoot\./ }]);
  });
});

describe('activity-not-found', () => {
  test('an activity the pipeline lacks: on the config value', async () => {
    const m = mutated(CONFIG, '"activity": "StartRetrain"', '"activity": "StartRetrian"');
    await expectLint(covered, m.files, [{ code: 'activity-not-found', file: CONFIG, range: m.range('StartRetrian'), message: /"StartRetrain"/ }]);
  });
  test('an activity nested in an IfCondition is found (and then checked for its type)', async () => {
    const m = mutated(CONFIG, '"activity": "StartRetrain"', '"activity": "NotStarted"');
    await expectLint(covered, m.files, [{ code: 'activity-type', file: CONFIG, range: m.range('NotStarted', '"activity": "') }]);
  });
});

describe('activity-type', () => {
  test('adf.activity names a SetVariable: on the config\'s adf.activity (where the fix is), the type as related information', async () => {
    const m = mutated(CONFIG, '"activity": "StartRetrain"', '"activity": "SetRunDate"');
    const [d] = await expectLint(covered, m.files, [{ code: 'activity-type', file: CONFIG, range: m.range('SetRunDate', '"activity": "'), message: /WebActivity|WebHook/ }]);
    assert.match(d.message, /"StartRetrain"/, 'names the calling activity to point at');
    assert.deepEqual(d.fix, { kind: 'replace-value', value: 'StartRetrain' });
    assert.deepEqual(d.related?.map((r) => [r.file, r.range]), [[PIPELINE, rangeOf(BASE_PIPELINE, 'SetVariable')]]);
  });
  test('a WebHook is a calling activity too', async () => {
    const m = mutated(PIPELINE, '"type": "WebActivity"', '"type": "WebHook"');
    await expectLint(covered, m.files, []);
  });
});

describe('url-mismatch', () => {
  test('the activity calls another URL: on the pipeline\'s url value', async () => {
    const url = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain-v2';
    const m = mutated(PIPELINE, '"url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain"', `"url": "${url}"`);
    await expectLint(covered, m.files, [{ code: 'url-mismatch', file: PIPELINE, range: m.range(url), message: /gateway\.url/ }]);
  });
  test('a trailing slash or host case is not a mismatch', async () => {
    const m = mutated(PIPELINE, '"url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain"', '"url": "https://A1B2C3D4E5.execute-api.eu-west-1.amazonaws.com/prod/retrain/"');
    await expectLint(covered, m.files, []);
  });
  test('a computed URL (an expression) is not compared', async () => {
    const m = mutated(PIPELINE, '"url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain"', '"url": "@concat(\'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com\', \'/prod/retrain\')"');
    await expectLint(covered, m.files, []);
  });
});

describe('audience-mismatch', () => {
  test('another resource: on the pipeline\'s authentication.resource value', async () => {
    const m = mutated(PIPELINE, '"resource": "api://bridge-retrain"', '"resource": "api://other-api"');
    await expectLint(covered, m.files, [{ code: 'audience-mismatch', file: PIPELINE, range: m.range('api://other-api'), message: /api:\/\/bridge-retrain/ }]);
  });
  test('the config audience changed: reported where the pipeline asks for its token', async () => {
    const m = mutated(CONFIG, '"audience": "api://bridge-retrain"', '"audience": "api://bridge-retrain-v2"');
    await expectLint(covered, m.files, [{ code: 'audience-mismatch', file: PIPELINE, range: rangeOf(BASE_PIPELINE, 'api://bridge-retrain') }]);
  });
});

describe('correlation-parameter-missing', () => {
  test('an undeclared parameter: on the config value', async () => {
    const m = mutated(CONFIG, '"adfParameter": "runCorrelation"', '"adfParameter": "corrId"');
    await expectLint(covered, m.files, [{ code: 'correlation-parameter-missing', file: CONFIG, range: m.range('corrId'), message: /Declare/ }]);
  });
});

describe('correlation-not-forwarded', () => {
  test('neither body nor headers reference the parameter or RunId: warning on the body', async () => {
    const m = mutated(PIPELINE, '"X-Correlation-Id": "@{pipeline().parameters.correlationId}"', '"X-Correlation-Id": "none"');
    const bodyStart = m.text.indexOf('{', m.text.indexOf('"body":'));
    const bodyEnd = m.text.indexOf('}', m.text.indexOf('"type": "Expression"', bodyStart)) + 1;
    const range = rangeOf(m.text, m.text.slice(bodyStart, bodyEnd));
    await expectLint(covered, m.files, [{ code: 'correlation-not-forwarded', file: PIPELINE, range, message: /RunId/ }]);
  });
  test('@pipeline().RunId counts as forwarding', async () => {
    const m = mutated(PIPELINE, '"X-Correlation-Id": "@{pipeline().parameters.correlationId}"', '"X-Correlation-Id": "@{pipeline().RunId}"');
    await expectLint(covered, m.files, []);
  });
});

describe('expression-error (on the pipeline, inside the JSON string)', () => {
  test('an unknown variable: at its name', async () => {
    const m = mutated(PIPELINE, "@variables('runDate')", "@variables('runDat')");
    await expectLint(covered, m.files, [{ code: 'expression-error', file: PIPELINE, range: m.range('runDat', "@variables('"), message: /"runDate"/ }]);
  });
  test('an unknown parameter: at its name', async () => {
    const m = mutated(PIPELINE, 'pipeline().parameters.modelName', 'pipeline().parameters.modelNam');
    await expectLint(covered, m.files, [{ code: 'expression-error', file: PIPELINE, range: m.range('modelNam', 'pipeline().parameters.') }]);
  });
  test('an unknown activity: at its name', async () => {
    const m = mutated(PIPELINE, "activity('StartRetrain').output", "activity('StartRetrian').output");
    await expectLint(covered, m.files, [{ code: 'expression-error', file: PIPELINE, range: m.range('StartRetrian') }]);
  });
  test('an unknown global parameter (the factory declares the others)', async () => {
    const m = mutated(PIPELINE, 'pipeline().globalParameters.environment', 'pipeline().globalParameters.env');
    await expectLint(covered, m.files, [{ code: 'expression-error', file: PIPELINE, range: m.range('env', 'globalParameters.') }]);
  });
  test('a syntax error: inside the string, on its line', async () => {
    const m = mutated(PIPELINE, "@variables('runDate')", "@concat('a', ");
    const [d] = await expectLint(covered, m.files, [{ code: 'expression-error', file: PIPELINE }]);
    const str = m.range("@concat('a', ");
    assert.equal(d.range.start.line, str.start.line);
    assert.ok(d.range.start.character >= str.start.character && d.range.end.character <= str.end.character + 1, `range ${JSON.stringify(d.range)} inside the string ${JSON.stringify(str)}`);
  });
  test('without a factory folder, global parameters are not judged', async () => {
    const m = mutated(PIPELINE, 'pipeline().globalParameters.environment', 'pipeline().globalParameters.env');
    await expectLint(covered, without(m.files, FACTORY), []);
  });
});

describe('json-syntax and duplicate-key in referenced files', () => {
  test('a pipeline that is not JSON: json-syntax on the pipeline', async () => {
    const m = mutated(PIPELINE, '"name": "RetrainModel",', '"name": "RetrainModel" "x",');
    const result = await lintFiles(m.files);
    const found = allDiagnostics(result);
    assert.ok(found.length > 0 && found.every((d) => d.file === PIPELINE), describeAll(result));
    assert.ok(found.some((d) => d.code === 'json-syntax' && d.range.start.line === m.range('"x"').start.line), describeAll(result));
  });
  test('two commas in a pipeline: one json-syntax, on the second comma', async () => {
    const m = mutated(PIPELINE, '"name": "RetrainModel",', '"name": "RetrainModel",,');
    await expectLint(covered, m.files, [{ code: 'json-syntax', file: PIPELINE, range: m.range(',', '"RetrainModel",'), message: /Two commas in a row.*Remove one comma/ }]);
  });
  test('a duplicate key in a payload: on the payload', async () => {
    const m = mutated(INGEST_PAYLOAD, '"sourcePath": "incoming/orders.csv"', '"sourcePath": "a",\n  "sourcePath": "b"');
    await expectLint(covered, m.files, [{ code: 'duplicate-key', file: INGEST_PAYLOAD, range: m.range('sourcePath', '"a"') }]);
  });
});

describe('asl-invalid (on the ASL file)', () => {
  test('StartAt names no state: on the StartAt value', async () => {
    const m = mutated(ASL, '"StartAt": "TrainModel"', '"StartAt": "Train"');
    const [d] = await expectLint(covered, m.files, [{ code: 'asl-invalid', file: ASL, message: /Train/ }]);
    assert.equal(d.range.start.line, m.range('Train', '"StartAt"').start.line);
  });
  test('StartAt value: content range without quotes', async () => {
    const m = mutated(ASL, '"StartAt": "TrainModel"', '"StartAt": "Train"');
    await expectLint(covered, m.files, [{ code: 'asl-invalid', file: ASL, range: m.range('Train', '"StartAt": "') }]);
  });
  test('an ASL file that is not JSON', async () => {
    const m = mutated(ASL, '"Comment": "Retrains a model.",', '"Comment": "Retrains a model."');
    const [d] = await expectLint(covered, m.files, [{ code: 'asl-invalid', file: ASL }]);
    assert.equal(d.range.start.line, m.range('"StartAt"').start.line);
  });
  test('two links sharing one broken definition: reported once', async () => {
    const m = mutated(ASL, '"StartAt": "TrainModel"', '"StartAt": "Train"');
    const files = edit(m.files, CONFIG, '"stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:LandingCsv" }', '"stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:LandingCsv", "definition": "../statemachines/retrain.asl.json" }');
    await expectLint(covered, files, [{ code: 'asl-invalid', file: ASL }]);
  });
});

describe('asl-invalid: string keys and values on their content, without quotes', () => {
  test('a Next naming no state: on the name', async () => {
    const m = mutated(ASL, '"Next": "Done"', '"Next": "Finish"');
    await expectLint(covered, m.files, [{ code: 'asl-invalid', file: ASL, range: m.range('Finish'), message: /no state named 'Finish'/ }]);
  });
  test('an unknown Type: on the type name', async () => {
    const m = mutated(ASL, '"Type": "Succeed"', '"Type": "Succeeded"');
    await expectLint(covered, m.files, [{ code: 'asl-invalid', file: ASL, range: m.range('Succeeded'), message: /Did you mean "Succeed"\?/ }]);
  });
  test('no terminal state: on the "States" key', async () => {
    const m = mutated(ASL, '"Done": { "Type": "Succeed" }', '"Done": { "Type": "Pass", "Next": "TrainModel" }');
    await expectLint(covered, m.files, [{ code: 'asl-invalid', file: ASL, range: m.range('States'), message: /no terminal state/ }]);
  });
  test('an ASL file holding a string: on its content', async () => {
    const files = edit(base, ASL, BASE_ASL, '"TrainModel"');
    await expectLint(covered, files, [{ code: 'asl-invalid', file: ASL, range: rangeOf('"TrainModel"', 'TrainModel'), message: /holds a string/ }]);
  });
});

describe('payload rules (on the payload file)', () => {
  test('payload-invalid-json: a trailing comma is not JSON, one diagnostic on the comma', async () => {
    const m = mutated(INGEST_PAYLOAD, '"sourcePath": "incoming/orders.csv"', '"sourcePath": "incoming/orders.csv",');
    await expectLint(covered, m.files, [{ code: 'payload-invalid-json', file: INGEST_PAYLOAD, range: m.range(',', 'orders.csv"'), message: /^.*Trailing comma: .*Remove it\.$/ }]);
  });
  test('payload-invalid-json: two commas in a row, one diagnostic on the second comma', async () => {
    const m = mutated(S3_PAYLOAD, '"source": "aws.s3",', '"source": "aws.s3",,');
    await expectLint(covered, m.files, [{ code: 'payload-invalid-json', file: S3_PAYLOAD, range: m.range(',', '"aws.s3",'), message: /Two commas in a row.*Remove one comma/ }]);
  });
  test('payload-invalid-json: comments are not JSON', async () => {
    const m = mutated(INGEST_PAYLOAD, '"sourcePath": "incoming/orders.csv"', '"sourcePath": "incoming/orders.csv" // note');
    await expectLint(covered, m.files, [{ code: 'payload-invalid-json', file: INGEST_PAYLOAD, range: m.range('// note'), actionable: false }]);
  });
  test('payload-invalid-json on a comment says what to do', async () => {
    const m = mutated(INGEST_PAYLOAD, '"sourcePath": "incoming/orders.csv"', '"sourcePath": "incoming/orders.csv" // note');
    await expectLint(covered, m.files, [{ code: 'payload-invalid-json', file: INGEST_PAYLOAD, range: m.range('// note'), message: /Comments are not allowed in this JSON file\. Remove the comment/ }]);
  });
  test('payload-too-large: over 256 KiB, on the first line', async () => {
    // Padded with spaces, not one long string: long strings hit bug #6 (quadratic secret regexes).
    const big = `{"sourcePath": "x"${' '.repeat(300 * 1024)}}\n`;
    const files = edit(base, INGEST_PAYLOAD, base.get(INGEST_PAYLOAD)!, big);
    await expectLint(covered, files, [{ code: 'payload-too-large', file: INGEST_PAYLOAD, range: { start: { line: 0, character: 0 }, end: { line: 0, character: big.length - 1 } }, message: /256 KiB/ }]);
  });
  test('payload-too-large: exactly 256 KiB is fine', async () => {
    const head = '{"sourcePath": "x"';
    const tail = '}';
    const exact = head + ' '.repeat(256 * 1024 - head.length - tail.length) + tail;
    assert.equal(Buffer.byteLength(exact), 256 * 1024);
    await expectLint(covered, edit(base, INGEST_PAYLOAD, base.get(INGEST_PAYLOAD)!, exact), []);
  });
  test('payload-unknown-parameter: an adf-to-sfn payload key the pipeline lacks, on the key', async () => {
    const m = mutated(PAYLOAD, '"trainingDays": 7', '"trainingDayz": 7');
    const [d] = await expectLint(covered, m.files, [{ code: 'payload-unknown-parameter', file: PAYLOAD, range: m.range('trainingDayz'), message: /"trainingDays"/ }]);
    assert.deepEqual(d.fix, { kind: 'rename-key', to: 'trainingDays' });
  });
  test('payload-missing-parameter: a required parameter absent, on the payload\'s opening brace', async () => {
    const m = mutated(PAYLOAD, '"modelName": "churn",\n', '');
    await expectLint(covered, m.files, [{ code: 'payload-missing-parameter', file: PAYLOAD, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: /"modelName"/ }]);
  });
  test('the correlation parameter is never required in a payload (each run injects it)', async () => {
    // The base payload omits correlationId, which has no default: no diagnostic.
    await expectLint(covered, base, []);
  });
  test('sfn-to-adf and s3-to-sfn payloads are execution input: not held against pipeline parameters', async () => {
    const files = edit(edit(base, INGEST_PAYLOAD, '"sourcePath"', '"anything"'), S3_PAYLOAD, '"version": "0",', '"unexpected": 1,');
    await expectLint(covered, files, []);
  });
  test('an adf-to-sfn payload that is an array: invalid-type on the payload', async () => {
    const files = edit(base, PAYLOAD, base.get(PAYLOAD)!, '[1]');
    await expectLint(covered, files, [{ code: 'invalid-type', file: PAYLOAD, range: rangeOf('[1]', '[1]') }]);
  });
  test('inline-secret in a payload: on the payload value', async () => {
    const secret = 'AKIA' + Array.from(crypto.randomBytes(16), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
    const m = mutated(S3_PAYLOAD, '"source": "aws.s3",', `"source": "aws.s3", "note": "${secret}",`);
    await expectLint(covered, m.files, [{ code: 'inline-secret', file: S3_PAYLOAD, range: m.range(secret) }]);
  });
});

describe('mock-invalid (on the mocks file)', () => {
  test('a test case mocks a state the definition lacks', async () => {
    const m = mutated(MOCKS, '"HappyPath": { "TrainModel": "Trained" }', '"HappyPath": { "Training": "Trained" }');
    const [d] = await expectLint(covered, m.files, [{ code: 'mock-invalid', file: MOCKS, message: /Training/ }]);
    assert.equal(d.range.start.line, m.range('Training').start.line);
  });
  test('a state the definition lacks: content range without quotes', async () => {
    const m = mutated(MOCKS, '"HappyPath": { "TrainModel": "Trained" }', '"HappyPath": { "Training": "Trained" }');
    await expectLint(covered, m.files, [{ code: 'mock-invalid', file: MOCKS, range: m.range('Training') }]);
  });
  test('a test case names a response that MockedResponses lacks', async () => {
    const m = mutated(MOCKS, '"HappyPath": { "TrainModel": "Trained" }', '"HappyPath": { "TrainModel": "Nope" }');
    const [d] = await expectLint(covered, m.files, [{ code: 'mock-invalid', file: MOCKS, message: /Nope/ }]);
    assert.equal(d.range.start.line, m.range('Nope').start.line);
  });
  test('a test case names a response that MockedResponses lacks: on the name, without quotes', async () => {
    const m = mutated(MOCKS, '"HappyPath": { "TrainModel": "Trained" }', '"HappyPath": { "TrainModel": "Nope" }');
    await expectLint(covered, m.files, [{ code: 'mock-invalid', file: MOCKS, range: m.range('Nope'), message: /has no 'Nope'/ }]);
  });
  test('a response entry without Return or Throw: on the unknown key, without quotes', async () => {
    const m = mutated(MOCKS, '"Return"', '"Returns"');
    await expectLint(covered, m.files, [{ code: 'mock-invalid', file: MOCKS, range: m.range('Returns'), message: /Did you mean "Return"\?/ }]);
  });
  test('no entry for the linked state machine: on the misnamed key, without quotes', async () => {
    const m = mutated(MOCKS, '"Retrain": {', '"Other": {');
    await expectLint(covered, m.files, [{ code: 'mock-invalid', file: MOCKS, range: m.range('Other'), message: /Rename 'Other' to 'Retrain'/ }]);
  });
  test('a mocks file that is not an object', async () => {
    const files = edit(base, MOCKS, BASE_MOCKS, '[]');
    await expectLint(covered, files, [{ code: 'mock-invalid', file: MOCKS, range: rangeOf('[]', '[]') }]);
  });
});

describe('files and dependencies', () => {
  test('every referenced file is listed, and a config depends on what it points at', async () => {
    const result = await lintFiles(base);
    for (const f of [CONFIG, PIPELINE, ASL, MOCKS, PAYLOAD, INGEST_PAYLOAD, S3_PAYLOAD]) assert.ok(result.files.includes(f), `${f} listed`);
    const deps = result.dependencies.get(CONFIG)!;
    for (const f of [PIPELINE, ASL, MOCKS, PAYLOAD, REPO]) assert.ok(deps.has(f), `depends on ${f}`);
  });
  test('a missing file is still a dependency (an editor revalidates when it appears)', async () => {
    const result = await lintFiles(without(base, ASL));
    assert.ok(result.dependencies.get(CONFIG)!.has(ASL));
  });
});

describe('coverage', () => {
  test('every cross-file rule of the spec fired in this file', () => {
    assert.deepEqual(CROSS_FILE_RULES.filter((c) => !covered.has(c)), []);
  });
});

void BASE_ASL;
