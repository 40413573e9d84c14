/**
 * Azure sign-in for the command line: @azure/identity's chain of the Azure CLI's sign-in, a
 * service principal in the environment, workload identity (CI federated tokens) and managed
 * identity, with the tenant and the sign-in authority of the config's cloud. The editor signs in
 * with VS Code's own Microsoft account instead (src/extension/auth) and injects that credential.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { armScope, AZURE_CLOUD_ENDPOINTS } from '../../core/clouds';
import type { AzureCloud } from '../../core/config/shape';
import { CloudIdentityError, chainDetail } from './errors';

export interface AzureIdentityOptions {
  tenantId?: string;
  cloud: AzureCloud;
  /** A credential from elsewhere (the editor's sign-in, tests): used instead of the chain. */
  injected?: TokenCredential;
  env?: Record<string, string | undefined>;
}

/** The credential for ARM calls; failures come out as CloudIdentityError naming the tenant and what to run. */
export function azureCredential(options: AzureIdentityOptions): TokenCredential {
  const inner = options.injected ?? cliChain(options);
  return {
    async getToken(scopes: string | string[], getTokenOptions?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        const token = await inner.getToken(scopes, getTokenOptions);
        if (!token) throw new Error('The credential returned no token.');
        return token;
      } catch (e) {
        throw explainAzureCredentialFailure(e, options);
      }
    },
  };
}

/** Gets one ARM token before any call: a sign-in problem stops a command with one line. */
export async function checkAzureCredential(options: AzureIdentityOptions): Promise<void> {
  await azureCredential(options).getToken(armScope(options.cloud));
}

function cliChain(options: AzureIdentityOptions): TokenCredential {
  const identity = require('@azure/identity') as typeof import('@azure/identity');
  const env = options.env ?? process.env;
  const authorityHost = AZURE_CLOUD_ENDPOINTS[options.cloud].authority;
  const tenantId = options.tenantId;
  const chain: TokenCredential[] = [
    new identity.AzureCliCredential({ tenantId }),
    new identity.EnvironmentCredential({ authorityHost }),
  ];
  // Workload identity needs its token file (CI, Kubernetes); without it the credential only adds noise.
  if (env.AZURE_FEDERATED_TOKEN_FILE && env.AZURE_CLIENT_ID) {
    chain.push(new identity.WorkloadIdentityCredential({ tenantId: tenantId ?? env.AZURE_TENANT_ID, clientId: env.AZURE_CLIENT_ID, tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE, authorityHost }));
  }
  chain.push(env.AZURE_CLIENT_ID ? new identity.ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID }) : new identity.ManagedIdentityCredential());
  return new identity.ChainedTokenCredential(...chain);
}

export function explainAzureCredentialFailure(err: unknown, options: AzureIdentityOptions): CloudIdentityError {
  if (err instanceof CloudIdentityError) return err;
  const detail = chainDetail(err);
  const message = String((err as Error)?.message ?? err);
  const tenant = options.tenantId ?? '<tenant-id>';
  const cloudFlag = options.cloud === 'AzureCloud' ? '' : ` (first \`az cloud set --name ${options.cloud}\`)`;
  if (/AADSTS50173|AADSTS700082|AADSTS70043|expired|refresh token/i.test(message)) {
    return new CloudIdentityError('expired-session', `The Azure sign-in for tenant ${tenant} has expired: run \`az login --tenant ${tenant}\`${cloudFlag}, or sign in again from the VS Code account menu.`, detail);
  }
  if (/AADSTS90002|AADSTS50020|AADSTS700016|tenant/i.test(message) && /not found|does not exist|not in the directory/i.test(message)) {
    return new CloudIdentityError('wrong-tenant', `Tenant ${tenant} does not know the signed-in account: check azure.tenantId, then run \`az login --tenant ${tenant}\`${cloudFlag}.`, detail);
  }
  return new CloudIdentityError(
    'no-credentials',
    `No Azure sign-in for tenant ${tenant}: run \`az login --tenant ${tenant}\`${cloudFlag}, set a service principal (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET), or sign in from the VS Code account menu.`,
    detail,
  );
}
