/**
 * Planning a test run: where it starts (the link's trigger decides), with which payload, and the
 * fresh correlation id injected as the pipeline parameter, at the input path, and as the execution
 * name (when it can be one).
 */
import type { BridgeConfigModel, LinkModel } from '../config/model';
import { isProtected } from '../config/model';
import { isExecutionName } from '../config/arn';
import { correlationOf, injectCorrelationId, newCorrelationId } from '../correlation';

/** What a test run of a link starts, with the correlation id already injected. */
export type TestRunPlan =
  | {
      kind: 'pipeline';
      link: LinkModel;
      correlationId: string;
      factory: { subscriptionId: string; resourceGroup: string; factoryName: string };
      pipelineName: string;
      parameters: Record<string, unknown>;
      /** The link's environment is protected: the caller must have asked the user. */
      needsConfirmation: boolean;
    }
  | {
      kind: 'execution';
      link: LinkModel;
      correlationId: string;
      stateMachineArn: string;
      /** The execution name: the correlation id (when it is a valid name), so the run is found by name. */
      name?: string;
      input: unknown;
      needsConfirmation: boolean;
    };

/** A link that cannot be test-run as configured; the message says what to add. */
export class TestRunError extends Error {}

/** A declared pipeline parameter, as the pipeline JSON gives it. */
export interface PipelineParameter {
  type?: string;
  defaultValue?: unknown;
}

/**
 * Plans a test run. `payload` undefined: a dummy is generated from the pipeline's parameters
 * (adf-to-sfn) or an S3 event template (s3-to-sfn); see resolvePayload for where it comes from.
 */
export function planTestRun(
  config: BridgeConfigModel,
  link: LinkModel,
  payload: unknown,
  options: { correlationId?: string; pipelineParameters?: Record<string, PipelineParameter>; now?: Date; testCase?: string } = {},
): TestRunPlan {
  const correlationId = options.correlationId ?? newCorrelationId();
  const needsConfirmation = isProtected(config, link);
  const correlation = correlationOf(link);
  if (link.trigger === 'adf-to-sfn') {
    const a = config.azure;
    if (!a?.subscriptionId || !a.resourceGroup || !a.factory) throw new TestRunError(`Link "${link.name}" starts in ADF, but the config's azure block lacks subscriptionId, resourceGroup or factory.`);
    if (!link.adf?.pipeline) throw new TestRunError(`Link "${link.name}" has no adf.pipeline to start.`);
    const base = payload === undefined ? dummyParameters(options.pipelineParameters ?? {}) : payload;
    if (typeof base !== 'object' || base === null || Array.isArray(base)) {
      throw new TestRunError(`The payload of link "${link.name}" must be an object of pipeline parameters, { "name": value }.`);
    }
    const parameters: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    parameters[correlation.adfParameter] = correlationId;
    return { kind: 'pipeline', link, correlationId, factory: { subscriptionId: a.subscriptionId, resourceGroup: a.resourceGroup, factoryName: a.factory }, pipelineName: link.adf.pipeline, parameters, needsConfirmation };
  }
  if (!link.stateMachine?.arn) throw new TestRunError(`Link "${link.name}" has no stateMachine.arn to start.`);
  if (!link.trigger) throw new TestRunError(`Link "${link.name}" has no trigger, so it is not known where a test run starts: add "trigger": "adf-to-sfn", "sfn-to-adf" or "s3-to-sfn".`);
  const base = payload === undefined ? (link.trigger === 's3-to-sfn' ? s3ObjectCreatedEvent(config, link, options.now ?? new Date()) : {}) : payload;
  let input: unknown;
  try {
    input = injectCorrelationId(base, correlation.sfnInputPath, correlationId);
  } catch (e) {
    throw new TestRunError(`Link "${link.name}": ${(e as Error).message} Fix correlation.sfnInputPath.`);
  }
  // A MockConfigFile test case is chosen with a `#TestCase` suffix on the ARN (Step Functions Local's way).
  const stateMachineArn = options.testCase ? `${link.stateMachine.arn}#${options.testCase}` : link.stateMachine.arn;
  return { kind: 'execution', link, correlationId, stateMachineArn, name: isExecutionName(correlationId) ? correlationId : undefined, input, needsConfirmation };
}

/** Pipeline parameters for a run without a payload: defaults, else a value of the declared type. */
export function dummyParameters(declared: Record<string, PipelineParameter>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(declared)) {
    if (p.defaultValue !== undefined) continue; // ADF fills it in
    switch ((p.type ?? 'string').toLowerCase()) {
      case 'int':
        out[name] = 1;
        break;
      case 'float':
        out[name] = 1.5;
        break;
      case 'bool':
        out[name] = true;
        break;
      case 'array':
        out[name] = [];
        break;
      case 'object':
      case 'secureobject':
        out[name] = {};
        break;
      default:
        out[name] = `test-${name}`;
    }
  }
  return out;
}

/** An S3 "Object Created" event as EventBridge delivers it, for a key the link's filter accepts. */
export function s3ObjectCreatedEvent(config: BridgeConfigModel, link: LinkModel, now: Date): Record<string, unknown> {
  const bucket = link.s3?.bucket ?? 'bucket';
  const key = `${link.s3?.prefix ?? ''}test-object${link.s3?.suffix ?? '.json'}`;
  return {
    version: '0',
    id: '00000000-0000-4000-8000-000000000000',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: config.aws?.accountId ?? '123456789012',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: config.aws?.region ?? 'us-east-1',
    resources: [`arn:${config.aws?.partition ?? 'aws'}:s3:::${bucket}`],
    detail: { version: '0', bucket: { name: bucket }, object: { key, size: 1024, etag: 'd41d8cd98f00b204e9800998ecf8427e' }, reason: 'PutObject' },
  };
}
