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
import { AZURE_CLOUD_HOSTS } from '../core/config/clouds';
import type { AzureCloud } from '../core/config/shape';

export interface SandboxEndpoints {
  stepFunctions: string;
  dataFactory: string;
  /** PEM of the sandbox's CA: the only certificate the ADF client trusts for it. */
  caPem: string;
}

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

export interface AzureTarget {
  subscriptionId: string;
  tenantId?: string;
  cloud: AzureCloud;
  sandbox?: SandboxEndpoints;
}

export function createDataFactoryClient(target: AzureTarget): DataFactoryManagementClient {
  const { DataFactoryManagementClient } = require('@azure/arm-datafactory') as typeof import('@azure/arm-datafactory');
  if (target.sandbox) {
    const url = target.sandbox.dataFactory;
    return new DataFactoryManagementClient(sandboxCredential(), target.subscriptionId, {
      // $host builds the request URLs, endpoint the token scope.
      endpoint: url,
      $host: url,
      tlsOptions: { ca: target.sandbox.caPem },
    });
  }
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  const cloud = AZURE_CLOUD_HOSTS[target.cloud];
  const credential = new DefaultAzureCredential({ tenantId: target.tenantId, authorityHost: cloud.authority });
  return new DataFactoryManagementClient(credential, target.subscriptionId, { endpoint: cloud.arm, $host: cloud.arm });
}

/** The sandbox takes any bearer token; this one says where it came from. */
function sandboxCredential(): TokenCredential {
  return {
    async getToken() {
      return { token: 'bridge-sandbox', expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}
