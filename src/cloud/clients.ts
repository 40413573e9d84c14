/**
 * The SDK clients, for the cloud or for the sandbox: one code path, the sandbox only changes the
 * endpoint, the trusted certificate and the credentials.
 *
 * PERFORMANCE: the SDKs are required inside these functions, so nothing loads them until the
 * first cloud call (the extension's activation and `bridge lint` never pay for them).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DataFactoryManagementClient } from '@azure/arm-datafactory';
import type { TokenCredential } from '@azure/core-auth';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { AzureCloud } from '../core/config/shape';
import type { SandboxEndpoints } from '../core/run/request';

export type { SandboxEndpoints };

export interface AwsTarget {
  region: string;
  /** Shared-config profile for the cloud; ignored for the sandbox. */
  profile?: string;
  sandbox?: SandboxEndpoints;
  maxAttempts?: number;
}

export function createStepFunctionsClient(target: AwsTarget): SFNClient {
  const { SFNClient } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  if (target.sandbox) {
    return new SFNClient({
      region: target.region,
      endpoint: target.sandbox.stepFunctions,
      // The sandbox accepts any SigV4 signature; these are not credentials of any account.
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      maxAttempts: target.maxAttempts,
    });
  }
  const { fromNodeProviderChain } = require('@aws-sdk/credential-providers') as typeof import('@aws-sdk/credential-providers');
  return new SFNClient({ region: target.region, credentials: fromNodeProviderChain(target.profile ? { profile: target.profile } : {}), maxAttempts: target.maxAttempts });
}

/** CloudWatch Logs (a gateway's access log). The sandbox serves it on its Step Functions endpoint. */
export function createCloudWatchLogsClient(target: AwsTarget): CloudWatchLogsClient {
  const { CloudWatchLogsClient } = require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs');
  if (target.sandbox) {
    return new CloudWatchLogsClient({
      region: target.region,
      endpoint: target.sandbox.stepFunctions,
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      maxAttempts: target.maxAttempts,
    });
  }
  const { fromNodeProviderChain } = require('@aws-sdk/credential-providers') as typeof import('@aws-sdk/credential-providers');
  return new CloudWatchLogsClient({ region: target.region, credentials: fromNodeProviderChain(target.profile ? { profile: target.profile } : {}), maxAttempts: target.maxAttempts });
}

export interface AzureTarget {
  subscriptionId: string;
  tenantId?: string;
  cloud: AzureCloud;
  sandbox?: SandboxEndpoints;
  /** Retries of the client's own pipeline (the run engine retries itself, on a shared budget: 0). */
  maxRetries?: number;
}

const ARM_ENDPOINTS: Record<AzureCloud, { arm: string; authority: string }> = {
  AzureCloud: { arm: 'https://management.azure.com', authority: 'https://login.microsoftonline.com' },
  AzureUSGovernment: { arm: 'https://management.usgovcloudapi.net', authority: 'https://login.microsoftonline.us' },
  AzureChinaCloud: { arm: 'https://management.chinacloudapi.cn', authority: 'https://login.chinacloudapi.cn' },
};

export function createDataFactoryClient(target: AzureTarget): DataFactoryManagementClient {
  const { DataFactoryManagementClient } = require('@azure/arm-datafactory') as typeof import('@azure/arm-datafactory');
  if (target.sandbox) {
    const url = target.sandbox.dataFactory;
    return new DataFactoryManagementClient(sandboxCredential(), target.subscriptionId, {
      // $host builds the request URLs, endpoint the token scope.
      endpoint: url,
      $host: url,
      tlsOptions: { ca: target.sandbox.caPem },
      ...(target.maxRetries !== undefined ? { retryOptions: { maxRetries: target.maxRetries } } : {}),
    });
  }
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  const cloud = ARM_ENDPOINTS[target.cloud];
  const credential = new DefaultAzureCredential({ tenantId: target.tenantId, authorityHost: cloud.authority });
  return new DataFactoryManagementClient(credential, target.subscriptionId, { endpoint: cloud.arm, $host: cloud.arm, ...(target.maxRetries !== undefined ? { retryOptions: { maxRetries: target.maxRetries } } : {}) });
}

/** The sandbox takes any bearer token; this one says where it came from. */
function sandboxCredential(): TokenCredential {
  return {
    async getToken() {
      return { token: 'bridge-sandbox', expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}
