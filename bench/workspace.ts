import { mkdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SAMPLES = path.join(__dirname, '..', '..', 'samples');

/**
 * Writes a workspace of `links` adf-to-sfn links spread over `configs` config files, each link with
 * its own pipeline, ASL definition, payload and mocks (copies of the samples, renamed).
 * Returns the folder and the config paths.
 */
export function generateWorkspace(links: number, configs: number): { root: string; configPaths: string[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bridge-bench-'));
  for (const d of ['adf/pipeline', 'adf/factory', 'statemachines', 'payloads', 'mocks']) mkdirSync(path.join(root, d), { recursive: true });
  const pipeline = readFileSync(path.join(SAMPLES, 'adf/pipeline/RetrainModel.json'), 'utf8');
  const asl = readFileSync(path.join(SAMPLES, 'statemachines/retrain.asl.json'), 'utf8');
  const mocks = readFileSync(path.join(SAMPLES, 'mocks/retrain.mock.json'), 'utf8');
  const payload = readFileSync(path.join(SAMPLES, 'payloads/retrain-small.json'), 'utf8');
  writeFileSync(path.join(root, 'adf/factory/adf-analytics-dev.json'), readFileSync(path.join(SAMPLES, 'adf/factory/adf-analytics-dev.json')));
  const perConfig = Math.ceil(links / configs);
  const configPaths: string[] = [];
  for (let c = 0; c < configs; c++) {
    const entries: string[] = [];
    for (let i = c * perConfig; i < Math.min(links, (c + 1) * perConfig); i++) {
      const name = `Retrain${i}`;
      const url = `https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain-${i}`;
      writeFileSync(
        path.join(root, `adf/pipeline/${name}.json`),
        pipeline.replace('"name": "RetrainModel"', `"name": "${name}"`).replace('https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/retrain', url).replace(/api:\/\/bridge-retrain/g, `api://bridge-retrain-${i}`),
      );
      writeFileSync(path.join(root, `statemachines/retrain-${i}.asl.json`), asl);
      writeFileSync(path.join(root, `mocks/retrain-${i}.mock.json`), mocks.replace('"Retrain"', `"${name}"`));
      writeFileSync(path.join(root, `payloads/retrain-${i}.json`), payload);
      entries.push(`    // Link ${i}: nightly retrain of model ${i}
    "retrain-${i}": {
      "environment": "dev",
      "trigger": "adf-to-sfn",
      "adf": { "pipeline": "${name}", "activity": "StartRetrain" },
      "stateMachine": {
        "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:${name}",
        "definition": "./statemachines/retrain-${i}.asl.json"
      },
      "gateway": {
        "url": "${url}",
        "issuer": "https://sts.windows.net/7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f/",
        "audience": "api://bridge-retrain-${i}",
        "throttle": { "rateLimit": 10, "burstLimit": 20 }
      },
      "identity": {
        "azurePrincipalId": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
        "awsRoleArn": "arn:aws:iam::123456789012:role/adf-retrain-${i}"
      },
      "correlation": { "adfParameter": "correlationId", "sfnInputPath": "$.correlationId" },
      "payloads": ["./payloads/retrain-${i}.json"],
      "mocks": "./mocks/retrain-${i}.mock.json",
    }`);
    }
    const file = path.join(root, `analytics-${c}.bridge.jsonc`);
    writeFileSync(
      file,
      `// Generated for the lint benchmark.
{
  "version": 1,
  "azure": {
    "tenantId": "7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f",
    "subscriptionId": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    "resourceGroup": "rg-analytics",
    "factory": "adf-analytics-dev",
    "repoRoot": "./adf"
  },
  "aws": { "accountId": "123456789012", "region": "eu-west-1" },
  "environments": { "dev": {}, "prod": { "protected": true } },
  "links": {
${entries.join(',\n')}
  }
}
`,
    );
    configPaths.push(file);
  }
  return { root, configPaths };
}
