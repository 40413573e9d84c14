/**
 * THE table of clouds: every endpoint, sign-in authority, portal and console address the product
 * uses for an Azure cloud or an AWS partition. The SDK clients, the editor's sign-in and
 * "open in console", the issuer rules and the sandbox all read it from here.
 */
import type { AwsPartition, AzureCloud } from './config/shape';

export interface AzureCloudEndpoints {
  /** Azure Resource Manager: ADF's management API; `<arm>/.default` is the token scope. */
  arm: string;
  /** Entra ID sign-in authority (the `authorityHost` of @azure/identity). */
  authority: string;
  /** The Azure portal. */
  portal: string;
  /** ADF Studio, where pipeline runs are monitored. */
  adfStudio: string;
  /**
   * VS Code's sign-in for this cloud: the built-in `microsoft` provider for the public cloud, the
   * `microsoft-sovereign-cloud` provider with its `microsoft-sovereign-cloud.environment` setting
   * for the others.
   */
  vscode: { providerId: 'microsoft' | 'microsoft-sovereign-cloud'; sovereignEnvironment?: 'USGovernment' | 'ChinaCloud' };
}

/**
 * Entra ID token issuer hosts per cloud: v1 tokens (`https://<v1>/<tenant>/`) and v2.0
 * (`https://<v2>/<tenant>/v2.0`). A const of its own so the lint rules (in the activation bundle)
 * carry only this part of the table.
 */
export const AZURE_ISSUER_HOSTS: Readonly<Record<AzureCloud, { v1: string[]; v2: string[] }>> = {
  AzureCloud: { v1: ['sts.windows.net'], v2: ['login.microsoftonline.com'] },
  // Azure Government issues v1 tokens from sts.windows.net too.
  AzureUSGovernment: { v1: ['sts.windows.net'], v2: ['login.microsoftonline.us'] },
  AzureChinaCloud: { v1: ['sts.chinacloudapi.cn'], v2: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'] },
};

export const AZURE_CLOUD_ENDPOINTS: Readonly<Record<AzureCloud, AzureCloudEndpoints>> = {
  AzureCloud: {
    arm: 'https://management.azure.com',
    authority: 'https://login.microsoftonline.com',
    portal: 'https://portal.azure.com',
    adfStudio: 'https://adf.azure.com',
    vscode: { providerId: 'microsoft' },
  },
  AzureUSGovernment: {
    arm: 'https://management.usgovcloudapi.net',
    authority: 'https://login.microsoftonline.us',
    portal: 'https://portal.azure.us',
    adfStudio: 'https://adf.azure.us',
    vscode: { providerId: 'microsoft-sovereign-cloud', sovereignEnvironment: 'USGovernment' },
  },
  AzureChinaCloud: {
    arm: 'https://management.chinacloudapi.cn',
    authority: 'https://login.chinacloudapi.cn',
    portal: 'https://portal.azure.cn',
    adfStudio: 'https://adf.azure.cn',
    vscode: { providerId: 'microsoft-sovereign-cloud', sovereignEnvironment: 'ChinaCloud' },
  },
};

/** The ARM token scope of a cloud, as @azure/identity and VS Code's sign-in take it. */
export function armScope(cloud: AzureCloud): string {
  return `${AZURE_CLOUD_ENDPOINTS[cloud].arm}/.default`;
}

/** Whether a URL is on the ARM host of any Azure cloud (what an HTTP task calling ADF names). */
export function isArmUrl(url: string): boolean {
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' || (u.port && u.port !== '443')) return false;
    host = u.hostname.toLowerCase();
  } catch {
    return false;
  }
  return Object.values(AZURE_CLOUD_ENDPOINTS).some((c) => new URL(c.arm).hostname === host);
}

export interface AwsPartitionEndpoints {
  /** The console's domain: `https://<region>.<consoleDomain>/…`. */
  consoleDomain: string;
}

export const AWS_PARTITION_ENDPOINTS: Readonly<Record<AwsPartition, AwsPartitionEndpoints>> = {
  aws: { consoleDomain: 'console.aws.amazon.com' },
  'aws-us-gov': { consoleDomain: 'console.amazonaws-us-gov.com' },
  'aws-cn': { consoleDomain: 'console.amazonaws.cn' },
};

/** The Step Functions console page of an execution (or, given a state machine ARN, of the machine). */
export function stepFunctionsConsoleUrl(partition: AwsPartition, region: string, arn: string): string {
  const domain = AWS_PARTITION_ENDPOINTS[partition].consoleDomain;
  const page = arn.includes(':execution:') ? 'v2/executions/details' : 'statemachines/view';
  return `https://${region}.${domain}/states/home?region=${encodeURIComponent(region)}#/${page}/${encodeURIComponent(arn)}`;
}

export interface FactoryRef {
  subscriptionId: string;
  resourceGroup: string;
  factory: string;
}

/** The ADF Studio monitoring page of a pipeline run (or the factory's runs without a run id). */
export function adfRunMonitorUrl(cloud: AzureCloud, factory: FactoryRef, pipelineRunId?: string): string {
  const factoryId = `/subscriptions/${factory.subscriptionId}/resourceGroups/${factory.resourceGroup}/providers/Microsoft.DataFactory/factories/${factory.factory}`;
  const page = pipelineRunId ? `monitoring/pipelineruns/${encodeURIComponent(pipelineRunId)}` : 'monitoring/pipelineruns';
  return `${AZURE_CLOUD_ENDPOINTS[cloud].adfStudio}/en/${page}?factory=${encodeURIComponent(factoryId)}`;
}
