/**
 * The SDK clients, for the cloud or for the sandbox: one code path, the sandbox only changes the
 * endpoint, the trusted certificate and the credentials. Endpoints and sign-in authorities come
 * from the one table of clouds (src/core/clouds.ts); credentials from src/cloud/identity.
 *
 * PERFORMANCE: the SDKs are required inside these functions, so nothing loads them until the
 * first cloud call (the extension's activation and `bridge lint` never pay for them).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { DataFactoryManagementClient } from '@azure/arm-datafactory';
import type { TokenCredential } from '@azure/core-auth';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AZURE_CLOUD_ENDPOINTS } from '../core/clouds';
import type { BridgeConfigModel } from '../core/config/model';
import type { AzureCloud } from '../core/config/shape';
import type { SandboxEndpoints } from '../core/run/request';
import { awsCredentialProvider, type AwsIdentityOptions } from './identity/aws';
import { azureCredential } from './identity/azure';

export type { SandboxEndpoints };

export interface AwsTarget {
  region: string;
  /** Shared-config profile for the cloud; ignored for the sandbox. */
  profile?: string;
  sandbox?: SandboxEndpoints;
  maxAttempts?: number;
  /** Credentials from elsewhere (the editor, tests); else the profile's, through src/cloud/identity. */
  credentials?: AwsCredentialIdentityProvider;
  /** How to sign in with the profile (environment, MFA prompt). */
  identity?: Omit<AwsIdentityOptions, 'profile' | 'injected'>;
}

export function createStepFunctionsClient(target: AwsTarget): SFNClient {
  const { SFNClient } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const client = target.sandbox
    ? new SFNClient({
        region: target.region,
        endpoint: target.sandbox.stepFunctions,
        // The sandbox accepts any SigV4 signature; these are not credentials of any account.
        credentials: target.credentials ?? { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
        maxAttempts: target.maxAttempts,
      })
    : new SFNClient({
        region: target.region,
        credentials: awsCredentialProvider({ region: target.region, ...target.identity, profile: target.profile, injected: target.credentials }),
        maxAttempts: target.maxAttempts,
      });
  tagOperation(client);
  return client;
}

/**
 * Errors carry the operation that failed (`$bridgeOperation: "StartExecutionCommand"`), so
 * describeCloudError can name the IAM action (`states:StartExecution`) a 403 is about.
 */
function tagOperation(client: SFNClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        if (e && typeof e === 'object') (e as { $bridgeOperation?: string }).$bridgeOperation = context.commandName;
        throw e;
      }
    },
    { step: 'initialize', name: 'bridgeOperationTag' },
  );
}

/** CloudWatch Logs (a gateway's access log). The sandbox serves it on its Step Functions endpoint. */
export function createCloudWatchLogsClient(target: AwsTarget): CloudWatchLogsClient {
  const { CloudWatchLogsClient } = require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs');
  if (target.sandbox) {
    return new CloudWatchLogsClient({
      region: target.region,
      endpoint: target.sandbox.stepFunctions,
      credentials: target.credentials ?? { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      maxAttempts: target.maxAttempts,
    });
  }
  return new CloudWatchLogsClient({
    region: target.region,
    credentials: awsCredentialProvider({ region: target.region, ...target.identity, profile: target.profile, injected: target.credentials }),
    maxAttempts: target.maxAttempts,
  });
}

export interface AzureTarget {
  subscriptionId: string;
  tenantId?: string;
  cloud: AzureCloud;
  sandbox?: SandboxEndpoints;
  /** A credential from elsewhere (the editor's Microsoft sign-in, tests); else the CLI chain. */
  credential?: TokenCredential;
  /** Retries of the client's own pipeline (the run engine retries itself, on a shared budget: 0). */
  maxRetries?: number;
}

export function createDataFactoryClient(target: AzureTarget): DataFactoryManagementClient {
  const { DataFactoryManagementClient } = require('@azure/arm-datafactory') as typeof import('@azure/arm-datafactory');
  if (target.sandbox) {
    const url = target.sandbox.dataFactory;
    return new DataFactoryManagementClient(target.credential ?? sandboxCredential(), target.subscriptionId, {
      // $host builds the request URLs, endpoint the token scope.
      endpoint: url,
      $host: url,
      tlsOptions: { ca: target.sandbox.caPem },
      ...(target.maxRetries !== undefined ? { retryOptions: { maxRetries: target.maxRetries } } : {}),
    });
  }
  const arm = AZURE_CLOUD_ENDPOINTS[target.cloud].arm;
  const credential = azureCredential({ tenantId: target.tenantId, cloud: target.cloud, injected: target.credential });
  return new DataFactoryManagementClient(credential, target.subscriptionId, { endpoint: arm, $host: arm, ...(target.maxRetries !== undefined ? { retryOptions: { maxRetries: target.maxRetries } } : {}) });
}

/** The sandbox takes any bearer token; this one says where it came from. */
function sandboxCredential(): TokenCredential {
  return {
    async getToken() {
      return { token: 'bridge-sandbox', expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

export interface ConfigClientOptions {
  sandbox?: SandboxEndpoints;
  env?: Record<string, string | undefined>;
  mfaCode?: (serial: string) => Promise<string>;
  awsCredentials?: AwsCredentialIdentityProvider;
  azureCredential?: TokenCredential;
}

/** Both clients for one bridge config: its region and profile, its subscription, tenant and cloud. */
export function createClientsForConfig(config: BridgeConfigModel, options: ConfigClientOptions = {}) {
  const a = config.azure;
  const env = options.env ?? process.env;
  return {
    sfn: createStepFunctionsClient({
      region: config.aws?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      profile: config.aws?.profile,
      sandbox: options.sandbox,
      credentials: options.awsCredentials,
      identity: { env, mfaCode: options.mfaCode },
    }),
    adf: createDataFactoryClient({
      subscriptionId: a?.subscriptionId ?? '00000000-0000-0000-0000-000000000000',
      tenantId: a?.tenantId,
      cloud: a?.cloud ?? 'AzureCloud',
      sandbox: options.sandbox,
      credential: options.azureCredential,
    }),
    resourceGroup: a?.resourceGroup ?? '',
    factoryName: a?.factory ?? '',
  };
}
