/**
 * Cloud errors a user can act on: one line that says what is wrong and what to do (which profile
 * to sign in with, which IAM action or Azure role is missing, that the call was throttled), and the
 * chain's detail for the log only. The CLI commands and the editor all go through here.
 */
import { redactSecrets } from '../../core/redact';

export type CloudErrorKind =
  | 'no-credentials'
  | 'expired-session'
  | 'access-denied'
  | 'wrong-tenant'
  | 'wrong-subscription'
  | 'not-found'
  | 'throttled'
  | 'network'
  | 'other';

export interface DescribedCloudError {
  kind: CloudErrorKind;
  /** One line for the user: what is wrong and what to do. */
  line: string;
  /** Everything else (the credential chain's messages, the service's raw error): for the log only. */
  detail: string;
}

/** A sign-in problem already put in the user's terms (thrown by the credential providers here). */
export class CloudIdentityError extends Error {
  constructor(
    readonly kind: CloudErrorKind,
    readonly line: string,
    readonly detail: string,
  ) {
    super(line);
    this.name = 'CloudIdentityError';
  }
}

export interface CloudErrorContext {
  /** Which cloud the failing call went to. */
  cloud?: 'aws' | 'azure';
  /** The Step Functions operation (`StartExecution`) or ADF operation (`createRun`), when the caller knows it. */
  operation?: string;
  /** The resource the call was about (a state machine ARN, a pipeline name). */
  resource?: string;
  profile?: string;
  tenantId?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  factory?: string;
}

/** The Azure built-in role that allows an ADF action (what to ask an owner of the factory for). */
export function azureRoleFor(action: string): string {
  const a = action.toLowerCase();
  if (/\/(read)$/.test(a) || /\/query(pipeline|activity)runs\/action$/.test(a)) return 'Reader (or Data Factory Contributor)';
  return 'Data Factory Contributor';
}

/** The Azure RBAC action of an ADF SDK operation name. */
const ADF_OPERATION_ACTIONS: Record<string, string> = {
  createRun: 'Microsoft.DataFactory/factories/pipelines/createrun/action',
  pipelinesGet: 'Microsoft.DataFactory/factories/pipelines/read',
  listByFactory: 'Microsoft.DataFactory/factories/pipelines/read',
  queryByFactory: 'Microsoft.DataFactory/factories/querypipelineruns/action',
  queryByPipelineRun: 'Microsoft.DataFactory/factories/pipelineruns/queryactivityruns/action',
  cancel: 'Microsoft.DataFactory/factories/pipelineruns/cancel/action',
  pipelineRunsGet: 'Microsoft.DataFactory/factories/pipelineruns/read',
  factoriesGet: 'Microsoft.DataFactory/factories/read',
};

/**
 * What bridge reads from an error of either cloud's SDK, the one shape for the cloud layer (this
 * file's messages and the run engine's retry decisions, src/cloud/run/errors.ts): AWS SDK v3's
 * ServiceException (`name`, `$metadata`, `$retryable`), Azure's RestError (`code`, `statusCode`,
 * `request`, `response`, `details`: the ARM error body) and the credential chains' aggregate
 * errors (`errors`, `cause`). `$bridgeOperation` is the operation src/cloud/clients.ts tags.
 */
export interface CloudErrorShape {
  name?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  $bridgeOperation?: string;
  request?: { url?: string; method?: string };
  response?: { bodyAsText?: string; headers?: { get?(name: string): string | undefined } | Record<string, string> };
  details?: { error?: { code?: string; message?: string } };
  errors?: unknown[];
  cause?: unknown;
}

/** Any thrown value read as a cloud error (never throws on undefined or a string). */
export function cloudErrorShape(err: unknown): CloudErrorShape {
  return (typeof err === 'object' && err !== null ? err : {}) as CloudErrorShape;
}

/** The HTTP status of a failed call: AWS's `$metadata.httpStatusCode`, Azure's `statusCode`. */
export function httpStatusOf(err: unknown): number | undefined {
  const e = cloudErrorShape(err);
  return e.$metadata?.httpStatusCode ?? e.statusCode;
}

/** The service's error code: Azure's `code` (or the ARM body's), undefined for AWS, which names the error instead. */
export function serviceCodeOf(err: unknown): string | undefined {
  const e = cloudErrorShape(err);
  return e.code ?? e.details?.error?.code;
}

/** A header of the failed call's response (Azure's header bag or a plain record), case-insensitively. */
export function responseHeader(err: unknown, name: string): string | undefined {
  const headers = cloudErrorShape(err).response?.headers;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const record = headers as Record<string, string>;
  return record[name] ?? Object.entries(record).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/** Turns any error of a cloud call (or of signing in) into one actionable line plus log detail. */
export function describeCloudError(err: unknown, context: CloudErrorContext = {}): DescribedCloudError {
  if (err instanceof CloudIdentityError) return { kind: err.kind, line: redactSecrets(err.line), detail: redactSecrets(err.detail) };
  const e = cloudErrorShape(err);
  const message = String(e.message ?? err);
  const detail = redactSecrets(chainDetail(err));
  const status = httpStatusOf(err);
  const name = String(e.name ?? '');
  const code = String(serviceCodeOf(err) ?? '');
  const isAzure = context.cloud === 'azure' || !!e.request?.url || name === 'RestError' || name === 'AuthenticationError' || name === 'CredentialUnavailableError';
  const out = (kind: CloudErrorKind, line: string): DescribedCloudError => ({ kind, line: redactSecrets(line), detail });

  // Throttling, either cloud: the clients already retried with backoff on a shared budget.
  if (status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(`${name} ${code}`)) {
    const where = isAzure ? 'Azure Resource Manager' : 'AWS';
    return out('throttled', `${where} throttled ${operationOf(e, context) ?? 'the call'} and it still failed after the retries: wait a minute and try again, or run fewer links at once.`);
  }

  if (isAzure) return describeAzure(e, message, code, status, context, out);

  // A client built without src/cloud/identity's provider: still one line naming the profile.
  if (name === 'CredentialsProviderError') {
    const p = context.profile;
    return out(
      /SSO/i.test(message) ? 'expired-session' : 'no-credentials',
      p
        ? `AWS profile "${p}" gave no credentials: run \`aws sso login --profile ${p}\` (SSO) or \`aws configure --profile ${p}\`.`
        : 'No AWS credentials found: set "aws.profile" in the bridge config (or AWS_PROFILE), then run `aws sso login --profile NAME` or `aws configure --profile NAME`.',
    );
  }

  // AWS: access denied names the IAM action (from the operation the client tags, or from the message).
  if (status === 403 || /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(`${name} ${code}`)) {
    const action = /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1] ?? (operationOf(e, context) ? `states:${operationOf(e, context)}` : undefined);
    const who = /User: (\S+)/.exec(message)?.[1];
    return out(
      'access-denied',
      `AWS refused ${action ?? 'the call'}${context.resource ? ` on ${context.resource}` : ''}${who ? ` for ${who}` : ''}: ask for ${action ?? 'the permission'} in the IAM policy of ${context.profile ? `profile "${context.profile}"'s role` : 'the identity you signed in with'}, or use a profile that has it.`,
    );
  }
  if (/ExpiredToken|RequestExpired|TokenRefreshRequired|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/i.test(`${name} ${code}`)) {
    const p = context.profile;
    return out(
      'expired-session',
      `AWS rejected the credentials of ${profileText(context)} (${name}): they expired or were revoked; ${p ? `run \`aws sso login --profile ${p}\` (SSO) or refresh the profile's keys` : 'sign in again'} and retry.`,
    );
  }
  if (/StateMachineDoesNotExist|ExecutionDoesNotExist|ResourceNotFound/i.test(name)) {
    return out('not-found', `${firstLine(message)}: check the ARN, the region and the account of ${profileText(context)}.`);
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET|TimeoutError/i.test(`${code} ${name} ${message}`)) {
    return out('network', `Could not reach AWS (${firstLine(message)}): check the network, the region and any proxy, then retry.`);
  }
  return out('other', `${name && name !== 'Error' ? `${name}: ` : ''}${firstLine(message)}`);
}

function describeAzure(
  e: CloudErrorShape,
  message: string,
  code: string,
  status: number | undefined,
  context: CloudErrorContext,
  out: (kind: CloudErrorKind, line: string) => DescribedCloudError,
): DescribedCloudError {
  const armMessage = e.details?.error?.message ?? message;
  if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError' || /AADSTS50076|AADSTS700082|AADSTS70043|interaction_required/i.test(armMessage)) {
    return out('no-credentials', `No Azure sign-in for tenant ${context.tenantId ?? '(azure.tenantId)'}: run \`az login --tenant ${context.tenantId ?? '<tenant>'}\`, or sign in with the account menu in VS Code.`);
  }
  if (/InvalidAuthenticationTokenTenant|AADSTS90002|AADSTS50020|AADSTS700016/i.test(`${code} ${armMessage}`)) {
    return out(
      'wrong-tenant',
      `The Azure token is for another tenant than subscription ${context.subscriptionId ?? ''} needs: check azure.tenantId (${context.tenantId ?? 'not set'}) and sign in to that tenant (\`az login --tenant ${context.tenantId ?? '<tenant>'}\`).`,
    );
  }
  if (/SubscriptionNotFound|InvalidSubscriptionId|SubscriptionNotRegistered/i.test(code)) {
    return out('wrong-subscription', `Subscription ${context.subscriptionId ?? ''} is not visible to the signed-in account in tenant ${context.tenantId ?? ''}: check azure.subscriptionId and azure.tenantId, or ask for access to the subscription.`);
  }
  if (status === 401 || /ExpiredAuthenticationToken|InvalidAuthenticationToken|AuthenticationFailed/i.test(code)) {
    return out('expired-session', `Azure rejected the sign-in (${code || status}): sign in again (\`az login --tenant ${context.tenantId ?? '<tenant>'}\`, or the account menu in VS Code) and retry.`);
  }
  if (status === 403 || /AuthorizationFailed|LinkedAuthorizationFailed/i.test(code)) {
    const action = /perform action '([^']+)'/.exec(armMessage)?.[1] ?? ADF_OPERATION_ACTIONS[operationOf(e, context) ?? ''] ?? actionOfUrl(e.request);
    const factory = context.factory ? ` on factory ${context.factory}` : '';
    return out('access-denied', `Azure refused ${action ?? 'the call'}${factory}: ask for the ${azureRoleFor(action ?? 'createrun')} role on the factory (or its resource group) for the signed-in identity.`);
  }
  if (status === 404 || /ResourceNotFound|PipelineNotFound|ResourceGroupNotFound|NotFound/i.test(code)) {
    return out('not-found', `${firstLine(armMessage)} Check azure.subscriptionId, azure.resourceGroup and azure.factory.`);
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET/i.test(`${code} ${message}`)) {
    return out('network', `Could not reach Azure (${firstLine(message)}): check the network, azure.cloud and any proxy, then retry.`);
  }
  return out('other', `${code ? `${code}: ` : ''}${firstLine(armMessage)}`);
}

function operationOf(e: CloudErrorShape, context: CloudErrorContext): string | undefined {
  return context.operation ?? e.$bridgeOperation?.replace(/Command$/, '');
}

/** The RBAC action of an ARM request URL, when the error carries the request. */
function actionOfUrl(request: CloudErrorShape['request']): string | undefined {
  const url = request?.url ?? '';
  if (/\/createRun\b/i.test(url)) return ADF_OPERATION_ACTIONS.createRun;
  if (/\/queryPipelineRuns\b/i.test(url)) return ADF_OPERATION_ACTIONS.queryByFactory;
  if (/\/queryActivityruns\b/i.test(url)) return ADF_OPERATION_ACTIONS.queryByPipelineRun;
  if (/\/pipelineruns\//i.test(url)) return ADF_OPERATION_ACTIONS.pipelineRunsGet;
  if (/\/pipelines\b/i.test(url)) return ADF_OPERATION_ACTIONS.pipelinesGet;
  return undefined;
}

function profileText(context: CloudErrorContext): string {
  return context.profile ? `profile "${context.profile}"` : 'the default credentials';
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** The whole story for the log: the error, the chain's errors and causes. */
export function chainDetail(err: unknown, depth = 0): string {
  if (depth > 4 || err === undefined || err === null) return '';
  const e = err as CloudErrorShape;
  const lines = [`${e.name ?? 'Error'}: ${e.message ?? String(err)}`];
  if (e.response?.bodyAsText) lines.push(`  response: ${e.response.bodyAsText.slice(0, 2000)}`);
  for (const inner of Array.isArray(e.errors) ? e.errors : []) lines.push(`  - ${chainDetail(inner, depth + 1).replace(/\n/g, '\n    ')}`);
  if (e.cause) lines.push(`  caused by ${chainDetail(e.cause, depth + 1)}`);
  return lines.join('\n');
}
