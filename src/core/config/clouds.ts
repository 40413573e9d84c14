import { parseArn } from './arn';
import type { AwsPartition, AzureCloud } from './shape';

/**
 * The one table of clouds: per Azure cloud and per AWS partition, the hosts the product talks to or
 * sends a person to. The SDK clients (ARM endpoint, login authority), the issuer rule (token
 * issuer hosts) and the editor's "Open in Console" all read it here.
 */
export const AZURE_CLOUD_HOSTS: Record<AzureCloud, { arm: string; authority: string; issuerV1: string[]; issuerV2: string[]; portal: string; adfStudio: string }> = {
  AzureCloud: {
    arm: 'https://management.azure.com',
    authority: 'https://login.microsoftonline.com',
    issuerV1: ['sts.windows.net'],
    issuerV2: ['login.microsoftonline.com'],
    portal: 'https://portal.azure.com',
    adfStudio: 'https://adf.azure.com',
  },
  AzureUSGovernment: {
    arm: 'https://management.usgovcloudapi.net',
    authority: 'https://login.microsoftonline.us',
    // Azure Government issues v1 tokens from sts.windows.net too.
    issuerV1: ['sts.windows.net'],
    issuerV2: ['login.microsoftonline.us'],
    portal: 'https://portal.azure.us',
    adfStudio: 'https://adf.azure.us',
  },
  AzureChinaCloud: {
    arm: 'https://management.chinacloudapi.cn',
    authority: 'https://login.chinacloudapi.cn',
    issuerV1: ['sts.chinacloudapi.cn'],
    issuerV2: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
    portal: 'https://portal.azure.cn',
    adfStudio: 'https://adf.azure.cn',
  },
};

/** The AWS management console's host for a region of each partition. */
export const AWS_PARTITION_HOSTS: Record<AwsPartition, { console: (region: string) => string }> = {
  aws: { console: (region) => `https://${region}.console.aws.amazon.com` },
  'aws-us-gov': { console: (region) => `https://${region}.console.amazonaws-us-gov.com` },
  'aws-cn': { console: (region) => `https://${region}.console.amazonaws.cn` },
};

/** The Step Functions console page of an execution, in the execution's own partition and region; undefined for a malformed ARN. */
export function executionConsoleUrl(executionArn: string): string | undefined {
  const arn = parseArn(executionArn);
  const hosts = arn && AWS_PARTITION_HOSTS[arn.partition as AwsPartition];
  if (!arn || !hosts || !arn.region || !arn.resource.startsWith('execution:')) return undefined;
  return `${hosts.console(arn.region)}/states/home?region=${arn.region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
}

export interface FactoryId {
  subscriptionId: string;
  resourceGroup: string;
  factory: string;
}

/** ADF Studio's monitoring page of a pipeline run, in the factory's cloud (the portal opens a factory there). */
export function pipelineRunPortalUrl(cloud: AzureCloud, factory: FactoryId, pipelineRunId: string): string {
  const resource = `/subscriptions/${factory.subscriptionId}/resourceGroups/${factory.resourceGroup}/providers/Microsoft.DataFactory/factories/${factory.factory}`;
  return `${AZURE_CLOUD_HOSTS[cloud].adfStudio}/monitoring/pipelineruns/${encodeURIComponent(pipelineRunId)}?factory=${encodeURIComponent(resource)}`;
}
