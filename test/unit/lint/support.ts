/**
 * A small, valid workspace built in memory (a config like the spec's example and the pipeline,
 * ASL, payload and mocks files it points at), plus helpers to mutate one thing and to say where a
 * diagnostic is expected. Expected ranges are computed by searching the text, never by asking the
 * parser under test.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BridgeDiagnostic, Severity } from '../../../src/core/diagnostics';
import { lintConfigs, type LintOptions, type LintResult } from '../../../src/core/lint/engine';
import { memoryHost } from '../../../src/core/node-host';
import type { Range } from '../../../src/core/text';

/** The rule table of the contract (shared/spec/bridge-config.md), copied here so a drift in RULES shows. */
export const SPEC_RULES: Record<string, Severity> = {
  'json-syntax': 'error',
  'duplicate-key': 'error',
  'unknown-property': 'warning',
  'missing-property': 'error',
  'invalid-type': 'error',
  'invalid-value': 'error',
  'not-allowed': 'error',
  'unsupported-version': 'error',
  'invalid-arn': 'error',
  'region-mismatch': 'error',
  'account-mismatch': 'error',
  'partition-mismatch': 'error',
  'unknown-environment': 'error',
  'unprotected-prod': 'warning',
  'inline-secret': 'error',
  'static-credentials': 'warning',
  'shared-role': 'warning',
  'issuer-format': 'error',
  'issuer-tenant-mismatch': 'error',
  'missing-throttle': 'warning',
  's3-no-filter': 'warning',
  'file-not-found': 'error',
  'pipeline-not-found': 'error',
  'activity-not-found': 'error',
  'activity-type': 'error',
  'url-mismatch': 'error',
  'audience-mismatch': 'error',
  'correlation-parameter-missing': 'error',
  'correlation-not-forwarded': 'warning',
  'expression-error': 'error',
  'asl-invalid': 'error',
  'payload-invalid-json': 'error',
  'payload-too-large': 'error',
  'payload-unknown-parameter': 'warning',
  'payload-missing-parameter': 'error',
  'mock-invalid': 'error',
};

export const WS = path.resolve('/bridge-ws');
export const CONFIG = path.join(WS, 'config', 'main.bridge.jsonc');
export const REPO = path.join(WS, 'adf');
export const PIPELINE = path.join(REPO, 'pipeline', 'RetrainModel.json');
export const INGEST_PIPELINE = path.join(REPO, 'pipeline', 'IngestLanding.json');
export const FACTORY = path.join(REPO, 'factory', 'adf-analytics-dev.json');
export const ASL = path.join(WS, 'statemachines', 'retrain.asl.json');
export const MOCKS = path.join(WS, 'mocks', 'retrain.mock.json');
export const PAYLOAD = path.join(WS, 'payloads', 'retrain-small.json');
export const INGEST_PAYLOAD = path.join(WS, 'payloads', 'ingest.json');
export const S3_PAYLOAD = path.join(WS, 'payloads', 's3-event.json');

export const TENANT = '7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f';

/** The spec's example, with three links (one per trigger). */
export const BASE_CONFIG = `// A bridge config like the spec's example.
{
  "version": 1,
  "azure": {
    "tenantId": "${TENANT}",
    "subscriptionId": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    "resourceGroup": "rg-analytics",
    "factory": "adf-analytics-dev",
    "cloud": "AzureCloud",
    "repoRoot": "../adf"
  },
  "aws": {
    "accountId": "123456789012",
    "region": "eu-west-1",
    "partition": "aws",
    "profile": "analytics-dev"
  },
  "environments": {
    "dev": {},
    "prod": { "protected": true }
  },
  "links": {
    "nightly-retrain": {
      "environment": "dev",
      "trigger": "adf-to-sfn",
      "adf": {
        "pipeline": "RetrainModel",
        "activity": "StartRetrain"
      },
      "stateMachine": {
        "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:Retrain",
        "definition": "../statemachines/retrain.asl.json"
      },
      "gateway": {
        "url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain",
        "issuer": "https://sts.windows.net/${TENANT}/",
        "audience": "api://bridge-retrain",
        "throttle": { "rateLimit": 10, "burstLimit": 20 }
      },
      "identity": {
        "azurePrincipalId": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
        "awsRoleArn": "arn:aws:iam::123456789012:role/adf-retrain"
      },
      "correlation": {
        "adfParameter": "correlationId",
        "sfnInputPath": "$.correlationId"
      },
      "payloads": ["../payloads/retrain-small.json"],
      "mocks": "../mocks/retrain.mock.json"
    },
    "ingest": {
      "environment": "dev",
      "trigger": "sfn-to-adf",
      "adf": { "pipeline": "IngestLanding" },
      "stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:StartIngest" },
      "identity": { "awsRoleArn": "arn:aws:iam::123456789012:role/sfn-start-ingest" },
      "correlation": { "adfParameter": "runCorrelation", "sfnInputPath": "$.correlationId" },
      "payloads": ["../payloads/ingest.json"]
    },
    "landing": {
      "environment": "dev",
      "trigger": "s3-to-sfn",
      "stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:LandingCsv" },
      "s3": { "bucket": "analytics-landing-dev", "prefix": "incoming/" },
      "identity": { "awsRoleArn": "arn:aws:iam::123456789012:role/s3-landing" },
      "payloads": ["../payloads/s3-event.json"]
    }
  }
}
`;

export const BASE_PIPELINE = `{
  "name": "RetrainModel",
  "properties": {
    "activities": [
      {
        "name": "SetRunDate",
        "type": "SetVariable",
        "dependsOn": [],
        "typeProperties": {
          "variableName": "runDate",
          "value": { "value": "@formatDateTime(pipeline().TriggerTime, 'yyyy-MM-dd')", "type": "Expression" }
        }
      },
      {
        "name": "StartRetrain",
        "type": "WebActivity",
        "dependsOn": [{ "activity": "SetRunDate", "dependencyConditions": ["Succeeded"] }],
        "typeProperties": {
          "method": "POST",
          "url": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain",
          "headers": {
            "Content-Type": "application/json",
            "X-Correlation-Id": "@{pipeline().parameters.correlationId}"
          },
          "body": {
            "value": "@concat('{\\"model\\":\\"', pipeline().parameters.modelName, '\\",\\"env\\":\\"', pipeline().globalParameters.environment, '\\"}')",
            "type": "Expression"
          },
          "authentication": { "type": "MSI", "resource": "api://bridge-retrain" }
        }
      },
      {
        "name": "CheckStarted",
        "type": "IfCondition",
        "dependsOn": [{ "activity": "StartRetrain", "dependencyConditions": ["Succeeded"] }],
        "typeProperties": {
          "expression": { "value": "@not(empty(activity('StartRetrain').output))", "type": "Expression" },
          "ifFalseActivities": [
            {
              "name": "NotStarted",
              "type": "Fail",
              "typeProperties": { "message": "@variables('runDate')", "errorCode": "NotStarted" }
            }
          ]
        }
      }
    ],
    "parameters": {
      "correlationId": { "type": "string" },
      "modelName": { "type": "string" },
      "trainingDays": { "type": "int", "defaultValue": 30 }
    },
    "variables": {
      "runDate": { "type": "String" }
    }
  },
  "type": "Microsoft.DataFactory/factories/pipelines"
}
`;

export const BASE_INGEST_PIPELINE = `{
  "name": "IngestLanding",
  "properties": {
    "activities": [
      {
        "name": "Log",
        "type": "SetVariable",
        "typeProperties": { "variableName": "seen", "value": "@pipeline().parameters.sourcePath" }
      }
    ],
    "parameters": {
      "runCorrelation": { "type": "string" },
      "sourcePath": { "type": "string", "defaultValue": "incoming/" }
    },
    "variables": { "seen": { "type": "String" } }
  }
}
`;

export const BASE_FACTORY = `{
  "name": "adf-analytics-dev",
  "properties": {
    "globalParameters": { "environment": { "type": "String", "value": "dev" } }
  }
}
`;

export const BASE_ASL = `{
  "Comment": "Retrains a model.",
  "StartAt": "TrainModel",
  "States": {
    "TrainModel": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": { "FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:train", "Payload.$": "$" },
      "Next": "Done"
    },
    "Done": { "Type": "Succeed" }
  }
}
`;

export const BASE_MOCKS = `{
  "StateMachines": {
    "Retrain": {
      "TestCases": {
        "HappyPath": { "TrainModel": "Trained" }
      }
    }
  },
  "MockedResponses": {
    "Trained": { "0": { "Return": { "StatusCode": 200, "Payload": {} } } }
  }
}
`;

export const BASE_PAYLOAD = `{
  "modelName": "churn",
  "trainingDays": 7
}
`;

export const BASE_INGEST_PAYLOAD = `{
  "sourcePath": "incoming/orders.csv"
}
`;

export const BASE_S3_PAYLOAD = `{
  "version": "0",
  "detail-type": "Object Created",
  "source": "aws.s3",
  "detail": { "bucket": { "name": "analytics-landing-dev" }, "object": { "key": "incoming/orders.csv" } }
}
`;

export function baseFiles(): Map<string, string> {
  return new Map([
    [CONFIG, BASE_CONFIG],
    [PIPELINE, BASE_PIPELINE],
    [INGEST_PIPELINE, BASE_INGEST_PIPELINE],
    [FACTORY, BASE_FACTORY],
    [ASL, BASE_ASL],
    [MOCKS, BASE_MOCKS],
    [PAYLOAD, BASE_PAYLOAD],
    [INGEST_PAYLOAD, BASE_INGEST_PAYLOAD],
    [S3_PAYLOAD, BASE_S3_PAYLOAD],
  ]);
}

/** Replaces the one occurrence of `from` in `file` (fails the test when it is not exactly one). */
export function edit(files: Map<string, string>, file: string, from: string, to: string): Map<string, string> {
  const text = files.get(file);
  assert.ok(text !== undefined, `no file ${file} in the workspace`);
  const first = text.indexOf(from);
  assert.ok(first >= 0, `test setup: "${from}" is not in ${path.basename(file)}`);
  assert.equal(text.indexOf(from, first + 1), -1, `test setup: "${from}" occurs more than once in ${path.basename(file)}`);
  const out = new Map(files);
  out.set(file, text.slice(0, first) + to + text.slice(first + from.length));
  return out;
}

/** Applies several edits in order. */
export function edits(files: Map<string, string>, ...changes: [file: string, from: string, to: string][]): Map<string, string> {
  return changes.reduce((acc, [file, from, to]) => edit(acc, file, from, to), files);
}

export function without(files: Map<string, string>, file: string): Map<string, string> {
  const out = new Map(files);
  out.delete(file);
  return out;
}

export function lintFiles(files: Map<string, string>, options: LintOptions = {}, configs: string[] = [CONFIG]): Promise<LintResult> {
  return lintConfigs(configs, memoryHost(files), options);
}

export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/**
 * The range of `needle` in `text`: its first occurrence after `after` (when given). Use the
 * unquoted content of a string to get the range of a string key or value.
 */
export function rangeOf(text: string, needle: string, after?: string): Range {
  let from = 0;
  if (after !== undefined) {
    const a = text.indexOf(after);
    assert.ok(a >= 0, `test setup: anchor "${after}" not found`);
    from = a + after.length;
  }
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `test setup: "${needle}" not found${after ? ` after "${after}"` : ''}`);
  return { start: positionOf(text, at), end: positionOf(text, at + needle.length) };
}

export function allDiagnostics(result: LintResult): BridgeDiagnostic[] {
  return [...result.diagnostics.values()].flat();
}

export function describeAll(result: LintResult): string {
  return (
    allDiagnostics(result)
      .map((d) => `${path.relative(WS, d.file)} ${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`)
      .join('\n') || '(none)'
  );
}

export interface Expected {
  code: string;
  file: string;
  range?: Range;
  /** What the message must say (what is wrong or what to do). */
  message?: RegExp;
  /** false: skip the says-what-to-do check (a separate test covers that message). */
  actionable?: false;
}

/**
 * Asserts that the run produced exactly these diagnostics (any order), each on its file, at its
 * range, with the spec's severity.
 */
export function expectExactly(result: LintResult, expected: Expected[]): BridgeDiagnostic[] {
  const actual = allDiagnostics(result);
  const remaining = [...actual];
  const matched: BridgeDiagnostic[] = [];
  for (const e of expected) {
    const i = remaining.findIndex((d) => d.code === e.code && d.file === e.file && (!e.range || sameRange(d.range, e.range)));
    assert.ok(
      i >= 0,
      `expected ${e.code} on ${path.relative(WS, e.file)}${e.range ? ` at ${fmt(e.range)}` : ''}; got:\n${describeAll(result)}`,
    );
    const d = remaining.splice(i, 1)[0];
    assert.equal(d.severity, SPEC_RULES[d.code], `${d.code} must have severity ${SPEC_RULES[d.code]}`);
    assert.equal(d.file, e.file);
    if (e.message) assert.match(d.message, e.message);
    if (e.actionable !== false) assertActionable(d);
    matched.push(d);
  }
  assert.equal(remaining.length, 0, `unexpected diagnostics:\n${remaining.map((d) => `${path.relative(WS, d.file)} ${d.code} ${fmt(d.range)} ${d.message}`).join('\n')}`);
  return matched;
}

/** A message says what to do: an imperative or a suggestion, not only what is wrong. */
export function assertActionable(d: BridgeDiagnostic): void {
  assert.ok(d.message.length >= 20, `${d.code}: message too short: "${d.message}"`);
  assert.match(
    d.message,
    /\b(add|remove|use|set|point|declare|fix|make|rename|check|give|write|create|name|reference|shrink|put|did you mean|must|needs?|expected|should|replace|one of|such as|for example|see)\b/i,
    `${d.code}: the message does not say what to do: "${d.message}"`,
  );
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function fmt(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Every range of every diagnostic lies inside the text of its file. */
export function assertRangesInside(result: LintResult, textOf: (file: string) => string | undefined): void {
  for (const d of allDiagnostics(result)) {
    const text = textOf(d.file);
    const lines = (text ?? '').split(/\r\n|\r|\n/);
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${d.code}: non-integer position ${fmt(d.range)}`);
      assert.ok(p.line >= 0 && p.line < lines.length, `${d.code} on ${d.file}: line ${p.line} outside ${lines.length} lines`);
      assert.ok(p.character >= 0 && p.character <= lines[p.line].length, `${d.code} on ${d.file}: character ${p.character} beyond line ${p.line} (length ${lines[p.line].length})`);
    }
    const s = d.range.start;
    const e = d.range.end;
    assert.ok(s.line < e.line || (s.line === e.line && s.character <= e.character), `${d.code}: start after end ${fmt(d.range)}`);
  }
}

/** Codes each rule test file promises to fire; together they must be the whole spec table. */
export const CONFIG_FILE_RULES = [
  'json-syntax', 'duplicate-key', 'unknown-property', 'missing-property', 'invalid-type', 'invalid-value', 'not-allowed',
  'unsupported-version', 'invalid-arn', 'region-mismatch', 'account-mismatch', 'partition-mismatch', 'unknown-environment',
  'unprotected-prod', 'inline-secret', 'static-credentials', 'shared-role', 'issuer-format', 'issuer-tenant-mismatch',
  'missing-throttle', 's3-no-filter',
];
export const CROSS_FILE_RULES = [
  'file-not-found', 'pipeline-not-found', 'activity-not-found', 'activity-type', 'url-mismatch', 'audience-mismatch',
  'correlation-parameter-missing', 'correlation-not-forwarded', 'expression-error', 'asl-invalid', 'payload-invalid-json',
  'payload-too-large', 'payload-unknown-parameter', 'payload-missing-parameter', 'mock-invalid',
];

/** Lints, checks the result is exactly `expected`, and records the codes seen in `covered`. */
export async function expectLint(covered: Set<string>, files: Map<string, string>, expected: Expected[], options: LintOptions = {}): Promise<BridgeDiagnostic[]> {
  const result = await lintFiles(files, options);
  assertRangesInside(result, (f) => files.get(f));
  const matched = expectExactly(result, expected);
  for (const d of matched) covered.add(d.code);
  return matched;
}

/** Writes an in-memory workspace under a real folder (same layout below WS); returns path mapper. */
export function materialize(files: Map<string, string | Buffer>, dir: string): (p: string) => string {
  const map = (p: string) => path.join(dir, path.relative(WS, p));
  for (const [p, text] of files) {
    const target = map(p);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return map;
}
