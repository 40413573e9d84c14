import { AZURE_ISSUER_HOSTS as CLOUD_ISSUER_HOSTS } from '../clouds';
import { GUID, type AzureCloud } from './shape';

const V1_HOSTS = new Set(Object.values(CLOUD_ISSUER_HOSTS).flatMap((h) => h.v1));
const V2_HOSTS = new Set(Object.values(CLOUD_ISSUER_HOSTS).flatMap((h) => h.v2));

export interface Issuer {
  host: string;
  tenant: string;
  version: 'v1' | 'v2.0';
}

/** Parses an Entra ID issuer URL, or undefined when it is not of either recognised form. */
export function parseIssuer(text: string): Issuer | undefined {
  const v1 = /^https:\/\/([a-z0-9.-]+)\/([^/]+)\/$/i.exec(text);
  if (v1 && V1_HOSTS.has(v1[1].toLowerCase()) && GUID.test(v1[2])) return { host: v1[1].toLowerCase(), tenant: v1[2], version: 'v1' };
  const v2 = /^https:\/\/([a-z0-9.-]+)\/([^/]+)\/v2\.0$/i.exec(text);
  if (v2 && V2_HOSTS.has(v2[1].toLowerCase()) && GUID.test(v2[2])) return { host: v2[1].toLowerCase(), tenant: v2[2], version: 'v2.0' };
  return undefined;
}

export function issuerFormatMessage(text: string): string {
  return (
    `"${text.length > 80 ? text.slice(0, 77) + '…' : text}" is not an Entra ID issuer. Use https://sts.windows.net/<tenant-id>/ (v1 tokens) ` +
    'or https://login.microsoftonline.com/<tenant-id>/v2.0 (v2.0 tokens), with your tenant GUID and the trailing slash for v1; ' +
    'sovereign clouds use login.microsoftonline.us, sts.chinacloudapi.cn or login.chinacloudapi.cn.'
  );
}

export function issuerHostsFor(cloud: AzureCloud, version: Issuer['version']): string[] {
  return version === 'v1' ? CLOUD_ISSUER_HOSTS[cloud].v1 : CLOUD_ISSUER_HOSTS[cloud].v2;
}

/** The issuer URL the gateway should trust for a tenant in a cloud (used by quick fixes and the sandbox). */
export function expectedIssuer(cloud: AzureCloud, tenantId: string, version: Issuer['version'] = 'v1'): string {
  return version === 'v1' ? `https://${CLOUD_ISSUER_HOSTS[cloud].v1[0]}/${tenantId}/` : `https://${CLOUD_ISSUER_HOSTS[cloud].v2[0]}/${tenantId}/v2.0`;
}
